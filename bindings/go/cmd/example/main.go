// Command example runs the `sum` export of a module: example simple.wasm
package main

import (
	"fmt"
	"os"

	"github.com/wasmgen/wasmer-go/v2/wasmer"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: example simple.wasm")
		os.Exit(2)
	}
	wasm, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	store := wasmer.NewStore(wasmer.NewEngine())
	module, err := wasmer.NewModule(store, wasm)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	instance, err := wasmer.NewInstance(module, wasmer.NewImportObject())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer instance.Close()
	sum, err := instance.Exports.GetFunction("sum")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	result, err := sum(1, 2)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("go: sum(1, 2) = %v\n", result)
}
