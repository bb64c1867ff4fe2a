// Command conformance-driver is the conformance driver of the Go binding
// (conformance/protocol.md): one JSON request per line on stdin, one JSON
// response per line on stdout. It uses only the public API of package wasmer.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

// protocolError is a bad request: unknown op, module or export.
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return e.msg }

func protocolf(format string, args ...interface{}) error {
	return &protocolError{fmt.Sprintf(format, args...)}
}

func errorKind(err error) string {
	var p *protocolError
	if errors.As(err, &p) {
		return "protocol"
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return "runtime"
}

type value struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type request struct {
	Op       string            `json:"op"`
	Path     string            `json:"path"`
	As       string            `json:"as"`
	Instance *int64            `json:"instance"` // the id of the `module` request that made it
	Module   *string           `json:"module"`   // example: the path of its module, or null
	Field    string            `json:"field"`
	Args     json.RawMessage   `json:"args"` // values ([]value), or an example's JSON arguments
	Memory   string            `json:"memory"`
	Offset   *int64            `json:"offset"`
	Method   string            `json:"method"` // example: "Class.method"
	Self     map[string]string `json:"self"`   // example: {export: NAME} or {object: Name}

	// wasi: the program's name, environment, stdin (base64, null: none), directories
	// and captured streams; its arguments are Args.
	Program  string      `json:"program"`
	Env      [][2]string `json:"env"`
	Stdin    *string     `json:"stdin"`
	Preopens []string    `json:"preopens"`
	Maps     [][2]string `json:"maps"`
	Capture  []string    `json:"capture"`

	// ID, when present, is echoed in the response.
	ID json.RawMessage `json:"id"`
}

func kindOf(name string) (wasmer.ValueKind, error) {
	switch name {
	case "i32":
		return wasmer.I32, nil
	case "i64":
		return wasmer.I64, nil
	case "f32":
		return wasmer.F32, nil
	case "f64":
		return wasmer.F64, nil
	case "externref":
		return wasmer.AnyRef, nil
	case "funcref":
		return wasmer.FuncRef, nil
	}
	return 0, protocolf("unsupported value type %q", name)
}

// specName is the spec's name of a value kind (kindOf's inverse): the package's
// String() is wasmer-go's, which calls an externref "anyref".
func specName(kind wasmer.ValueKind) string {
	if kind == wasmer.AnyRef {
		return "externref"
	}
	return kind.String()
}

// externToken is the host object standing for the spec tests' `ref.extern N`:
// passed as an externref, it comes back out of wasm as itself.
type externToken struct{ n uint64 }

// externTokens gives the same object for the same N.
var externTokens = map[uint64]*externToken{}

// toGo converts a protocol value (unsigned decimal of the bits) to a Go value.
func toGo(v value) (interface{}, error) {
	kind, err := kindOf(v.Type)
	if err != nil {
		return nil, err
	}
	if v.Value == "null" {
		return nil, nil
	}
	bits, err := strconv.ParseUint(v.Value, 10, 64)
	if err != nil {
		return nil, protocolf("bad %s value %q", v.Type, v.Value)
	}
	switch kind {
	case wasmer.I32:
		return int32(uint32(bits)), nil
	case wasmer.I64:
		return int64(bits), nil
	case wasmer.F32:
		return math.Float32frombits(uint32(bits)), nil
	case wasmer.F64:
		return math.Float64frombits(bits), nil
	case wasmer.AnyRef:
		token, ok := externTokens[bits]
		if !ok {
			token = &externToken{n: bits}
			externTokens[bits] = token
		}
		return token, nil
	case wasmer.FuncRef:
		return nil, fmt.Errorf("non-null %s values are not supported", v.Type)
	}
	return nil, protocolf("unsupported value type %q", v.Type)
}

// fromGo converts a Go result of the given kind to a protocol value.
func fromGo(kind wasmer.ValueKind, x interface{}) (value, error) {
	out := value{Type: specName(kind)}
	var bits uint64
	switch kind {
	case wasmer.I32:
		y, ok := x.(int32)
		if !ok {
			return out, fmt.Errorf("a %s result came back as %T", kind, x)
		}
		bits = uint64(uint32(y))
	case wasmer.I64:
		y, ok := x.(int64)
		if !ok {
			return out, fmt.Errorf("a %s result came back as %T", kind, x)
		}
		bits = uint64(y)
	case wasmer.F32:
		y, ok := x.(float32)
		if !ok {
			return out, fmt.Errorf("a %s result came back as %T", kind, x)
		}
		bits = uint64(math.Float32bits(y))
	case wasmer.F64:
		y, ok := x.(float64)
		if !ok {
			return out, fmt.Errorf("a %s result came back as %T", kind, x)
		}
		bits = math.Float64bits(y)
	case wasmer.AnyRef:
		if x == nil {
			out.Value = "null"
			return out, nil
		}
		token, ok := x.(*externToken)
		if !ok {
			return out, fmt.Errorf("a %s result came back as %T", kind, x)
		}
		bits = token.n
	case wasmer.FuncRef:
		// a non-null funcref is a *wasmer.Function: its identity cannot cross the protocol
		if x == nil {
			out.Value = "null"
			return out, nil
		}
		if _, ok := x.(*wasmer.Function); !ok {
			return out, fmt.Errorf("a %s result came back as %T", kind, x)
		}
		bits = 1
	}
	out.Value = strconv.FormatUint(bits, 10)
	return out, nil
}

type driver struct {
	engine     *wasmer.Engine
	store      *wasmer.Store
	byID       map[int64]*wasmer.Instance // by the id of the `module` request
	registered map[string]map[string]wasmer.IntoExtern
	host       map[string]map[string]wasmer.IntoExtern
	instances  []*wasmer.Instance // every instance made, closed at quit
}

func newDriver() *driver {
	engine := wasmer.NewEngine()
	store := wasmer.NewStore(engine)
	d := &driver{
		engine:     engine,
		store:      store,
		byID:       map[int64]*wasmer.Instance{},
		registered: map[string]map[string]wasmer.IntoExtern{},
	}
	sum := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32, wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(args[0].I32() + args[1].I32())}, nil
		})
	d.host = map[string]map[string]wasmer.IntoExtern{"env": {"sum": sum}}
	return d
}

