package main

// The `example` request (conformance/protocol.md): the setup around a call of a public
// member (compile and instantiate the example's module, resolve the receiver and the
// handle arguments, convert arguments and results by their spec type) and the Go
// conventions of the public API (a fallible member returns (T, error), or error for
// void; an infallible one returns T). The members themselves are in model.go,
// rendered from the model.

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

// member is one public member with examples: how to call it, its spec types, its convention.
type member struct {
	call     func(self interface{}) (reflect.Value, error)
	class    string   // the receiver's public type name (methods and properties)
	params   []string // spec types: bool u32 u64 str bytes valkind compiler, or a class name
	result   string
	fallible bool
}

// function is a package-level function of wasmer (constructor, static member, free function).
func function(fn interface{}) func(interface{}) (reflect.Value, error) {
	return func(interface{}) (reflect.Value, error) { return reflect.ValueOf(fn), nil }
}

// method is a method of the receiver, by its public name.
func method(name string) func(interface{}) (reflect.Value, error) {
	return func(self interface{}) (reflect.Value, error) {
		if self == nil {
			return reflect.Value{}, protocolf("method %s needs a receiver (self)", name)
		}
		m := reflect.ValueOf(self).MethodByName(name)
		if !m.IsValid() {
			return reflect.Value{}, fmt.Errorf("%T has no method %s", self, name)
		}
		return m, nil
	}
}

// concrete is an extern as its kind's class (*Function, *Global, *Table, *Memory).
func concrete(ext *wasmer.Extern) interface{} {
	switch ext.Kind() {
	case wasmer.FUNCTION:
		return ext.IntoFunction()
	case wasmer.GLOBAL:
		return ext.IntoGlobal()
	case wasmer.TABLE:
		return ext.IntoTable()
	case wasmer.MEMORY:
		return ext.IntoMemory()
	}
	return ext
}

// exampleObjects are what {object: Name} and {export: NAME} refer to.
type exampleObjects map[string]interface{}

func (o exampleObjects) resolve(ref map[string]string) (interface{}, error) {
	if name, ok := ref["export"]; ok {
		inst, _ := o["Instance"].(*wasmer.Instance)
		if inst == nil {
			return nil, protocolf("{export: %s} needs the example's module", name)
		}
		ext, err := inst.Exports.Get(name)
		if err != nil {
			return nil, protocolf("no export named %s", name)
		}
		return ext, nil
	}
	if obj, ok := o[ref["object"]]; ok && obj != nil {
		return obj, nil
	}
	return nil, protocolf("no object %q in an example", ref["object"])
}

func (d *driver) example(req *request) (interface{}, error) {
	m, ok := members[req.Method]
	if !ok {
		return nil, protocolf("no public member %s with examples", req.Method)
	}
	objects := exampleObjects{"Store": d.store, "Engine": d.engine}
	if req.Module != nil {
		wasm, err := os.ReadFile(*req.Module)
		if err != nil {
			return nil, protocolf("%v", err)
		}
		module, err := wasmer.NewModule(d.store, wasm)
		if err != nil {
			return nil, err
		}
		inst, err := wasmer.NewInstance(module, d.imports())
		if err != nil {
			return nil, err
		}
		d.instances = append(d.instances, inst)
		objects["Module"], objects["Instance"] = module, inst
	}
	var self interface{}
	if req.Self != nil {
		var err error
		if self, err = objects.resolve(req.Self); err != nil {
			return nil, err
		}
		if ext, ok := self.(*wasmer.Extern); ok && reflect.TypeOf(self).Elem().Name() != m.class {
			self = concrete(ext) // an export, as its kind's own type (*Memory, ...)
		}
	}
	fn, err := m.call(self)
	if err != nil {
		return nil, err
	}
	var args []json.RawMessage
	if err := json.Unmarshal(req.Args, &args); err != nil {
		return nil, protocolf("bad args: %v", err)
	}
	if len(args) != len(m.params) || fn.Type().NumIn() != len(m.params) {
		return nil, fmt.Errorf("%s: %d argument(s) in the example, %d in the spec, %d in the public form %s",
			req.Method, len(args), len(m.params), fn.Type().NumIn(), fn.Type())
	}
	in := make([]reflect.Value, len(m.params))
	for i, t := range m.params {
		if in[i], err = objects.argument(t, args[i], fn.Type().In(i)); err != nil {
			return nil, fmt.Errorf("%s argument %d: %w", req.Method, i+1, err)
		}
	}
	out, err := callRecovering(fn, in)
	if err != nil {
		return nil, err
	}
	return m.results(req.Method, fn.Type(), out)
}

