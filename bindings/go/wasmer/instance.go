package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
)

// Instance is an instantiated module. It may be used from any goroutine: calls
// into its store take turns (see Store for the threading contract). Close frees
// it and closes its exports: a Function, Memory, Global or Table taken from them
// before reports the closed error (Memory: nil data, size 0) from then on.
type Instance struct {
	h *C.wg_instance
	// Exports are the instance's exports, by name.
	Exports *Exports
	module  *Module
	store   *Store
}

// NewInstance instantiates a module, resolving its imports by (module, name)
// in the ImportObject (which may be nil when the module has no imports). A
// missing or mismatched import is an ErrLink; a trap in the start function is
// a *TrapError.
//
// The instance lives in the store of the imports, or in the module's store
// when there are none. So a module compiled once can be instantiated in a new
// store each time (with host functions made in that store), and everything is
// freed with that store: instances live as long as their store in Wasmer.
func NewInstance(module *Module, imports *ImportObject) (*Instance, error) {
	mh, err := module.handle()
	if err != nil {
		return nil, err
	}
	store, err := imports.store()
	if err != nil {
		return nil, err
	}
	if store == nil {
		store = module.store
	} else if store.Engine != module.store.Engine {
		return nil, newErrorf(codeLinkError, "the imports come from a store of another engine than the module's")
	}
	sh, err := store.handle()
	if err != nil {
		return nil, err
	}
	ih, keep, err := imports.build()
	if err != nil {
		return nil, err
	}
	h, err := lowInstanceNew(sh, mh, ih, false) // Go users choose stores: one per instance is the idiom
	deleteWgImports(ih)
	runtime.KeepAlive(keep)
	runtime.KeepAlive(module)
	runtime.KeepAlive(store)
	if err != nil {
		return nil, err
	}
	inst := &Instance{h: h, module: module, store: store}
	runtime.SetFinalizer(inst, (*Instance).finalize)
	exports, err := newExports(store, h)
	if err != nil {
		inst.Close()
		return nil, err
	}
	inst.Exports = exports
	return inst, nil
}

func (i *Instance) finalize() {
	i.store.deleteLater(i.h, nil)
}

// Close frees the instance and its exports.
func (i *Instance) Close() {
	if i.h != nil {
		runtime.SetFinalizer(i, nil)
		deleteWgInstance(i.h)
		i.h = nil
	}
	if i.Exports != nil {
		i.Exports.Close()
	}
}
