package s3err

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/mocks3/mocks3/s3api"
)

// TestCodesKnown: every code constant of this package is one s3api knows,
// so none answers a bare 500 for want of a table entry.
func TestCodesKnown(t *testing.T) {
	codes := stringConsts(t, "s3err.go")
	if len(codes) < 50 {
		t.Fatalf("found %d code constants in s3err.go, want the whole list", len(codes))
	}
	for name, code := range codes {
		if s3api.ErrorCode(code).Message() == "" {
			t.Errorf("%s = %q has no entry in s3api's error table", name, code)
		}
	}
}

// TestOperationsKnown: every operation constant of s3op, the router's
// vocabulary, is one s3api.Operations lists (Unknown aside), so that a
// fault rule can name it. It lives here to share stringConsts.
func TestOperationsKnown(t *testing.T) {
	ops := stringConsts(t, "../s3op/s3op.go")
	if len(ops) < 50 {
		t.Fatalf("found %d operation constants in s3op.go, want the whole list", len(ops))
	}
	for name, op := range ops {
		if name != "Unknown" && !slices.Contains(s3api.Operations(), s3api.Operation(op)) {
			t.Errorf("s3op.%s = %q is not in s3api.Operations", name, op)
		}
	}
}

// stringConsts returns the string constants declared in file: name → value.
func stringConsts(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					out[n.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
	}
	return out
}
