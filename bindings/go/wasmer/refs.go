package wasmer

// Reference values (bindings/c/wasmgen.h, above wg_val).
//
// An externref (AnyRef) is any Go value. It crosses the glue as a token
// of this package: each time a value is passed into WebAssembly it is
// registered under a new token, which the glue wraps in a reference of the
// store; the same token comes back out of WebAssembly and maps back to the same
// Go value. When the store drops the reference (at the latest when the store is
// freed) the glue calls wgGoExternrefRelease and the registry forgets the token.
//
// A funcref (FuncRef) is a *Function (nil for null). Passed into the glue
// its handle is borrowed: the Function is kept alive until the glue call
// returns. Coming out of the glue it is a new handle, owned by a new *Function
// of the same store. A host function (made by NewFunction) cannot be a funcref:
// a libwasmer limitation, reported as an ErrArgument.
//
// Calls of functions whose signature has no reference take none of these paths.

/*
#include "wasmgen.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// externrefs maps the tokens the glue holds to their Go values.
var externrefs = struct {
	sync.Mutex
	objects map[uint64]interface{}
	last    uint64
}{objects: map[uint64]interface{}{}}

// newExternref registers a Go value under a new token (0, the null reference,
// for nil).
func newExternref(value interface{}) uint64 {
	if value == nil {
		return 0
	}
	externrefs.Lock()
	externrefs.last++
	token := externrefs.last
	externrefs.objects[token] = value
	externrefs.Unlock()
	return token
}

// externrefValue is the Go value of a token (nil for 0).
func externrefValue(token uint64) interface{} {
	if token == 0 {
		return nil
	}
	externrefs.Lock()
	value := externrefs.objects[token]
	externrefs.Unlock()
	return value
}

// releaseExternref forgets a token: called by the glue when the store drops its
// reference, and by a call that failed before the glue took its arguments.
func releaseExternref(token uint64) {
	if token == 0 {
		return
	}
	externrefs.Lock()
	delete(externrefs.objects, token)
	externrefs.Unlock()
}

// liveExternrefs counts the tokens the glue still holds.
func liveExternrefs() int {
	externrefs.Lock()
	defer externrefs.Unlock()
	return len(externrefs.objects)
}

//export wgGoExternrefRelease
func wgGoExternrefRelease(token C.uint64_t) {
	releaseExternref(uint64(token))
}

// hasReferences tells whether a signature has a reference parameter or result.
func hasReferences(kinds ...[]ValueKind) bool {
	for _, ks := range kinds {
		for _, k := range ks {
			if k.IsReference() {
				return true
			}
		}
	}
	return false
}

// refOf checks a Go value given for a reference of the given kind and returns the
// reference: any Go value for an AnyRef; a *Function, an *Extern of a
// function or nil for a FuncRef. A Value stands for what it holds.
func refOf(value interface{}, kind ValueKind) (interface{}, error) {
	if v, ok := value.(Value); ok {
		if v.kind == kind {
			return v.ref, nil
		}
		value = v.Unwrap()
	}
	if kind == AnyRef {
		return value, nil
	}
	switch x := value.(type) {
	case nil:
		return nil, nil
	case *Function:
		if x == nil {
			return nil, nil
		}
		return x, nil
	case *Extern:
		if x == nil {
			return nil, nil
		}
		if f := x.IntoFunction(); f != nil {
			return f, nil
		}
	}
	return nil, fmt.Errorf("cannot use %v (%T) as %s: a %s is a *Function or nil", value, value, kind, kind)
}

// funcrefBits is the borrowed glue handle of a FuncRef going into a glue call
// (0 for nil). The caller keeps the Function alive until that call
// returns.
func funcrefBits(f *Function) (uint64, error) {
	if f == nil {
		return 0, nil
	}
	h, err := f.ext().handle("function")
	if err != nil {
		return 0, err
	}
	// a host function or one of another store is refused by the glue (an ErrArgument)
	return uint64(uintptr(unsafe.Pointer(h))), nil
}

// lowerRef converts a Go value to the bits of a reference of the given kind going
// into a glue call for `store`. An AnyRef's bits are a new token (release it
// if the call fails before the glue took it: an ErrArgument); a FuncRef's are
// the handle of the Function also returned, to keep alive until the call returns.
func lowerRef(value interface{}, kind ValueKind, store *Store) (uint64, *Function, error) {
	ref, err := refOf(value, kind)
	if err != nil {
		return 0, nil, newErrorf(codeArgumentError, "%v", err)
	}
	if kind == AnyRef {
		return newExternref(ref), nil, nil
	}
	f, _ := ref.(*Function)
	bits, err := funcrefBits(f)
	return bits, f, err
}

// liftRef is the Go value of a reference coming out of a glue call on `store`: the
// Go value of an AnyRef's token, a new *Function owning a FuncRef's
// handle, or nil (an untyped nil, for a null reference of either kind).
func liftRef(kind ValueKind, bits uint64, store *Store) interface{} {
	if kind == AnyRef {
		return externrefValue(bits)
	}
	if bits == 0 {
		return nil
	}
	h := *(**C.wg_extern)(unsafe.Pointer(&bits))
	return &Function{x: newExternHandle(store, h, FUNCTION, nil)}
}

// isArgumentError tells whether a glue call failed on its arguments, before it
// took any reference.
func isArgumentError(err error) bool {
	e, ok := err.(*Error)
	return ok && e.code == codeArgumentError
}

// storeRef is a reference to a Store that the garbage collector does not follow.
// A host function's closure is held by the glue (through hostTable, a GC root)
// until its store is freed, so a Store referenced from there would never
// be collected. A storeRef is only dereferenced while the host function runs:
// inside a call into WebAssembly code of that store, whose caller keeps the
// Store reachable (Function calls and NewInstance hold it until the glue returns;
// Go's collector does not move heap objects).
type storeRef uintptr

func weakStore(s *Store) storeRef {
	return storeRef(unsafe.Pointer(s))
}

func (r storeRef) store() *Store {
	return *(**Store)(unsafe.Pointer(&r))
}
