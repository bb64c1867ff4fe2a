package wasmer

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Reference values: externref as any Go value (identity preserved), funcref as
// *Function, in calls, host functions and globals.

const refsWat = `(module
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "is_null") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "pair") (param externref externref) (result externref externref) local.get 1 local.get 0)
  (func (export "mixed") (param i32 externref f64) (result f64 externref i32) local.get 2 local.get 1 local.get 0)
  (func $seven (result i32) i32.const 7)
  (elem declare func $seven)
  (func (export "seven") (result i32) i32.const 7)
  (func (export "some_func") (result funcref) ref.func $seven)
  (func (export "null_func") (result funcref) ref.null func)
  (func (export "func_is_null") (param funcref) (result i32) local.get 0 ref.is_null)
  (func (export "idf") (param funcref) (result funcref) local.get 0)
  (table $t 1 funcref)
  (func (export "call_ref") (param funcref) (result i32)
    i32.const 0 local.get 0 table.set $t
    i32.const 0 call_indirect $t (result i32))
  (func (export "both") (param externref funcref) (result i32) i32.const 1)
  (global $g (export "g") (mut externref) (ref.null extern))
  (func (export "set_g") (param externref) local.get 0 global.set $g)
  (global (export "gf") (mut funcref) (ref.null func)))`

type thing struct{ name string }

func TestExternrefIdentity(t *testing.T) {
	store := newStore(t)
	instance := instantiate(t, compile(t, store, refsWat), nil)
	id := function(t, instance, "id")
	obj := &thing{"a"}
	if r, err := id(obj); r != obj || err != nil {
		t.Errorf("id(obj) = %v, %v: not the same object", r, err)
	}
	if r, err := id(NewAnyRef(obj)); r != obj || err != nil {
		t.Errorf("id(NewAnyRef(obj)) = %v, %v", r, err)
	}
	if r, err := id(NewValue(obj, AnyRef)); r != obj || err != nil {
		t.Errorf("id(NewValue(obj, AnyRef)) = %v, %v", r, err)
	}
	for _, v := range []interface{}{42, "text", thing{"b"}, []int{1}, errors.New("e")} {
		r, err := id(v)
		if fmt.Sprint(r) != fmt.Sprint(v) || fmt.Sprintf("%T", r) != fmt.Sprintf("%T", v) || err != nil {
			t.Errorf("id(%#v) = %#v, %v", v, r, err)
		}
	}
	if r, err := id(nil); r != nil || err != nil {
		t.Errorf("id(nil) = %v, %v", r, err)
	}
	if r, err := id(NewAnyRef(nil)); r != nil || err != nil {
		t.Errorf("id(NewAnyRef(nil)) = %v, %v", r, err)
	}
	isNull := function(t, instance, "is_null")
	if r, _ := isNull(nil); r != int32(1) {
		t.Errorf("is_null(nil) = %v", r)
	}
	if r, _ := isNull(obj); r != int32(0) {
		t.Errorf("is_null(obj) = %v", r)
	}
	other := &thing{"b"}
	r, err := function(t, instance, "pair")(obj, other)
	if out, ok := r.([]interface{}); !ok || len(out) != 2 || out[0] != other || out[1] != obj || err != nil {
		t.Errorf("pair = %v, %v", r, err)
	}
	r, err = function(t, instance, "mixed")(3, obj, 1.5)
	if out, ok := r.([]interface{}); !ok || out[0] != 1.5 || out[1] != obj || out[2] != int32(3) || err != nil {
		t.Errorf("mixed = %v, %v", r, err)
	}
	if _, err := function(t, instance, "mixed")("x", obj, 1.5); !errors.Is(err, ErrArgument) {
		t.Errorf("mixed(bad i32): %v", err)
	}
	if _, err := id(); !errors.Is(err, ErrArgument) {
		t.Errorf("id(): %v", err)
	}
	// Values
	v := NewAnyRef(obj)
	if v.Kind() != AnyRef || v.Unwrap() != obj || v.AnyRef() != obj {
		t.Errorf("NewAnyRef: %v %v", v.Kind(), v.Unwrap())
	}
	if NewValue(nil, AnyRef).Unwrap() != nil || NewFuncRef(nil).FuncRef() != nil || NewFuncRef(nil).Unwrap() != nil {
		t.Errorf("null reference Values")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("NewValue(\"x\", FuncRef) did not panic")
			}
		}()
		NewValue("x", FuncRef)
	}()
}

