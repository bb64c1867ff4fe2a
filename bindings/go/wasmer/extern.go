package wasmer

// #include <stdlib.h>
// #include "wasmgen.h"
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// externState is one glue extern: a function, memory, global or table. Every
// Go view of it (Extern, Function, ...) shares it, so closing one closes all.
type externState struct {
	h     *C.wg_extern
	kind  ExternKind
	store *Store
	err   error // why it could not be made
	// Functions: the signature (read once, under mu), and the call buffers
	// made by the first Native().
	mu      sync.Mutex
	params  []ValueKind
	results []ValueKind
	typed   bool
	host    bool // made by NewFunction: cannot be a funcref
	call    atomic.Pointer[caller]
	// Globals: the type, read once.
	global atomic.Pointer[GlobalType]
}

// externHandle owns an externState; its finalizer queues the glue delete.
// Nothing in externState points back to it, so it is collectable.
type externHandle struct {
	s *externState
}

func newExternHandle(store *Store, h *C.wg_extern, kind ExternKind, err error) *externHandle {
	x := &externHandle{s: &externState{h: h, kind: kind, store: store, err: err}}
	if h != nil {
		runtime.SetFinalizer(x, (*externHandle).finalize)
	}
	return x
}

func (x *externHandle) finalize() {
	s := x.s
	if s.store != nil && s.h != nil {
		s.store.deleteLater(nil, s.h)
		s.h = nil
		s.freeCall()
		return
	}
	s.release(true)
}

func (x *externHandle) close() {
	if x != nil && x.s.h != nil {
		runtime.SetFinalizer(x, nil)
		x.s.release(false)
	}
}

func (s *externState) release(deferred bool) {
	if s.h == nil {
		return
	}
	if deferred {
		deferDeleteWgExtern(s.h)
	} else {
		deleteWgExtern(s.h)
	}
	s.h = nil
	s.freeCall()
}

func (s *externState) freeCall() {
	if c := s.call.Swap(nil); c != nil {
		C.free(unsafe.Pointer(c.buf))
	}
}

func (x *externHandle) handle(what string) (*C.wg_extern, error) {
	if x == nil {
		return nil, newErrorf(codeArgumentError, "the %s is nil", what)
	}
	if x.s.err != nil {
		return nil, x.s.err
	}
	if x.s.h == nil {
		return nil, errClosed(what)
	}
	return x.s.h, nil
}

// signature reads (once) a function's parameter and result kinds.
func (s *externState) signature() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.typed {
		return nil
	}
	ty, err := liftExternType(lowFunctionType(s.h))
	if err != nil {
		return err
	}
	s.params = kindsOf(ty.function.params)
	s.results = kindsOf(ty.function.results)
	s.typed = true
	return nil
}

// IntoExtern is implemented by everything that can be imported or exported:
// Function, Global, Memory, Table and Extern itself.
type IntoExtern interface {
	IntoExtern() *Extern
}

// Extern is a function, global, table or memory, as imported or exported.
type Extern struct {
	x  *externHandle
	fn *Function
}

// IntoExtern returns the Extern itself.
func (e *Extern) IntoExtern() *Extern {
	return e
}

func (e *Extern) ext() *externHandle {
	if e == nil {
		return nil
	}
	return e.x
}

func (e *Extern) kind() ExternKind {
	if e == nil {
		return ExternKind(255)
	}
	return e.x.s.kind
}

// Kind returns the Extern's ExternKind.
func (e *Extern) Kind() ExternKind {
	return e.kind()
}

// Type returns the Extern's type (nil once closed).
func (e *Extern) Type() *ExternType {
	h, err := e.ext().handle("extern")
	if err != nil {
		return nil
	}
	defer runtime.KeepAlive(e.x)
	var ty *ExternType
	switch e.x.s.kind {
	case FUNCTION:
		ty, err = liftExternType(lowFunctionType(h))
	case GLOBAL:
		ty, err = liftExternType(lowGlobalType(h))
	case TABLE:
		ty, err = liftExternType(lowTableType(h))
	case MEMORY:
		ty, err = liftExternType(lowMemoryType(h))
	}
	if err != nil {
		return nil
	}
	return ty
}

// IntoFunction returns the Extern as a Function, or nil if it is not one.
func (e *Extern) IntoFunction() *Function {
	if e.kind() != FUNCTION {
		return nil
	}
	if e.fn == nil {
		e.fn = &Function{x: e.x}
	}
	return e.fn
}

// IntoGlobal returns the Extern as a Global, or nil if it is not one.
func (e *Extern) IntoGlobal() *Global {
	if e.kind() != GLOBAL {
		return nil
	}
	return &Global{x: e.x}
}

// IntoTable returns the Extern as a Table, or nil if it is not one.
func (e *Extern) IntoTable() *Table {
	if e.kind() != TABLE {
		return nil
	}
	return &Table{x: e.x}
}

// IntoMemory returns the Extern as a Memory, or nil if it is not one.
func (e *Extern) IntoMemory() *Memory {
	if e.kind() != MEMORY {
		return nil
	}
	return &Memory{x: e.x}
}

// Close frees the extern (and every view of it: Function, Memory, ...).
func (e *Extern) Close() {
	e.ext().close()
}
