package wasmer

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func newStore(t testing.TB) *Store {
	t.Helper()
	store := NewStore(NewEngine())
	t.Cleanup(store.Close)
	return store
}

func compile(t testing.TB, store *Store, wat string) *Module {
	t.Helper()
	module, err := NewModule(store, []byte(wat))
	if err != nil {
		t.Fatalf("NewModule: %v", err)
	}
	t.Cleanup(module.Close)
	return module
}

func instantiate(t testing.TB, module *Module, imports *ImportObject) *Instance {
	t.Helper()
	instance, err := NewInstance(module, imports)
	if err != nil {
		t.Fatalf("NewInstance: %v", err)
	}
	t.Cleanup(instance.Close)
	return instance
}

func function(t testing.TB, instance *Instance, name string) NativeFunction {
	t.Helper()
	f, err := instance.Exports.GetFunction(name)
	if err != nil {
		t.Fatalf("GetFunction(%q): %v", name, err)
	}
	return f
}

func sumFunction(store *Store) *Function {
	return NewFunction(store, NewFunctionType(NewValueTypes(I32, I32), NewValueTypes(I32)),
		func(args []Value) ([]Value, error) {
			return []Value{NewI32(args[0].I32() + args[1].I32())}, nil
		})
}

const arith = `(module
  (func (export "i64") (param i64) (result i64) local.get 0 i64.const 1 i64.add)
  (func (export "f32") (param f32) (result f32) local.get 0 f32.const 0.5 f32.add)
  (func (export "f64") (param f64) (result f64) local.get 0 f64.const 0.5 f64.add)
  (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
  (func (export "nothing"))
  (func (export "trap") unreachable)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))`

func TestValidateModule(t *testing.T) {
	store := newStore(t)
	if err := ValidateModule(store, []byte(`(module)`)); err != nil {
		t.Errorf("valid WAT: %v", err)
	}
	wasm, err := Wat2Wasm(`(module (func (export "f")))`)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateModule(store, wasm); err != nil {
		t.Errorf("valid wasm: %v", err)
	}
	err = ValidateModule(store, []byte("\x00asm\x01\x00\x00\x00\x05"))
	if !errors.Is(err, ErrCompile) {
		t.Errorf("invalid wasm: got %v, want ErrCompile", err)
	}
	if err := ValidateModule(store, []byte("(module (func (result i32)))")); err == nil {
		t.Errorf("ill-typed WAT validated")
	}
}

func TestNewModuleErrors(t *testing.T) {
	store := newStore(t)
	for _, bad := range []string{"\x00asm\x01\x00\x00\x00\xff", "(module (func", ""} {
		_, err := NewModule(store, []byte(bad))
		var werr *Error
		if bad != "" && (!errors.As(err, &werr) || !errors.Is(err, ErrCompile) || err.Error() == "") {
			t.Errorf("NewModule(%q): got %v, want a *Error matching ErrCompile", bad, err)
		}
	}
}

func TestSerialize(t *testing.T) {
	store := newStore(t)
	module := compile(t, store, `(module (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))`)
	data, err := module.Serialize()
	if err != nil || len(data) == 0 {
		t.Fatalf("Serialize: %v", err)
	}
	again, err := DeserializeModule(store, data)
	if err != nil {
		t.Fatalf("DeserializeModule: %v", err)
	}
	defer again.Close()
	sum := function(t, instantiate(t, again, nil), "sum")
	if r, err := sum(20, 22); r != int32(42) || err != nil {
		t.Errorf("sum = %v, %v", r, err)
	}
	if _, err := DeserializeModule(store, []byte("garbage")); err == nil {
		t.Errorf("DeserializeModule(garbage) succeeded")
	}
}