// callRecovering calls fn; an infallible member panics on an error: that error is the answer.
func callRecovering(fn reflect.Value, in []reflect.Value) (out []reflect.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok {
				err = e
				return
			}
			panic(p)
		}
	}()
	return fn.Call(in), nil
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// results checks the Go convention ((T, error) / error when fallible, T / nothing when not)
// and encodes the result.
func (m member) results(name string, ft reflect.Type, out []reflect.Value) (interface{}, error) {
	want := 0
	if m.result != "void" {
		want++
	}
	if m.fallible {
		want++
	}
	if len(out) != want || (m.fallible && ft.Out(want-1) != errorType) {
		form := "T"
		if m.result == "void" {
			form = "nothing"
		}
		if m.fallible {
			form = "(T, error)"
			if m.result == "void" {
				form = "error"
			}
		}
		return nil, fmt.Errorf("%s: the public form %s does not return %s (the Go convention for this member)", name, ft, form)
	}
	if m.fallible && !out[want-1].IsNil() {
		return nil, out[want-1].Interface().(error)
	}
	if m.result == "void" {
		return nil, nil
	}
	return encodeResult(m.result, out[0])
}

func (o exampleObjects) argument(t string, raw json.RawMessage, to reflect.Type) (reflect.Value, error) {
	var v interface{}
	switch t {
	case "bool":
		var b bool
		err := json.Unmarshal(raw, &b)
		v = b
		if err != nil {
			return reflect.Value{}, err
		}
	case "u32", "u64":
		var n uint64
		if err := json.Unmarshal(raw, &n); err != nil {
			return reflect.Value{}, err
		}
		v = n
	case "str":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return reflect.Value{}, err
		}
		v = s
	case "bytes":
		var b struct{ Hex string }
		if err := json.Unmarshal(raw, &b); err != nil {
			return reflect.Value{}, err
		}
		data, err := hex.DecodeString(b.Hex)
		if err != nil {
			return reflect.Value{}, err
		}
		v = data
	case "valkind":
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return reflect.Value{}, err
		}
		kind, err := kindOf(name)
		if err != nil {
			return reflect.Value{}, err
		}
		v = kind
	case "compiler":
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return reflect.Value{}, err
		}
		compiler, err := compilerOf(name)
		if err != nil {
			return reflect.Value{}, err
		}
		v = compiler
	default: // a handle: null, {export: NAME} or {object: Name}
		var ref map[string]string
		if err := json.Unmarshal(raw, &ref); err != nil {
			return reflect.Value{}, err
		}
		if ref == nil {
			return reflect.Zero(to), nil
		}
		obj, err := o.resolve(ref)
		if err != nil {
			return reflect.Value{}, err
		}
		if ext, ok := obj.(*wasmer.Extern); ok && !reflect.TypeOf(obj).AssignableTo(to) {
			obj = concrete(ext)
		}
		v = obj
	}
	rv := reflect.ValueOf(v)
	if rv.Type().AssignableTo(to) {
		return rv, nil
	}
	if isNumber(rv.Kind()) && isNumber(to.Kind()) || rv.Kind() == reflect.Bool && to.Kind() == reflect.Bool {
		return rv.Convert(to), nil // e.g. a u32 to a named integer type (Pages)
	}
	return reflect.Value{}, fmt.Errorf("a %s is a %s here, the public form takes a %s", t, rv.Type(), to)
}

func isNumber(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uint64
}

func compilerOf(name string) (wasmer.CompilerKind, error) {
	for _, c := range []wasmer.CompilerKind{wasmer.CRANELIFT, wasmer.SINGLEPASS} {
		if c.String() == name {
			return c, nil
		}
	}
	return 0, protocolf("unknown compiler %q", name)
}

// encodeResult is a result in the example's JSON form.
func encodeResult(t string, v reflect.Value) (interface{}, error) {
	if (v.Kind() == reflect.Ptr || v.Kind() == reflect.Interface || v.Kind() == reflect.Slice) && v.IsNil() && t != "bytes" {
		return nil, nil
	}
	switch t {
	case "bool":
		if v.Kind() == reflect.Bool {
			return v.Bool(), nil
		}
	case "u32", "u64":
		switch v.Kind() {
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return v.Uint(), nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return v.Int(), nil
		}
	case "str":
		if v.Kind() == reflect.String {
			return v.String(), nil
		}
	case "bytes":
		if b, ok := v.Interface().([]byte); ok {
			return map[string]string{"hex": hex.EncodeToString(b)}, nil
		}
	case "valkind", "externkind", "compiler":
		if k, ok := v.Interface().(wasmer.ValueKind); ok {
			return specName(k), nil
		}
		if s, ok := v.Interface().(fmt.Stringer); ok {
			return s.String(), nil
		}
	default:
		return map[string]string{"class": t}, nil
	}
	return nil, errors.New("a " + t + " result came back as " + v.Type().String())
}
