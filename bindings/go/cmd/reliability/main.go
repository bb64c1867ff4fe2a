// Command reliability runs the reliability checks of reliability/PROTOCOL.md on
// the Go binding, through its public API only:
//
//	reliability CHECK [ARG ...]
//
// with WASMGEN_RELIABILITY_DIR naming the inputs. It prints one JSON line per
// case on stdout; diagnostics go to stderr.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

// line is one output line.
type line struct {
	Case    string `json:"case"`
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
	Index   *int   `json:"index,omitempty"`
	RssKiB  *int64 `json:"rss_kib,omitempty"`
	Inputs  int    `json:"inputs,omitempty"`
}

func emit(l line) {
	b, err := json.Marshal(l)
	if err != nil {
		panic(err)
	}
	os.Stdout.Write(append(b, '\n')) // unbuffered: a crash loses no line
}

func report(name, outcome, detail string) {
	emit(line{Case: name, Outcome: outcome, Detail: detail})
}

func input(name string) []byte {
	b, err := os.ReadFile(filepath.Join(os.Getenv("WASMGEN_RELIABILITY_DIR"), name))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return b
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "setup failed:", err)
		os.Exit(2)
	}
	return v
}

func instantiate(store *wasmer.Store, wasm []byte, imports *wasmer.ImportObject) *wasmer.Instance {
	module := must(wasmer.NewModule(store, wasm))
	return must(wasmer.NewInstance(module, imports))
}

// describe is an error's Go type and message.
func describe(err error) string {
	if err == nil {
		return "no error"
	}
	return fmt.Sprintf("%T: %s", err, err)
}

// bindingError tells whether err is one of the binding's errors.
func bindingError(err error) bool {
	var e *wasmer.Error
	var t *wasmer.TrapError
	return errors.As(err, &e) || errors.As(err, &t)
}

// expectError is `typed` when err is a binding error, else `wrong`.
func expectError(name string, result interface{}, err error) {
	if bindingError(err) {
		report(name, "typed", describe(err))
	} else {
		report(name, "wrong", fmt.Sprintf("result %v, %s", result, describe(err)))
	}
}

// panics runs f and returns what it panicked with (nil if it did not).
func panics(f func()) (p interface{}) {
	defer func() { p = recover() }()
	f()
	return nil
}

// rssKiB is the resident set size, from /proc/self/statm.
func rssKiB() int64 {
	runtime.GC()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	pages, _ := strconv.ParseInt(strings.Fields(string(b))[1], 10, 64)
	return pages * int64(os.Getpagesize()) / 1024
}

func i32(name string, f wasmer.NativeFunction, args ...interface{}) (int32, error) {
	r, err := f(args...)
	if err != nil {
		return 0, err
	}
	v, ok := r.(int32)
	if !ok {
		return 0, fmt.Errorf("%s returned %T %v, not an int32", name, r, r)
	}
	return v, nil
}

func mutants(start, end int) {
	store := wasmer.NewStore(wasmer.NewEngine())
	for n := start; n < end; n++ {
		wasm := input(fmt.Sprintf("mutants/%06d.wasm", n))
		verr := wasmer.ValidateModule(store, wasm)
		module, err := wasmer.NewModule(store, wasm)
		l := line{Case: "mutants/module", Index: &n}
		switch {
		case err == nil && verr == nil:
			l.Outcome = "ok"
			module.Close()
		case err != nil && verr != nil && errors.Is(err, wasmer.ErrCompile):
			l.Outcome, l.Detail = "typed", describe(err)
		case err == nil:
			l.Outcome, l.Detail = "wrong", "compiled, but ValidateModule: "+describe(verr)
			module.Close()
		case verr == nil:
			l.Outcome, l.Detail = "wrong", "ValidateModule said valid, NewModule: "+describe(err)
		default:
			l.Outcome, l.Detail = "wrong", "not a compile error: "+describe(err)
		}
		emit(l)
	}
}

func traps() {
	instance := instantiate(wasmer.NewStore(wasmer.NewEngine()), input("traps.wasm"), nil)
	ok := must(instance.Exports.GetFunction("ok"))
	for _, name := range []string{"unreachable", "div_by_zero", "int_overflow", "bad_conversion",
		"oob_memory", "null_indirect", "indirect_type_mismatch", "stack_exhausted"} {
		f := must(instance.Exports.GetFunction(name))
		r, err := f()
		var trap *wasmer.TrapError
		if errors.As(err, &trap) && trap.Error() != "" {
			report("traps/"+name, "typed", describe(err))
		} else {
			report("traps/"+name, "wrong", fmt.Sprintf("result %v, %s", r, describe(err)))
		}
		if r, err := i32("ok", ok); r == 42 && err == nil {
			report("traps/"+name+"/after", "ok", "")
		} else {
			report("traps/"+name+"/after", "wrong", fmt.Sprintf("ok() = %v, %s", r, describe(err)))
		}
	}
}

