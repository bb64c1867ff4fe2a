// Command go_bench times sum(1, 2) and a host-import round trip through the Go
// binding. It prints one JSON line per case: {"lang": "go", "case": ..., "ns": ...},
// best of 5 rounds, like bench/python_bench.py.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

const wat = `
(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
`

func perCall(f wasmer.NativeFunction, n int) float64 {
	best := math.Inf(1)
	for round := 0; round < 5; round++ {
		start := time.Now()
		for i := 0; i < n; i++ {
			if _, err := f(1, 2); err != nil {
				panic(err)
			}
		}
		if ns := float64(time.Since(start).Nanoseconds()) / float64(n); ns < best {
			best = ns
		}
	}
	return best
}

func main() {
	n := 200000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	store := wasmer.NewStore(wasmer.NewEngine())
	host := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32, wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(args[0].I32() + args[1].I32())}, nil
		})
	module, err := wasmer.NewModule(store, []byte(wat))
	if err != nil {
		panic(err)
	}
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{"sum": host})
	instance, err := wasmer.NewInstance(module, imports)
	if err != nil {
		panic(err)
	}
	sum, _ := instance.Exports.GetFunction("sum")
	add1, _ := instance.Exports.GetFunction("add1")
	if r, _ := sum(1, 2); r != int32(3) {
		panic(fmt.Sprint("sum(1, 2) = ", r))
	}
	if r, _ := add1(1, 2); r != int32(4) {
		panic(fmt.Sprint("add1(1, 2) = ", r))
	}
	for _, c := range []struct {
		name string
		f    wasmer.NativeFunction
	}{{"sum", sum}, {"host_roundtrip", add1}} {
		line, _ := json.Marshal(map[string]interface{}{"lang": "go", "case": c.name, "ns": math.Round(perCall(c.f, n)*10) / 10})
		fmt.Println(string(line))
	}
}