func TestModuleTypes(t *testing.T) {
	store := newStore(t)
	module := compile(t, store, `(module $named
  (import "env" "f" (func (param i32 f64) (result i64)))
  (import "env" "g" (global (mut f32)))
  (import "env" "t" (table 2 10 funcref))
  (import "env" "m" (memory 1))
  (func (export "run") (param i64))
  (global (export "answer") i32 (i32.const 42))
  (export "table" (table 0))
  (export "memory" (memory 0)))`)
	if module.Name() != "named" {
		t.Errorf("Name() = %q", module.Name())
	}
	imports := module.Imports()
	if len(imports) != 4 {
		t.Fatalf("%d imports", len(imports))
	}
	want := []struct {
		name string
		kind ExternKind
	}{{"f", FUNCTION}, {"g", GLOBAL}, {"t", TABLE}, {"m", MEMORY}}
	for i, w := range want {
		if imports[i].Module() != "env" || imports[i].Name() != w.name || imports[i].Type().Kind() != w.kind {
			t.Errorf("import %d: %s.%s %v", i, imports[i].Module(), imports[i].Name(), imports[i].Type().Kind())
		}
	}
	ft := imports[0].Type().IntoFunctionType()
	if len(ft.Params()) != 2 || ft.Params()[0].Kind() != I32 || ft.Params()[1].Kind() != F64 || ft.Results()[0].Kind() != I64 {
		t.Errorf("function type %v %v", kindsOf(ft.Params()), kindsOf(ft.Results()))
	}
	gt := imports[1].Type().IntoGlobalType()
	if gt.ValueType().Kind() != F32 || gt.Mutability() != MUTABLE {
		t.Errorf("global type %v %v", gt.ValueType().Kind(), gt.Mutability())
	}
	tt := imports[2].Type().IntoTableType()
	if tt.ValueType().Kind() != FuncRef || tt.Limits().Minimum() != 2 || tt.Limits().Maximum() != 10 {
		t.Errorf("table type %v %d %d", tt.ValueType().Kind(), tt.Limits().Minimum(), tt.Limits().Maximum())
	}
	mt := imports[3].Type().IntoMemoryType()
	if mt.Limits().Minimum() != 1 || mt.Limits().Maximum() != LimitMaxUnbound() {
		t.Errorf("memory type %d %d", mt.Limits().Minimum(), mt.Limits().Maximum())
	}
	if imports[0].Type().IntoMemoryType() != nil {
		t.Errorf("a function type converted to a memory type")
	}
	exports := module.Exports()
	names := []string{}
	for _, e := range exports {
		names = append(names, e.Name()+":"+e.Type().Kind().String())
	}
	if got := strings.Join(names, " "); got != "run:func answer:global table:table memory:memory" {
		t.Errorf("exports: %s", got)
	}
	if I32.String() != "i32" || FuncRef.String() != "funcref" || !F64.IsNumber() || !AnyRef.IsReference() {
		t.Errorf("ValueKind strings/predicates")
	}
	if _, err := NewLimits(3, 2); err == nil {
		t.Errorf("NewLimits(3, 2) succeeded")
	}
}

func TestCalls(t *testing.T) {
	store := newStore(t)
	instance := instantiate(t, compile(t, store, arith), nil)
	i64 := function(t, instance, "i64")
	for _, arg := range []interface{}{41, int64(41), int32(41), uint8(41), uint64(41), NewI64(41)} {
		if r, err := i64(arg); r != int64(42) || err != nil {
			t.Errorf("i64(%T) = %v, %v", arg, r, err)
		}
	}
	if r, err := i64(uint64(math.MaxUint64)); r != int64(0) || err != nil {
		t.Errorf("i64(MaxUint64) = %v, %v", r, err)
	}
	if r, err := function(t, instance, "f32")(float32(1)); r != float32(1.5) || err != nil {
		t.Errorf("f32 = %v, %v", r, err)
	}
	if r, err := function(t, instance, "f64")(1.0); r != 1.5 || err != nil {
		t.Errorf("f64 = %v, %v", r, err)
	}
	r, err := function(t, instance, "swap")(1, 2)
	if fmt.Sprint(r) != "[2 1]" || err != nil {
		t.Errorf("swap = %v, %v", r, err)
	}
	if r, err := function(t, instance, "nothing")(); r != nil || err != nil {
		t.Errorf("nothing = %v, %v", r, err)
	}
	raw, _ := instance.Exports.GetRawFunction("swap")
	if raw.ParameterArity() != 2 || raw.ResultArity() != 2 {
		t.Errorf("arity %d %d", raw.ParameterArity(), raw.ResultArity())
	}
	if r, err := raw.Call(int32(7), int64(8)); fmt.Sprint(r) != "[8 7]" || err != nil {
		t.Errorf("Call = %v, %v", r, err)
	}
	div := function(t, instance, "div")
	for _, args := range [][]interface{}{{1}, {1, 2, 3}, {"1", 2}, {1.5, 2}, {int64(1) << 40, 1}, {nil, 1}} {
		_, err := div(args...)
		var werr *Error
		if !errors.Is(err, ErrArgument) || !errors.As(err, &werr) {
			t.Errorf("div%v: got %v, want ErrArgument", args, err)
		}
	}
	if r, err := div(uint32(math.MaxUint32), 1); r != int32(-1) || err != nil {
		t.Errorf("div(MaxUint32, 1) = %v, %v", r, err)
	}
	if _, err := instance.Exports.GetFunction("nope"); err == nil {
		t.Errorf("GetFunction(nope) succeeded")
	}
	if _, err := instance.Exports.GetMemory("div"); err == nil {
		t.Errorf("GetMemory(div) succeeded")
	}
}

