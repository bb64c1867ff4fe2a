package gocompute

// Go's compute, FFI-floor and peer cases, as sub-benchmarks named
// <workload>/<impl>/<variant or ->/<case> (ci/langs/go.py turns `go test -bench` output into
// bench/report.py's JSON lines). Every result is checked equal to native C's
// (WASMGEN_BENCH_REF, from bench/compute/driver.c) before the timer starts; compiling and
// instantiating happen outside the timed loops.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

const (
	nbodySteps = 100000 // per op through wasm (reported per step)
	mib        = 1 << 20
)

var (
	ref struct {
		NbodySteps int     `json:"nbody_steps"`
		Nbody      float64 `json:"nbody"`
		Hash       uint32  `json:"hash"`
	}
	dir   string
	sinkF float64
	sinkI int64
)

func setup(b *testing.B) {
	if dir != "" {
		return
	}
	if err := json.Unmarshal([]byte(os.Getenv("WASMGEN_BENCH_REF")), &ref); err != nil {
		b.Fatal("WASMGEN_BENCH_REF: ", err)
	}
	dir = os.Getenv("WASMGEN_BENCH_DIR")
}

func read(b *testing.B, name string) []byte {
	bytes, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	return bytes
}

func perStep(b *testing.B, steps int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(steps), "ns/step")
}

func wasmgenExports(b *testing.B, store *wasmer.Store, bytes []byte, imports *wasmer.ImportObject) *wasmer.Exports {
	module, err := wasmer.NewModule(store, bytes)
	if err != nil {
		b.Fatal(err)
	}
	if imports == nil {
		imports = wasmer.NewImportObject()
	}
	instance, err := wasmer.NewInstance(module, imports)
	if err != nil {
		b.Fatal(err)
	}
	return instance.Exports
}

