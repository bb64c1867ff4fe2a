package wasmer

// #include <stdlib.h>
// #include "wasmgen.h"
import "C"

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// frame is the C memory of one call: the arguments then the results, written
// and read in place.
type frame struct {
	buf  *C.wg_val
	out  *C.wg_val
	args []uint64
	res  []uint64
}

func newFrame(np, nr int) (frame, error) {
	buf := (*C.wg_val)(C.calloc(C.size_t(np+nr+1), C.size_t(unsafe.Sizeof(C.wg_val{}))))
	if buf == nil {
		return frame{}, newErrorf(codeRuntimeError, "out of memory")
	}
	all := unsafe.Slice((*uint64)(unsafe.Pointer(buf)), np+nr+1)
	return frame{buf: buf, out: (*C.wg_val)(unsafe.Pointer(&all[np])), args: all[:np], res: all[np : np+nr]}, nil
}

// caller holds a function's signature and its own frame. A call takes the
// frame with the busy flag; a call that finds it taken (another goroutine
// calling the same Function, or a host function re-entering it) uses a frame
// of its own, so concurrent calls never share arguments or results.
type caller struct {
	frame
	s       *externState
	params  []ValueKind
	results []ValueKind
	refs    bool  // a reference among them: calls go through callRefs
	busy    int32 // atomic: 1 while a call uses the frame
}

func (x *externHandle) caller() (*caller, error) {
	if _, err := x.handle("function"); err != nil {
		return nil, err
	}
	s := x.s
	if c := s.call.Load(); c != nil {
		return c, nil
	}
	if err := s.signature(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.call.Load(); c != nil {
		return c, nil
	}
	f, err := newFrame(len(s.params), len(s.results))
	if err != nil {
		return nil, err
	}
	c := &caller{frame: f, s: s, params: s.params, results: s.results, refs: hasReferences(s.params, s.results)}
	s.call.Store(c)
	return c, nil
}

// arity checks the number of arguments of a call.
func (c *caller) arity(in []interface{}) error {
	if len(in) < len(c.params) {
		return newErrorf(codeArgumentError, "Missing %d argument(s) when calling the function; Expected %d argument(s), received %d",
			len(c.params)-len(in), len(c.params), len(in))
	}
	return newErrorf(codeArgumentError, "Given %d extra argument(s) when calling the function; Expected %d argument(s), received %d",
		len(in)-len(c.params), len(c.params), len(in))
}

// call calls a function whose signature has numbers only.
func (c *caller) call(in []interface{}) (interface{}, error) {
	return c.run(in, (*caller).callIn)
}

// run checks the arguments' count and makes the call in the function's own frame,
// or in a frame of its own when another goroutine is using that one.
func (c *caller) run(in []interface{}, body func(*caller, *C.wg_extern, *frame, []interface{}) (interface{}, error)) (interface{}, error) {
	h := c.s.h
	if h == nil {
		return nil, errClosed("function")
	}
	if len(in) != len(c.params) {
		return nil, c.arity(in)
	}
	if !atomic.CompareAndSwapInt32(&c.busy, 0, 1) {
		f, err := newFrame(len(c.params), len(c.results))
		if err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(f.buf))
		return body(c, h, &f, in)
	}
	out, err := body(c, h, &c.frame, in)
	atomic.StoreInt32(&c.busy, 0)
	return out, err
}

func (c *caller) callIn(h *C.wg_extern, f *frame, in []interface{}) (interface{}, error) {
	for i, kind := range c.params {
		bits, err := toBits(in[i], kind)
		if err != nil {
			return nil, newErrorf(codeArgumentError, "argument %d of the function: %v", i+1, err)
		}
		f.args[i] = bits
	}
	if err := lowFunctionCall(h, f.buf, f.out); err != nil {
		return nil, err
	}
	switch len(c.results) {
	case 0:
		return nil, nil
	case 1:
		return fromBits(c.results[0], f.res[0]), nil
	}
	out := make([]interface{}, len(c.results))
	for i, kind := range c.results {
		out[i] = fromBits(kind, f.res[i])
	}
	return out, nil
}

// callRefs calls a function with a reference among its parameters or results
// (see refs.go): externref arguments are registered (and released again when
// the call fails before the glue took them), funcref arguments kept alive for
// the call, and reference results lifted to Go values.
func (c *caller) callRefs(in []interface{}) (interface{}, error) {
	return c.run(in, (*caller).callRefsIn)
}

func (c *caller) callRefsIn(h *C.wg_extern, f *frame, in []interface{}) (interface{}, error) {
	var tokens []uint64
	var keep []*Function
	for i, kind := range c.params {
		var bits uint64
		var err error
		if kind.IsReference() {
			var fn *Function
			bits, fn, err = lowerRef(in[i], kind, c.s.store)
			if kind == AnyRef && bits != 0 {
				tokens = append(tokens, bits)
			}
			keep = append(keep, fn)
		} else {
			bits, err = toBits(in[i], kind)
		}
		if err != nil {
			for _, token := range tokens {
				releaseExternref(token)
			}
			return nil, newErrorf(codeArgumentError, "argument %d of the function: %v", i+1, err)
		}
		f.args[i] = bits
	}
	err := lowFunctionCall(h, f.buf, f.out)
	runtime.KeepAlive(keep)
	if err != nil {
		if isArgumentError(err) {
			for _, token := range tokens {
				releaseExternref(token)
			}
		}
		return nil, err
	}
	store := c.s.store
	lift := func(i int) interface{} {
		if kind := c.results[i]; kind.IsReference() {
			return liftRef(kind, f.res[i], store)
		}
		return fromBits(c.results[i], f.res[i])
	}
	switch len(c.results) {
	case 0:
		return nil, nil
	case 1:
		return lift(0), nil
	}
	out := make([]interface{}, len(c.results))
	for i := range c.results {
		out[i] = lift(i)
	}
	return out, nil
}
