package mocks3_test

// ListObjectVersions:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
)

// listed is one entry of a ListObjectVersions page: a version, a delete
// marker, or (Prefix set) a common prefix.
type listed struct {
	Key, Version string
	Marker       bool
	Latest       bool
	Prefix       string
}

// versionEntries flattens a page in listing order: versions and delete
// markers merged by key, newest first, then the common prefixes. The SDK
// splits the two kinds into two lists; each keeps its order.
func versionEntries(out *s3.ListObjectVersionsOutput, order map[string]int) []listed {
	var got []listed
	vs, ms := out.Versions, out.DeleteMarkers
	for len(vs) > 0 || len(ms) > 0 {
		takeVersion := len(ms) == 0
		if len(vs) > 0 && len(ms) > 0 {
			kv, km := aws.ToString(vs[0].Key), aws.ToString(ms[0].Key)
			takeVersion = kv < km || kv == km && order[aws.ToString(vs[0].VersionId)] < order[aws.ToString(ms[0].VersionId)]
		}
		if takeVersion {
			v := vs[0]
			vs = vs[1:]
			got = append(got, listed{Key: aws.ToString(v.Key), Version: aws.ToString(v.VersionId), Latest: aws.ToBool(v.IsLatest)})
		} else {
			m := ms[0]
			ms = ms[1:]
			got = append(got, listed{Key: aws.ToString(m.Key), Version: aws.ToString(m.VersionId), Marker: true, Latest: aws.ToBool(m.IsLatest)})
		}
	}
	for _, p := range out.CommonPrefixes {
		got = append(got, listed{Prefix: aws.ToString(p.Prefix)})
	}
	return got
}

// versionHistory writes a bucket's history of versions and delete markers
// and returns the full listing S3 gives for it, and each version's rank
// (newest first within a key) for merging the SDK's two lists.
func versionHistory(t *testing.T, c *s3.Client) ([]listed, map[string]int) {
	t.Helper()
	ctx := t.Context()
	mustPut(t, c, testBucket, "a", []byte("null")) // before versioning: the null version
	setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled)
	history := map[string][]listed{} // newest first
	ops := []struct {
		key    string
		delete bool
	}{
		{"a", false}, {"b/1", false}, {"b/2", false}, {"a", true}, {"c", false},
		{"b/1", false}, {"d/e/f", false}, {"c", true}, {"c", true}, {"a", false}, {"b/2", true},
	}
	history["a"] = []listed{{Key: "a", Version: "null"}}
	for _, op := range ops {
		var e listed
		if op.delete {
			out, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String(op.key)})
			if err != nil {
				t.Fatalf("DeleteObject(%s) = %v", op.key, err)
			}
			e = listed{Key: op.key, Version: aws.ToString(out.VersionId), Marker: true}
		} else {
			out := mustPut(t, c, testBucket, op.key, []byte(op.key))
			e = listed{Key: op.key, Version: aws.ToString(out.VersionId)}
		}
		history[op.key] = append([]listed{e}, history[op.key]...)
	}
	var all []listed
	order := map[string]int{}
	for _, k := range []string{"a", "b/1", "b/2", "c", "d/e/f"} {
		for i, e := range history[k] {
			e.Latest = i == 0
			order[e.Version] = i
			all = append(all, e)
		}
	}
	return all, order
}

func TestListObjectVersionsPages(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx := t.Context()
		all, order := versionHistory(t, c)

		full, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket)})
		if err != nil {
			t.Fatalf("ListObjectVersions = %v", err)
		}
		if diff := cmp.Diff(all, versionEntries(full, order)); diff != "" {
			t.Fatalf("ListObjectVersions (-want +got):\n%s", diff)
		}
		if aws.ToBool(full.IsTruncated) || full.NextKeyMarker != nil {
			t.Errorf("ListObjectVersions(all) truncated = %v, next %q", aws.ToBool(full.IsTruncated), aws.ToString(full.NextKeyMarker))
		}

		// With a delimiter, b/ and d/ roll up.
		var rolled []listed
		for _, e := range all {
			if e.Key == "a" || e.Key == "c" {
				rolled = append(rolled, e)
			}
		}
		rolledUp := append(rolled, listed{Prefix: "b/"}, listed{Prefix: "d/"})

		// Walking in small pages gives the same entries, each once.
		for _, delimiter := range []string{"", "/"} {
			want := all
			if delimiter != "" {
				want = rolledUp
			}
			for _, max := range []int32{1, 2, 3, 5} {
				t.Run(fmt.Sprintf("delimiter %q max-keys %d", delimiter, max), func(t *testing.T) {
					var got []listed
					var keyMarker, versionMarker *string
					for pages := 0; ; pages++ {
						if pages > 50 {
							t.Fatal("the walk does not end")
						}
						in := &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(max),
							KeyMarker: keyMarker, VersionIdMarker: versionMarker}
						if delimiter != "" {
							in.Delimiter = aws.String(delimiter)
						}
						out, err := c.ListObjectVersions(ctx, in)
						if err != nil {
							t.Fatalf("ListObjectVersions page %d = %v", pages, err)
						}
						page := versionEntries(out, order)
						if len(page) > int(max) {
							t.Fatalf("page %d has %d entries, more than max-keys %d", pages, len(page), max)
						}
						got = append(got, page...)
						if !aws.ToBool(out.IsTruncated) {
							break
						}
						keyMarker, versionMarker = out.NextKeyMarker, out.NextVersionIdMarker
					}
					// Entries of one page are merged in listing order; across
					// pages, prefixes come where the page ended, so compare
					// as sets of ordered entries per kind.
					if diff := cmp.Diff(sortPrefixesLast(want), sortPrefixesLast(got)); diff != "" {
						t.Errorf("walk (-want +got):\n%s", diff)
					}
				})
			}
		}
	})
}

