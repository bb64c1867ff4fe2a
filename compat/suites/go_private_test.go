package wasmer

// wasmer-go 1.0.4's tests are internal tests: two of them call private helpers
// of wasmer-go's own implementation, which this binding does not have (its
// host functions live in a lock-free table, hostTable in host.go, and it keeps
// value types as Go values, never as C vectors). compat/suites/go.py adds this
// file to the compat run's package, and only there, so that upstream's test
// files compile as one package. These names do nothing: the two tests that call
// them fail, and compat/expected/wasmer-go-1.0.4.yaml lists them with this reason.

import "fmt"

// hostFunction is wasmer-go's record of a host function (ours: hostClosure).
type hostFunction struct {
	store    *Store
	function func([]Value) ([]Value, error)
}

// hostFunctions is wasmer-go's registry of host functions (ours: hostTable).
type hostFunctions struct {
	functions map[uint]*hostFunction
}

func errNotHere(name string) error {
	return fmt.Errorf("wasmgen: %s is private to wasmer-go's implementation; this binding has no such helper", name)
}

func (h *hostFunctions) load(index uint) (*hostFunction, error) {
	return nil, errNotHere("hostFunctions.load")
}

// store registers nothing: no index (^uint(0)).
func (h *hostFunctions) store(f *hostFunction) uint {
	return ^uint(0)
}

func (h *hostFunctions) remove(index uint) {}

// valueTypeVec stands for wasmer-go's C.wasm_valtype_vec_t: always empty here.
type valueTypeVec struct {
	size uint
}

func toValueTypeVec(valueTypes []*ValueType) valueTypeVec {
	return valueTypeVec{}
}

func toValueTypeList(valueTypes *valueTypeVec, ownedBy interface{}) []*ValueType {
	return nil
}