func TestFuncrefs(t *testing.T) {
	store := newStore(t)
	instance := instantiate(t, compile(t, store, refsWat), nil)
	r, err := function(t, instance, "some_func")()
	f, ok := r.(*Function)
	if !ok || err != nil {
		t.Fatalf("some_func() = %#v, %v: want a *Function", r, err)
	}
	if got, err := f.Call(); got != int32(7) || err != nil {
		t.Errorf("(some_func())() = %v, %v", got, err)
	}
	if ty := f.Type(); ty == nil || len(ty.Params()) != 0 || len(ty.Results()) != 1 || ty.Results()[0].Kind() != I32 {
		t.Errorf("funcref type %v", ty)
	}
	if r, err := function(t, instance, "null_func")(); r != nil || err != nil {
		t.Errorf("null_func() = %#v, %v", r, err)
	}
	isNull := function(t, instance, "func_is_null")
	seven, _ := instance.Exports.GetRawFunction("seven")
	sevenExtern, _ := instance.Exports.Get("seven")
	for _, arg := range []interface{}{f, seven, sevenExtern, NewFuncRef(f), NewValue(seven, FuncRef)} {
		if r, err := isNull(arg); r != int32(0) || err != nil {
			t.Errorf("func_is_null(%T) = %v, %v", arg, r, err)
		}
	}
	for _, arg := range []interface{}{nil, (*Function)(nil), NewFuncRef(nil)} {
		if r, err := isNull(arg); r != int32(1) || err != nil {
			t.Errorf("func_is_null(%#v) = %v, %v", arg, r, err)
		}
	}
	// A funcref passed back in is callable from wasm.
	callRef := function(t, instance, "call_ref")
	if r, err := callRef(f); r != int32(7) || err != nil {
		t.Errorf("call_ref(some_func()) = %v, %v", r, err)
	}
	if r, err := callRef(seven); r != int32(7) || err != nil {
		t.Errorf("call_ref(seven) = %v, %v", r, err)
	}
	if _, err := callRef(nil); !errors.Is(err, ErrTrap) {
		t.Errorf("call_ref(nil): %v", err)
	}
	// Through wasm and back: a new *Function of the same function.
	r, err = function(t, instance, "idf")(f)
	if g, ok := r.(*Function); !ok || err != nil {
		t.Errorf("idf(f) = %#v, %v", r, err)
	} else if got, _ := g.Call(); got != int32(7) {
		t.Errorf("idf(f)() = %v", got)
	}
	// Wrong funcrefs are argument errors, never a crash.
	host := sumFunction(store)
	if _, err := isNull(host); !errors.Is(err, ErrArgument) || !strings.Contains(err.Error(), "host function") {
		t.Errorf("func_is_null(host function): %v", err)
	}
	if _, err := isNull("f"); !errors.Is(err, ErrArgument) {
		t.Errorf("func_is_null(\"f\"): %v", err)
	}
	memory, _ := NewLimits(1, 1)
	if _, err := isNull(NewMemory(store, NewMemoryType(memory)).IntoExtern()); !errors.Is(err, ErrArgument) {
		t.Errorf("func_is_null(memory): %v", err)
	}
	otherStore := newStore(t)
	otherSeven, _ := instantiate(t, compile(t, otherStore, refsWat), nil).Exports.GetRawFunction("seven")
	if _, err := isNull(otherSeven); !errors.Is(err, ErrArgument) {
		t.Errorf("func_is_null(function of another store): %v", err)
	}
	closed, _ := function(t, instance, "some_func")()
	closed.(*Function).Close()
	if _, err := isNull(closed); !errors.Is(err, ErrArgument) {
		t.Errorf("func_is_null(closed function): %v", err)
	}
	// An externref registered for a call that fails on its arguments is released.
	base := liveExternrefs()
	if _, err := function(t, instance, "both")(&thing{"lost"}, host); !errors.Is(err, ErrArgument) {
		t.Errorf("both(obj, host function): %v", err)
	}
	if _, err := function(t, instance, "both")(&thing{"lost"}, "f"); !errors.Is(err, ErrArgument) {
		t.Errorf("both(obj, \"f\"): %v", err)
	}
	if live := liveExternrefs(); live != base {
		t.Errorf("failed calls left %d externref(s) registered", live-base)
	}
}

