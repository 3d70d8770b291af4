//go:build clientmatrix

package clientmatrix

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newRclone drives rclone with an S3 remote (provider Other) configured by
// environment variables, and its default ACL setting (private). Its
// multipart cutoff is lowered from 200 MiB to 8 MiB so the 20 MiB file goes
// up in parts. rclone has no object tagging command; it lists old versions
// (--s3-versions) by name, without version IDs or delete markers.
func newRclone(t *testing.T, tg *target, accessKey, secretKey string) *driver {
	bin := need(t, "rclone", "rclone")
	home := t.TempDir()
	env := cleanEnv(home, "RCLONE_CONFIG="+filepath.Join(home, "rclone.conf"),
		"RCLONE_CONFIG_MX_TYPE=s3", "RCLONE_CONFIG_MX_PROVIDER=Other", "RCLONE_CONFIG_MX_ENDPOINT="+tg.url,
		"RCLONE_CONFIG_MX_ACCESS_KEY_ID="+accessKey, "RCLONE_CONFIG_MX_SECRET_ACCESS_KEY="+secretKey,
		"RCLONE_CONFIG_MX_UPLOAD_CUTOFF=8M", "RCLONE_CONFIG_MX_CHUNK_SIZE=5M", "RCLONE_RETRIES=1")
	if tg.caFile != "" {
		env = append(env, "RCLONE_CA_CERT="+tg.caFile)
	}
	rclone := func(args ...string) (string, error) { return run(t, env, bin, args...) }
	do := func(args ...string) error { _, err := rclone(args...); return err }
	remote := func(bucket, key string) string { return "mx:" + bucket + "/" + key }
	lsf := func(args ...string) ([]string, error) {
		out, err := rclone(append([]string{"lsf", "-R", "--files-only"}, args...)...)
		if err != nil {
			return nil, err
		}
		return strings.Fields(out), nil
	}
	return &driver{
		mb:      func(b string) error { return do("mkdir", "mx:"+b) },
		rb:      func(b string) error { return do("purge", "mx:"+b) },
		put:     func(b, k, file string) error { return do("copyto", file, remote(b, k)) },
		get:     func(b, k, file string) error { return do("copyto", remote(b, k), file) },
		ls:      func(b string) ([]string, error) { return lsf("mx:" + b) },
		cp:      func(b, src, dst string) error { return do("copyto", remote(b, src), remote(b, dst)) },
		presign: func(b, k string) (string, error) { return rclone("link", "--expire", "10m", remote(b, k)) },
		versioning: func(b string) error {
			return do("backend", "versioning", "mx:"+b, "Enabled")
		},
		versions: func(b string) ([]version, error) {
			out, err := rclone("lsjson", "-R", "--files-only", "--s3-versions", "mx:"+b)
			if err != nil {
				return nil, err
			}
			var entries []struct{ Path string }
			if err := json.Unmarshal([]byte(out), &entries); err != nil {
				return nil, fmt.Errorf("lsjson output %q: %v", out, err)
			}
			var vs []version
			for _, e := range entries { // name-vYYYY-MM-DD-HHMMSS-mmm.ext for an old version
				vs = append(vs, version{Key: e.Path, ID: e.Path})
			}
			return vs, nil
		},
		versionsByName: true,
		rm:             func(b, k string) error { return do("deletefile", remote(b, k)) },
		deleteObjects: func(b string, keys []string) error {
			list := filepath.Join(t.TempDir(), "files")
			if err := os.WriteFile(list, []byte(strings.Join(keys, "\n")+"\n"), 0o600); err != nil {
				return err
			}
			return do("delete", "--files-from", list, "mx:"+b)
		},
	}
}