func fn(b *testing.B, ex *wasmer.Exports, name string) wasmer.NativeFunction {
	f, err := ex.GetFunction(name)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// nbodyNative times a native nbody (Go's own, or C's through cgo) per step, after checking its result.
func nbodyNative(what string, nbody func(int) float64) func(*testing.B) {
	return func(b *testing.B) {
		if r := nbody(ref.NbodySteps); r != ref.Nbody {
			b.Fatalf("%s: %v != %v", what, r, ref.Nbody)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sinkF += nbody(nbodySteps)
		}
		perStep(b, nbodySteps)
	}
}

func BenchmarkCompute(b *testing.B) {
	setup(b)
	for _, c := range []struct {
		name   string
		config func() *wasmer.Config
	}{{"cranelift", func() *wasmer.Config { return wasmer.NewConfig().UseCraneliftCompiler() }},
		{"singlepass", func() *wasmer.Config { return wasmer.NewConfig().UseSinglepassCompiler() }}} {
		store := wasmer.NewStore(wasmer.NewEngineWithConfig(c.config()))
		nbody := fn(b, wasmgenExports(b, store, read(b, "nbody.wasm"), nil), "nbody")
		b.Run("nbody/wasmgen/"+c.name+"/nbody", func(b *testing.B) {
			if r, err := nbody(ref.NbodySteps); err != nil || r.(float64) != ref.Nbody {
				b.Fatalf("nbody: %v %v != %v", r, err, ref.Nbody)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, _ := nbody(nbodySteps)
				sinkF += r.(float64)
			}
			perStep(b, nbodySteps)
		})
		hex := wasmgenExports(b, store, read(b, "hash.wasm"), nil)
		hash := fn(b, hex, "hash")
		b.Run("hash/wasmgen/"+c.name+"/hash_1MiB", func(b *testing.B) {
			if r, err := fn(b, hex, "fill")(mib); err != nil || r.(int32) != mib {
				b.Fatal("fill: ", r, err)
			}
			if r, err := hash(mib); err != nil || uint32(r.(int32)) != ref.Hash {
				b.Fatalf("hash: %v %v != %v", r, err, ref.Hash)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, _ := hash(mib)
				sinkI += int64(r.(int32))
			}
		})
	}
	native, err := nativeNbody()
	if err != nil {
		b.Fatal("native nbody: ", err)
	}
	b.Run("nbody/native_in_process/-/nbody", nbodyNative("native nbody in this process", native))
	b.Run("nbody/language/-/nbody", nbodyNative("nbody in Go", nbodyGo))
	b.Run("hash/language/-/hash_1MiB", func(b *testing.B) {
		buf := make([]byte, mib)
		fillGo(buf)
		if r := hashGo(buf); r != ref.Hash {
			b.Fatalf("hash in Go: %v != %v", r, ref.Hash)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sinkI += int64(hashGo(buf))
		}
	})
}

func BenchmarkCall(b *testing.B) {
	setup(b)
	// the binding in the same harness as wazero's calls (cranelift, the default compiler)
	store := wasmer.NewStore(wasmer.NewEngine())
	host := wasmer.NewFunction(store,
		wasmer.NewFunctionType(wasmer.NewValueTypes(wasmer.I32, wasmer.I32), wasmer.NewValueTypes(wasmer.I32)),
		func(args []wasmer.Value) ([]wasmer.Value, error) {
			return []wasmer.Value{wasmer.NewI32(args[0].I32() + args[1].I32())}, nil
		})
	imports := wasmer.NewImportObject()
	imports.Register("env", map[string]wasmer.IntoExtern{"sum": host})
	ex := wasmgenExports(b, store, read(b, "calls.wasm"), imports)
	for _, c := range []struct {
		name, export string
		want         int32
	}{{"sum", "sum", 3}, {"host_roundtrip", "add1", 4}} {
		f := fn(b, ex, c.export)
		b.Run("call/wasmgen/cranelift/"+c.name, func(b *testing.B) {
			if r, err := f(1, 2); err != nil || r.(int32) != c.want {
				b.Fatal(c.export, r, err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, _ := f(1, 2)
				sinkI += int64(r.(int32))
			}
		})
	}
	b.Run("call/ffi/cgo/sum", func(b *testing.B) {
		if cSum(1, 2) != 3 {
			b.Fatal("cgo sum")
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sinkI += int64(cSum(int32(i), 2))
		}
	})
}

// wazero (Go module proxy), compiler mode: the same modules.
func BenchmarkWazero(b *testing.B) {
	setup(b)
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	defer r.Close(ctx)
	if _, err := r.NewHostModuleBuilder("env").NewFunctionBuilder().
		WithFunc(func(a, b int32) int32 { return a + b }).Export("sum").Instantiate(ctx); err != nil {
		b.Fatal(err)
	}
	calls, err := r.Instantiate(ctx, read(b, "calls.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, export string
		want         uint64
	}{{"sum", "sum", 3}, {"host_roundtrip", "add1", 4}} {
		f := calls.ExportedFunction(c.export)
		b.Run("call/wazero/-/"+c.name, func(b *testing.B) {
			if res, err := f.Call(ctx, 1, 2); err != nil || res[0] != c.want {
				b.Fatal(c.export, res, err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, _ := f.Call(ctx, 1, 2)
				sinkI += int64(res[0])
			}
		})
	}
	nb, err := r.Instantiate(ctx, read(b, "nbody.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	nbody := nb.ExportedFunction("nbody")
	b.Run("nbody/wazero/-/nbody", func(b *testing.B) {
		if res, err := nbody.Call(ctx, uint64(ref.NbodySteps)); err != nil || api.DecodeF64(res[0]) != ref.Nbody {
			b.Fatal("nbody: ", res, err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			res, _ := nbody.Call(ctx, nbodySteps)
			sinkF += api.DecodeF64(res[0])
		}
		perStep(b, nbodySteps)
	})
	hm, err := r.InstantiateWithConfig(ctx, read(b, "hash.wasm"), wazero.NewModuleConfig().WithName("hash"))
	if err != nil {
		b.Fatal(err)
	}
	hash := hm.ExportedFunction("hash")
	b.Run("hash/wazero/-/hash_1MiB", func(b *testing.B) {
		if res, err := hm.ExportedFunction("fill").Call(ctx, mib); err != nil || res[0] != mib {
			b.Fatal("fill: ", res, err)
		}
		if res, err := hash.Call(ctx, mib); err != nil || uint32(res[0]) != ref.Hash {
			b.Fatal("hash: ", res, err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			res, _ := hash.Call(ctx, mib)
			sinkI += int64(res[0])
		}
	})
}

// boot: compile, deserialize (the serialized module) and instantiate, ns per operation.
func boot(b *testing.B, size, file string) {
	store := wasmer.NewStore(wasmer.NewEngine())
	bytes := read(b, file)
	module, err := wasmer.NewModule(store, bytes)
	if err != nil {
		b.Fatal(err)
	}
	artifact, err := module.Serialize()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("boot/wasmgen/-/compile_"+size, func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			m, err := wasmer.NewModule(store, bytes)
			if err != nil {
				b.Fatal(err)
			}
			m.Close()
		}
	})
	b.Run("boot/wasmgen/-/deserialize_"+size, func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			m, err := wasmer.DeserializeModule(store, artifact)
			if err != nil {
				b.Fatal(err)
			}
			m.Close()
		}
	})
	b.Run("boot/wasmgen/-/instantiate_"+size, func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			inst, err := wasmer.NewInstance(module, wasmer.NewImportObject())
			if err != nil {
				b.Fatal(err)
			}
			inst.Close()
		}
	})
}

func BenchmarkBootSmall(b *testing.B) { setup(b); boot(b, "small", "nbody.wasm") }

// BenchmarkBootBig's compile takes seconds: ci/langs/go.py runs it apart, -benchtime 1x -count 3.
func BenchmarkBootBig(b *testing.B) { setup(b); boot(b, "big", "big.wasm") }
