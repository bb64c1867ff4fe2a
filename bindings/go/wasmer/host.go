package wasmer

// Host functions: one Go dispatcher for the process, registered with the glue.
// A host Function's env is the handle of its Go closure in hostTable; the glue
// releases it when the store frees the function.

/*
#include "wasmgen.h"

extern uintptr_t go_glue_host_fail(const char *message, size_t len, uintptr_t pending);
extern void go_glue_register(void);
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"unsafe"
)

// hostClosure is the Go side of a host Function: its signature and closure.
type hostClosure struct {
	params  []ValueKind
	results []ValueKind
	call    func([]Value) ([]Value, error)
	refs    bool     // a reference among params and results (see refs.go)
	store   storeRef // its store, for the funcrefs it receives and returns
}

// liveHostFunctions counts the host closures the glue still holds.
var liveHostFunctions int64

// hostTable holds the closures of the host functions the glue may call: a host
// Function's env is its slot + 1. The lookup, on every host call, takes no lock
// (unlike a cgo.Handle's): slots live in chunks that never move, and the list of
// chunks is replaced, never changed, when it grows. Released slots are reused.
var hostTable struct {
	sync.Mutex
	chunks atomic.Pointer[[]*hostChunk]
	free   []uint64
	used   uint64
}

const hostChunkBits = 10

type hostChunk [1 << hostChunkBits]atomic.Pointer[hostClosure]

func hostSlot(slot uint64) *atomic.Pointer[hostClosure] {
	return &(*hostTable.chunks.Load())[slot>>hostChunkBits][slot&(1<<hostChunkBits-1)]
}

func newHostHandle(hf *hostClosure) uint64 {
	atomic.AddInt64(&liveHostFunctions, 1)
	hostTable.Lock()
	defer hostTable.Unlock()
	var slot uint64
	if n := len(hostTable.free); n > 0 {
		slot = hostTable.free[n-1]
		hostTable.free = hostTable.free[:n-1]
	} else {
		slot = hostTable.used
		hostTable.used++
		var chunks []*hostChunk
		if p := hostTable.chunks.Load(); p != nil {
			chunks = *p
		}
		if int(slot>>hostChunkBits) == len(chunks) {
			grown := append(chunks[:len(chunks):len(chunks)], new(hostChunk))
			hostTable.chunks.Store(&grown)
		}
	}
	hostSlot(slot).Store(hf)
	return slot + 1
}

func hostFunctionOf(env uint64) *hostClosure {
	return hostSlot(env - 1).Load()
}

func releaseHostHandle(env uint64) {
	hostSlot(env - 1).Store(nil)
	hostTable.Lock()
	hostTable.free = append(hostTable.free, env-1)
	hostTable.Unlock()
	atomic.AddInt64(&liveHostFunctions, -1)
}

func init() {
	C.go_glue_register()
}

// hostFail hands a host function's error to the glue, which turns it into a
// trap; the wasm caller's Go side gets the error back (see glueError).
func hostFail(err error) C.int {
	msg := []byte(err.Error())
	if len(msg) == 0 {
		msg = []byte("host function failed")
	}
	old := C.go_glue_host_fail((*C.char)(unsafe.Pointer(&msg[0])), C.size_t(len(msg)), C.uintptr_t(cgo.NewHandle(err)))
	if old != 0 {
		cgo.Handle(uintptr(old)).Delete()
	}
	return 1
}

//export wgGoHostCall
func wgGoHostCall(env C.uint64_t, args *C.wg_val, results *C.wg_val) (rc C.int) {
	defer func() {
		if p := recover(); p != nil {
			cause, _ := p.(error)
			rc = hostFail(newError(codeHostError, fmt.Sprintf("host function panicked: %v", p), cause))
		}
	}()
	hf := hostFunctionOf(uint64(env))
	in := make([]Value, len(hf.params))
	if len(in) > 0 {
		raw := unsafe.Slice((*uint64)(unsafe.Pointer(args)), len(in))
		for i, kind := range hf.params {
			in[i] = Value{kind: kind, bits: raw[i]}
		}
		if hf.refs {
			hf.liftArgs(in)
		}
	}
	out, err := hf.call(in)
	if err != nil {
		return hostFail(err)
	}
	if len(out) != len(hf.results) {
		return hostFail(newError(codeArgumentError,
			fmt.Sprintf("host function returned %d value(s), its type has %d result(s)", len(out), len(hf.results)), nil))
	}
	if hf.refs && len(out) > 0 {
		if err := hf.lowerResults(out, unsafe.Slice((*uint64)(unsafe.Pointer(results)), len(out))); err != nil {
			return hostFail(err)
		}
		return 0
	}
	if len(out) > 0 {
		raw := unsafe.Slice((*uint64)(unsafe.Pointer(results)), len(out))
		for i, kind := range hf.results {
			if out[i].kind == kind {
				raw[i] = out[i].bits
				continue
			}
			bits, err := toBits(out[i].Unwrap(), kind)
			if err != nil {
				return hostFail(newError(codeArgumentError,
					fmt.Sprintf("host function result %d: %v", i, err), nil))
			}
			raw[i] = bits
		}
	}
	return 0
}

// liftArgs turns the reference arguments of a host call into their Go values: an
// externref's token into the Go value it stands for, a funcref's new handle into
// a *Function of the host function's store (see storeRef: it is reachable here).
func (hf *hostClosure) liftArgs(in []Value) {
	for i, v := range in {
		if v.kind.IsReference() {
			var store *Store
			if v.kind == FuncRef && v.bits != 0 {
				store = hf.store.store()
			}
			in[i] = Value{kind: v.kind, ref: liftRef(v.kind, v.bits, store)}
		}
	}
}

// lowerResults writes the results of a host function with references. Numbers
// and funcrefs first, since they can fail, then externrefs, which cannot: a
// failure registers no token. A funcref result is borrowed by the glue until the
// host call returns to it; its Function cannot be freed before: a collected
// Function's handle waits in its store (Store.deleteLater) for the goroutine
// using the store, this one, which is still inside the call.
func (hf *hostClosure) lowerResults(out []Value, raw []uint64) error {
	for i, kind := range hf.results {
		var bits uint64
		var err error
		switch {
		case kind == AnyRef:
			continue
		case kind == FuncRef:
			var ref interface{}
			if ref, err = refOf(out[i], kind); err == nil {
				f, _ := ref.(*Function)
				if f != nil && f.x.s.host {
					err = fmt.Errorf("a host function cannot be used as a %s (libwasmer does not support it)", kind)
				} else {
					bits, err = funcrefBits(f)
				}
			}
		case out[i].kind == kind:
			bits = out[i].bits
		default:
			bits, err = toBits(out[i].Unwrap(), kind)
		}
		if err != nil {
			return newError(codeArgumentError, fmt.Sprintf("host function result %d: %v", i, err), nil)
		}
		raw[i] = bits
	}
	for i, kind := range hf.results {
		if kind == AnyRef {
			ref, _ := refOf(out[i], kind)
			raw[i] = newExternref(ref)
		}
	}
	return nil
}

//export wgGoHostRelease
func wgGoHostRelease(env C.uint64_t) {
	releaseHostHandle(uint64(env))
}