var errBoom = errors.New("boom")

// hostInstance instantiates host.wasm with its five host functions; reenter
// calls the instance's `down`.
func hostInstance() *wasmer.Instance {
	store := wasmer.NewStore(wasmer.NewEngine())
	toI32 := wasmer.NewFunctionType(wasmer.NewValueTypes(), wasmer.NewValueTypes(wasmer.I32))
	host := func(f func([]wasmer.Value) ([]wasmer.Value, error)) wasmer.IntoExtern {
		return wasmer.NewFunction(store, toI32, f)
	}
	var down wasmer.NativeFunction
	reenter := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			r, err := i32("down", down, args[0].I32())
			if err != nil {
				return nil, err
			}
			return []wasmer.Value{wasmer.NewI32(r)}, nil
		})
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{
		"raise": host(func([]wasmer.Value) ([]wasmer.Value, error) { return nil, errBoom }),
		"wrong_type": host(func([]wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewF64(1.5)}, nil
		}),
		"too_many": host(func([]wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(1), wasmer.NewI32(2)}, nil
		}),
		"too_few": host(func([]wasmer.Value) ([]wasmer.Value, error) { return []wasmer.Value{}, nil }),
		"reenter": reenter,
	})
	instance := instantiate(store, input("host.wasm"), imports)
	down = must(instance.Exports.GetFunction("down"))
	return instance
}

func host() {
	instance := hostInstance()
	call := func(name string) (interface{}, error) {
		return must(instance.Exports.GetFunction("call_" + name))()
	}
	r, err := call("raise")
	if errors.Is(err, errBoom) {
		report("host/raise", "typed", describe(err))
	} else {
		report("host/raise", "wrong", fmt.Sprintf("result %v, %s (errors.Is(err, boom) is false)", r, describe(err)))
	}
	for _, name := range []string{"wrong_type", "too_many", "too_few"} {
		r, err := call(name)
		expectError("host/"+name, r, err)
	}
}

func reenter(depths []int) {
	instance := hostInstance()
	down := must(instance.Exports.GetFunction("down"))
	for _, depth := range depths {
		name := fmt.Sprintf("reenter/%d", depth)
		r, err := down(depth)
		outcome, detail := "wrong", fmt.Sprintf("down(%d) = %v, %s", depth, r, describe(err))
		switch {
		case err == nil && r == int32(depth):
			outcome, detail = "ok", ""
		case err != nil && r == nil && bindingError(err):
			outcome, detail = "typed", describe(err)
		}
		if r, err := down(3); r != int32(3) || err != nil {
			outcome, detail = "wrong", fmt.Sprintf("%s; then down(3) = %v, %s", detail, r, describe(err))
		}
		report(name, outcome, detail)
	}
}

