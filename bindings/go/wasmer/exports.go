package wasmer

// #include "wasmgen.h"
import "C"

// Exports are an instance's exports, by name.
type Exports struct {
	externs map[string]*Extern
	names   []string
}

func newExports(store *Store, h *C.wg_instance) (*Exports, error) {
	n, err := lowInstanceExportCount(h)
	if err != nil {
		return nil, err
	}
	e := &Exports{externs: make(map[string]*Extern, n), names: make([]string, 0, n)}
	for i := uint32(0); i < n; i++ {
		name, err := lowInstanceExportName(h, i)
		if err != nil {
			e.Close()
			return nil, err
		}
		xh, err := lowInstanceExport(h, i)
		if err != nil {
			e.Close()
			return nil, err
		}
		kind, err := lowExternKind(xh)
		if err != nil {
			deleteWgExtern(xh)
			e.Close()
			return nil, err
		}
		x := &Extern{x: newExternHandle(store, xh, ExternKind(kind), nil)}
		if x.kind() == FUNCTION {
			x.fn = &Function{x: x.x} // made now: goroutines may share the exports
		}
		e.externs[name] = x
		e.names = append(e.names, name)
	}
	return e, nil
}

// Names returns the export names in module order (not in wasmer-go 1.x).
func (e *Exports) Names() []string {
	return e.names
}

// Get returns an export by name.
func (e *Exports) Get(name string) (*Extern, error) {
	x, ok := e.externs[name]
	if !ok {
		return nil, newErrorf(codeArgumentError, "Export `%s` does not exist", name)
	}
	return x, nil
}

func (e *Exports) get(name string, kind ExternKind) (*Extern, error) {
	x, err := e.Get(name)
	if err != nil {
		return nil, err
	}
	if x.Kind() != kind {
		return nil, newErrorf(codeArgumentError, "Export `%s` is a %s, not a %s", name, x.Kind(), kind)
	}
	return x, nil
}

// GetRawFunction returns an exported Function by name.
func (e *Exports) GetRawFunction(name string) (*Function, error) {
	x, err := e.get(name, FUNCTION)
	if err != nil {
		return nil, err
	}
	return x.IntoFunction(), nil
}

// GetFunction returns an exported function by name, as a Go function.
func (e *Exports) GetFunction(name string) (NativeFunction, error) {
	f, err := e.GetRawFunction(name)
	if err != nil {
		return nil, err
	}
	if _, err := f.x.caller(); err != nil {
		return nil, err
	}
	return f.Native(), nil
}

// GetGlobal returns an exported Global by name.
func (e *Exports) GetGlobal(name string) (*Global, error) {
	x, err := e.get(name, GLOBAL)
	if err != nil {
		return nil, err
	}
	return x.IntoGlobal(), nil
}

// GetTable returns an exported Table by name.
func (e *Exports) GetTable(name string) (*Table, error) {
	x, err := e.get(name, TABLE)
	if err != nil {
		return nil, err
	}
	return x.IntoTable(), nil
}

// GetMemory returns an exported Memory by name.
func (e *Exports) GetMemory(name string) (*Memory, error) {
	x, err := e.get(name, MEMORY)
	if err != nil {
		return nil, err
	}
	return x.IntoMemory(), nil
}

// GetWasiStartFunction returns a WASI program's entry point, its `_start`
// export. Its call returns a *WasiExitError when the program exits (proc_exit,
// exit(n)), whatever the code.
func (e *Exports) GetWasiStartFunction() (NativeFunction, error) {
	return e.GetFunction("_start")
}

// Close frees every export.
func (e *Exports) Close() {
	for _, x := range e.externs {
		x.Close()
	}
}
