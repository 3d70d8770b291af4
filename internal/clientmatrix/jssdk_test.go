//go:build clientmatrix

package clientmatrix

import (
	"os"
	"path/filepath"
	"testing"
)

// newJSSDK drives the AWS SDK for JavaScript v3 (@aws-sdk/client-s3 and
// @aws-sdk/s3-request-presigner, installed in $MOCKS3_JS_SDK) through
// testdata/jssdk_ops.cjs.
func newJSSDK(t *testing.T, tg *target, accessKey, secretKey string) *driver {
	node := need(t, "node", "nodejs npm")
	sdk := os.Getenv("MOCKS3_JS_SDK")
	if _, err := os.Stat(filepath.Join(sdk, "node_modules", "@aws-sdk", "client-s3")); sdk == "" || err != nil {
		t.Fatalf("the JS SDK is not installed: run `bash .ci/clients`, or `npm install @aws-sdk/client-s3 @aws-sdk/s3-request-presigner` in a directory DIR and set MOCKS3_JS_SDK=DIR (MOCKS3_JS_SDK=%q)", sdk)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "jssdk_ops.cjs"))
	if err != nil {
		t.Fatal(err)
	}
	env := cleanEnv(t.TempDir(), "MOCKS3_JS_SDK="+sdk, "MX_ENDPOINT="+tg.url,
		"AWS_ACCESS_KEY_ID="+accessKey, "AWS_SECRET_ACCESS_KEY="+secretKey)
	if tg.caFile != "" {
		env = append(env, "NODE_EXTRA_CA_CERTS="+tg.caFile)
	}
	return scriptDriver(t, env, node, script)
}
