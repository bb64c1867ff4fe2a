module wasmgen/bench/go_bench

go 1.19

require github.com/wasmgen/wasmer-go/v2 v2.0.0

replace github.com/wasmgen/wasmer-go/v2 => ../../bindings/go