func (d *driver) instance(req *request) (*wasmer.Instance, error) {
	if req.Instance == nil || d.byID[*req.Instance] == nil {
		return nil, protocolf("no such instance")
	}
	return d.byID[*req.Instance], nil
}

func (d *driver) export(req *request) (*wasmer.Extern, error) {
	inst, err := d.instance(req)
	if err != nil {
		return nil, err
	}
	ext, err := inst.Exports.Get(req.Field)
	if err != nil {
		return nil, protocolf("no export named %s", req.Field)
	}
	return ext, nil
}

func (d *driver) imports() *wasmer.ImportObject {
	imports := wasmer.NewImportObject()
	for ns, items := range d.host {
		imports.Register(ns, items)
	}
	for ns, items := range d.registered {
		imports.Register(ns, items)
	}
	return imports
}

func (d *driver) module(req *request) error {
	wasm, err := os.ReadFile(req.Path)
	if err != nil {
		return protocolf("%v", err)
	}
	module, err := wasmer.NewModule(d.store, wasm)
	if err != nil {
		return err
	}
	defer module.Close()
	inst, err := wasmer.NewInstance(module, d.imports())
	if err != nil {
		return err
	}
	d.instances = append(d.instances, inst)
	if id, err := strconv.ParseInt(string(req.ID), 10, 64); err == nil {
		d.byID[id] = inst
	}
	return nil
}

func (d *driver) handle(req *request) (map[string]interface{}, error) {
	ok := map[string]interface{}{"ok": true}
	switch req.Op {
	case "module":
		return ok, d.module(req)
	case "compile":
		wasm, err := os.ReadFile(req.Path)
		if err != nil {
			return nil, protocolf("%v", err)
		}
		module, err := wasmer.NewModule(d.store, wasm)
		if err != nil {
			return nil, err
		}
		module.Close()
		return ok, nil
	case "register":
		inst, err := d.instance(req)
		if err != nil {
			return nil, err
		}
		items := map[string]wasmer.IntoExtern{}
		for _, name := range inst.Exports.Names() {
			ext, _ := inst.Exports.Get(name)
			items[name] = ext
		}
		d.registered[req.As] = items
		return ok, nil
	case "invoke":
		ext, err := d.export(req)
		if err != nil {
			return nil, err
		}
		function := ext.IntoFunction()
		if function == nil {
			return nil, protocolf("export %s is not a function", req.Field)
		}
		var wire []value
		if len(req.Args) > 0 {
			if err := json.Unmarshal(req.Args, &wire); err != nil {
				return nil, protocolf("bad args: %v", err)
			}
		}
		args := make([]interface{}, len(wire))
		for i, a := range wire {
			if args[i], err = toGo(a); err != nil {
				return nil, err
			}
		}
		out, err := function.Call(args...)
		if err != nil {
			return nil, err
		}
		types := function.Type().Results()
		var values []interface{}
		switch len(types) {
		case 0:
		case 1:
			values = []interface{}{out}
		default:
			values = out.([]interface{})
		}
		results := make([]value, len(types))
		for i, t := range types {
			if results[i], err = fromGo(t.Kind(), values[i]); err != nil {
				return nil, err
			}
		}
		ok["results"] = results
		return ok, nil
	case "get":
		ext, err := d.export(req)
		if err != nil {
			return nil, err
		}
		global := ext.IntoGlobal()
		if global == nil {
			return nil, protocolf("export %s is not a global", req.Field)
		}
		v, err := global.Get()
		if err != nil {
			return nil, err
		}
		result, err := fromGo(global.Type().ValueType().Kind(), v)
		if err != nil {
			return nil, err
		}
		ok["results"] = []value{result}
		return ok, nil
	case "read_cstring":
		inst, err := d.instance(req)
		if err != nil {
			return nil, err
		}
		name := req.Memory
		if name == "" {
			name = "memory"
		}
		memory, err := inst.Exports.GetMemory(name)
		if err != nil {
			return nil, protocolf("no memory named %s", name)
		}
		if req.Offset == nil {
			return nil, protocolf("read_cstring needs an offset")
		}
		data := memory.Data()
		offset := *req.Offset
		if offset < 0 || offset >= int64(len(data)) {
			return nil, fmt.Errorf("%w: offset %d is outside the memory (%d bytes)", wasmer.ErrArgument, offset, len(data))
		}
		for end := offset; end < int64(len(data)); end++ {
			if data[end] == 0 {
				ok["value"] = string(data[offset:end])
				return ok, nil
			}
		}
		return nil, fmt.Errorf("%w: no NUL byte after offset %d", wasmer.ErrArgument, offset)
	case "wasi":
		return d.wasi(req)
	case "example":
		result, err := d.example(req)
		if err != nil {
			return nil, err
		}
		ok["result"] = result
		return ok, nil
	}
	return nil, protocolf("unknown op %q", req.Op)
}

