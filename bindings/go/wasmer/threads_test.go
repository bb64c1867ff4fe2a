package wasmer

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const sharedWat = `(module
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "pair") (param i64 i32) (result i32 i64) local.get 1 local.get 0)
  (func (export "same") (param externref i32) (result i32 externref) local.get 1 local.get 0))`

// inChild runs one test of this binary in a child process, with env set, and
// returns its output: for cases that crash the process where the shared glue
// lacks its store lock or stack check (a crash then fails that test, not the
// whole run).
func inChild(t *testing.T, env string) (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.CombinedOutput()
	text := string(out)
	if len(text) > 3000 {
		text = text[:3000] + "..."
	}
	return text, err
}

// inParent runs the test in a child process and reports its result, unless
// this is the child: then it returns false and the test runs.
func inParent(t *testing.T) bool {
	if os.Getenv("WASMGEN_TEST_CHILD") != "" {
		return false
	}
	if out, err := inChild(t, "WASMGEN_TEST_CHILD=1"); err != nil {
		t.Fatalf("in a child process: %v\n%s", err, out)
	}
	return true
}

// inGoroutines runs body(g) in 4 goroutines and returns the errors they report.
func inGoroutines(body func(g int) error) []error {
	failures := make(chan error, 4)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			failures <- body(g)
		}(g)
	}
	wg.Wait()
	close(failures)
	var errs []error
	for err := range failures {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Goroutines calling one instance's functions at once: every call gets its own
// arguments and results (through one shared NativeFunction, Function.Call, a
// GetFunction of each goroutine, and a function with several results). The
// calls take turns in the shared glue's store lock (without it libwasmer's store
// breaks: hence the child process).
func TestConcurrentCallsOfOneFunction(t *testing.T) {
	if inParent(t) {
		return
	}
	store := newStore(t)
	instance := instantiate(t, compile(t, store, sharedWat), nil)
	sum := function(t, instance, "sum")
	pair := function(t, instance, "pair")
	raw, _ := instance.Exports.GetRawFunction("sum")
	const calls = 20000
	for _, err := range inGoroutines(func(g int) error {
		mine, err := instance.Exports.GetFunction("sum")
		if err != nil {
			return err
		}
		for i := 0; i < calls; i++ {
			a, b := i, g<<20
			var r interface{}
			switch i % 4 {
			case 0:
				r, err = sum(a, b)
			case 1:
				r, err = raw.Call(a, b)
			case 2:
				r, err = mine(a, b)
			case 3:
				if r, err = pair(int64(a), b); err == nil {
					if out := r.([]interface{}); out[0] != int32(b) || out[1] != int64(a) {
						return fmt.Errorf("goroutine %d: pair(%d, %d) = %v", g, a, b, out)
					}
				}
				r = int32(a + b)
			}
			if err != nil || r != int32(a+b) {
				return fmt.Errorf("goroutine %d, call %d: sum(%d, %d) = %v, %v", g, i, a, b, r, err)
			}
		}
		return nil
	}) {
		t.Error(err)
	}
}

// The same with references: each goroutine gets its own Go value back.
func TestConcurrentReferenceCalls(t *testing.T) {
	if inParent(t) {
		return
	}
	store := newStore(t)
	same := function(t, instantiate(t, compile(t, store, sharedWat), nil), "same")
	for _, err := range inGoroutines(func(g int) error {
		token := &struct{ g int }{g}
		for i := 0; i < 5000; i++ {
			r, err := same(token, i)
			if err != nil {
				return err
			}
			if out := r.([]interface{}); out[0] != int32(i) || out[1] != token {
				return fmt.Errorf("goroutine %d: same(token %d, %d) = %v", g, g, i, out)
			}
		}
		return nil
	}) {
		t.Error(err)
	}
}

const reenterWat = `(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "down") (param $n i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get $n
      i32.const 1
      i32.sub
      call $reenter
      i32.const 1
      i32.add
    end))`

var errBottom = errors.New("bottom reached")

// reentrant instantiates reenterWat: down(n) re-enters the Go host function n
// times; at n == failAt the host function fails with errBottom.
func reentrant(t testing.TB, failAt int) NativeFunction {
	store := newStore(t)
	var down NativeFunction
	reenter := NewFunction(store, NewFunctionType(NewValueTypes(I32), NewValueTypes(I32)),
		func(args []Value) ([]Value, error) {
			n := args[0].I32()
			if int(n) == failAt {
				return nil, errBottom
			}
			r, err := down(n)
			if err != nil {
				return nil, err
			}
			return []Value{NewI32(r.(int32))}, nil
		})
	imports := NewImportObject()
	imports.Register("env", map[string]IntoExtern{"reenter": reenter})
	down = function(t, instantiate(t, compile(t, store, reenterWat), imports), "down")
	return down
}

// An error at the bottom of deep host <-> wasm re-entry comes back through
// every Go host function to the outermost caller, as a *TrapError wrapping it.
func TestReentryErrorReachesTheTop(t *testing.T) {
	down := reentrant(t, 0)
	for _, depth := range []int{1, 2, 100} {
		r, err := down(depth)
		var trap *TrapError
		if r != nil || !errors.As(err, &trap) || !errors.Is(err, errBottom) {
			t.Errorf("down(%d) = %v, %v: want a *TrapError wrapping %q", depth, r, err, errBottom)
		}
	}
}

// Deep re-entry returns the depth, or an error (the glue's stack check), never
// another value, and the instance works after it. The deep case runs in a child
// process: without the glue's stack check the C stack overflows (SIGSEGV).
func TestDeepReentry(t *testing.T) {
	if depth := os.Getenv("WASMGEN_TEST_REENTRY_DEPTH"); depth != "" {
		var n int
		fmt.Sscan(depth, &n)
		down := reentrant(t, -1)
		r, err := down(n)
		var trap *TrapError
		switch {
		case err == nil && r == int32(n):
			t.Logf("down(%d) = %d", n, n)
		case err != nil && r == nil && errors.As(err, &trap):
			t.Logf("down(%d): %v", n, err)
		default:
			t.Fatalf("down(%d) = %v, %v: neither %d nor a *TrapError", n, r, err, n)
		}
		if r, err := down(3); r != int32(3) || err != nil {
			t.Fatalf("down(3) after down(%d) = %v, %v", n, r, err)
		}
		return
	}
	down := reentrant(t, -1)
	if r, err := down(100); r != int32(100) || err != nil {
		t.Fatalf("down(100) = %v, %v", r, err)
	}
	out, err := inChild(t, "WASMGEN_TEST_REENTRY_DEPTH=100000")
	if err != nil {
		t.Fatalf("down(100000) in a child process: %v\n%s", err, out)
	}
	t.Log(out)
}

// Instance.Close closes everything taken from its exports before: each use is
// the closed error (ErrArgument, "... is closed"), never a crash.
func TestInstanceCloseClosesExports(t *testing.T) {
	store := newStore(t)
	module := compile(t, store, `(module
  (memory (export "memory") 1)
  (global (export "global") (mut i32) (i32.const 7))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $f)
  (func $f (export "f") (param i32) (result i32) local.get 0))`)
	instance, err := NewInstance(module, nil)
	if err != nil {
		t.Fatal(err)
	}
	native := function(t, instance, "f")
	raw, _ := instance.Exports.GetRawFunction("f")
	extern, _ := instance.Exports.Get("f")
	memory, _ := instance.Exports.GetMemory("memory")
	global, _ := instance.Exports.GetGlobal("global")
	table, _ := instance.Exports.GetTable("table")
	if r, err := native(5); r != int32(5) || err != nil {
		t.Fatalf("f(5) = %v, %v", r, err)
	}
	if v, err := global.Get(); v != int32(7) || err != nil {
		t.Fatalf("global = %v, %v", v, err)
	}
	instance.Close()
	closed := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrArgument) || !strings.Contains(fmt.Sprint(err), "closed") {
			t.Errorf("%s after Instance.Close: %v, want the closed error", what, err)
		}
	}
	_, err = native(5)
	closed("NativeFunction", err)
	_, err = raw.Call(5)
	closed("Function.Call", err)
	_, err = extern.IntoFunction().Call(5)
	closed("Extern.IntoFunction().Call", err)
	_, err = raw.Native()(5)
	closed("Function.Native()", err)
	_, err = global.Get()
	closed("Global.Get", err)
	closed("Global.Set", global.Set(int32(1), I32))
	_, err = table.Get(0)
	closed("Table.Get", err)
	closed("Table.Set", table.Set(0, nil))
	_, err = table.Grow(1)
	closed("Table.Grow", err)
	if memory.Data() != nil || memory.DataSize() != 0 || memory.Size() != 0 || memory.Grow(1) || memory.Type() != nil {
		t.Errorf("Memory after Instance.Close: data %d bytes, size %d", len(memory.Data()), memory.Size())
	}
	if raw.Type() != nil || global.Type() != nil || table.Type() != nil || table.Size() != 0 || extern.Type() != nil {
		t.Errorf("types after Instance.Close")
	}
}

