// Package benchmarks measures mocks3 against two references in the same
// process: gofakes3 (github.com/johannesboyne/gofakes3 with its s3mem
// backend), its closest peer, and a do-nothing floor, a bare
// httptest.Server whose handler drains the request body and answers a
// canned response. Every benchmark has the sub-benchmarks mocks3, gofakes3
// and floor, so that ratios.sh can print mocks3's results as ratios of the
// other two. The package holds only benchmarks.
//
// The 256 MiB PUT+GET benchmark (BenchmarkPutGet256MiB) reports peak heap
// and runs only when -bench names it explicitly:
//
//	go test -run '^$' -bench 'PutGet256MiB' -benchtime=1x ./internal/benchmarks/
package benchmarks
