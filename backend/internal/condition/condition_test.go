package condition

import (
	"errors"
	"testing"

	"github.com/mocks3/mocks3/backend"
)

func TestCheck(t *testing.T) {
	cur := &backend.Object{Key: "k", ETag: `"abc"`}
	tests := []struct {
		name string
		c    backend.Condition
		cur  *backend.Object
		want error
	}{
		{"zero holds", backend.Condition{}, cur, nil},
		{"if-none-match, absent", backend.Condition{IfNoneMatch: true}, nil, nil},
		{"if-none-match, present", backend.Condition{IfNoneMatch: true}, cur, backend.ErrPreconditionFailed},
		{"if-match, same", backend.Condition{IfMatch: `"abc"`}, cur, nil},
		{"if-match, any", backend.Condition{IfMatch: "*"}, cur, nil},
		{"if-match, other", backend.Condition{IfMatch: `"def"`}, cur, backend.ErrPreconditionFailed},
		{"if-match, absent", backend.Condition{IfMatch: "*"}, nil, backend.ErrObjectNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.c, tt.cur); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Check(%+v) = %v, want %v", tt.c, err, tt.want)
			}
		})
	}
}
