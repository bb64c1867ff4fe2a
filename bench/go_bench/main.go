// Command go_bench times sum(1, 2) and a host-import round trip through the Go
// binding. It prints one JSON line per case: {"lang": "go", "case": ..., "ns": ...},
// best of 5 rounds, like bench/python_bench.py.
//
// Memory: 1 KiB, 64 KiB and 1 MiB written and read through the documented bulk path
// (Memory.Write; Memory.ReadInto into an existing slice as memory_read_, Memory.Read into a
// new one as memory_read_alloc_; each one memcpy under the store's lock)
// beside Go's own copy() of the same size (memcpy_) and its allocating copy, bytes.Clone
// (memcpy_alloc_, what Read does): {"workload": "memory", "impl": "wasmgen" |
// "language"}, "ns" the median per operation of 7 rounds (p25, p75, min and max beside it).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
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
	memoryCases(store)
}

var sink int

func rounds(op func(n int), n int) []float64 {
	op(n) // warm up
	times := make([]float64, 7)
	for r := range times {
		start := time.Now()
		op(n)
		times[r] = float64(time.Since(start).Nanoseconds()) / float64(n)
	}
	sort.Float64s(times)
	return times
}

func memoryCases(store *wasmer.Store) {
	limits, _ := wasmer.NewLimits(17, 17)
	memory := wasmer.NewMemory(store, wasmer.NewMemoryType(limits))
	defer memory.Close()
	for _, sz := range []struct {
		label string
		size  int
	}{{"1KiB", 1 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}} {
		size := sz.size
		reps := (64 << 20) / size
		if reps < 20 {
			reps = 20
		}
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i)
		}
		dst := make([]byte, size)
		cases := []struct {
			name, impl string
			op         func(n int)
		}{
			{"memory_write_" + sz.label, "wasmgen", func(n int) {
				for i := 0; i < n; i++ {
					if err := memory.Write(uint64(i&7), data); err != nil {
						panic(err)
					}
				}
			}},
			{"memory_read_alloc_" + sz.label, "wasmgen", func(n int) {
				for i := 0; i < n; i++ {
					b, err := memory.Read(uint64(i&7), uint64(size))
					if err != nil {
						panic(err)
					}
					sink += len(b)
				}
			}},
			{"memory_read_" + sz.label, "wasmgen", func(n int) {
				for i := 0; i < n; i++ {
					if err := memory.ReadInto(uint64(i&7), dst); err != nil {
						panic(err)
					}
					sink += int(dst[i&7])
				}
			}},
			{"memcpy_" + sz.label, "language", func(n int) {
				for i := 0; i < n; i++ {
					sink += copy(dst, data) + int(dst[i&7])
				}
			}},
			// the allocating copy, what Read does: make + copy (bytes.Clone)
			{"memcpy_alloc_" + sz.label, "language", func(n int) {
				for i := 0; i < n; i++ {
					b := bytes.Clone(data)
					sink += int(b[i&7])
				}
			}},
		}
		for _, c := range cases {
			t := rounds(c.op, reps)
			r := func(x float64) float64 { return math.Round(x*10) / 10 }
			line, _ := json.Marshal(map[string]interface{}{"lang": "go", "case": c.name, "ns": r(t[3]), "median": r(t[3]),
				"p25": r(t[1]), "p75": r(t[5]), "min": r(t[0]), "max": r(t[6]), "samples": len(t), "workload": "memory",
				"impl": c.impl, "bytes": size})
			fmt.Println(string(line))
		}
		if err := memory.Write(0, data); err != nil {
			panic(err)
		}
		got, err := memory.Read(0, uint64(size))
		if err != nil || !bytes.Equal(got, data) || sink == 0 {
			panic("memory round trip differs")
		}
	}
}
