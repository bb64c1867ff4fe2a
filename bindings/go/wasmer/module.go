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
// the missing "\0asm" magic). The text may spell funcref `anyfunc`, as wasmer-go's
// parser accepted (see legacyWat).
func NewModule(store *Store, bytes []byte) (*Module, error) {
	sh, err := store.handle()
	if err != nil {
		return nil, err
	}
	h, err := lowModuleNew(sh, legacyWat(bytes))
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
// spell funcref `anyfunc` (see legacyWat).
func Wat2Wasm(wat string) ([]byte, error) {
	wasm, err := lowWat2wasm(legacyWat([]byte(wat)))
	if e, ok := err.(*Error); ok {
		e.message = strings.TrimPrefix(e.message, watErrorContext)
	}
	return wasm, err
}

// watErrorContext is what the glue puts before the parser's message.
const watErrorContext = "invalid WebAssembly text: "

// legacyWat returns WAT text with the legacy keyword `anyfunc` (the name of
// funcref before the reference-types proposal, which wasmer-go 1.x's parser
// accepted and libwasmer 7's does not) spelled `funcref`. Strings, comments and
// identifiers ($anyfunc) are left alone; binary modules and text without the
// word come back as they are.
func legacyWat(src []byte) []byte {
	if bytes.HasPrefix(src, wasmMagic) || !bytes.Contains(src, []byte("anyfunc")) {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"': // a string, to its closing quote
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j < len(src) {
				j++
			}
			if j > len(src) {
				j = len(src)
			}
			out, i = append(out, src[i:j]...), j
		case c == ';' && i+1 < len(src) && src[i+1] == ';': // a line comment
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			out, i = append(out, src[i:i+j]...), i+j
		case c == '(' && i+1 < len(src) && src[i+1] == ';': // a block comment, nested
			j, depth := i+2, 1
			for j < len(src) && depth > 0 {
				switch {
				case src[j] == '(' && j+1 < len(src) && src[j+1] == ';':
					depth, j = depth+1, j+2
				case src[j] == ';' && j+1 < len(src) && src[j+1] == ')':
					depth, j = depth-1, j+2
				default:
					j++
				}
			}
			out, i = append(out, src[i:j]...), j
		case watIdChar(c): // a keyword, identifier or number
			j := i
			for j < len(src) && watIdChar(src[j]) {
				j++
			}
			if string(src[i:j]) == "anyfunc" {
				out = append(out, "funcref"...)
			} else {
				out = append(out, src[i:j]...)
			}
			i = j
		default:
			out, i = append(out, c), i+1
		}
	}
	return out
}

// watIdChar tells whether c may be in a WAT token (keyword, identifier, number).
func watIdChar(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune("\"(),;[]{}", rune(c))
}