func TestHostFunctionReferences(t *testing.T) {
	store := newStore(t)
	seen := []interface{}{}
	swap := &thing{"swapped"}
	keep := NewFunction(store, NewFunctionType(NewValueTypes(AnyRef, I32), NewValueTypes(AnyRef)),
		func(args []Value) ([]Value, error) {
			seen = append(seen, args[0].AnyRef())
			switch args[1].I32() {
			case 1:
				return []Value{NewAnyRef(swap)}, nil
			case 2:
				return []Value{NewAnyRef(nil)}, nil
			case 3:
				return []Value{NewI32(5)}, nil // any Go value is an externref: int32(5)
			}
			return []Value{args[0]}, nil
		})
	var host *Function
	var wasmSeven interface{}
	apply := NewFunction(store, NewFunctionType(NewValueTypes(FuncRef, I32), NewValueTypes(FuncRef, I32)),
		func(args []Value) ([]Value, error) {
			f := args[0].FuncRef()
			if f == nil {
				return []Value{NewFuncRef(nil), NewI32(-1)}, nil
			}
			r, err := f.Call()
			if err != nil {
				return nil, err
			}
			switch args[1].I32() {
			case 1:
				return []Value{NewFuncRef(host), NewI32(0)}, nil
			case 2:
				return []Value{NewI32(5), NewI32(0)}, nil
			case 3:
				return []Value{NewValue(wasmSeven, FuncRef), NewI32(0)}, nil
			}
			return []Value{args[0], NewI32(r.(int32))}, nil
		})
	host = sumFunction(store)
	// The glue holds the closures until the store is freed: what they capture
	// of the store would keep it alive.
	t.Cleanup(func() { host, wasmSeven = nil, nil })
	imports := NewImportObject()
	imports.Register("env", map[string]IntoExtern{"keep": keep, "apply": apply})
	instance := instantiate(t, compile(t, store, `(module
  (import "env" "keep" (func $keep (param externref i32) (result externref)))
  (import "env" "apply" (func $apply (param funcref i32) (result funcref i32)))
  (func $seven (result i32) i32.const 7)
  (elem declare func $seven)
  (func (export "seven") (result i32) i32.const 7)
  (func (export "through") (param externref i32) (result externref) local.get 0 local.get 1 call $keep)
  (func (export "apply_seven") (param i32) (result funcref i32) ref.func $seven local.get 0 call $apply)
  (func (export "apply_null") (result funcref i32) ref.null func i32.const 0 call $apply))`), imports)
	through := function(t, instance, "through")
	obj := &thing{"host"}
	if r, err := through(obj, 0); r != obj || err != nil || len(seen) != 1 || seen[0] != obj {
		t.Errorf("through(obj) = %v, %v (host saw %v)", r, err, seen)
	}
	if r, err := through(obj, 1); r != swap || err != nil {
		t.Errorf("through(obj, swap) = %v, %v", r, err)
	}
	if r, err := through(nil, 0); r != nil || err != nil || seen[len(seen)-1] != nil {
		t.Errorf("through(nil) = %v, %v", r, err)
	}
	if r, err := through(obj, 2); r != nil || err != nil {
		t.Errorf("through(obj, null) = %v, %v", r, err)
	}
	if r, err := through(obj, 3); r != int32(5) || err != nil {
		t.Errorf("through(obj, number) = %#v, %v", r, err)
	}
	// Called from Go directly, through the same paths.
	if r, err := keep.Call(obj, 0); r != obj || err != nil {
		t.Errorf("keep.Call(obj) = %v, %v", r, err)
	}

	applySeven := function(t, instance, "apply_seven")
	r, err := applySeven(0)
	out, _ := r.([]interface{})
	if err != nil || len(out) != 2 || out[1] != int32(7) {
		t.Fatalf("apply_seven(0) = %v, %v", r, err)
	}
	if f, ok := out[0].(*Function); !ok {
		t.Errorf("apply_seven(0) returned %#v, want a *Function", out[0])
	} else if got, _ := f.Call(); got != int32(7) {
		t.Errorf("returned funcref() = %v", got)
	}
	wasmSeven, _ = instance.Exports.GetRawFunction("seven")
	if r, err := applySeven(3); err != nil || r.([]interface{})[1] != int32(0) || r.([]interface{})[0] == nil {
		t.Errorf("apply_seven(3) = %v, %v", r, err)
	}
	if r, err := function(t, instance, "apply_null")(); err != nil || fmt.Sprint(r) != "[<nil> -1]" {
		t.Errorf("apply_null() = %v, %v", r, err)
	}
	// A host function returned as a funcref: an argument error, raised in the host call.
	_, err = applySeven(1)
	if !errors.Is(err, ErrArgument) || !errors.Is(err, ErrHost) || !strings.Contains(err.Error(), "host function") {
		t.Errorf("apply_seven(1) (host function as funcref): %v", err)
	}
	if _, err := applySeven(2); !errors.Is(err, ErrArgument) {
		t.Errorf("apply_seven(2) (number as funcref): %v", err)
	}
	if r, err := applySeven(0); err != nil || r.([]interface{})[1] != int32(7) {
		t.Errorf("apply_seven(0) after errors = %v, %v", r, err)
	}
}

