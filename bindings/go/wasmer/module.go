package wasmer

// #include "wasmgen.h"
import "C"

import (
	"bytes"
	"runtime"
	"strings"
)

var wasmMagic = []byte("\x00asm")

// Module is a compiled WebAssembly module, ready to be instantiated many times.
type Module struct {
	h       *C.wg_module
	store   *Store
	imports []*ImportType
	exports []*ExportType
}

func newModule(store *Store, h *C.wg_module) *Module {
	m := &Module{h: h, store: store}
	runtime.SetFinalizer(m, (*Module).finalize)
	return m
}

// NewModule compiles a module from binary bytes or from WAT text (detected by
// the missing "\0asm" magic). The text may use the keywords wasmer-go's parser
// accepted (`anyfunc`, `get_local`, ...: the shared glue renames them).
func NewModule(store *Store, bytes []byte) (*Module, error) {
	sh, err := store.handle()
	if err != nil {
		return nil, err
	}
	h, err := lowModuleNew(sh, bytes)
	runtime.KeepAlive(store)
	if err != nil {
		return nil, err
	}
	return wrapModule(store, h), nil
}

// ValidateModule tells why the bytes (or WAT text) are not a valid module for
// the store's engine, or returns nil when they are.
func ValidateModule(store *Store, wasm []byte) error {
	sh, err := store.handle()
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(store)
	if !bytes.HasPrefix(wasm, wasmMagic) {
		if wasm, err = Wat2Wasm(string(wasm)); err != nil {
			return err
		}
	}
	ok, err := lowModuleValidate(sh, wasm)
	if err != nil || ok {
		return err
	}
	// The runtime's reason: what compiling says.
	h, err := lowModuleNew(sh, wasm)
	if err == nil {
		deleteWgModule(h)
		return newErrorf(codeCompileError, "invalid WebAssembly module")
	}
	return err
}

func (m *Module) finalize() {
	deferDeleteWgModule(m.h)
}

func (m *Module) handle() (*C.wg_module, error) {
	if m == nil {
		return nil, newErrorf(codeArgumentError, "the module is nil")
	}
	if m.h == nil {
		return nil, errClosed("module")
	}
	return m.h, nil
}

// Name returns the module's name (from its name section), or "".
func (m *Module) Name() string {
	h, err := m.handle()
	if err != nil {
		return ""
	}
	name, _ := lowModuleName(h)
	runtime.KeepAlive(m)
	return name
}

// SetName sets the module's name; false when the module cannot be renamed.
func (m *Module) SetName(name string) bool {
	h, err := m.handle()
	if err != nil {
		return false
	}
	ok, _ := lowModuleSetName(h, name)
	runtime.KeepAlive(m)
	return ok
}

// Imports returns the module's imports, in order (nil once closed).
func (m *Module) Imports() []*ImportType {
	if m.imports != nil {
		return m.imports
	}
	h, err := m.handle()
	if err != nil {
		return nil
	}
	defer runtime.KeepAlive(m)
	n, err := lowModuleImportCount(h)
	if err != nil {
		return nil
	}
	out := make([]*ImportType, 0, n)
	for i := uint32(0); i < n; i++ {
		th, err := lowModuleImportType(h, i)
		if err != nil {
			return nil
		}
		module, _ := lowExternTypeModule(th)
		name, _ := lowExternTypeName(th)
		ty, err := liftExternType(th, nil)
		if err != nil {
			return nil
		}
		out = append(out, &ImportType{module: module, name: name, ty: ty})
	}
	m.imports = out
	return out
}

// Exports returns the module's exports, in order (nil once closed).
func (m *Module) Exports() []*ExportType {
	if m.exports != nil {
		return m.exports
	}
	h, err := m.handle()
	if err != nil {
		return nil
	}
	defer runtime.KeepAlive(m)
	n, err := lowModuleExportCount(h)
	if err != nil {
		return nil
	}
	out := make([]*ExportType, 0, n)
	for i := uint32(0); i < n; i++ {
		th, err := lowModuleExportType(h, i)
		if err != nil {
			return nil
		}
		name, _ := lowExternTypeName(th)
		ty, err := liftExternType(th, nil)
		if err != nil {
			return nil
		}
		out = append(out, &ExportType{name: name, ty: ty})
	}
	m.exports = out
	return out
}

// Close frees the module; instances made from it stay valid.
func (m *Module) Close() {
	if m.h != nil {
		runtime.SetFinalizer(m, nil)
		deleteWgModule(m.h)
		m.h = nil
	}
}

// Wat2Wasm converts WebAssembly text to binary (binary bytes come back as they
// are). The error is the text parser's message, as wasmer-go's was. The text may
// use the keywords wasmer-go's parser accepted (the shared glue renames them).
func Wat2Wasm(wat string) ([]byte, error) {
	wasm, err := lowWat2wasm([]byte(wat))
	if e, ok := err.(*Error); ok {
		e.message = strings.TrimPrefix(e.message, watErrorContext)
	}
	return wasm, err
}

// watErrorContext is what the glue puts before the parser's message.
const watErrorContext = "invalid WebAssembly text: "
