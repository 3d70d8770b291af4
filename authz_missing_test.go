// A missing object under WithAuth: a caller allowed to read it learns
// that it is missing (404) only when it may also list the bucket;
// otherwise it is AccessDenied, as for a key it may not read.

package mocks3_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestAuthzMissingObject(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	anon := anonClient(srv)
	ctx := t.Context()
	mustCreateBucket(t, alice, "miss")
	mustPut(t, alice, "miss", "public/there", []byte("x"))
	mustCreateBucket(t, bob, "bobs")
	bobP := `{"AWS":"` + srv.UserARN("bob") + `"}`
	readOnly := allowStatement(bobP, `"s3:GetObject"`, "arn:aws:s3:::miss/*")
	readAndList := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::miss/*"},` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:ListBucket","Resource":"arn:aws:s3:::miss"}]}`
	listPublic := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::miss/*"},` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:ListBucket","Resource":"arn:aws:s3:::miss","Condition":{"StringLike":{"s3:prefix":"public/*"}}}]}`
	anonRead := allowStatement(`"*"`, `"s3:GetObject"`, "arn:aws:s3:::miss/*")
	tests := []struct {
		name       string
		policy     string
		client     *s3.Client
		key        string
		wantCode   string // "" for success
		wantStatus int
	}{
		{"read only, present", readOnly, bob, "public/there", "", 200},
		{"read only, missing", readOnly, bob, "public/missing", "AccessDenied", 403},
		{"read and list, missing", readAndList, bob, "public/missing", "NoSuchKey", 404},
		{"list under public/, missing there", listPublic, bob, "public/missing", "NoSuchKey", 404},
		{"list under public/, missing elsewhere", listPublic, bob, "private/missing", "AccessDenied", 403},
		{"anonymous read, missing", anonRead, anon, "public/missing", "AccessDenied", 403},
		{"anonymous read, present", anonRead, anon, "public/there", "", 200},
		{"owner, missing", "", alice, "public/missing", "NoSuchKey", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setPolicy(t, alice, "miss", tt.policy)
			out, err := tt.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("miss"), Key: aws.String(tt.key)})
			_, herr := tt.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("miss"), Key: aws.String(tt.key)})
			// A copy's source is read the same way.
			_, cerr := bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bobs"), Key: aws.String("copy"),
				CopySource: aws.String("miss/" + tt.key)})
			if tt.wantCode == "" {
				if err != nil || herr != nil || tt.client == bob && cerr != nil {
					t.Fatalf("GetObject, HeadObject, CopyObject(%s) = %v, %v, %v; want success", tt.key, err, herr, cerr)
				}
				out.Body.Close()
				return
			}
			checkErr(t, "GetObject("+tt.key+")", err, tt.wantCode, tt.wantStatus)
			// HEAD has no body: the SDK reports the status alone.
			checkErr(t, "HeadObject("+tt.key+")", herr, "", tt.wantStatus)
			if tt.client == bob {
				checkErr(t, "CopyObject(source "+tt.key+")", cerr, tt.wantCode, tt.wantStatus)
			}
		})
	}
}
