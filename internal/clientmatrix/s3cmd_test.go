//go:build clientmatrix

package clientmatrix

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newS3cmd drives s3cmd 2.x, which has no versioning or object tagging
// commands and presigns (signurl) with Signature Version 2 only.
func newS3cmd(t *testing.T, tg *target, accessKey, secretKey string) *driver {
	bin := need(t, "s3cmd", "s3cmd")
	home := t.TempDir()
	u, err := url.Parse(tg.url)
	if err != nil {
		t.Fatal(err)
	}
	// host_bucket without %(bucket)s: path-style addressing.
	conf := fmt.Sprintf("[default]\naccess_key = %s\nsecret_key = %s\nhost_base = %s\nhost_bucket = %s\n"+
		"use_https = %v\nca_certs_file = %s\nsignature_v2 = False\nbucket_location = us-east-1\n",
		accessKey, secretKey, u.Host, u.Host, u.Scheme == "https", tg.caFile)
	configFile := filepath.Join(home, ".s3cfg")
	if err := os.WriteFile(configFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	env := cleanEnv(home)
	s3cmd := func(args ...string) (string, error) {
		return run(t, env, bin, append([]string{"-c", configFile, "--no-progress"}, args...)...)
	}
	do := func(args ...string) error { _, err := s3cmd(args...); return err }
	s3url := func(bucket, key string) string { return "s3://" + bucket + "/" + key }
	return &driver{
		mb:  func(b string) error { return do("mb", "s3://"+b) },
		rb:  func(b string) error { return do("rb", "--recursive", "--force", "s3://"+b) },
		put: func(b, k, file string) error { return do("put", file, s3url(b, k)) },
		get: func(b, k, file string) error { return do("get", "--force", s3url(b, k), file) },
		ls: func(b string) ([]string, error) {
			out, err := s3cmd("ls", "--recursive", "s3://"+b)
			if err != nil {
				return nil, err
			}
			var keys []string
			for line := range strings.Lines(out) { // date time size s3://bucket/key
				if _, key, ok := strings.Cut(strings.TrimSpace(line), s3url(b, "")); ok {
					keys = append(keys, key)
				}
			}
			return keys, nil
		},
		cp:            func(b, src, dst string) error { return do("cp", s3url(b, src), s3url(b, dst)) },
		presign:       func(b, k string) (string, error) { return s3cmd("signurl", s3url(b, k), "+600") },
		presignV2Only: true,
		rm:            func(b, k string) error { return do("del", s3url(b, k)) },
		// del --recursive deletes what a prefix lists with DeleteObjects;
		// one URI a command, as s3cmd 2.3 stops after the first.
		deleteObjects: func(b string, keys []string) error {
			for _, k := range keys {
				if err := do("del", "--recursive", s3url(b, k)); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
