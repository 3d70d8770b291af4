package suitetest

import "testing"

func TestEnvCount(t *testing.T) {
	const name = "MOCKS3_SUITETEST_COUNT"
	t.Setenv(name, "")
	if got := EnvCount(t, name, 3); got != 3 {
		t.Errorf("EnvCount(unset) = %d, want the default 3", got)
	}
	t.Setenv(name, "7")
	if got := EnvCount(t, name, 3); got != 7 {
		t.Errorf("EnvCount(%q) = %d, want 7", "7", got)
	}
}
