package wasmer

// Crossing the cgo boundary: Go byte slices and strings passed to the glue,
// glue handles passed as integers, values as their bits, and the bytes, buffers
// and errors the glue hands back.

/*
#include <stdlib.h>
#include "wasmgen.h"

static void go_glue_bytes_free(wg_bytes b) { wg_bytes_free(&b); }
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// emptyBuf is what an empty byte slice or string is passed as: never a null pointer.
var emptyBuf [1]byte

func cBytes(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyBuf[0]))
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

func cStr(s string) (*C.char, C.size_t) {
	b := []byte(s)
	return (*C.char)(unsafe.Pointer(cBytes(b))), C.size_t(len(b))
}

// cp passes a pointer to C memory (a glue handle, a value buffer) as an integer.
func cp(p unsafe.Pointer) C.uintptr_t {
	return C.uintptr_t(uintptr(p))
}

func cVal(bits uint64) C.wg_val {
	return *(*C.wg_val)(unsafe.Pointer(&bits))
}

func valBits(v C.wg_val) uint64 {
	return *(*uint64)(unsafe.Pointer(&v))
}

// takeBytes copies bytes owned by the caller of the glue into Go memory and frees them.
func takeBytes(b C.wg_bytes) []byte {
	out := C.GoBytes(unsafe.Pointer(b.data), C.int(b.len))
	C.go_glue_bytes_free(b)
	return out
}

// borrowBuffer is a Go slice over bytes owned by the runtime (no copy).
func borrowBuffer(b C.wg_buffer) []byte {
	if b.data == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(b.data)), int(b.len))
}

// glueError turns a glue error code, its message, the pending host error and
// the exit code of an ExitError (read on the thread of the failing call) into a
// Go error (see errors.go), and frees the message.
func glueError(rc C.int, msg *C.char, pending C.uintptr_t, exit C.uint32_t) error {
	text := C.GoString(msg)
	C.free(unsafe.Pointer(msg))
	var cause error
	if pending != 0 {
		h := cgo.Handle(uintptr(pending))
		cause, _ = h.Value().(error)
		h.Delete()
	}
	if int(rc) == codeExitError {
		return &WasiExitError{code: uint32(exit), message: text}
	}
	return newError(int(rc), text, cause)
}

// drainDeferred runs the deletes queued by finalizers (the glue also does so
// when a call holding a store returns, and at the start of every constructor).
func drainDeferred() {
	C.wg_drain()
}
