module wasmgen/go

go 1.19
