package wasmer

// WASI (wasmer-go's WasiVersion, WasiStateBuilder, WasiEnvironment, WasiExitError)
// over the glue's WasiConfig and WasiEnv (api.yaml). The flow is wasmer-go's:
//
//	wasiEnv, _ := wasmer.NewWasiStateBuilder("program").
//		Argument("--foo").
//		Environment("KEY", "value").
//		MapDirectory("/data", hostDir).
//		CaptureStdout().
//		Finalize()
//	importObject, _ := wasiEnv.GenerateImportObject(store, module)
//	instance, _ := wasmer.NewInstance(module, importObject)
//	start, _ := instance.Exports.GetWasiStartFunction()
//	_, err := start() // a *WasiExitError when the program called exit(n)
//	out := wasiEnv.ReadStdout()
//
// The sandbox: a program sees only the directories, variables and standard
// input it was given; its stdout and stderr are discarded unless captured or
// inherited.

// #include "wasmgen.h"
import "C"

import (
	"fmt"
	"runtime"
	"sync"
)

// WasiVersion is a version of the WASI API, known from a module's imports
// (the values of libwasmer's wasi_version_t, as wasmer-go's).
type WasiVersion int32

const (
	// WASI_VERSION_LATEST: the latest version (a floating alias).
	WASI_VERSION_LATEST = WasiVersion(0)
	// WASI_VERSION_SNAPSHOT0: the "wasi_unstable" imports.
	WASI_VERSION_SNAPSHOT0 = WasiVersion(1)
	// WASI_VERSION_SNAPSHOT1: the "wasi_snapshot_preview1" imports.
	WASI_VERSION_SNAPSHOT1 = WasiVersion(2)
	// WASI_VERSION_INVALID: not a WASI module.
	WASI_VERSION_INVALID = WasiVersion(-1)
)

// String returns the version's namespace ("wasi_unstable", "wasi_snapshot_preview1"),
// "__latest__" or "__unknown__".
func (v WasiVersion) String() string {
	switch v {
	case WASI_VERSION_SNAPSHOT0:
		return "wasi_unstable"
	case WASI_VERSION_SNAPSHOT1:
		return "wasi_snapshot_preview1"
	case WASI_VERSION_LATEST:
		return "__latest__"
	}
	return "__unknown__"
}

// GetWasiVersion returns the WASI version a module imports (the glue's
// Module.wasi_version, not strict: the module may import other namespaces too),
// WASI_VERSION_INVALID if it is not a WASI module (or is closed).
func GetWasiVersion(module *Module) WasiVersion {
	h, err := module.handle()
	if err != nil {
		return WASI_VERSION_INVALID
	}
	v, err := lowModuleWasiVersion(h, false)
	runtime.KeepAlive(module)
	if err != nil {
		return WASI_VERSION_INVALID
	}
	switch v {
	case 1:
		return WASI_VERSION_SNAPSHOT0
	case 2:
		return WASI_VERSION_SNAPSHOT1
	}
	return WASI_VERSION_INVALID
}

// WasiExitError is the error of a WASI program that exited (proc_exit, or
// exit(n) in C), whatever its code, 0 included: its Code() is n. errors.Is(err,
// ErrExit) matches it; it is not a *TrapError.
type WasiExitError struct {
	code    uint32
	message string
}

// Code returns the program's exit code.
func (e *WasiExitError) Code() uint32 {
	return e.code
}

// Error returns the error's message, with the exit code.
func (e *WasiExitError) Error() string {
	if e.message == "" {
		return fmt.Sprintf("WASI exited with code %d", e.code)
	}
	return e.message
}

// Is matches ErrExit.
func (e *WasiExitError) Is(target error) bool {
	return target == error(ErrExit)
}

// WasiStateBuilder describes a WASI program's state: its name, arguments,
// environment, directories and standard streams. Each method records a step;
// Finalize applies them in order (a later stream setting replaces an earlier
// one) and reports the first that failed.
type WasiStateBuilder struct {
	programName string
	steps       []func(*C.wg_wasi_config) error
}

// NewWasiStateBuilder starts the state of the WASI program of that name (its argv[0]).
func NewWasiStateBuilder(programName string) *WasiStateBuilder {
	return &WasiStateBuilder{programName: programName}
}

// step keeps one step of the builder (the rendered ones too: templates/go/_public.go.jinja
// `chained`), applied to the glue configuration by Finalize, which reports its error.
func (b *WasiStateBuilder) step(f func(*C.wg_wasi_config) error) *WasiStateBuilder {
	b.steps = append(b.steps, f)
	return b
}

