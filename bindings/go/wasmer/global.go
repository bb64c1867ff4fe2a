package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
)

// Global is a global variable.
type Global struct {
	x *externHandle
}

// NewGlobal makes a Global:
//
//	NewGlobal(store, NewGlobalType(NewValueType(I32), MUTABLE), NewI32(42))
func NewGlobal(store *Store, ty *GlobalType, value Value) *Global {
	sh, err := store.handle()
	var h *C.wg_extern
	if err == nil && (ty == nil || ty.valueType == nil) {
		err = newErrorf(codeArgumentError, "a global needs a GlobalType")
	}
	if err == nil {
		kind := ty.valueType.kind
		var bits uint64
		var keep *Function
		if kind.IsReference() {
			bits, keep, err = lowerRef(value, kind, store)
		} else {
			bits, err = toBits(value, kind)
		}
		if err != nil {
			err = newErrorf(codeArgumentError, "global value: %v", err)
		} else {
			h, err = lowGlobalNew(sh, uint8(kind), ty.mutability == MUTABLE, bits)
			runtime.KeepAlive(store)
			runtime.KeepAlive(keep)
			if err != nil && kind == AnyRef && isArgumentError(err) {
				releaseExternref(bits)
			}
		}
	}
	return &Global{x: newExternHandle(store, h, GLOBAL, err)}
}

// IntoExtern returns the Global as an Extern (nil for a nil Global).
func (g *Global) IntoExtern() *Extern {
	if g == nil {
		return nil
	}
	return &Extern{x: g.x}
}

func (g *Global) ext() *externHandle {
	if g == nil {
		return nil
	}
	return g.x
}

func (g *Global) globalType() (*C.wg_extern, *GlobalType, error) {
	h, err := g.ext().handle("global")
	if err != nil {
		return nil, nil, err
	}
	if ty := g.x.s.global.Load(); ty != nil {
		return h, ty, nil
	}
	ty, err := liftExternType(lowGlobalType(h))
	if err != nil {
		return nil, nil, err
	}
	g.x.s.global.Store(ty.global)
	return h, ty.global, nil
}

// Type returns the Global's type (nil once closed).
func (g *Global) Type() *GlobalType {
	_, ty, _ := g.globalType()
	runtime.KeepAlive(g.x)
	return ty
}

// Get returns the Global's value as a Go value (int32, int64, float32, float64;
// the Go value of an externref, a *Function for a funcref, nil for null).
func (g *Global) Get() (interface{}, error) {
	h, ty, err := g.globalType()
	if err != nil {
		return nil, err
	}
	bits, err := lowGlobalGet(h)
	runtime.KeepAlive(g.x)
	if err != nil {
		return nil, err
	}
	if kind := ty.valueType.kind; kind.IsReference() {
		return liftRef(kind, bits, g.x.s.store), nil
	}
	return fromBits(ty.valueType.kind, bits), nil
}

// Set sets the Global's value, given as a Go value of the given kind.
func (g *Global) Set(value interface{}, kind ValueKind) error {
	h, ty, err := g.globalType()
	if err != nil {
		return err
	}
	if ty.mutability != MUTABLE {
		return newErrorf(codeArgumentError, "The global variable is not mutable, cannot set a new value")
	}
	if kind != ty.valueType.kind {
		return newErrorf(codeArgumentError, "the global is a %s, not a %s", ty.valueType.kind, kind)
	}
	var bits uint64
	var keep *Function
	if kind.IsReference() {
		bits, keep, err = lowerRef(value, kind, g.x.s.store)
	} else {
		bits, err = toBits(value, kind)
	}
	if err != nil {
		return newErrorf(codeArgumentError, "global value: %v", err)
	}
	err = lowGlobalSet(h, bits)
	runtime.KeepAlive(g.x)
	runtime.KeepAlive(keep)
	if err != nil && kind == AnyRef && isArgumentError(err) {
		releaseExternref(bits)
	}
	return err
}

// Close frees the Global handle.
func (g *Global) Close() {
	g.ext().close()
}
