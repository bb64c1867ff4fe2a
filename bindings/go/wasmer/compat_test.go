package wasmer

// wasmer-go compatibility beyond the generic API: the legacy WAT spelling
// `anyfunc`, the parser's message from Wat2Wasm, what libwasmer 7 lacks (LLVM,
// dylib, targets, WASI) failing at use, traps as values, wasmer-go's names.

import (
	"errors"
	"strings"
	"testing"
)

func TestLegacyWatAnyfunc(t *testing.T) {
	src := `(module ;; anyfunc
  (; (; anyfunc ;) anyfunc ;)
  (import "anyfunc" "t" (table $anyfunc 1 2 anyfunc))
  (table 1 anyfunc))`
	want := `(module ;; anyfunc
  (; (; anyfunc ;) anyfunc ;)
  (import "anyfunc" "t" (table $anyfunc 1 2 funcref))
  (table 1 funcref))`
	// the glue renames the keyword, not the strings, comments or $names: the same binary
	got, err := Wat2Wasm(src)
	wantBin, err2 := Wat2Wasm(want)
	if err != nil || err2 != nil || string(got) != string(wantBin) {
		t.Errorf("Wat2Wasm of anyfunc: %v %v, same binary: %v", err, err2, string(got) == string(wantBin))
	}
	module, err := NewModule(newStore(t), []byte(`(module (table (export "t") 1 anyfunc))`))
	if err != nil {
		t.Fatalf("NewModule with anyfunc: %v", err)
	}
	if kind := module.Exports()[0].Type().IntoTableType().ValueType().Kind(); kind != FuncRef {
		t.Errorf("table of anyfunc: %v", kind)
	}
}

func TestWat2WasmParserMessage(t *testing.T) {
	_, err := Wat2Wasm("(module")
	if err == nil || !strings.HasPrefix(err.Error(), "expected `)`") || !errors.Is(err, ErrCompile) {
		t.Errorf("Wat2Wasm error: %v", err)
	}
}

func TestUnavailableFeaturesFailAtUse(t *testing.T) {
	if LLVM.String() != "llvm" || IsCompilerAvailable(LLVM) || AnyRef.String() != "anyref" {
		t.Errorf("LLVM: %q available=%v; AnyRef %q", LLVM.String(), IsCompilerAvailable(LLVM), AnyRef.String())
	}
	triple, err := NewTriple("aarch64-unknown-linux-gnu")
	if err != nil {
		t.Fatal(err)
	}
	features := NewCpuFeatures()
	if err := features.Add("sse2"); err != nil {
		t.Fatal(err)
	}
	for name, config := range map[string]*Config{
		"LLVM":   NewConfig().UseLLVMCompiler(),
		"dylib":  NewConfig().UseDylibEngine(),
		"target": NewConfig().UseTarget(NewTarget(triple, features)),
	} {
		_, err := NewModule(NewStore(NewEngineWithConfig(config)), []byte("(module)"))
		if err == nil || !errors.Is(err, ErrArgument) {
			t.Errorf("%s: NewModule: %v", name, err)
		}
	}
	if _, err := NewModule(NewStore(NewEngineWithConfig(NewConfig().UseLLVMCompiler().UseCraneliftCompiler())), []byte("(module)")); err != nil {
		t.Errorf("LLVM then Cranelift: %v", err)
	}
	if _, err := NewWasiStateBuilder("p").Argument("a").CaptureStdout().Finalize(); err != nil {
		t.Errorf("WASI Finalize: %v", err)
	}
	module, err := NewModule(newStore(t), []byte(`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))))`))
	if err != nil {
		t.Fatal(err)
	}
	if v := GetWasiVersion(module); v != WASI_VERSION_SNAPSHOT1 || v.String() != "wasi_snapshot_preview1" {
		t.Errorf("GetWasiVersion: %v", v)
	}
}

func TestNewTrap(t *testing.T) {
	trap := NewTrap(newStore(t), "oops")
	if trap.Message() != "oops" || trap.Origin() != nil || len(trap.Trace().Frames()) != 0 {
		t.Errorf("trap: %q %v %v", trap.Message(), trap.Origin(), trap.Trace().Frames())
	}
}