func TestTraps(t *testing.T) {
	store := newStore(t)
	instance := instantiate(t, compile(t, store, arith), nil)
	for name, args := range map[string][]interface{}{"trap": nil, "div": {1, 0}} {
		_, err := function(t, instance, name)(args...)
		var trap *TrapError
		if !errors.As(err, &trap) || !errors.Is(err, ErrTrap) || errors.Is(err, ErrHost) || trap.Error() == "" {
			t.Errorf("%s: got %#v, want a *TrapError", name, err)
		}
		if trap != nil && (trap.Origin() != nil || len(trap.Trace()) != 0 || trap.Unwrap() != nil) {
			t.Errorf("%s: unexpected trap details", name)
		}
	}
	// A trap in the start function fails the instantiation.
	_, err := NewInstance(compile(t, store, `(module (func $s unreachable) (start $s))`), nil)
	if !errors.Is(err, ErrTrap) {
		t.Errorf("start trap: got %v", err)
	}
}

type myError struct{ code int }

func (e *myError) Error() string { return "my error " + strconv.Itoa(e.code) }

const callsHost = `(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func (export "run") (param i32) (result i32) local.get 0 call $host)
  (func (export "trap") unreachable))`

func TestHostErrors(t *testing.T) {
	store := newStore(t)
	module := compile(t, store, callsHost)
	sentinel := errors.New("sentinel")
	var inner NativeFunction
	host := NewFunction(store, NewFunctionType(NewValueTypes(I32), NewValueTypes(I32)),
		func(args []Value) ([]Value, error) {
			switch args[0].I32() {
			case 0:
				return nil, &myError{7}
			case 1:
				panic("boom")
			case 2:
				panic(sentinel)
			case 3:
				return []Value{NewI32(1), NewI32(2)}, nil
			case 4:
				return []Value{NewF64(1.5)}, nil
			case 5: // a nested call into wasm that traps: its error comes back here
				_, err := inner()
				return nil, fmt.Errorf("nested: %w", err)
			case 6:
				return []Value{NewI64(int64(args[0].I32()) * 7)}, nil // converted to i32
			}
			return []Value{NewI32(args[0].I32() * 2)}, nil
		})
	imports := NewImportObject()
	imports.Register("env", map[string]IntoExtern{"host": host})
	instance := instantiate(t, module, imports)
	run := function(t, instance, "run")
	inner = function(t, instance, "trap")

	_, err := run(0)
	var mine *myError
	var trap *TrapError
	if !errors.As(err, &mine) || mine.code != 7 || !errors.As(err, &trap) || err.Error() != "my error 7" {
		t.Errorf("host error: got %#v", err)
	}
	if !errors.Is(err, ErrHost) || !errors.Is(err, ErrTrap) {
		t.Errorf("host error is not ErrHost/ErrTrap: %v", err)
	}
	if _, err := run(1); !errors.Is(err, ErrHost) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("host panic: got %v", err)
	}
	if _, err := run(2); !errors.Is(err, sentinel) {
		t.Errorf("host panic(error): got %v", err)
	}
	if _, err := run(3); !errors.Is(err, ErrHost) {
		t.Errorf("wrong result count: got %v", err)
	}
	if _, err := run(4); !errors.Is(err, ErrHost) {
		t.Errorf("wrong result kind: got %v", err)
	}
	if _, err := run(5); !errors.Is(err, ErrTrap) || !strings.HasPrefix(err.Error(), "nested: ") {
		t.Errorf("nested trap: got %v", err)
	}
	if r, err := run(6); r != int32(42) || err != nil {
		t.Errorf("converted result: %v, %v", r, err)
	}
	if r, err := run(21); r != int32(42) || err != nil {
		t.Errorf("after errors: %v, %v", r, err)
	}
}