// A host function that calls back into its own instance holds that instance's
// function (its closure is referenced by the glue until the store frees it).
// Closing the instance and the store frees it all, the host function included,
// even when the host Function itself is left to the finalizers.
func TestReentrantHostFunctionFreedWithItsStore(t *testing.T) {
	settle()
	before := atomic.LoadInt64(&liveHostFunctions)
	engine := NewEngine()
	module, err := NewModule(NewStore(engine), []byte(reenterWat))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		store := NewStore(engine)
		var down NativeFunction
		reenter := NewFunction(store, NewFunctionType(NewValueTypes(I32), NewValueTypes(I32)),
			func(args []Value) ([]Value, error) {
				r, err := down(args[0].I32())
				if err != nil {
					return nil, err
				}
				return []Value{NewI32(r.(int32))}, nil
			})
		imports := NewImportObject()
		imports.Register("env", map[string]IntoExtern{"reenter": reenter})
		instance, err := NewInstance(module, imports)
		if err != nil {
			t.Fatal(err)
		}
		down, _ = instance.Exports.GetFunction("down")
		if r, err := down(5); r != int32(5) || err != nil {
			t.Fatalf("down(5) = %v, %v", r, err)
		}
		instance.Close()
		store.Close()
	}
	settle()
	if live := atomic.LoadInt64(&liveHostFunctions); live > before+2 {
		t.Errorf("%d host functions alive after 50 closed stores (%d before)", live, before)
	}
}