func misuse() {
	wasm := input("misuse.wasm")
	instance := instantiate(wasmer.NewStore(wasmer.NewEngine()), wasm, nil)
	sum := must(instance.Exports.GetFunction("sum"))
	load8 := must(instance.Exports.GetFunction("load8"))
	memory := must(instance.Exports.GetMemory("memory"))

	r, err := sum(1)
	expectError("misuse/arity_few", r, err)
	r, err = sum(1, 2, 3)
	expectError("misuse/arity_many", r, err)
	r, err = sum("a", 1)
	expectError("misuse/type", r, err)
	r, err = sum(int64(1)<<40, 1)
	expectError("misuse/range", r, err)

	// The view is a Go slice: out of bounds is Go's own index panic.
	oob := func(name string, access func(data []byte, at int)) {
		data := memory.Data()
		size := int(memory.DataSize())
		var details []string
		for _, at := range []int{size, size + 10} {
			p := panics(func() { access(data, at) })
			if rerr, ok := p.(runtime.Error); ok && strings.Contains(rerr.Error(), "index out of range") {
				details = append(details, rerr.Error())
			} else {
				report(name, "wrong", fmt.Sprintf("access at %d of %d bytes: panic %v", at, size, p))
				return
			}
		}
		report(name, "typed", "runtime.Error: "+strings.Join(details, "; "))
	}
	oob("misuse/view_oob_read", func(data []byte, at int) { _ = data[at] })
	oob("misuse/view_oob_write", func(data []byte, at int) { data[at] = 1 })

	outcome, detail := growCheck(memory, load8)
	report("misuse/grow", outcome, detail)
	if memory.Grow(10) {
		report("misuse/grow_too_far", "wrong", fmt.Sprintf("Grow(10) past the maximum succeeded: %d pages", memory.Size()))
	} else {
		report("misuse/grow_too_far", "typed", fmt.Sprintf("Grow(10) = false, still %d pages", memory.Size()))
	}

	// Closed: a second instance, its exports taken before Close.
	closing := instantiate(wasmer.NewStore(wasmer.NewEngine()), wasm, nil)
	csum := must(closing.Exports.GetFunction("sum"))
	cmemory := must(closing.Exports.GetMemory("memory"))
	closing.Close()
	r, err = csum(1, 2)
	var e *wasmer.Error
	if errors.As(err, &e) && strings.Contains(err.Error(), "closed") {
		report("misuse/closed_call", "typed", describe(err))
	} else {
		report("misuse/closed_call", "wrong", fmt.Sprintf("sum(1, 2) after Close = %v, %s", r, describe(err)))
	}
	// Memory's accessors have no error result (wasmer-go's API): closed is nil / 0 / false.
	if data, size, grew := cmemory.Data(), cmemory.DataSize(), cmemory.Grow(1); data == nil && size == 0 && !grew {
		report("misuse/closed_memory", "typed", "Data() = nil, DataSize() = 0, Grow(1) = false after Close")
	} else {
		report("misuse/closed_memory", "wrong", fmt.Sprintf("after Close: %d bytes of data, DataSize() = %d, Grow(1) = %v", len(data), size, grew))
	}

	// A host function of store A imported by a module compiled in store B (one engine).
	engine := wasmer.NewEngine()
	module := must(wasmer.NewModule(wasmer.NewStore(engine), input("import.wasm")))
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{"sum": sumFunction(wasmer.NewStore(engine))})
	other, err := wasmer.NewInstance(module, imports)
	if err != nil {
		expectError("misuse/wrong_store_import", nil, err)
	} else if r, err := i32("add1", must(other.Exports.GetFunction("add1")), 1, 2); r != 4 || err != nil {
		report("misuse/wrong_store_import", "wrong", fmt.Sprintf("add1(1, 2) = %v, %s", r, describe(err)))
	} else {
		report("misuse/wrong_store_import", "ok", "the instance lives in the imports' store; add1(1, 2) = 4")
	}
}

// growCheck writes 7 at 100, grows by a page, reads it back through the old and
// a fresh view, and writes the new page's first byte for load8 to read.
func growCheck(memory *wasmer.Memory, load8 wasmer.NativeFunction) (outcome, detail string) {
	old := memory.Data()
	old[100] = 7
	if !memory.Grow(1) {
		return "wrong", "Grow(1) failed"
	}
	fresh := memory.Data()
	if len(fresh) != 2*65536 || fresh[100] != 7 || old[100] != 7 {
		return "wrong", fmt.Sprintf("after Grow(1): %d bytes, fresh[100] = %d, old[100] = %d", len(fresh), fresh[100], old[100])
	}
	fresh[65536] = 9
	if r, err := i32("load8", load8, 65536); r != 9 || err != nil {
		return "wrong", fmt.Sprintf("load8(65536) = %v, %s after writing 9", r, describe(err))
	}
	return "ok", "old and fresh views read 7; the new page's first byte written and loaded"
}

func sumFunction(store *wasmer.Store) *wasmer.Function {
	return wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32, wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(args[0].I32() + args[1].I32())}, nil
		})
}

// repeat runs n/10 warm-up cycles, then n cycles, forcing the GC every 1,000
// cycles, and reports the RSS growth over the n cycles.
func repeat(name string, n int, cycle func(i int) error) {
	for i := 0; i < n/10; i++ {
		if err := cycle(i); err != nil {
			report(name, "wrong", fmt.Sprintf("warm-up cycle %d: %v", i, err))
			return
		}
	}
	before := rssKiB()
	wrong, first := 0, ""
	for i := 0; i < n; i++ {
		if err := cycle(i); err != nil {
			if wrong++; wrong == 1 {
				first = fmt.Sprintf("cycle %d: %v", i, err)
			}
		}
		if i%1000 == 999 {
			runtime.GC()
		}
	}
	growth := rssKiB() - before
	l := line{Case: name, Outcome: "ok", Inputs: n, RssKiB: &growth}
	if wrong > 0 {
		l.Outcome, l.Detail = "wrong", fmt.Sprintf("%d wrong cycles; first: %s", wrong, first)
	}
	emit(l)
}

