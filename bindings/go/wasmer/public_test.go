package wasmer

import (
	"errors"
	"testing"
)

// Instance.ExportCount, ExportName and Export are rendered from api.yaml by the
// generic method macro (templates/go/_public.go.jinja): no hand-written Go names
// them. This checks that such a member works through the public API: results,
// wrapped handles, errors, and use after Close.
func TestGenericMembers(t *testing.T) {
	store := NewStore(NewEngine())
	module, err := NewModule(store, []byte(`(module
		(memory (export "mem") 1 3)
		(table (export "tab") 2 funcref)
		(func (export "f") (result i32) i32.const 7))`))
	if err != nil {
		t.Fatal(err)
	}
	instance, err := NewInstance(module, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := instance.ExportCount(); n != 3 || err != nil {
		t.Errorf("ExportCount() = %d, %v; want 3", n, err)
	}
	for i, want := range []string{"mem", "tab", "f"} {
		if name, err := instance.ExportName(uint32(i)); name != want || err != nil {
			t.Errorf("ExportName(%d) = %q, %v; want %q", i, name, err, want)
		}
	}
	if _, err := instance.ExportName(3); !errors.Is(err, ErrArgument) {
		t.Errorf("ExportName(3) = %v; want an ErrArgument", err)
	}
	mem, err := instance.Export(0)
	if err != nil || mem.Kind() != MEMORY || mem.IntoMemory().Size() != 1 {
		t.Errorf("Export(0) = %v, %v; want the memory of 1 page", mem, err)
	}
	tab, err := instance.Export(1)
	if err != nil || tab.Kind() != TABLE || tab.IntoTable().Size() != 2 {
		t.Errorf("Export(1) = %v, %v; want the table of 2 elements", tab, err)
	}
	f, err := instance.Export(2)
	if err != nil || f.Kind() != FUNCTION {
		t.Fatalf("Export(2) = %v, %v; want the function", f, err)
	}
	if v, err := f.IntoFunction().Call(); v != int32(7) || err != nil {
		t.Errorf("Export(2)() = %v, %v; want 7", v, err)
	}
	// A handle returned by a generic member goes back into another one.
	table := tab.IntoTable()
	if err := table.Set(1, f.IntoFunction()); err != nil {
		t.Errorf("Table.Set(1, f): %v", err)
	}
	if got, err := table.Get(1); got == nil || err != nil {
		t.Errorf("Table.Get(1) = %v, %v; want a function", got, err)
	} else if v, err := got.Call(); v != int32(7) || err != nil {
		t.Errorf("Table.Get(1)() = %v, %v; want 7", v, err)
	}
	if Version() == "" {
		t.Errorf("Version() is empty")
	}
	instance.Close()
	if _, err := instance.ExportCount(); !errors.Is(err, ErrArgument) {
		t.Errorf("ExportCount() after Close = %v; want an ErrArgument", err)
	}
	var none *Instance
	if _, err := none.Export(0); !errors.Is(err, ErrArgument) {
		t.Errorf("(*Instance)(nil).Export(0) = %v; want an ErrArgument", err)
	}
}