func TestHostFunctionWithEnvironment(t *testing.T) {
	store := newStore(t)
	type counter struct{ n int32 }
	env := &counter{}
	host := NewFunctionWithEnvironment(store, NewFunctionType(NewValueTypes(I32), NewValueTypes(I32)), env,
		func(e interface{}, args []Value) ([]Value, error) {
			c := e.(*counter)
			c.n += args[0].I32()
			return []Value{NewI32(c.n)}, nil
		})
	imports := NewImportObject()
	imports.Register("env", map[string]IntoExtern{"host": host})
	run := function(t, instantiate(t, compile(t, store, callsHost), imports), "run")
	run(2)
	if r, _ := run(3); r != int32(5) || env.n != 5 {
		t.Errorf("environment: %v %d", r, env.n)
	}
	if host.Type() == nil || len(host.Type().Params()) != 1 {
		t.Errorf("host function type")
	}
	// A host function is also callable from Go.
	if r, err := host.Call(10); r != int32(15) || err != nil {
		t.Errorf("host.Call: %v %v", r, err)
	}
}

func TestLinkErrors(t *testing.T) {
	store := newStore(t)
	module := compile(t, store, callsHost)
	if _, err := NewInstance(module, NewImportObject()); !errors.Is(err, ErrLink) {
		t.Errorf("missing import: got %v", err)
	}
	if _, err := NewInstance(module, nil); !errors.Is(err, ErrLink) {
		t.Errorf("nil imports: got %v", err)
	}
	imports := NewImportObject()
	limits, _ := NewLimits(1, 1)
	imports.Register("env", map[string]IntoExtern{"host": NewMemory(store, NewMemoryType(limits))})
	if _, err := NewInstance(module, imports); !errors.Is(err, ErrLink) {
		t.Errorf("wrong kind: got %v", err)
	}
	if !imports.ContainsNamespace("env") || imports.ContainsNamespace("other") {
		t.Errorf("ContainsNamespace")
	}
	imports.Register("env", map[string]IntoExtern{"host": (*Function)(nil)})
	if _, err := NewInstance(module, imports); err == nil {
		t.Errorf("nil extern accepted")
	}
}

func TestMemory(t *testing.T) {
	store := newStore(t)
	instance := instantiate(t, compile(t, store, `(module
  (memory (export "memory") 1 3)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store8))`), nil)
	memory, err := instance.Exports.GetMemory("memory")
	if err != nil {
		t.Fatal(err)
	}
	if memory.Size() != 1 || memory.DataSize() != 65536 || len(memory.Data()) != 65536 || memory.Size().ToBytes() != 65536 {
		t.Fatalf("size %d %d %d", memory.Size(), memory.DataSize(), len(memory.Data()))
	}
	memory.Data()[100] = 42 // the slice aliases linear memory
	if r, _ := function(t, instance, "load")(100); r != int32(42) {
		t.Errorf("load(100) = %v", r)
	}
	function(t, instance, "store")(200, 7)
	if memory.Data()[200] != 7 {
		t.Errorf("store not visible in Data()")
	}
	if !memory.Grow(2) || memory.Size() != 3 || len(memory.Data()) != 3*65536 {
		t.Errorf("Grow(2): size %d", memory.Size())
	}
	if memory.Grow(1) {
		t.Errorf("Grow past the maximum succeeded")
	}
	if memory.Type().Limits().Maximum() != 3 {
		t.Errorf("memory type")
	}
	limits, _ := NewLimits(2, 4)
	own := NewMemory(store, NewMemoryType(limits))
	defer own.Close()
	if own.Size() != 2 || own.IntoExtern().Kind() != MEMORY || own.IntoExtern().IntoMemory() == nil {
		t.Errorf("NewMemory")
	}
}

