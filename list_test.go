package mocks3_test

// Listings, with prefixes, delimiters, pagination and URL encoding:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mocks3/mocks3"
)

// listKeys are the keys of the listing tests, in UTF-8 byte order: U+FF61
// sorts before U+1F600 here, after it in UTF-16 order.
var listKeys = []string{
	"a", "a/b", "a/c/d", "a/c/e", "b", "b/x", "c d", "c+d", "c/",
	"z", "é", "日本/語", "\uff61", "\U0001F600",
}

// keyObjects seed testBucket with an object per key, whose body is its key.
func keyObjects(keys ...string) []mocks3.Option {
	var opts []mocks3.Option
	for _, k := range keys {
		opts = append(opts, mocks3.WithObject(testBucket, k, []byte(k)))
	}
	return opts
}

// listWalks are what paging through all of listKeys visits, without and
// with a delimiter.
var listWalks = []struct {
	name      string
	delimiter string
	want      []string
}{
	{"keys", "", listKeys},
	{"keys and prefixes", "/", []string{"a", "a/", "b", "b/", "c d", "c+d", "c/", "z", "é", "日本/", "\uff61", "\U0001F600"}},
}

func TestListObjectsV2(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		// Seed in reverse so that order comes from the server, not from insertion.
		reversed := slices.Clone(listKeys)
		slices.Reverse(reversed)
		srv := newServer(t, keyObjects(reversed...)...)
		c := srv.Client()
		ctx := t.Context()

		tests := []struct {
			name          string
			in            s3.ListObjectsV2Input
			wantKeys      []string
			wantPrefixes  []string
			wantTruncated bool
		}{
			{name: "all", wantKeys: listKeys},
			{name: "prefix", in: s3.ListObjectsV2Input{Prefix: aws.String("a/")},
				wantKeys: []string{"a/b", "a/c/d", "a/c/e"}},
			{name: "prefix without match", in: s3.ListObjectsV2Input{Prefix: aws.String("nope")}},
			{name: "delimiter", in: s3.ListObjectsV2Input{Delimiter: aws.String("/")},
				wantKeys:     []string{"a", "b", "c d", "c+d", "z", "é", "\uff61", "\U0001F600"},
				wantPrefixes: []string{"a/", "b/", "c/", "日本/"}},
			{name: "prefix and delimiter", in: s3.ListObjectsV2Input{Prefix: aws.String("a/"), Delimiter: aws.String("/")},
				wantKeys: []string{"a/b"}, wantPrefixes: []string{"a/c/"}},
			{name: "other delimiter", in: s3.ListObjectsV2Input{Delimiter: aws.String("b")},
				wantKeys:     []string{"a", "a/c/d", "a/c/e", "c d", "c+d", "c/", "z", "é", "日本/語", "\uff61", "\U0001F600"},
				wantPrefixes: []string{"a/b", "b"}},
			{name: "max-keys", in: s3.ListObjectsV2Input{MaxKeys: aws.Int32(3)},
				wantKeys: []string{"a", "a/b", "a/c/d"}, wantTruncated: true},
			{name: "max-keys counts prefixes", in: s3.ListObjectsV2Input{MaxKeys: aws.Int32(3), Delimiter: aws.String("/")},
				wantKeys: []string{"a", "b"}, wantPrefixes: []string{"a/"}, wantTruncated: true},
			{name: "max-keys over 1000", in: s3.ListObjectsV2Input{MaxKeys: aws.Int32(5000)}, wantKeys: listKeys},
			{name: "start-after", in: s3.ListObjectsV2Input{StartAfter: aws.String("b/x")},
				wantKeys: []string{"c d", "c+d", "c/", "z", "é", "日本/語", "\uff61", "\U0001F600"}},
			{name: "start-after absent key", in: s3.ListObjectsV2Input{StartAfter: aws.String("c")},
				wantKeys: []string{"c d", "c+d", "c/", "z", "é", "日本/語", "\uff61", "\U0001F600"}},
			{name: "start-after inside a common prefix", in: s3.ListObjectsV2Input{Prefix: aws.String("a/"), Delimiter: aws.String("/"), StartAfter: aws.String("a/c")},
				wantPrefixes: []string{"a/c/"}},
			{name: "start-after past the end", in: s3.ListObjectsV2Input{StartAfter: aws.String("\U0001F600")}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.in
				in.Bucket = aws.String(testBucket)
				out, err := c.ListObjectsV2(ctx, &in)
				if err != nil {
					t.Fatalf("ListObjectsV2() = %v", err)
				}
				keys, prefixes := v2Names(out)
				if diff := cmp.Diff(tt.wantKeys, keys, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() keys mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantPrefixes, prefixes, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() common prefixes mismatch (-want +got):\n%s", diff)
				}
				if got := aws.ToBool(out.IsTruncated); got != tt.wantTruncated {
					t.Errorf("ListObjectsV2().IsTruncated = %v, want %v", got, tt.wantTruncated)
				}
				if got, want := aws.ToInt32(out.KeyCount), int32(len(tt.wantKeys)+len(tt.wantPrefixes)); got != want {
					t.Errorf("ListObjectsV2().KeyCount = %d, want %d", got, want)
				}
				if got := aws.ToString(out.NextContinuationToken) != ""; got != tt.wantTruncated {
					t.Errorf("ListObjectsV2().NextContinuationToken = %q, want one only when truncated", aws.ToString(out.NextContinuationToken))
				}
				if got, want := aws.ToString(out.Prefix), aws.ToString(tt.in.Prefix); got != want {
					t.Errorf("ListObjectsV2().Prefix = %q, want %q", got, want)
				}
				if got, want := aws.ToString(out.StartAfter), aws.ToString(tt.in.StartAfter); got != want {
					t.Errorf("ListObjectsV2().StartAfter = %q, want %q", got, want)
				}
				for _, o := range out.Contents {
					if k := aws.ToString(o.Key); aws.ToString(o.ETag) != etagOf([]byte(k)) || aws.ToInt64(o.Size) != int64(len(k)) || o.LastModified == nil {
						t.Errorf("ListObjectsV2() entry %q = ETag %s, size %d; want %s, %d", k, aws.ToString(o.ETag), aws.ToInt64(o.Size), etagOf([]byte(k)), len(k))
					}
				}
			})
		}

		// Paging through everything with a small page, with and without a
		// delimiter, visits every entry once, in order.
		for _, tt := range listWalks {
			for _, size := range []int32{1, 2, 5} {
				t.Run(fmt.Sprintf("paging %s by %d", tt.name, size), func(t *testing.T) {
					in := &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(size)}
					if tt.delimiter != "" {
						in.Delimiter = aws.String(tt.delimiter)
					}
					p := s3.NewListObjectsV2Paginator(c, in)
					var got []string
					n := 0
					for p.HasMorePages() {
						if n++; n > 100 {
							t.Fatal("ListObjectsV2 paging does not end")
						}
						out, err := p.NextPage(ctx)
						if err != nil {
							t.Fatalf("ListObjectsV2() page %d = %v", n, err)
						}
						keys, prefixes := v2Names(out)
						if kc := aws.ToInt32(out.KeyCount); kc != int32(len(keys)+len(prefixes)) || kc > size {
							t.Errorf("page %d KeyCount = %d with %d entries, want the entries, at most %d", n, kc, len(keys)+len(prefixes), size)
						}
						page := append(keys, prefixes...)
						slices.Sort(page)
						got = append(got, page...)
					}
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("ListObjectsV2() pages mismatch (-want +got):\n%s", diff)
					}
					if wantPages := (len(tt.want) + int(size) - 1) / int(size); n != wantPages && n != wantPages+1 {
						t.Errorf("ListObjectsV2() took %d pages, want %d", n, wantPages)
					}
				})
			}
		}

		t.Run("bad continuation token", func(t *testing.T) {
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), ContinuationToken: aws.String("!!not a token!!")})
			checkErr(t, "ListObjectsV2(bad token)", err, "InvalidArgument", 400)
		})
	})
}

