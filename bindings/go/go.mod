module github.com/wasmgen/wasmer-go/v2

go 1.19