func TestMemoryBulk(t *testing.T) {
	store := newStore(t)
	limits, _ := NewLimits(1, 3)
	memory := NewMemory(store, NewMemoryType(limits))
	defer memory.Close()
	size := uint64(memory.DataSize())
	pattern := make([]byte, 768)
	for i := range pattern {
		pattern[i] = byte(i)
	}
	for _, c := range []struct {
		offset uint64
		data   []byte
	}{{0, []byte("head")}, {size / 2, pattern}, {size - 1, []byte{0xff}}} {
		if err := memory.Write(c.offset, c.data); err != nil {
			t.Fatalf("Write(%d): %v", c.offset, err)
		}
		got, err := memory.Read(c.offset, uint64(len(c.data)))
		if err != nil || !bytes.Equal(got, c.data) || !bytes.Equal(memory.Data()[c.offset:c.offset+uint64(len(c.data))], c.data) {
			t.Fatalf("Read(%d) = %v, %v", c.offset, got, err)
		}
	}
	if got, err := memory.Read(size, 0); err != nil || len(got) != 0 {
		t.Errorf("Read(size, 0) = %v, %v", got, err)
	}
	before, _ := memory.Read(0, size)
	for _, c := range []struct{ offset, length uint64 }{{size + 1, 0}, {size - 1, 2}, {0, size + 1}, {^uint64(0), 2}} {
		if _, err := memory.Read(c.offset, c.length); !errors.Is(err, ErrArgument) {
			t.Errorf("Read(%d, %d): %v", c.offset, c.length, err)
		}
		if c.length <= size+1 {
			if err := memory.Write(c.offset, make([]byte, c.length)); !errors.Is(err, ErrArgument) {
				t.Errorf("Write(%d, %d bytes): %v", c.offset, c.length, err)
			}
		}
		dst := []byte{1, 2}
		if err := memory.ReadInto(c.offset, dst); c.length == 2 && (err == nil || dst[0] != 1) {
			t.Errorf("ReadInto(%d): %v %v", c.offset, err, dst)
		}
	}
	if after, _ := memory.Read(0, size); !bytes.Equal(before, after) {
		t.Errorf("an out-of-bounds write changed the memory")
	}
	if !memory.Grow(1) {
		t.Fatal("Grow(1)")
	}
	if err := memory.Write(size+5, []byte("grown")); err != nil {
		t.Fatal(err)
	}
	if got, _ := memory.Read(size+5, 5); string(got) != "grown" {
		t.Errorf("after grow: %q", got)
	}
	if got, _ := memory.Read(size-1, 1); got[0] != 0xff {
		t.Errorf("after grow, the old last byte: %v", got)
	}
	data := memory.Data() // a slice taken after grow covers the new pages
	if uint64(len(data)) != 2*size || data[size+5] != 'g' {
		t.Errorf("Data() after grow: %d bytes", len(data))
	}
}

func TestGlobals(t *testing.T) {
	store := newStore(t)
	imported := NewGlobal(store, NewGlobalType(NewValueType(I64), MUTABLE), NewI64(5))
	imports := NewImportObject()
	imports.Register("env", map[string]IntoExtern{"g": imported})
	instance := instantiate(t, compile(t, store, `(module
  (import "env" "g" (global $g (mut i64)))
  (global (export "const") f32 (f32.const 1.5))
  (global (export "var") (mut i32) (i32.const 1))
  (func (export "bump") global.get $g i64.const 1 i64.add global.set $g))`), imports)
	c, _ := instance.Exports.GetGlobal("const")
	if v, err := c.Get(); v != float32(1.5) || err != nil {
		t.Errorf("const = %v, %v", v, err)
	}
	if err := c.Set(float32(2), F32); !errors.Is(err, ErrArgument) {
		t.Errorf("set immutable: %v", err)
	}
	v, _ := instance.Exports.GetGlobal("var")
	if err := v.Set(41, I32); err != nil {
		t.Errorf("Set: %v", err)
	}
	if x, _ := v.Get(); x != int32(41) {
		t.Errorf("var = %v", x)
	}
	if err := v.Set(1, I64); err == nil {
		t.Errorf("Set with the wrong kind succeeded")
	}
	if v.Type().Mutability() != MUTABLE || v.Type().ValueType().Kind() != I32 {
		t.Errorf("global type")
	}
	function(t, instance, "bump")()
	if x, _ := imported.Get(); x != int64(6) {
		t.Errorf("imported global = %v", x)
	}
}

