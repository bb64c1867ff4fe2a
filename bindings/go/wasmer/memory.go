package wasmer

/*
#include <stdlib.h>
#include <string.h>
#include "wasmgen.h"

// Memory.Read's glue call: one memcpy into the Go slice under the store's lock, the
// error message taken on the same thread.
static int gowg_memory_read_into(uintptr_t self, uint64_t offset, uint8_t *dst, uint64_t length, char **err) {
	int rc = wg_memory_read_into((wg_extern *)self, offset, dst, length);
	*err = rc ? strdup(wg_error_message()) : NULL;
	return rc;
}
*/
import "C"

import (
	"runtime"
	"unsafe"
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

// Read copies length bytes from byte offset of the memory into a new slice: one
// memcpy under the store's lock (the bulk path; ReadInto reuses a slice). Past the end
// of the memory it returns an *Error of kind ArgumentError ("out of bounds").
func (m *Memory) Read(offset uint64, length uint64) ([]byte, error) {
	size := uint64(m.DataSize())
	if length > size {
		return nil, newErrorf(codeArgumentError, "out of bounds: offset %d + length %d is past the end of memory (%d bytes)",
			offset, length, size)
	}
	dst := make([]byte, length)
	if err := m.ReadInto(offset, dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// ReadInto copies len(dst) bytes from byte offset of the memory into dst: one memcpy
// under the store's lock, no allocation. Past the end it returns an ArgumentError and
// dst is unchanged.
func (m *Memory) ReadInto(offset uint64, dst []byte) error {
	h, err := m.ext().handle("memory")
	if err != nil {
		return err
	}
	var msg *C.char
	rc := C.gowg_memory_read_into(cp(unsafe.Pointer(h)), C.uint64_t(offset), cBytes(dst),
		C.uint64_t(len(dst)), &msg)
	runtime.KeepAlive(m.x)
	runtime.KeepAlive(dst)
	if rc != 0 {
		return glueError(rc, msg, 0, 0)
	}
	return nil
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
