module wasmgen/bench/go_compute

go 1.25.0

require (
	github.com/tetratelabs/wazero v1.12.0
	github.com/wasmgen/wasmer-go/v2 v2.0.0
)

require golang.org/x/sys v0.44.0 // indirect

replace github.com/wasmgen/wasmer-go/v2 => ../../bindings/go
