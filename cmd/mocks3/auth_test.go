package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// sdkClient returns an S3 client for url signing with the given keys.
func sdkClient(url, accessKey, secretKey string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
	})
}

// TestAuthFlags: -auth with -user keys (or -config's "auth" and "user")
// serves requests signed with those keys only; an unsigned request is
// 403 AccessDenied.
func TestAuthFlags(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(conf, []byte(`{"auth": true, "user": ["AKONE:secret-one", "AKTWO:secret-two"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"flags":  {"-auth", "-user", "AKONE:secret-one", "-user", "AKTWO:secret-two", "-bucket", "bkt"},
		"config": {"-config", conf, "-bucket", "bkt"},
	} {
		t.Run(name, func(t *testing.T) {
			url, _ := serve(t, args...)
			for _, keys := range [][2]string{{"AKONE", "secret-one"}, {"AKTWO", "secret-two"}} {
				if _, err := sdkClient(url, keys[0], keys[1]).ListBuckets(t.Context(), &s3.ListBucketsInput{}); err != nil {
					t.Errorf("ListBuckets as %s = %v, want success", keys[0], err)
				}
			}
			_, err := sdkClient(url, "AKONE", "wrong").ListBuckets(t.Context(), &s3.ListBucketsInput{})
			if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
				t.Errorf("ListBuckets with a wrong secret = %v, want SignatureDoesNotMatch", err)
			}
			if code, body := do(t, "GET", url+"/bkt", ""); code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
				t.Errorf("unsigned GET = %d %s, want 403 AccessDenied", code, body)
			}
		})
	}
	// Without -auth anything goes, as the seed README's curl examples need.
	url, _ := serve(t, "-user", "AKONE:secret-one", "-bucket", "bkt")
	if code, body := do(t, "GET", url+"/bkt", ""); code != 200 {
		t.Errorf("unsigned GET without -auth = %d %s, want 200", code, body)
	}
}

func TestUserFlagErrors(t *testing.T) {
	for _, v := range []string{"AKONLY", ":secret", "AK:", ""} {
		var u userFlag
		if err := u.Set(v); err == nil {
			t.Errorf("-user %q = nil error, want one", v)
		}
	}
}
