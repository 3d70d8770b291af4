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

// newAWSCLI drives the aws CLI: its high-level "aws s3" commands where
// they exist (cp with its own multipart threshold, presign, rb --force),
// "aws s3api" for the rest.
func newAWSCLI(t *testing.T, tg *target, accessKey, secretKey string) *driver {
	bin := need(t, "aws", "awscli")
	home := t.TempDir()
	conf := "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n"
	if !tg.defaults {
		conf += "    signature_version = s3v4\n"
	}
	configFile := filepath.Join(home, "config")
	if err := os.WriteFile(configFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	env := cleanEnv(home, "AWS_CONFIG_FILE="+configFile, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID="+accessKey, "AWS_SECRET_ACCESS_KEY="+secretKey, "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	if tg.caFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+tg.caFile)
	}
	aws := func(args ...string) (string, error) {
		return run(t, env, bin, append([]string{"--endpoint-url", tg.url, "--output", "json"}, args...)...)
	}
	do := func(args ...string) error { _, err := aws(args...); return err }
	s3url := func(bucket, key string) string { return "s3://" + bucket + "/" + key }
	return &driver{
		mb:  func(b string) error { return do("s3", "mb", "s3://"+b) },
		rb:  func(b string) error { return do("s3", "rb", "--force", "s3://"+b) },
		put: func(b, k, file string) error { return do("s3", "cp", file, s3url(b, k)) },
		get: func(b, k, file string) error { return do("s3", "cp", s3url(b, k), file) },
		ls: func(b string) ([]string, error) {
			out, err := aws("s3", "ls", "--recursive", "s3://"+b)
			if err != nil {
				return nil, err
			}
			var keys []string
			for line := range strings.Lines(out) { // date time size key
				if f := strings.Fields(line); len(f) >= 4 {
					keys = append(keys, strings.Join(f[3:], " "))
				}
			}
			return keys, nil
		},
		cp:      func(b, src, dst string) error { return do("s3", "cp", s3url(b, src), s3url(b, dst)) },
		presign: func(b, k string) (string, error) { return aws("s3", "presign", s3url(b, k), "--expires-in", "600") },
		versioning: func(b string) error {
			return do("s3api", "put-bucket-versioning", "--bucket", b, "--versioning-configuration", "Status=Enabled")
		},
		versions: func(b string) ([]version, error) {
			out, err := aws("s3api", "list-object-versions", "--bucket", b)
			if err != nil {
				return nil, err
			}
			return s3Versions(out)
		},
		rm: func(b, k string) error { return do("s3", "rm", s3url(b, k)) },
		putTags: func(b, k string, tags map[string]string) error {
			return do("s3api", "put-object-tagging", "--bucket", b, "--key", k, "--tagging", tagSetJSON(tags))
		},
		getTags: func(b, k string) (map[string]string, error) {
			out, err := aws("s3api", "get-object-tagging", "--bucket", b, "--key", k)
			if err != nil {
				return nil, err
			}
			var r struct{ TagSet []struct{ Key, Value string } }
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				return nil, fmt.Errorf("get-object-tagging output %q: %v", out, err)
			}
			tags := map[string]string{}
			for _, tag := range r.TagSet {
				tags[tag.Key] = tag.Value
			}
			return tags, nil
		},
		deleteObjects: func(b string, keys []string) error {
			var d struct{ Objects []map[string]string }
			for _, k := range keys {
				d.Objects = append(d.Objects, map[string]string{"Key": k})
			}
			js, _ := json.Marshal(d)
			out, err := aws("s3api", "delete-objects", "--bucket", b, "--delete", string(js))
			if err == nil && strings.Contains(out, `"Errors"`) {
				err = fmt.Errorf("delete-objects: %s", out)
			}
			return err
		},
	}
}

// s3Versions reads ListObjectVersions' output in the aws CLI's JSON.
func s3Versions(out string) ([]version, error) {
	var r struct {
		Versions, DeleteMarkers []struct{ Key, VersionId string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		return nil, fmt.Errorf("list-object-versions output %q: %v", out, err)
	}
	var vs []version
	for _, v := range r.Versions {
		vs = append(vs, version{Key: v.Key, ID: v.VersionId})
	}
	for _, m := range r.DeleteMarkers {
		vs = append(vs, version{Key: m.Key, ID: m.VersionId, Marker: true})
	}
	return vs, nil
}

func tagSetJSON(tags map[string]string) string {
	var ts struct{ TagSet []map[string]string }
	for k, v := range tags {
		ts.TagSet = append(ts.TagSet, map[string]string{"Key": k, "Value": v})
	}
	js, _ := json.Marshal(ts)
	return string(js)
}
