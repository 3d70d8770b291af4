package suitetest

import (
	"slices"
	"testing"
)

func TestRecord(t *testing.T) {
	var order []string
	failures := Record(t, "", func(t T) {
		if t.Run("Pass", func(t T) {}) != true {
			order = append(order, "Pass reported failure")
		}
		t.Run("Fail", func(t T) {
			t.Cleanup(func() { order = append(order, "first") })
			t.Cleanup(func() {
				if t.Context().Err() == nil {
					order = append(order, "context live in cleanup")
				}
				order = append(order, "second")
			})
			t.Run("Sub", func(t T) { t.Errorf("e%d", 1) })
			t.Fatalf("fatal")
			order = append(order, "after Fatalf")
		})
	})
	if want := []string{"/Fail/Sub: e1", "/Fail: fatal"}; !slices.Equal(failures, want) {
		t.Errorf("failures = %q, want %q", failures, want)
	}
	if want := []string{"second", "first"}; !slices.Equal(order, want) {
		t.Errorf("events = %q, want %q", order, want)
	}
}

func TestRecordSkip(t *testing.T) {
	var ran []string
	failures := Record(t, "", func(t T) {
		ok := t.Run("Skip", func(t T) {
			t.Cleanup(func() { ran = append(ran, "cleanup") })
			t.Skipf("not %s", "supported")
			ran = append(ran, "after Skipf")
		})
		if !ok {
			ran = append(ran, "Skip reported failure")
		}
	})
	if want := []string{"cleanup"}; !slices.Equal(ran, want) || len(failures) != 0 {
		t.Errorf("events %q with failures %q, want %q and none", ran, failures, want)
	}
}

func TestRecordOnly(t *testing.T) {
	var ran []string
	failures := Record(t, "B", func(t T) {
		for _, name := range []string{"A", "B", "C"} {
			t.Run(name, func(t T) {
				ran = append(ran, name)
				t.Run("A", func(t T) { ran = append(ran, name+"/A") })
			})
		}
	})
	if want := []string{"B", "B/A"}; !slices.Equal(ran, want) || len(failures) != 0 {
		t.Errorf("ran %q with failures %q, want %q and none", ran, failures, want)
	}
}

func TestAdapt(t *testing.T) {
	a := Adapt(t)
	if Testing(a) != t {
		t.Errorf("Testing(Adapt(t)) is not t")
	}
	a.Run("Sub", func(s T) {
		if Testing(s) == t {
			t.Errorf("subtest's T is the parent's")
		}
	})
}
