package wasmer

// The handles of the public classes, for the members rendered from api.yaml
// (public.go): glue() unwraps an object into its glue handle (an error for a nil
// or closed object), wrapX makes the public object that owns a handle the glue
// returned, and storeOf names the store an object belongs to, which owns what
// the object returns.

// #include "wasmgen.h"
import "C"

import "runtime"

// storeHolder is implemented by every public object that belongs to a store.
type storeHolder interface {
	storeOf() *Store
}

// storeIn is the store of the first of the objects that has one (nil if none).
func storeIn(objects ...storeHolder) *Store {
	for _, o := range objects {
		if o == nil {
			continue
		}
		if s := o.storeOf(); s != nil {
			return s
		}
	}
	return nil
}

// keepAlive keeps an object (and the handle its finalizer frees) alive until
// the glue call before it has returned.
func keepAlive(x interface{}) {
	runtime.KeepAlive(x)
}

func (e *Engine) glue() (*C.wg_engine, error) { return e.handle() }

// storeOf is nil: an engine belongs to no store.
func (e *Engine) storeOf() *Store { return nil }

func (s *Store) glue() (*C.wg_store, error) { return s.handle() }

func (s *Store) storeOf() *Store { return s }

func (m *Module) glue() (*C.wg_module, error) { return m.handle() }

func (m *Module) storeOf() *Store {
	if m == nil {
		return nil
	}
	return m.store
}

// wrapModule owns a module handle (nil for a nil handle).
func wrapModule(store *Store, h *C.wg_module) *Module {
	if h == nil {
		return nil
	}
	return newModule(store, h)
}

func (i *Instance) glue() (*C.wg_instance, error) {
	if i == nil {
		return nil, newErrorf(codeArgumentError, "the instance is nil")
	}
	if i.h == nil {
		return nil, errClosed("instance")
	}
	return i.h, nil
}

func (i *Instance) storeOf() *Store {
	if i == nil {
		return nil
	}
	return i.store
}

func (x *externHandle) storeOf() *Store {
	if x == nil {
		return nil
	}
	return x.s.store
}

func (e *Extern) glue() (*C.wg_extern, error) { return e.ext().handle("extern") }

func (e *Extern) storeOf() *Store { return e.ext().storeOf() }

// wrapExtern owns an extern handle of any kind (nil for a nil handle).
func wrapExtern(store *Store, h *C.wg_extern) *Extern {
	if h == nil {
		return nil
	}
	kind, err := lowExternKind(h)
	x := &Extern{x: newExternHandle(store, h, ExternKind(kind), err)}
	if err == nil && x.kind() == FUNCTION {
		x.fn = &Function{x: x.x}
	}
	return x
}

func (f *Function) glue() (*C.wg_extern, error) { return f.ext().handle("function") }

func (f *Function) storeOf() *Store { return f.ext().storeOf() }

// wrapFunction owns a function handle (nil for a nil handle: a null funcref).
func wrapFunction(store *Store, h *C.wg_extern) *Function {
	if h == nil {
		return nil
	}
	return &Function{x: newExternHandle(store, h, FUNCTION, nil)}
}

func (m *Memory) glue() (*C.wg_extern, error) { return m.ext().handle("memory") }

func (m *Memory) storeOf() *Store { return m.ext().storeOf() }

// wrapMemory owns a memory handle (nil for a nil handle).
func wrapMemory(store *Store, h *C.wg_extern) *Memory {
	if h == nil {
		return nil
	}
	return &Memory{x: newExternHandle(store, h, MEMORY, nil)}
}

func (g *Global) glue() (*C.wg_extern, error) { return g.ext().handle("global") }

func (g *Global) storeOf() *Store { return g.ext().storeOf() }

// wrapGlobal owns a global handle (nil for a nil handle).
func wrapGlobal(store *Store, h *C.wg_extern) *Global {
	if h == nil {
		return nil
	}
	return &Global{x: newExternHandle(store, h, GLOBAL, nil)}
}

func (t *Table) glue() (*C.wg_extern, error) { return t.ext().handle("table") }

func (t *Table) storeOf() *Store { return t.ext().storeOf() }

// wrapTable owns a table handle (nil for a nil handle).
func wrapTable(store *Store, h *C.wg_extern) *Table {
	if h == nil {
		return nil
	}
	return &Table{x: newExternHandle(store, h, TABLE, nil)}
}
