package gateway

import (
	"errors"
	"testing"
)

func TestParseRange(t *testing.T) {
	const max = 1<<63 - 1
	tests := []struct {
		name    string
		h       string
		size    int64
		want    byteRange
		wantOK  bool
		wantErr error
	}{
		{name: "first bytes", h: "bytes=0-4", size: 10, want: byteRange{0, 5}, wantOK: true},
		{name: "middle", h: "bytes=3-5", size: 10, want: byteRange{3, 3}, wantOK: true},
		{name: "one byte", h: "bytes=0-0", size: 10, want: byteRange{0, 1}, wantOK: true},
		{name: "last byte", h: "bytes=9-9", size: 10, want: byteRange{9, 1}, wantOK: true},
		{name: "whole object", h: "bytes=0-9", size: 10, want: byteRange{0, 10}, wantOK: true},
		{name: "end clamped", h: "bytes=5-100", size: 10, want: byteRange{5, 5}, wantOK: true},
		{name: "open end", h: "bytes=4-", size: 10, want: byteRange{4, 6}, wantOK: true},
		{name: "open from zero", h: "bytes=0-", size: 10, want: byteRange{0, 10}, wantOK: true},
		{name: "suffix", h: "bytes=-3", size: 10, want: byteRange{7, 3}, wantOK: true},
		{name: "suffix of all", h: "bytes=-10", size: 10, want: byteRange{0, 10}, wantOK: true},
		{name: "suffix longer than object", h: "bytes=-100", size: 10, want: byteRange{0, 10}, wantOK: true},
		{name: "unit case", h: "Bytes=1-2", size: 10, want: byteRange{1, 2}, wantOK: true},
		{name: "leading zeros", h: "bytes=007-008", size: 10, want: byteRange{7, 2}, wantOK: true},
		{name: "end overflows int64", h: "bytes=1-99999999999999999999", size: 10, want: byteRange{1, 9}, wantOK: true},
		{name: "suffix overflows int64", h: "bytes=-99999999999999999999", size: 10, want: byteRange{0, 10}, wantOK: true},
		{name: "huge object", h: "bytes=9223372036854775806-", size: max, want: byteRange{max - 1, 1}, wantOK: true},

		{name: "start at end", h: "bytes=10-", size: 10, wantErr: errInvalidRange},
		{name: "start past end", h: "bytes=11-20", size: 10, wantErr: errInvalidRange},
		{name: "start overflows int64", h: "bytes=99999999999999999999-", size: 10, wantErr: errInvalidRange},
		{name: "zero suffix", h: "bytes=-0", size: 10, wantErr: errInvalidRange},
		{name: "empty object from zero", h: "bytes=0-", size: 0, wantErr: errInvalidRange},
		{name: "empty object first byte", h: "bytes=0-0", size: 0, wantErr: errInvalidRange},
		{name: "empty object zero suffix", h: "bytes=-0", size: 0, wantErr: errInvalidRange},

		{name: "empty object suffix", h: "bytes=-1", size: 0},
		{name: "no header", h: "", size: 10},
		{name: "other unit", h: "items=0-4", size: 10},
		{name: "no unit", h: "0-4", size: 10},
		{name: "no equals", h: "bytes 0-4", size: 10},
		{name: "no ranges", h: "bytes=", size: 10},
		{name: "no dash", h: "bytes=4", size: 10},
		{name: "dash only", h: "bytes=-", size: 10},
		{name: "end before start", h: "bytes=5-4", size: 10},
		{name: "end before start past end", h: "bytes=50-40", size: 10},
		{name: "two ranges", h: "bytes=0-1,3-4", size: 10},
		{name: "two ranges with space", h: "bytes=0-1, 3-4", size: 10},
		{name: "range and suffix", h: "bytes=0-1,-2", size: 10},
		{name: "suffix and range", h: "bytes=-2,0-1", size: 10},
		{name: "trailing comma", h: "bytes=0-1,", size: 10},
		{name: "unsatisfiable among several", h: "bytes=20-30,0-1", size: 10},
		{name: "spaces inside", h: "bytes= 0-4", size: 10},
		{name: "space before dash", h: "bytes=0 -4", size: 10},
		{name: "plus sign", h: "bytes=+1-4", size: 10},
		{name: "negative end", h: "bytes=1--4", size: 10},
		{name: "double suffix", h: "bytes=--4", size: 10},
		{name: "hex", h: "bytes=0x1-0x4", size: 10},
		{name: "garbage", h: "garbage", size: 10},
		{name: "unit prefix", h: "bytesx=0-4", size: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := parseRange(tt.h, tt.size)
			if got != tt.want || ok != tt.wantOK || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("parseRange(%q, %d) = %+v, %v, %v, want %+v, %v, %v",
					tt.h, tt.size, got, ok, err, tt.want, tt.wantOK, tt.wantErr)
			}
		})
	}
}

func TestByteRangeContentRange(t *testing.T) {
	tests := []struct {
		name string
		r    byteRange
		size int64
		want string
	}{
		{"first byte", byteRange{0, 1}, 10, "bytes 0-0/10"},
		{"middle", byteRange{3, 3}, 10, "bytes 3-5/10"},
		{"whole", byteRange{0, 10}, 10, "bytes 0-9/10"},
		{"huge", byteRange{1<<63 - 2, 1}, 1<<63 - 1, "bytes 9223372036854775806-9223372036854775806/9223372036854775807"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.contentRange(tt.size); got != tt.want {
				t.Errorf("%+v.contentRange(%d) = %q, want %q", tt.r, tt.size, got, tt.want)
			}
		})
	}
}

func FuzzParseRange(f *testing.F) {
	seeds := []struct {
		h    string
		size int64
	}{
		{"bytes=0-4", 10}, {"bytes=5-", 10}, {"bytes=-3", 10}, {"bytes=-0", 10},
		{"bytes=0-", 0}, {"bytes=-1", 0}, {"bytes=10-", 10}, {"bytes=5-4", 10},
		{"bytes=0-1,3-4", 10}, {"items=0-4", 10}, {"bytes=99999999999999999999-", 10},
		{"bytes=1-99999999999999999999", 1<<63 - 1}, {"", 0}, {"bytes=", 1},
	}
	for _, s := range seeds {
		f.Add(s.h, s.size)
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -(size + 1) // every non-negative size, no overflow
		}
		r, ok, err := parseRange(h, size)
		switch {
		case err != nil:
			if !errors.Is(err, errInvalidRange) || ok || r != (byteRange{}) {
				t.Fatalf("parseRange(%q, %d) = %+v, %v, %v, want zero, false and errInvalidRange with an error", h, size, r, ok, err)
			}
		case ok:
			if r.start < 0 || r.length < 1 || r.start > size-r.length {
				t.Fatalf("parseRange(%q, %d) = %+v, want 0 <= start, 1 <= length, start+length <= size", h, size, r)
			}
			if cr := r.contentRange(size); len(cr) < len("bytes 0-0/1") {
				t.Fatalf("%+v.contentRange(%d) = %q", r, size, cr)
			}
		default:
			if r != (byteRange{}) {
				t.Fatalf("parseRange(%q, %d) = %+v, false, nil, want a zero range", h, size, r)
			}
		}
	})
}
