package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
	"sync"
)

// NativeFunction is a WebAssembly function as a Go function: arguments are
// converted by the function's signature (any Go integer for i32/i64, float32 or
// float64 for f32/f64, any Go value for an externref, a *Function for a funcref,
// nil for a null reference); the result is nil, one value (int32, int64,
// float32, float64, the Go value an externref stands for, a *Function) or a
// []interface{} of them.
type NativeFunction = func(...interface{}) (interface{}, error)

// Function is a WebAssembly function: exported by an instance, or made from a
// Go closure (a host function). It may be called from several goroutines at
// once: calls into its store take turns (see Store), and each call has its own
// arguments and results. A host function may call back into its own instance
// on the same goroutine; an error at any depth of such re-entry comes back to
// the outermost caller as a *TrapError.
type Function struct {
	x      *externHandle
	once   sync.Once // makes native
	native NativeFunction
}

// NewFunction makes a host function from a Go closure, for an ImportObject:
//
//	NewFunction(store, NewFunctionType(NewValueTypes(I32, I32), NewValueTypes(I32)),
//		func(args []Value) ([]Value, error) {
//			return []Value{NewI32(args[0].I32() + args[1].I32())}, nil
//		})
//
// An error it returns (or a panic) becomes a trap: the wasm caller's Go side
// gets a *TrapError wrapping that error.
func NewFunction(store *Store, ty *FunctionType, function func([]Value) ([]Value, error)) *Function {
	return newHostFunction(store, ty, function)
}

// NewFunctionWithEnvironment is NewFunction with a value handed to every call.
func NewFunctionWithEnvironment(store *Store, ty *FunctionType, userEnvironment interface{}, functionWithEnv func(interface{}, []Value) ([]Value, error)) *Function {
	return newHostFunction(store, ty, func(args []Value) ([]Value, error) {
		return functionWithEnv(userEnvironment, args)
	})
}

func newHostFunction(store *Store, ty *FunctionType, function func([]Value) ([]Value, error)) *Function {
	if ty == nil || function == nil {
		err := newErrorf(codeArgumentError, "a host function needs a FunctionType and a function")
		return &Function{x: newExternHandle(store, nil, FUNCTION, err)}
	}
	params, results := kindsOf(ty.params), kindsOf(ty.results)
	sh, err := store.handle()
	var h *C.wg_extern
	if err == nil {
		env := newHostHandle(&hostClosure{params: params, results: results, call: function,
			refs: hasReferences(params, results), store: weakStore(store)})
		h, err = lowFunctionNewHost(sh, kindBytes(params), kindBytes(results), env)
		runtime.KeepAlive(store)
		if err != nil {
			releaseHostHandle(env)
		}
	}
	x := newExternHandle(store, h, FUNCTION, err)
	x.s.params, x.s.results, x.s.typed, x.s.host = params, results, true, true
	return &Function{x: x}
}

// IntoExtern returns the Function as an Extern (nil for a nil Function).
func (f *Function) IntoExtern() *Extern {
	if f == nil {
		return nil
	}
	return &Extern{x: f.x, fn: f}
}

func (f *Function) ext() *externHandle {
	if f == nil {
		return nil
	}
	return f.x
}

// Type returns the Function's type (nil once closed).
func (f *Function) Type() *FunctionType {
	if _, err := f.ext().handle("function"); err != nil {
		return nil
	}
	if err := f.x.s.signature(); err != nil {
		return nil
	}
	return functionTypeOf(f.x.s.params, f.x.s.results)
}

// ParameterArity returns the number of parameters of the Function.
func (f *Function) ParameterArity() uint {
	if t := f.Type(); t != nil {
		return uint(len(t.params))
	}
	return 0
}

// ResultArity returns the number of results of the Function.
func (f *Function) ResultArity() uint {
	if t := f.Type(); t != nil {
		return uint(len(t.results))
	}
	return 0
}

// Call calls the Function (see NativeFunction).
func (f *Function) Call(parameters ...interface{}) (interface{}, error) {
	return f.Native()(parameters...)
}

// Native returns the Function as a Go function (see NativeFunction). Calls
// reuse buffers of the Function: no allocation, lookup or type query per call.
func (f *Function) Native() NativeFunction {
	if f == nil {
		return func(...interface{}) (interface{}, error) {
			return nil, newErrorf(codeArgumentError, "the function is nil")
		}
	}
	f.once.Do(func() { f.native = f.x.native() })
	return f.native
}

func (x *externHandle) native() NativeFunction {
	c, err := x.caller()
	if err != nil {
		return func(...interface{}) (interface{}, error) {
			return nil, err
		}
	}
	if c.refs {
		return func(args ...interface{}) (interface{}, error) {
			out, err := c.callRefs(args)
			runtime.KeepAlive(x)
			return out, err
		}
	}
	return func(args ...interface{}) (interface{}, error) {
		out, err := c.call(args)
		runtime.KeepAlive(x)
		return out, err
	}
}

// Close frees the Function. A host function's Go closure is released when the
// store frees the function itself (when the store and everything made from it
// are closed or collected).
func (f *Function) Close() {
	f.ext().close()
}
