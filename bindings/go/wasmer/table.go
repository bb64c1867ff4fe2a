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

// Close frees the Table handle.
func (t *Table) Close() {
	t.ext().close()
}
