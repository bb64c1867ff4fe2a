module wasmgen/bench/go_bench

go 1.19

require wasmgen/go v0.0.0

replace wasmgen/go => ../../bindings/go