func TestReferenceGlobals(t *testing.T) {
	store := newStore(t)
	obj := &thing{"global"}
	imported := NewGlobal(store, NewGlobalType(NewValueType(AnyRef), MUTABLE), NewAnyRef(obj))
	if v, err := imported.Get(); v != obj || err != nil {
		t.Errorf("NewGlobal(externref).Get() = %v, %v", v, err)
	}
	imports := NewImportObject()
	imports.Register("env", map[string]IntoExtern{"g": imported})
	instance := instantiate(t, compile(t, store, `(module
  (import "env" "g" (global $g (mut externref)))
  (func (export "read") (result externref) global.get $g)
  (func (export "write") (param externref) local.get 0 global.set $g))`), imports)
	if r, err := function(t, instance, "read")(); r != obj || err != nil {
		t.Errorf("read() = %v, %v", r, err)
	}
	other := &thing{"other"}
	function(t, instance, "write")(other)
	if v, _ := imported.Get(); v != other {
		t.Errorf("after write: %v", v)
	}

	refs := instantiate(t, compile(t, store, refsWat), nil)
	g, err := refs.Exports.GetGlobal("g")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := g.Get(); v != nil || err != nil {
		t.Errorf("g = %v, %v", v, err)
	}
	if err := g.Set(obj, AnyRef); err != nil {
		t.Errorf("g.Set(obj): %v", err)
	}
	if v, _ := g.Get(); v != obj {
		t.Errorf("g after Set = %v", v)
	}
	function(t, refs, "set_g")(other)
	if v, _ := g.Get(); v != other {
		t.Errorf("g after set_g = %v", v)
	}
	if err := g.Set(nil, AnyRef); err != nil {
		t.Errorf("g.Set(nil): %v", err)
	}
	if v, _ := g.Get(); v != nil {
		t.Errorf("g after Set(nil) = %v", v)
	}
	if err := g.Set(1, I32); !errors.Is(err, ErrArgument) {
		t.Errorf("g.Set(1, I32): %v", err)
	}
	if g.Type().ValueType().Kind() != AnyRef {
		t.Errorf("g type %v", g.Type().ValueType().Kind())
	}

	// funcref globals
	gf, _ := refs.Exports.GetGlobal("gf")
	seven, _ := refs.Exports.GetRawFunction("seven")
	if v, err := gf.Get(); v != nil || err != nil {
		t.Errorf("gf = %#v, %v", v, err)
	}
	if err := gf.Set(seven, FuncRef); err != nil {
		t.Errorf("gf.Set(seven): %v", err)
	}
	if v, _ := gf.Get(); v == nil {
		t.Errorf("gf after Set = nil")
	} else if r, err := v.(*Function).Call(); r != int32(7) || err != nil {
		t.Errorf("gf() = %v, %v", r, err)
	}
	if err := gf.Set(sumFunction(store), FuncRef); !errors.Is(err, ErrArgument) {
		t.Errorf("gf.Set(host function): %v", err)
	}
	if err := gf.Set("f", FuncRef); !errors.Is(err, ErrArgument) {
		t.Errorf("gf.Set(\"f\"): %v", err)
	}
	own := NewGlobal(store, NewGlobalType(NewValueType(FuncRef), IMMUTABLE), NewFuncRef(seven))
	if v, err := own.Get(); err != nil || v == nil {
		t.Errorf("NewGlobal(funcref).Get() = %v, %v", v, err)
	}
	bad := NewGlobal(store, NewGlobalType(NewValueType(FuncRef), IMMUTABLE), NewFuncRef(sumFunction(store)))
	if _, err := bad.Get(); !errors.Is(err, ErrArgument) {
		t.Errorf("NewGlobal(host function as funcref): %v", err)
	}
}

