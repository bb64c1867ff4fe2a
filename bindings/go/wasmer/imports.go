package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
	"sort"
)

// ImportObject holds the externs to instantiate a module with, by namespace
// (the import's module name) and name.
type ImportObject struct {
	externs map[string]map[string]IntoExtern
	wasi    *wasiState // the WASI imports of WasiEnvironment.GenerateImportObject
}

// NewImportObject instantiates an empty ImportObject.
func NewImportObject() *ImportObject {
	return &ImportObject{externs: make(map[string]map[string]IntoExtern)}
}

// ContainsNamespace tells whether a namespace was registered.
func (o *ImportObject) ContainsNamespace(name string) bool {
	_, ok := o.externs[name]
	return ok || (o.wasi != nil && name == GetWasiVersion(o.wasi.module).String())
}

// Register adds externs (Function, Global, Memory, Table) under a namespace:
//
//	imports.Register("env", map[string]IntoExtern{"sum": sumFunction})
func (o *ImportObject) Register(namespaceName string, namespace map[string]IntoExtern) {
	items, ok := o.externs[namespaceName]
	if !ok {
		items = make(map[string]IntoExtern, len(namespace))
		o.externs[namespaceName] = items
	}
	for name, item := range namespace {
		items[name] = item
	}
}

// store is the store the imports belong to (nil when there are none).
func (o *ImportObject) store() (*Store, error) {
	var store *Store
	if o == nil {
		return nil, nil
	}
	if o.wasi != nil {
		store = o.wasi.store
	}
	for ns, items := range o.externs {
		for name, item := range items {
			var e *Extern
			if item != nil {
				e = item.IntoExtern()
			}
			if e == nil || e.x.s.store == nil {
				continue
			}
			if store != nil && e.x.s.store != store {
				return nil, newErrorf(codeLinkError, "import `%s`.`%s` comes from another store than the other imports", ns, name)
			}
			store = e.x.s.store
		}
	}
	return store, nil
}

// build makes the glue's imports, in a stable order.
func (o *ImportObject) build() (*C.wg_imports, []*externHandle, error) {
	h, err := lowImportsNew()
	if err != nil {
		return nil, nil, err
	}
	var keep []*externHandle
	if o == nil {
		return h, keep, nil
	}
	if o.wasi != nil { // first: an extern registered under a WASI name replaces WASI's
		mh, err := o.wasi.module.handle()
		if err == nil {
			err = lowWasiEnvDefineImports(o.wasi.h, mh, h)
		}
		runtime.KeepAlive(o.wasi)
		if err != nil {
			deleteWgImports(h)
			return nil, nil, err
		}
	}
	namespaces := make([]string, 0, len(o.externs))
	for ns := range o.externs {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	for _, ns := range namespaces {
		names := make([]string, 0, len(o.externs[ns]))
		for name := range o.externs[ns] {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			item := o.externs[ns][name]
			var e *Extern
			if item != nil {
				e = item.IntoExtern()
			}
			if e == nil {
				deleteWgImports(h)
				return nil, nil, newErrorf(codeArgumentError, "import `%s`.`%s` is nil", ns, name)
			}
			eh, err := e.x.handle("import `" + ns + "`.`" + name + "`")
			if err == nil {
				err = lowImportsDefine(h, ns, name, eh)
			}
			if err != nil {
				deleteWgImports(h)
				return nil, nil, err
			}
			keep = append(keep, e.x)
		}
	}
	return h, keep, nil
}