// cycles: each cycle has a store of its own (the instance lives in the store of
// its imports), closed with everything else the cycle made.
func cycles(n int) {
	engine := wasmer.NewEngine()
	module := must(wasmer.NewModule(wasmer.NewStore(engine), input("import.wasm")))
	repeat("cycles/instantiate", n, func(i int) error {
		store := wasmer.NewStore(engine)
		defer store.Close()
		sum := sumFunction(store)
		defer sum.Close()
		imports := wasmer.NewImportObject()
		imports.Register("env", map[string]wasmer.IntoExtern{"sum": sum})
		instance, err := wasmer.NewInstance(module, imports)
		if err != nil {
			return err
		}
		defer instance.Close()
		add1, err := instance.Exports.GetFunction("add1")
		if err != nil {
			return err
		}
		if r, err := i32("add1", add1, i, 1); r != int32(i+2) || err != nil {
			return fmt.Errorf("add1(%d, 1) = %v, %v", i, r, err)
		}
		return nil
	})
}

func compile(n int) {
	engine := wasmer.NewEngine()
	wasm := input("simple.wasm")
	repeat("compile/module", n, func(i int) error {
		store := wasmer.NewStore(engine)
		defer store.Close()
		module, err := wasmer.NewModule(store, wasm)
		if err != nil {
			return err
		}
		defer module.Close()
		instance, err := wasmer.NewInstance(module, nil)
		if err != nil {
			return err
		}
		defer instance.Close()
		sum, err := instance.Exports.GetFunction("sum")
		if err != nil {
			return err
		}
		if r, err := i32("sum", sum, i, 1); r != int32(i+1) || err != nil {
			return fmt.Errorf("sum(%d, 1) = %v, %v", i, r, err)
		}
		return nil
	})
}

// inGoroutines runs body(t) in 4 goroutines and adds up the wrong results.
func inGoroutines(name string, calls int, body func(t int) (wrong int, first string)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	wrong, first := 0, ""
	for t := 0; t < 4; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			w, f := body(t)
			mu.Lock()
			defer mu.Unlock()
			if wrong += w; first == "" {
				first = f
			}
		}(t)
	}
	wg.Wait()
	l := line{Case: name, Outcome: "ok", Inputs: 4 * calls, Detail: "4 goroutines"}
	if wrong > 0 {
		l.Outcome, l.Detail = "wrong", fmt.Sprintf("%d wrong results; first: %s", wrong, first)
	}
	emit(l)
}

func callSum(sum wasmer.NativeFunction, t, calls int) (wrong int, first string) {
	for i := 0; i < calls; i++ {
		if r, err := i32("sum", sum, i, t); r != int32(i+t) || err != nil {
			if wrong++; wrong == 1 {
				first = fmt.Sprintf("goroutine %d: sum(%d, %d) = %v, %v", t, i, t, r, err)
			}
		}
	}
	return wrong, first
}

func threads(calls int) {
	wasm := input("simple.wasm")
	inGoroutines("threads/own_store", calls, func(t int) (int, string) {
		instance := instantiate(wasmer.NewStore(wasmer.NewEngine()), wasm, nil)
		defer instance.Close()
		return callSum(must(instance.Exports.GetFunction("sum")), t, calls)
	})
}

func shared(calls int) {
	instance := instantiate(wasmer.NewStore(wasmer.NewEngine()), input("simple.wasm"), nil)
	sum := must(instance.Exports.GetFunction("sum"))
	inGoroutines("shared/instance", calls, func(t int) (int, string) {
		return callSum(sum, t, calls)
	})
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: reliability CHECK [ARG ...] (see reliability/PROTOCOL.md)")
		os.Exit(2)
	}
	var args []int
	for _, a := range os.Args[2:] {
		n, err := strconv.Atoi(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, "not a number:", a)
			os.Exit(2)
		}
		args = append(args, n)
	}
	arg := func(i int) int {
		if i >= len(args) {
			fmt.Fprintf(os.Stderr, "%s: missing argument %d\n", os.Args[1], i+1)
			os.Exit(2)
		}
		return args[i]
	}
	switch os.Args[1] {
	case "mutants":
		mutants(arg(0), arg(1))
	case "traps":
		traps()
	case "host":
		host()
	case "reenter":
		reenter(args)
	case "misuse":
		misuse()
	case "cycles":
		cycles(arg(0))
	case "compile":
		compile(arg(0))
	case "threads":
		threads(arg(0))
	case "shared":
		shared(arg(0))
	default:
		fmt.Fprintln(os.Stderr, "unknown check:", os.Args[1])
		os.Exit(2)
	}
}
