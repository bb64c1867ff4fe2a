// Package gocompute holds Go's compute, FFI-floor and peer benchmarks (bench_test.go), run by
// `go test -bench` from ci/langs/go.py's bench step.
package gocompute

// #cgo LDFLAGS: -ldl
// #include <dlfcn.h>
// #include <stdlib.h>
// static int bench_sum(int a, int b) { return a + b; }
// typedef double (*nbody_fn)(int);
// static nbody_fn nbody_native;
// static const char *load_nbody(const char *path) {
//     void *lib = dlopen(path, RTLD_NOW);
//     if (!lib) return dlerror();
//     nbody_native = (nbody_fn)dlsym(lib, "nbody");
//     return nbody_native ? NULL : dlerror();
// }
// static double call_nbody(int n) { return nbody_native(n); }
import "C"

import (
	"errors"
	"os"
	"unsafe"
)

// cSum is Go's FFI floor: the cheapest call into C through cgo.
func cSum(a, b int32) int32 { return int32(C.bench_sum(C.int(a), C.int(b))) }

// nativeNbody is bench/compute/nbody.c as native code (clang -O2, WASMGEN_BENCH_NATIVE), called in this
// process: the baseline of the nbody target without another process's variance.
func nativeNbody() (func(int) float64, error) {
	path := os.Getenv("WASMGEN_BENCH_NATIVE")
	if path == "" {
		return nil, errors.New("WASMGEN_BENCH_NATIVE is not set (nox -s bench sets it)")
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	if msg := C.load_nbody(cpath); msg != nil {
		return nil, errors.New(C.GoString(msg))
	}
	return func(n int) float64 { return float64(C.call_nbody(C.int(n))) }, nil
}