// wasi runs a WASI program's _start in a store of its own, through the wasmer-go
// WASI API (NewWasiStateBuilder ... Finalize, GenerateImportObject).
func (d *driver) wasi(req *request) (map[string]interface{}, error) {
	var args []string
	if err := json.Unmarshal(req.Args, &args); err != nil {
		return nil, protocolf("wasi: args: %v", err)
	}
	captured := map[string]bool{}
	for _, name := range req.Capture {
		captured[name] = true
	}
	wasm, err := os.ReadFile(req.Path)
	if err != nil {
		return nil, protocolf("%v", err)
	}
	store := wasmer.NewStore(d.engine)
	defer store.Close()
	module, err := wasmer.NewModule(store, wasm)
	if err != nil {
		return nil, err
	}
	defer module.Close()
	builder := wasmer.NewWasiStateBuilder(req.Program)
	for _, arg := range args {
		builder.Argument(arg)
	}
	for _, kv := range req.Env {
		builder.Environment(kv[0], kv[1])
	}
	if req.Stdin != nil {
		data, err := base64.StdEncoding.DecodeString(*req.Stdin)
		if err != nil {
			return nil, protocolf("wasi: stdin: %v", err)
		}
		builder.Stdin(data)
	}
	for _, dir := range req.Preopens {
		builder.PreopenDirectory(dir)
	}
	for _, m := range req.Maps {
		builder.MapDirectory(m[0], m[1])
	}
	if captured["stdout"] {
		builder.CaptureStdout()
	}
	if captured["stderr"] {
		builder.CaptureStderr()
	}
	env, err := builder.Finalize()
	if err != nil {
		return nil, err
	}
	imports, err := env.GenerateImportObject(store, module)
	if err != nil {
		return nil, err
	}
	instance, err := wasmer.NewInstance(module, imports)
	if err != nil {
		return nil, err
	}
	defer instance.Close()
	start, err := instance.Exports.GetWasiStartFunction()
	if err != nil {
		return nil, err
	}
	resp := map[string]interface{}{"ok": true, "exit": nil, "stdout": nil, "stderr": nil}
	if _, err := start(); err != nil {
		var exit *wasmer.WasiExitError
		if !errors.As(err, &exit) {
			return nil, err
		}
		resp["exit"] = exit.Code()
	}
	if captured["stdout"] {
		resp["stdout"] = base64.StdEncoding.EncodeToString(env.ReadStdout())
	}
	if captured["stderr"] {
		resp["stderr"] = base64.StdEncoding.EncodeToString(env.ReadStderr())
	}
	return resp, nil
}

// serve answers one request; a panic is an error answer, never a crash. The
// answer carries the request's "id", when it has one.
func (d *driver) serve(line []byte) (resp map[string]interface{}, quit bool) {
	var req request
	defer func() {
		if p := recover(); p != nil {
			resp = map[string]interface{}{"ok": false, "error": "runtime", "message": fmt.Sprintf("panic: %v", p)}
		}
		if resp != nil && len(req.ID) > 0 && string(req.ID) != "null" {
			resp["id"] = req.ID
		}
	}()
	if err := json.Unmarshal(line, &req); err != nil {
		return map[string]interface{}{"ok": false, "error": "protocol", "message": err.Error()}, false
	}
	if req.Op == "quit" {
		return nil, true
	}
	resp, err := d.handle(&req)
	if err != nil {
		return map[string]interface{}{"ok": false, "error": errorKind(err), "message": err.Error()}, false
	}
	return resp, false
}

func (d *driver) close() {
	for _, inst := range d.instances {
		inst.Close()
	}
	for _, items := range d.host {
		for _, item := range items {
			item.IntoExtern().Close()
		}
	}
	d.store.Close()
	d.engine.Close()
}

func main() {
	d := newDriver()
	in := bufio.NewReaderSize(os.Stdin, 1<<16)
	for {
		line, err := in.ReadBytes('\n')
		if line = bytes.TrimSpace(line); len(line) > 0 {
			resp, quit := d.serve(line)
			if quit {
				break
			}
			out, _ := json.Marshal(resp)
			os.Stdout.Write(append(out, '\n'))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance-driver:", err)
			os.Exit(1)
		}
	}
	d.close()
}