// Externref tokens are released when their store is freed, whether it is closed
// or collected; funcref Functions are freed with it.
func TestReferencesDoNotLeak(t *testing.T) {
	engine := NewEngine()
	defer engine.Close()
	module, err := NewModule(NewStore(engine), []byte(`(module
  (import "env" "keep" (func $keep (param externref) (result externref)))
  (func $seven (result i32) i32.const 7)
  (elem declare func $seven)
  (global $g (mut externref) (ref.null extern))
  (func (export "through") (param externref) (result externref)
    local.get 0 global.set $g local.get 0 call $keep)
  (func (export "some_func") (result funcref) ref.func $seven))`))
	if err != nil {
		t.Fatal(err)
	}
	defer module.Close()
	settle() // the stores of earlier tests
	base := liveExternrefs()
	iteration := func(t *testing.T, i int, close bool) {
		store := NewStore(engine)
		keep := NewFunction(store, NewFunctionType(NewValueTypes(AnyRef), NewValueTypes(AnyRef)),
			func(args []Value) ([]Value, error) { return args, nil })
		imports := NewImportObject()
		imports.Register("env", map[string]IntoExtern{"keep": keep})
		instance, err := NewInstance(module, imports)
		if err != nil {
			t.Fatal(err)
		}
		through, _ := instance.Exports.GetFunction("through")
		obj := &thing{fmt.Sprint(i)}
		for j := 0; j < 3; j++ {
			if r, err := through(obj); r != obj || err != nil {
				t.Fatalf("through = %v, %v", r, err)
			}
		}
		someFunc, _ := instance.Exports.GetFunction("some_func")
		f, _ := someFunc()
		if r, _ := f.(*Function).Call(); r != int32(7) {
			t.Fatalf("some_func()() = %v", r)
		}
		if close {
			f.(*Function).Close()
			instance.Close()
			store.Close()
			keep.Close()
		}
	}
	for _, mode := range []struct {
		name  string
		close bool
	}{{"Close", true}, {"finalizers", false}} {
		t.Run(mode.name, func(t *testing.T) {
			var before int64
			for i := 0; i < 3000; i++ {
				iteration(t, i, mode.close)
				if i%100 == 99 {
					runtime.GC()
					drainDeferred()
				}
				if i == 999 {
					before = rss(t)
				}
				if mode.close && liveExternrefs() > base {
					t.Fatalf("iteration %d: %d externref(s) still registered after Close", i, liveExternrefs()-base)
				}
			}
			settle()
			live := liveExternrefs() - base
			grown := rss(t) - before
			t.Logf("%s: %d externref(s) registered, RSS grew %d KiB over 2000 iterations", mode.name, live, grown/1024)
			if live > 30 {
				t.Errorf("%d externrefs still registered", live)
			}
			if grown > 64<<20 {
				t.Errorf("RSS grew by %d MiB", grown>>20)
			}
		})
	}
}

// settle runs the collector and the deferred deletes until nothing more is
// freed: a store is freed a few collections after its last object (finalizers
// run on their own goroutine, and what a finalizer reaches waits one more cycle).
func settle() {
	last := int64(-1)
	// Until nothing is left, or the count held for 10 rounds: a chain of
	// finalizers (extern -> store) takes one GC cycle per link.
	for i, stable := 0, 0; i < 200 && stable < 10 && last != 0; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond) // lets the finalizer goroutine run
		drainDeferred()
		now := atomic.LoadInt64(&liveHostFunctions) + int64(liveExternrefs())
		if now == last {
			stable++
		} else {
			stable = 0
		}
		last = now
	}
}