// sortPrefixesLast moves common prefixes to the end, keeping each kind's
// order.
func sortPrefixesLast(es []listed) []listed {
	var out, prefixes []listed
	for _, e := range es {
		if e.Prefix != "" {
			prefixes = append(prefixes, e)
		} else {
			out = append(out, e)
		}
	}
	return append(out, prefixes...)
}

func TestListObjectVersionsParameters(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx := t.Context()
		all, order := versionHistory(t, c)
		of := func(keys ...string) []listed {
			var out []listed
			for _, e := range all {
				for _, k := range keys {
					if e.Key == k {
						out = append(out, e)
					}
				}
			}
			return out
		}
		aVersions := of("a") // version, marker, version, null
		tests := []struct {
			name       string
			in         s3.ListObjectVersionsInput
			want       []listed
			wantTrunc  bool
			wantCode   string
			wantStatus int
		}{
			{name: "prefix", in: s3.ListObjectVersionsInput{Prefix: aws.String("b/")}, want: of("b/1", "b/2")},
			{name: "prefix and delimiter", in: s3.ListObjectVersionsInput{Prefix: aws.String("d/"), Delimiter: aws.String("/")},
				want: []listed{{Prefix: "d/e/"}}},
			{name: "key-marker skips the key's versions", in: s3.ListObjectVersionsInput{KeyMarker: aws.String("b/2")}, want: of("c", "d/e/f")},
			{name: "version-id-marker starts after that version",
				in:   s3.ListObjectVersionsInput{KeyMarker: aws.String("a"), VersionIdMarker: aws.String(aVersions[1].Version), MaxKeys: aws.Int32(2)},
				want: aVersions[2:4], wantTrunc: true},
			{name: "null version-id-marker", in: s3.ListObjectVersionsInput{KeyMarker: aws.String("a"), VersionIdMarker: aws.String("null"), Prefix: aws.String("b/")},
				want: of("b/1", "b/2")},
			{name: "max-keys 0", in: s3.ListObjectVersionsInput{MaxKeys: aws.Int32(0)}, wantTrunc: true},
			{name: "version-id-marker without key-marker", in: s3.ListObjectVersionsInput{VersionIdMarker: aws.String("null")},
				wantCode: "InvalidArgument", wantStatus: 400},
			{name: "malformed version-id-marker", in: s3.ListObjectVersionsInput{KeyMarker: aws.String("a"), VersionIdMarker: aws.String("v1")},
				wantCode: "InvalidArgument", wantStatus: 400},
			{name: "negative max-keys", in: s3.ListObjectVersionsInput{MaxKeys: aws.Int32(-1)}, wantCode: "InvalidArgument", wantStatus: 400},
			{name: "unknown encoding", in: s3.ListObjectVersionsInput{EncodingType: "base64"}, wantCode: "InvalidArgument", wantStatus: 400},
			{name: "missing bucket", in: s3.ListObjectVersionsInput{Bucket: aws.String("no-such-bucket")}, wantCode: "NoSuchBucket", wantStatus: 404},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.in
				if in.Bucket == nil {
					in.Bucket = aws.String(testBucket)
				}
				out, err := c.ListObjectVersions(ctx, &in)
				if tt.wantCode != "" {
					checkErr(t, "ListObjectVersions", err, tt.wantCode, tt.wantStatus)
					return
				}
				if err != nil {
					t.Fatalf("ListObjectVersions = %v", err)
				}
				if diff := cmp.Diff(tt.want, versionEntries(out, order)); diff != "" {
					t.Errorf("ListObjectVersions (-want +got):\n%s", diff)
				}
				if aws.ToBool(out.IsTruncated) != tt.wantTrunc {
					t.Errorf("IsTruncated = %v, want %v", aws.ToBool(out.IsTruncated), tt.wantTrunc)
				}
				if tt.wantTrunc && len(tt.want) > 0 {
					last := tt.want[len(tt.want)-1]
					if aws.ToString(out.NextKeyMarker) != last.Key || aws.ToString(out.NextVersionIdMarker) != last.Version {
						t.Errorf("next markers = %q, %q; want %q, %q", aws.ToString(out.NextKeyMarker), aws.ToString(out.NextVersionIdMarker), last.Key, last.Version)
					}
				}
			})
		}
	})
}

// TestListObjectVersionsEncodingURL: with encoding-type=url, keys, markers
// and prefixes come back URL-encoded, so XML can carry any key.
func TestListObjectVersionsEncodingURL(t *testing.T) {
	_, c := startBucket(t, embedded)
	const odd = "dir x/ü&<\x01>"
	mustPut(t, c, testBucket, odd, []byte("1"))
	mustPut(t, c, testBucket, "z", []byte("2"))
	out, err := c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket),
		EncodingType: types.EncodingTypeUrl, MaxKeys: aws.Int32(1)})
	if err != nil {
		t.Fatalf("ListObjectVersions = %v", err)
	}
	if len(out.Versions) != 1 {
		t.Fatalf("ListObjectVersions = %d versions, want 1", len(out.Versions))
	}
	for name, got := range map[string]string{"Key": aws.ToString(out.Versions[0].Key), "NextKeyMarker": aws.ToString(out.NextKeyMarker)} {
		dec, err := url.QueryUnescape(got)
		if err != nil || dec != odd || got == odd {
			t.Errorf("%s = %q (decoded %q, %v), want %q URL-encoded", name, got, dec, err, odd)
		}
	}
	if out.EncodingType != types.EncodingTypeUrl {
		t.Errorf("EncodingType = %q, want url", out.EncodingType)
	}
}
