package wasmer_test

import (
	"fmt"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

func Example_sum() {
	engine := wasmer.NewEngine()
	store := wasmer.NewStore(engine)
	module, err := wasmer.NewModule(store, []byte(`
		(module
		  (func (export "sum") (param i32 i32) (result i32)
		    local.get 0 local.get 1 i32.add))`))
	if err != nil {
		panic(err)
	}
	instance, err := wasmer.NewInstance(module, wasmer.NewImportObject())
	if err != nil {
		panic(err)
	}
	defer instance.Close()
	sum, err := instance.Exports.GetFunction("sum")
	if err != nil {
		panic(err)
	}
	result, err := sum(1, 2)
	fmt.Println(result, err)
	// Output: 3 <nil>
}

func Example_add1() {
	store := wasmer.NewStore(wasmer.NewEngineWithConfig(wasmer.NewConfig().UseCraneliftCompiler()))
	module, err := wasmer.NewModule(store, []byte(`
		(module
		  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
		  (func (export "add1") (param i32 i32) (result i32)
		    local.get 0 local.get 1 call $sum i32.const 1 i32.add))`))
	if err != nil {
		panic(err)
	}
	hostSum := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32, wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(args[0].I32() + args[1].I32())}, nil
		})
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{"sum": hostSum})
	instance, err := wasmer.NewInstance(module, imports)
	if err != nil {
		panic(err)
	}
	defer instance.Close()
	add1, _ := instance.Exports.GetFunction("add1")
	result, err := add1(1, 2)
	fmt.Println(result, err)
	// Output: 4 <nil>
}

func Example_returnHello() {
	store := wasmer.NewStore(wasmer.NewEngine())
	module, err := wasmer.NewModule(store, []byte(`
		(module
		  (memory (export "memory") 1)
		  (data (i32.const 42) "Hello, World!\00")
		  (func (export "return_hello") (result i32) i32.const 42))`))
	if err != nil {
		panic(err)
	}
	instance, err := wasmer.NewInstance(module, wasmer.NewImportObject())
	if err != nil {
		panic(err)
	}
	defer instance.Close()
	returnHello, _ := instance.Exports.GetFunction("return_hello")
	ptr, _ := returnHello()
	memory, _ := instance.Exports.GetMemory("memory")
	data := memory.Data()
	start := int(ptr.(int32))
	end := start
	for data[end] != 0 {
		end++
	}
	fmt.Println(string(data[start:end]))
	// Output: Hello, World!
}

func Example_references() {
	store := wasmer.NewStore(wasmer.NewEngine())
	// A host function taking and returning an externref: any Go value.
	describe := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.AnyRef), wasmer.NewValueTypes(wasmer.AnyRef)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewAnyRef(fmt.Sprintf("<%v>", args[0].AnyRef()))}, nil
		})
	module, err := wasmer.NewModule(store, []byte(`
		(module
		  (import "env" "describe" (func $describe (param externref) (result externref)))
		  (func (export "id") (param externref) (result externref) local.get 0)
		  (func (export "describe") (param externref) (result externref) local.get 0 call $describe)
		  (func $answer (result i32) i32.const 42)
		  (elem declare func $answer)
		  (func (export "answer") (result funcref) ref.func $answer))`))
	if err != nil {
		panic(err)
	}
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{"describe": describe})
	instance, err := wasmer.NewInstance(module, imports)
	if err != nil {
		panic(err)
	}
	defer instance.Close()
	type point struct{ x, y int }
	p := &point{1, 2}
	id, _ := instance.Exports.GetFunction("id")
	same, _ := id(p)
	fmt.Println(same == p)
	describeFn, _ := instance.Exports.GetFunction("describe")
	fmt.Println(describeFn(p))
	answer, _ := instance.Exports.GetFunction("answer")
	f, _ := answer() // a funcref: a *Function
	fmt.Println(f.(*wasmer.Function).Call())
	// Output:
	// true
	// <&{1 2}> <nil>
	// 42 <nil>
}
