package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
)

// Table is a table of references.
type Table struct {
	x *externHandle
}

// NewTable makes a Table of null references (not in wasmer-go 1.x).
func NewTable(store *Store, ty *TableType) *Table {
	sh, err := store.handle()
	var h *C.wg_extern
	if err == nil && (ty == nil || ty.valueType == nil || ty.limits == nil) {
		err = newErrorf(codeArgumentError, "a table needs a TableType with Limits")
	}
	if err == nil {
		h, err = lowTableNew(sh, uint8(ty.valueType.kind), ty.limits.minimum, ty.limits.maximum)
		runtime.KeepAlive(store)
	}
	return &Table{x: newExternHandle(store, h, TABLE, err)}
}

// IntoExtern returns the Table as an Extern (nil for a nil Table).
func (t *Table) IntoExtern() *Extern {
	if t == nil {
		return nil
	}
	return &Extern{x: t.x}
}

func (t *Table) ext() *externHandle {
	if t == nil {
		return nil
	}
	return t.x
}

// Type returns the Table's type (nil once closed).
func (t *Table) Type() *TableType {
	h, err := t.ext().handle("table")
	if err != nil {
		return nil
	}
	ty, err := liftExternType(lowTableType(h))
	runtime.KeepAlive(t.x)
	if err != nil {
		return nil
	}
	return ty.table
}

// Size returns the Table's size in elements (0 once closed).
func (t *Table) Size() TableSize {
	h, err := t.ext().handle("table")
	if err != nil {
		return 0
	}
	n, _ := lowTableSize(h)
	runtime.KeepAlive(t.x)
	return TableSize(n)
}

// Grow grows the Table by delta null elements and returns its previous size.
func (t *Table) Grow(delta uint32) (TableSize, error) {
	h, err := t.ext().handle("table")
	if err != nil {
		return 0, err
	}
	n, err := lowTableGrow(h, delta)
	runtime.KeepAlive(t.x)
	return TableSize(n), err
}

// Get returns the function at an index, or nil for a null element.
func (t *Table) Get(index uint32) (*Function, error) {
	h, err := t.ext().handle("table")
	if err != nil {
		return nil, err
	}
	fh, err := lowTableGet(h, index)
	runtime.KeepAlive(t.x)
	if err != nil || fh == nil {
		return nil, err
	}
	return &Function{x: newExternHandle(t.x.s.store, fh, FUNCTION, nil)}, nil
}

// Set stores a function (or nil) at an index. A host function cannot be
// stored (a libwasmer limitation): that is an error.
func (t *Table) Set(index uint32, function *Function) error {
	h, err := t.ext().handle("table")
	if err != nil {
		return err
	}
	var fh *C.wg_extern
	if function != nil {
		if fh, err = function.ext().handle("function"); err != nil {
			return err
		}
	}
	err = lowTableSet(h, index, fh)
	runtime.KeepAlive(t.x)
	if function != nil {
		runtime.KeepAlive(function.x)
	}
	return err
}

// Close frees the Table handle.
func (t *Table) Close() {
	t.ext().close()
}
