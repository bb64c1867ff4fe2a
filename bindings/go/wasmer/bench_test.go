package wasmer_test

import (
	"testing"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

const benchWat = `
(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
`

func benchExports(b *testing.B) *wasmer.Exports {
	store := wasmer.NewStore(wasmer.NewEngine())
	host := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32, wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(args[0].I32() + args[1].I32())}, nil
		})
	module, err := wasmer.NewModule(store, []byte(benchWat))
	if err != nil {
		b.Fatal(err)
	}
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{"sum": host})
	instance, err := wasmer.NewInstance(module, imports)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(instance.Close)
	return instance.Exports
}

func BenchmarkSum(b *testing.B) {
	sum, _ := benchExports(b).GetFunction("sum")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sum(1, 2)
	}
}

func BenchmarkHostRoundTrip(b *testing.B) {
	add1, _ := benchExports(b).GetFunction("add1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		add1(1, 2)
	}
}