func TestTables(t *testing.T) {
	store := newStore(t)
	instance := instantiate(t, compile(t, store, `(module
  (table (export "table") 2 4 funcref)
  (func $f (result i32) i32.const 7)
  (elem (i32.const 1) $f)
  (func (export "f") (result i32) i32.const 7))`), nil)
	table, _ := instance.Exports.GetTable("table")
	if table.Size() != 2 || table.Size().ToUint32() != 2 || table.Type().Limits().Maximum() != 4 {
		t.Errorf("table size %d", table.Size())
	}
	if f, err := table.Get(0); f != nil || err != nil {
		t.Errorf("Get(0) = %v, %v", f, err)
	}
	f, err := table.Get(1)
	if err != nil || f == nil {
		t.Fatalf("Get(1) = %v, %v", f, err)
	}
	if r, err := f.Call(); r != int32(7) || err != nil {
		t.Errorf("table[1]() = %v, %v", r, err)
	}
	if _, err := table.Get(9); !errors.Is(err, ErrArgument) {
		t.Errorf("Get(9): %v", err)
	}
	if prev, err := table.Grow(1); prev != 2 || err != nil || table.Size() != 3 {
		t.Errorf("Grow: %v %v", prev, err)
	}
	raw, _ := instance.Exports.GetRawFunction("f")
	if err := table.Set(0, raw); err != nil {
		t.Errorf("Set: %v", err)
	}
	if err := table.Set(0, sumFunction(store)); !errors.Is(err, ErrArgument) {
		t.Errorf("Set(host function): %v", err)
	}
	limits, _ := NewLimits(10, 20)
	own := NewTable(store, NewTableType(NewValueType(FuncRef), limits))
	if own.Size() != 10 {
		t.Errorf("NewTable size %d", own.Size())
	}
}

func TestEngines(t *testing.T) {
	for _, config := range []*Config{NewConfig().UseCraneliftCompiler(), NewConfig().UseSinglepassCompiler().UseUniversalEngine()} {
		store := NewStore(NewEngineWithConfig(config))
		instance := instantiate(t, compile(t, store, arith), nil)
		if r, err := function(t, instance, "i64")(1); r != int64(2) || err != nil {
			t.Errorf("%v: %v %v", config.compiler, r, err)
		}
		store.Close()
	}
	if !IsCompilerAvailable(CRANELIFT) || IsCompilerAvailable(CompilerKind(99)) {
		t.Errorf("IsCompilerAvailable")
	}
	store := NewStore(NewDylibEngine())
	if _, err := NewModule(store, []byte("(module)")); err == nil {
		t.Errorf("dylib engine: no error")
	}
	if !strings.HasPrefix(Version(), "7.") {
		t.Errorf("Version() = %q", Version())
	}
}

func TestUseAfterClose(t *testing.T) {
	store := NewStore(NewEngine())
	module, _ := NewModule(store, []byte(arith))
	instance, _ := NewInstance(module, nil)
	i64, _ := instance.Exports.GetFunction("i64")
	raw, _ := instance.Exports.GetRawFunction("i64")
	instance.Close()
	instance.Close() // twice is fine
	if _, err := i64(1); err == nil {
		t.Errorf("call after Instance.Close: no error")
	}
	if _, err := raw.Call(1); err == nil || raw.Type() != nil {
		t.Errorf("raw call after close: no error")
	}
	module.Close()
	if _, err := NewInstance(module, nil); err == nil {
		t.Errorf("NewInstance after Module.Close: no error")
	}
	if _, err := module.Serialize(); err == nil || module.Exports() != nil || module.Name() != "" {
		t.Errorf("module use after close")
	}
	limits, _ := NewLimits(1, 1)
	memory := NewMemory(store, NewMemoryType(limits))
	global := NewGlobal(store, NewGlobalType(NewValueType(I32), MUTABLE), NewI32(1))
	store.Close()
	if _, err := NewModule(store, []byte("(module)")); err == nil {
		t.Errorf("NewModule after Store.Close: no error")
	}
	if f := sumFunction(store); f.Type() != nil {
		t.Errorf("NewFunction on a closed store")
	}
	// Objects made before the store was closed stay valid until closed themselves.
	if memory.Size() != 1 || len(memory.Data()) != 65536 {
		t.Errorf("memory after Store.Close")
	}
	memory.Close()
	if memory.Data() != nil || memory.Size() != 0 || memory.Grow(1) {
		t.Errorf("memory after Close")
	}
	global.Close()
	if _, err := global.Get(); err == nil {
		t.Errorf("Global.Get after Close: no error")
	}
	if err := global.Set(1, I32); err == nil {
		t.Errorf("Global.Set after Close: no error")
	}
	var nilStore *Store
	if _, err := NewModule(nilStore, []byte("(module)")); err == nil {
		t.Errorf("nil store accepted")
	}
}