// Argument adds an argument.
func (b *WasiStateBuilder) Argument(argument string) *WasiStateBuilder {
	return b.step(func(c *C.wg_wasi_config) error { return lowWasiConfigArgument(c, argument) })
}

// Environment sets an environment variable (the program sees no other).
func (b *WasiStateBuilder) Environment(key string, value string) *WasiStateBuilder {
	return b.step(func(c *C.wg_wasi_config) error { return lowWasiConfigEnvironment(c, key, value) })
}

// PreopenDirectory gives the program a host directory, under the same path. A
// directory that does not exist is an ErrArgument of GenerateImportObject.
func (b *WasiStateBuilder) PreopenDirectory(preopenDirectory string) *WasiStateBuilder {
	return b.step(func(c *C.wg_wasi_config) error { return lowWasiConfigPreopenDirectory(c, preopenDirectory) })
}

// MapDirectory gives the program a host directory under another path (alias).
func (b *WasiStateBuilder) MapDirectory(alias string, directory string) *WasiStateBuilder {
	return b.step(func(c *C.wg_wasi_config) error { return lowWasiConfigMapDirectory(c, alias, directory) })
}

// Finalize makes the WASI environment of the state (the builder stays usable).
func (b *WasiStateBuilder) Finalize() (*WasiEnvironment, error) {
	c, err := lowWasiConfigNew(b.programName)
	if err != nil {
		return nil, err
	}
	for _, step := range b.steps {
		if err := step(c); err != nil {
			deleteWgWasiConfig(c)
			return nil, err
		}
	}
	e := &WasiEnvironment{config: c}
	runtime.SetFinalizer(e, (*WasiEnvironment).finalize)
	return e, nil
}

// WasiEnvironment is the environment of a WASI program (made by Finalize).
// GenerateImportObject starts the program's state in a store; an instance made
// with those imports is the program, and ReadStdout/ReadStderr take what it
// wrote. Each GenerateImportObject starts a new state (one instance each): the
// streams read are those of the latest.
type WasiEnvironment struct {
	mu     sync.Mutex
	config *C.wg_wasi_config
	state  *wasiState
}

// wasiState owns the glue's WasiEnv of one GenerateImportObject: kept by the
// WasiEnvironment and by the ImportObject (the glue keeps it for the instance).
type wasiState struct {
	h      *C.wg_wasi_env
	store  *Store
	module *Module
}

func (s *wasiState) finalize() {
	deferDeleteWgWasiEnv(s.h)
}

func (e *WasiEnvironment) finalize() {
	deleteWgWasiConfig(e.config)
}

// GenerateImportObject starts the program's state in the store and returns the
// WASI imports of the module (its WASI version's namespace). More imports may
// be registered in the ImportObject; one registered under a WASI name replaces
// WASI's.
func (e *WasiEnvironment) GenerateImportObject(store *Store, module *Module) (*ImportObject, error) {
	if e == nil || e.config == nil {
		return nil, newErrorf(codeArgumentError, "the WASI environment is nil")
	}
	sh, err := store.handle()
	if err != nil {
		return nil, err
	}
	if _, err := module.handle(); err != nil {
		return nil, err
	}
	if module.store != nil && module.store.Engine != store.Engine {
		return nil, newErrorf(codeLinkError, "the store is of another engine than the module's")
	}
	h, err := lowWasiEnvNew(sh, e.config)
	runtime.KeepAlive(store)
	runtime.KeepAlive(e)
	if err != nil {
		return nil, err
	}
	state := &wasiState{h: h, store: store, module: module}
	runtime.SetFinalizer(state, (*wasiState).finalize)
	e.mu.Lock()
	e.state = state
	e.mu.Unlock()
	imports := NewImportObject()
	imports.wasi = state
	return imports, nil
}

func (e *WasiEnvironment) read(stderr bool) []byte {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	state := e.state
	e.mu.Unlock()
	if state == nil {
		return nil
	}
	var out []byte
	var err error
	if stderr {
		out, err = lowWasiEnvReadStderr(state.h)
	} else {
		out, err = lowWasiEnvReadStdout(state.h)
	}
	runtime.KeepAlive(state)
	if err != nil {
		return nil
	}
	return out
}

// ReadStdout takes what the program wrote to its captured standard output so
// far (empty when not captured).
func (e *WasiEnvironment) ReadStdout() []byte {
	return e.read(false)
}

// ReadStderr takes what the program wrote to its captured standard error so
// far (empty when not captured).
func (e *WasiEnvironment) ReadStderr() []byte {
	return e.read(true)
}
