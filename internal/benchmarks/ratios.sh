#!/bin/sh
# ratios.sh runs the benchmarks in this directory and prints each mocks3
# result as a ratio of the floor (a bare httptest handler) and of gofakes3,
# then checks the targets of issue 2.
#
#   internal/benchmarks/ratios.sh              # run from the module root
#   internal/benchmarks/ratios.sh bench.txt    # only parse a saved run
#
# BENCHTIME (default 500ms) and COUNT (default 3) tune the main run; each
# result is the median of its COUNT runs. The 256 MiB PUT+GET benchmark runs
# separately, once (-benchtime=1x), because it is heavy. BENCH (default .)
# narrows the main run.
set -eu

if [ $# -gt 0 ]; then
	out=$1
else
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
	cd "$(dirname "$0")/../.."
	go test -run '^$' -bench "${BENCH:-.}" -benchtime="${BENCHTIME:-500ms}" -count="${COUNT:-3}" \
		./internal/benchmarks/ | tee "$out"
	go test -run '^$' -bench 'PutGet256MiB' -benchtime=1x ./internal/benchmarks/ | tee -a "$out"
	echo
fi
if grep -q '^FAIL' "$out"; then
	echo "ratios.sh: a benchmark run failed (see FAIL above); its results are missing" >&2
fi

awk '
# median of the n values in v[1..n]
function median(v, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
	return n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
}
function get(fam, tgt, unit,    k, n, i, v) {
	k = fam SUBSEP tgt SUBSEP unit
	n = cnt[k]
	if (n == 0) return ""
	for (i = 1; i <= n; i++) v[i] = val[k, i]
	return median(v, n)
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2fx", a / b) }
function check(desc, got, ok) {
	if (got == "") { printf "  %-58s %s\n", desc, "not run"; return }
	printf "  %-58s %-10s %s\n", desc, got, ok ? "MET" : "NOT MET"
}
/^Benchmark/ {
	name = $1
	sub(/-[0-9]+$/, "", name)          # the GOMAXPROCS suffix
	i = length(name)
	while (i > 0 && substr(name, i, 1) != "/") i--
	if (i == 0) next
	fam = substr(name, 1, i - 1); tgt = substr(name, i + 1)
	if (!(fam in seen)) { seen[fam] = 1; fams[++nfam] = fam }
	if (!((fam, tgt) in seent)) { seent[fam, tgt] = 1; tgts[fam] = tgts[fam] " " tgt }
	for (f = 3; f < NF; f += 2) {
		k = fam SUBSEP tgt SUBSEP $(f+1)
		val[k, ++cnt[k]] = $f
	}
}
END {
	printf "%-36s %-12s %13s %9s %9s %9s %9s %9s\n", "benchmark", "target", "ns/op", "xfloor", "xgofakes3", "MB/s", "MB/s/gf3", "B/op"
	for (i = 1; i <= nfam; i++) {
		fam = fams[i]
		fl = get(fam, "floor", "ns/op"); gf = get(fam, "gofakes3", "ns/op")
		n = split(tgts[fam], ts, " ")
		for (j = 1; j <= n; j++) {
			t = ts[j]
			if (t !~ /^mocks3/) continue
			ns = get(fam, t, "ns/op"); mb = get(fam, t, "MB/s"); gmb = get(fam, "gofakes3", "MB/s")
			printf "%-36s %-12s %13.0f %9s %9s %9s %9s %9s\n", fam, t, ns, ratio(ns, fl), ratio(ns, gf), \
				(mb == "" ? "-" : sprintf("%.1f", mb)), ratio(mb, gmb), sprintf("%.0f", get(fam, t, "B/op"))
			ph = get(fam, t, "peak-heap-MiB")
			if (ph != "") printf "%-36s %-12s peak heap %.1f MiB (gofakes3 %.1f MiB)\n", "", "", ph, get(fam, "gofakes3", "peak-heap-MiB")
		}
	}

	print ""
	print "Targets (issue 2):"
	r = ""; a = get("BenchmarkStartClose", "mocks3", "ns/op"); b = get("BenchmarkStartClose", "floor", "ns/op")
	if (a != "" && b != "") r = a / b
	check("start+close <= 1.2x bare httptest", r == "" ? "" : sprintf("%.2fx", r), r != "" && r <= 1.2)
	split("Get1KiB Head1KiB Put1KiB", ops, " ")
	for (o = 1; o <= 3; o++) {
		r = ""; a = get("Benchmark" ops[o], "mocks3", "ns/op"); b = get("Benchmark" ops[o], "floor", "ns/op")
		if (a != "" && b != "") r = a / b
		check(ops[o] " <= 1.2x floor", r == "" ? "" : sprintf("%.2fx", r), r != "" && r <= 1.2)
	}
	split("Put1MiB Put64MiB", ops, " ")
	for (o = 1; o <= 2; o++) {
		fam = "Benchmark" ops[o]
		r = ""; a = get(fam, "mocks3", "MB/s"); b = get(fam, "gofakes3", "MB/s")
		if (a != "" && b != "") r = a / b
		check(ops[o] " MB/s >= 2x gofakes3", r == "" ? "" : sprintf("%.2fx", r), r != "" && r >= 2)
		# The same ratio net of the floor (client and transport) time: what
		# the two servers themselves cost.
		m = get(fam, "mocks3", "ns/op"); g = get(fam, "gofakes3", "ns/op"); f = get(fam, "floor", "ns/op")
		if (m != "" && g != "" && f != "" && m > f)
			printf "  %-58s %.2fx\n", "  (server time only, net of floor: gofakes3/mocks3)", (g - f) / (m - f)
	}
	r = ""; a = get("BenchmarkListObjectsV2/100k-prefix", "mocks3", "ns/op"); b = get("BenchmarkListObjectsV2/100k-prefix", "floor", "ns/op")
	if (a != "" && b != "") r = a / b
	check("prefix listing at 100k <= 1.3x floor", r == "" ? "" : sprintf("%.2fx", r), r != "" && r <= 1.3)
	split("ConfiguredGet1KiB ConfiguredPut1KiB", ops, " ")
	for (o = 1; o <= 2; o++) {
		fam = "Benchmark" ops[o]
		a = get(fam, "mocks3-configured", "ns/op"); b = get(fam, "mocks3", "ns/op")
		if (a != "" && b != "")
			printf "  %-58s %s time, %s bytes allocated\n", ops[o] " configured bucket / bare bucket", ratio(a, b), \
				ratio(get(fam, "mocks3-configured", "B/op"), get(fam, "mocks3", "B/op"))
	}
	a = get("BenchmarkPutGet256MiB", "mocks3", "peak-heap-MiB")
	check("memory backend peak heap <= 1.1x 256 MiB", a == "" ? "" : sprintf("%.2fx", a / 256), a != "" && a / 256 <= 1.1)
	a = get("BenchmarkPutGet256MiB", "mocks3-disk", "peak-heap-MiB")
	check("disk backend peak heap < 32 MiB", a == "" ? "" : sprintf("%.1fMiB", a), a != "" && a < 32)
}
' "$out"