// rss is the resident set size of the process, in bytes.
func rss(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc/self/statm")
	}
	fields := strings.Fields(string(data))
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// The most-reported wasmer-go bug: instantiating in a loop leaks. Each
// iteration makes a store, a host function and an instance, and calls it.
func TestInstantiateLoopDoesNotLeak(t *testing.T) {
	engine := NewEngine()
	defer engine.Close()
	// Compiled once: the instances go to the store of their imports, a new
	// one each time. (Each compile or deserialize keeps its machine code in
	// the engine until the engine is freed: libwasmer's design.)
	module, err := NewModule(NewStore(engine), []byte(`(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))`))
	if err != nil {
		t.Fatal(err)
	}
	defer module.Close()
	iteration := func(t *testing.T, i int, close bool) {
		store := NewStore(engine)
		imports := NewImportObject()
		imports.Register("env", map[string]IntoExtern{"sum": sumFunction(store)})
		instance, err := NewInstance(module, imports)
		if err != nil {
			t.Fatal(err)
		}
		add1, _ := instance.Exports.GetFunction("add1")
		if r, err := add1(i, 1); r != int32(i+2) || err != nil {
			t.Fatalf("add1 = %v, %v", r, err)
		}
		if close {
			instance.Close()
			store.Close()
		}
	}
	for _, mode := range []struct {
		name  string
		close bool
	}{{"Close", true}, {"finalizers", false}} {
		t.Run(mode.name, func(t *testing.T) {
			var base int64
			for i := 0; i < 5000; i++ {
				iteration(t, i, mode.close)
				if i%100 == 99 {
					runtime.GC()
					drainDeferred()
				}
				if i == 999 {
					base = rss(t)
				}
				if live := atomic.LoadInt64(&liveHostFunctions); live > 1000 {
					t.Fatalf("iteration %d: %d live host functions", i, live)
				}
			}
			settle()
			live := atomic.LoadInt64(&liveHostFunctions)
			grown := rss(t) - base
			t.Logf("%s: %d live host functions, RSS grew %d KiB over 4000 iterations", mode.name, live, grown/1024)
			if live > 10 {
				t.Errorf("%d host functions still alive", live)
			}
			if grown > 64<<20 {
				t.Errorf("RSS grew by %d MiB over 4000 instantiations", grown>>20)
			}
		})
	}
}

// Stores used from several goroutines at once, their objects left to the
// finalizers: each store's objects are deleted on the goroutine using it, or
// with the store once nothing uses it.
func TestConcurrentStores(t *testing.T) {
	engine := NewEngine()
	module, err := NewModule(NewStore(engine), []byte(callsHost))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func(g int) {
			var failure error
			for i := 0; i < 300 && failure == nil; i++ {
				store := NewStore(engine)
				host := NewFunction(store, NewFunctionType(NewValueTypes(I32), NewValueTypes(I32)),
					func(args []Value) ([]Value, error) { return []Value{NewI32(args[0].I32() + 1)}, nil })
				imports := NewImportObject()
				imports.Register("env", map[string]IntoExtern{"host": host})
				instance, err := NewInstance(module, imports)
				if err != nil {
					failure = err
					break
				}
				run, _ := instance.Exports.GetFunction("run")
				for j := 0; j < 10; j++ {
					if r, err := run(g*1000 + j); r != int32(g*1000+j+1) || err != nil {
						failure = fmt.Errorf("run = %v, %v", r, err)
					}
				}
				if i%50 == 0 {
					runtime.GC()
				}
			}
			done <- failure
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	settle()
	if live := atomic.LoadInt64(&liveHostFunctions); live > 10 {
		t.Errorf("%d host functions still alive", live)
	}
}
