// Package gocompute holds Go's compute, FFI-floor and peer benchmarks (bench_test.go), run by
// `go test -bench` from ci/langs/go.py's bench step.
package gocompute

// static int bench_sum(int a, int b) { return a + b; }
import "C"

// cSum is Go's FFI floor: the cheapest call into C through cgo.
func cSum(a, b int32) int32 { return int32(C.bench_sum(C.int(a), C.int(b))) }