func TestListObjectsV1(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, keyObjects(listKeys...)...)
		c := srv.Client()
		ctx := t.Context()

		t.Run("single page", func(t *testing.T) {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(testBucket), Prefix: aws.String("a/"), Delimiter: aws.String("/"), Marker: aws.String("a/a")})
			if err != nil {
				t.Fatalf("ListObjects() = %v", err)
			}
			var keys, prefixes []string
			for _, o := range out.Contents {
				keys = append(keys, aws.ToString(o.Key))
				if o.Owner == nil {
					t.Errorf("ListObjects() entry %q has no Owner", aws.ToString(o.Key))
				}
			}
			for _, p := range out.CommonPrefixes {
				prefixes = append(prefixes, aws.ToString(p.Prefix))
			}
			if diff := cmp.Diff([]string{"a/b"}, keys); diff != "" {
				t.Errorf("ListObjects() keys mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"a/c/"}, prefixes); diff != "" {
				t.Errorf("ListObjects() prefixes mismatch (-want +got):\n%s", diff)
			}
			if got := aws.ToString(out.Marker); got != "a/a" {
				t.Errorf("ListObjects().Marker = %q, want %q", got, "a/a")
			}
		})

		for _, tt := range listWalks {
			t.Run("paging "+tt.name, func(t *testing.T) {
				var got []string
				marker := ""
				for page := 1; ; page++ {
					if page > 100 {
						t.Fatal("ListObjects paging does not end")
					}
					in := &s3.ListObjectsInput{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(2), Marker: aws.String(marker)}
					if tt.delimiter != "" {
						in.Delimiter = aws.String(tt.delimiter)
					}
					out, err := c.ListObjects(ctx, in)
					if err != nil {
						t.Fatalf("ListObjects(marker %q) = %v", marker, err)
					}
					var entries []string
					for _, o := range out.Contents {
						entries = append(entries, aws.ToString(o.Key))
					}
					for _, p := range out.CommonPrefixes {
						entries = append(entries, aws.ToString(p.Prefix))
					}
					slices.Sort(entries)
					got = append(got, entries...)
					if !aws.ToBool(out.IsTruncated) {
						break
					}
					// S3 sends NextMarker only with a delimiter; without one,
					// the next marker is the last key.
					next := aws.ToString(out.NextMarker)
					switch {
					case tt.delimiter == "" && out.NextMarker != nil:
						t.Errorf("ListObjects(marker %q).NextMarker = %q, want none without a delimiter", marker, next)
					case tt.delimiter != "" && next != entries[len(entries)-1]:
						t.Errorf("ListObjects(marker %q).NextMarker = %q, want the last entry %q", marker, next, entries[len(entries)-1])
					}
					marker = entries[len(entries)-1]
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ListObjects() pages mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestListEncodingTypeURL(t *testing.T) {
	// Keys XML 1.0 cannot carry, and keys URL encoding changes.
	oddKeys := []string{"a b", "amp&<lt>", "c+d", "cr\rreturn", "ctl\x01char", "percent%41", "tab\there", "ü/ñ", "ü/ö"}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, keyObjects(oddKeys...)...)
		c := srv.Client()
		ctx := t.Context()
		decode := func(t *testing.T, s string) string {
			t.Helper()
			d, err := url.QueryUnescape(s)
			if err != nil {
				t.Errorf("%q is not URL-encoded: %v", s, err)
			}
			return d
		}

		tests := []struct {
			name                 string
			prefix, delimiter    string
			wantKeys, wantPrefix []string
		}{
			{name: "all", wantKeys: oddKeys},
			{name: "delimiter", delimiter: "/", wantKeys: oddKeys[:7], wantPrefix: []string{"ü/"}},
			{name: "prefix", prefix: "ü/", wantKeys: []string{"ü/ñ", "ü/ö"}},
			{name: "control character prefix", prefix: "ctl\x01", wantKeys: []string{"ctl\x01char"}},
		}
		for _, tt := range tests {
			t.Run("ListObjectsV2/"+tt.name, func(t *testing.T) {
				in := &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), EncodingType: types.EncodingTypeUrl}
				if tt.prefix != "" {
					in.Prefix = aws.String(tt.prefix)
				}
				if tt.delimiter != "" {
					in.Delimiter = aws.String(tt.delimiter)
				}
				out, err := c.ListObjectsV2(ctx, in)
				if err != nil {
					t.Fatalf("ListObjectsV2(encoding-type=url) = %v", err)
				}
				if out.EncodingType != types.EncodingTypeUrl {
					t.Errorf("ListObjectsV2().EncodingType = %q, want url", out.EncodingType)
				}
				keys, prefixes := v2Names(out)
				var decKeys, decPrefixes []string
				for _, k := range keys {
					if strings.ContainsAny(k, " \r\t\x01") {
						t.Errorf("ListObjectsV2() key %q is not URL-encoded", k)
					}
					decKeys = append(decKeys, decode(t, k))
				}
				for _, p := range prefixes {
					decPrefixes = append(decPrefixes, decode(t, p))
				}
				if diff := cmp.Diff(tt.wantKeys, decKeys, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() decoded keys mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantPrefix, decPrefixes, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() decoded prefixes mismatch (-want +got):\n%s", diff)
				}
				if got := decode(t, aws.ToString(out.Prefix)); got != tt.prefix {
					t.Errorf("ListObjectsV2().Prefix decodes to %q, want %q", got, tt.prefix)
				}
			})
		}

		t.Run("ListObjects", func(t *testing.T) {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(testBucket), EncodingType: types.EncodingTypeUrl, Marker: aws.String("c+d")})
			if err != nil {
				t.Fatalf("ListObjects(encoding-type=url) = %v", err)
			}
			var got []string
			for _, o := range out.Contents {
				got = append(got, decode(t, aws.ToString(o.Key)))
			}
			if diff := cmp.Diff(oddKeys[3:], got); diff != "" {
				t.Errorf("ListObjects() decoded keys mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("without encoding XML escapes", func(t *testing.T) {
			out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), Prefix: aws.String("amp")})
			if err != nil {
				t.Fatal(err)
			}
			keys, _ := v2Names(out)
			if diff := cmp.Diff([]string{"amp&<lt>"}, keys); diff != "" {
				t.Errorf("ListObjectsV2(prefix amp) mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("bad encoding type", func(t *testing.T) {
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), EncodingType: "base64"})
			checkErr(t, "ListObjectsV2(encoding-type=base64)", err, "InvalidArgument", 400)
		})
	})
}
