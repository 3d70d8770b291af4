package objects

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/mocks3/mocks3/backend"
)

// Head returns the record of an object without opening its bytes.
func (s *Store) Head(ctx context.Context, bucket, key string) (backend.Object, error) {
	return s.meta.GetObject(ctx, bucket, key, "")
}

// Open returns an object's record and a reader over its bytes. A blob can
// vanish between reading the record and opening it when a concurrent write
// replaces the object; reading the record again then sees the new one.
func (s *Store) Open(ctx context.Context, bucket, key string) (backend.Object, *Reader, error) {
	for attempt := 0; ; attempt++ {
		obj, err := s.meta.GetObject(ctx, bucket, key, "")
		if err != nil {
			return backend.Object{}, nil, err
		}
		rd, err := s.openParts(ctx, obj.Parts)
		if errors.Is(err, backend.ErrBlobNotFound) && attempt < 3 {
			continue
		}
		if err != nil {
			return backend.Object{}, nil, err
		}
		return obj, rd, nil
	}
}

func (s *Store) openParts(ctx context.Context, parts []backend.Part) (*Reader, error) {
	rd := &Reader{}
	for _, p := range parts {
		if p.Size == 0 {
			continue
		}
		b, err := s.data.OpenBlob(ctx, p.Blob)
		if err != nil {
			rd.Close()
			return nil, err
		}
		rd.blobs = append(rd.blobs, b)
		rd.offsets = append(rd.offsets, rd.size)
		rd.size += p.Size
	}
	return rd, nil
}

// Reader reads an object's bytes across the blobs of its parts.
type Reader struct {
	blobs   []backend.Blob
	offsets []int64 // start of each blob within the object
	size    int64
}

// ReadAt implements io.ReaderAt.
func (o *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off >= o.size {
		return 0, io.EOF
	}
	n := 0
	for i, b := range o.blobs {
		end := o.offsets[i] + b.Size()
		if off >= end {
			continue
		}
		for len(p) > 0 && off < end {
			want := p
			if rem := end - off; int64(len(want)) > rem {
				want = want[:rem]
			}
			m, err := b.ReadAt(want, off-o.offsets[i])
			n += m
			off += int64(m)
			p = p[m:]
			if err != nil && !(errors.Is(err, io.EOF) && m == len(want)) {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return n, err
			}
		}
		if len(p) == 0 {
			return n, nil
		}
	}
	if off >= o.size {
		return n, io.EOF
	}
	return n, nil
}

// Close closes every blob.
func (o *Reader) Close() error {
	var errs []error
	for _, b := range o.blobs {
		errs = append(errs, b.Close())
	}
	return errors.Join(errs...)
}

// ListInput selects one page of a bucket listing.
type ListInput struct {
	Prefix, Delimiter string
	After             string // return keys and prefixes strictly after this
	Max               int
}

// ListPage is one page of a bucket listing.
type ListPage struct {
	Objects   []backend.Object
	Prefixes  []string // CommonPrefixes
	Truncated bool
	Last      string // the last key or prefix returned
}

// CommonPrefix returns the CommonPrefix a key under prefix rolls up
// into: the prefix and the rest of the key up to and including the first
// delimiter. ok is false when there is no delimiter or the key holds none
// after the prefix.
func CommonPrefix(key, prefix, delimiter string) (cp string, ok bool) {
	if delimiter == "" {
		return "", false
	}
	j := strings.Index(key[len(prefix):], delimiter)
	if j < 0 {
		return "", false
	}
	return key[:len(prefix)+j+len(delimiter)], true
}

// successor returns the smallest string greater than every string that
// starts with p, or "" if there is none.
func successor(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// scanner is the walk List and ListVersions share: over records sorted by
// key, rolling keys up into common prefixes, until the page holds max
// entries and one more shows it truncated.
type scanner struct {
	prefix, delimiter string
	after             string // a common prefix up to here was on an earlier page
	max, count        int
	truncated         bool
}

// limit is how many records the next batch needs.
func (sc *scanner) limit() int { return min(sc.max-sc.count+1, 1000) }

// scan adds batch's records to the page until the listing or the page
// ends (done), or a record rolls up into common prefix cp (rolled): the
// rest of the batch is under cp, so the caller seeks past it.
func (sc *scanner) scan(batch []backend.Object, addPrefix func(string), addObject func(*backend.Object)) (cp string, rolled, done bool) {
	for i := range batch {
		o := &batch[i]
		if !strings.HasPrefix(o.Key, sc.prefix) {
			return "", false, true
		}
		if cp, ok := CommonPrefix(o.Key, sc.prefix, sc.delimiter); ok {
			if cp <= sc.after {
				return cp, true, false // returned on an earlier page
			}
			if sc.full() {
				return "", false, true
			}
			addPrefix(cp)
			sc.count++
			return cp, true, false
		}
		if sc.full() {
			return "", false, true
		}
		addObject(o)
		sc.count++
	}
	return "", false, false
}

// full reports whether the page has all it may hold, and if so marks it
// truncated: there is one more entry.
func (sc *scanner) full() bool {
	sc.truncated = sc.count == sc.max
	return sc.truncated
}

// List returns one page of a bucket listing. Pages are built by seeking in
// the sorted index, so a page costs the same however many keys the bucket
// holds.
func (s *Store) List(ctx context.Context, bucket string, in ListInput) (ListPage, error) {
	var out ListPage
	from := in.Prefix
	if in.After != "" && in.After >= from {
		from = in.After + "\x00"
	}
	sc := scanner{prefix: in.Prefix, delimiter: in.Delimiter, after: in.After, max: in.Max}
	for {
		batch, err := s.meta.ListObjects(ctx, bucket, from, sc.limit())
		if err != nil {
			return out, err
		}
		if len(batch) == 0 {
			return out, nil
		}
		next := batch[len(batch)-1].Key + "\x00"
		cp, rolled, done := sc.scan(batch, func(cp string) {
			out.Prefixes = append(out.Prefixes, cp)
			out.Last = cp
		}, func(o *backend.Object) {
			out.Objects = append(out.Objects, *o)
			out.Last = o.Key
		})
		out.Truncated = sc.truncated
		if done {
			return out, nil
		}
		if rolled {
			next = successor(cp)
		}
		if next == "" {
			return out, nil
		}
		from = next
	}
}
