package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
)

// Memory is a linear memory.
type Memory struct {
	x *externHandle
}

// NewMemory makes a Memory:
//
//	limits, _ := NewLimits(1, 4)
//	memory := NewMemory(store, NewMemoryType(limits))
func NewMemory(store *Store, ty *MemoryType) *Memory {
	sh, err := store.handle()
	var h *C.wg_extern
	if err == nil && (ty == nil || ty.limits == nil) {
		err = newErrorf(codeArgumentError, "a memory needs a MemoryType with Limits")
	}
	if err == nil {
		h, err = lowMemoryNew(sh, ty.limits.minimum, ty.limits.maximum)
		runtime.KeepAlive(store)
	}
	return &Memory{x: newExternHandle(store, h, MEMORY, err)}
}

// IntoExtern returns the Memory as an Extern (nil for a nil Memory).
func (m *Memory) IntoExtern() *Extern {
	if m == nil {
		return nil
	}
	return &Extern{x: m.x}
}

func (m *Memory) ext() *externHandle {
	if m == nil {
		return nil
	}
	return m.x
}

// Type returns the Memory's type (nil once closed).
func (m *Memory) Type() *MemoryType {
	h, err := m.ext().handle("memory")
	if err != nil {
		return nil
	}
	ty, err := liftExternType(lowMemoryType(h))
	runtime.KeepAlive(m.x)
	if err != nil {
		return nil
	}
	return ty.memory
}

// Size returns the Memory's size in pages (0 once closed).
func (m *Memory) Size() Pages {
	h, err := m.ext().handle("memory")
	if err != nil {
		return 0
	}
	n, _ := lowMemorySize(h)
	runtime.KeepAlive(m.x)
	return Pages(n)
}

// DataSize returns the Memory's size in bytes (0 once closed).
func (m *Memory) DataSize() uint {
	h, err := m.ext().handle("memory")
	if err != nil {
		return 0
	}
	n, _ := lowMemoryDataSize(h)
	runtime.KeepAlive(m.x)
	return uint(n)
}

// Data returns the Memory's bytes: a slice aliasing the linear memory (no copy),
// valid until the memory grows; nil once closed.
func (m *Memory) Data() []byte {
	h, err := m.ext().handle("memory")
	if err != nil {
		return nil
	}
	data, _ := lowMemoryData(h)
	runtime.KeepAlive(m.x)
	return data
}

// Grow grows the Memory by delta pages; false when it cannot.
func (m *Memory) Grow(delta Pages) bool {
	h, err := m.ext().handle("memory")
	if err != nil {
		return false
	}
	_, err = lowMemoryGrow(h, uint32(delta))
	runtime.KeepAlive(m.x)
	return err == nil
}

// Close frees the Memory handle.
func (m *Memory) Close() {
	m.ext().close()
}
