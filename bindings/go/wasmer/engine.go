package wasmer

// #include "wasmgen.h"
import "C"

import (
	"runtime"
)

// IsCompilerAvailable tells whether the compiler is in this libwasmer build.
func IsCompilerAvailable(compiler CompilerKind) bool {
	h, err := lowEngineNew(uint32(compiler))
	if err != nil {
		return false
	}
	deleteWgEngine(h)
	return true
}

// EngineKind is the kind of engine: only UNIVERSAL is available.
type EngineKind uint32

const (
	// UNIVERSAL is the engine compiling in memory.
	UNIVERSAL = EngineKind(1)

	// DYLIB is the engine compiling to shared objects: not available.
	DYLIB = EngineKind(2)

	// JIT is a deprecated name of UNIVERSAL.
	JIT = UNIVERSAL

	// NATIVE is a deprecated name of DYLIB.
	NATIVE = DYLIB
)

// String returns "universal" or "dylib".
func (k EngineKind) String() string {
	switch k {
	case UNIVERSAL:
		return "universal"
	case DYLIB:
		return "dylib"
	}
	return "unknown engine"
}

// IsEngineAvailable tells whether the engine is available: only UNIVERSAL is.
func IsEngineAvailable(engine EngineKind) bool {
	return engine == UNIVERSAL
}

// Config holds the compiler and the engine kind used by an Engine.
type Config struct {
	compiler CompilerKind
	dylib    bool    // UseDylibEngine: not available
	target   *Target // UseTarget: cross-compilation, not available
}

// NewConfig instantiates a Config with the default compiler (defaultCompiler).
func NewConfig() *Config {
	return &Config{compiler: defaultCompiler}
}

// UseUniversalEngine sets the engine to Universal (the only one available).
func (c *Config) UseUniversalEngine() *Config {
	c.dylib = false
	return c
}

// UseJITEngine is a deprecated name of UseUniversalEngine.
func (c *Config) UseJITEngine() *Config {
	return c.UseUniversalEngine()
}

// UseDylibEngine asks for the Dylib engine, which is not available: the Engine
// made from this Config reports an error when used.
func (c *Config) UseDylibEngine() *Config {
	c.dylib = true
	return c
}

// UseNativeEngine is a deprecated name of UseDylibEngine.
func (c *Config) UseNativeEngine() *Config {
	return c.UseDylibEngine()
}

// LLVM is wasmer-go's LLVM compiler, which libwasmer 7 (as wasmgen builds it)
// does not have: IsCompilerAvailable(LLVM) is false, and an Engine made with
// UseLLVMCompiler reports an error when used.
const LLVM = CompilerKind(1)

// UseLLVMCompiler asks for the LLVM compiler, which is not available: the
// Engine made from this Config reports an error when used.
func (c *Config) UseLLVMCompiler() *Config {
	c.compiler = LLVM
	return c
}

// UseTarget asks to compile for another target (cross-compilation), which this
// binding does not offer: the Engine made from this Config reports an error
// when used.
func (c *Config) UseTarget(target *Target) *Config {
	c.target = target
	return c
}

// unavailable is the error of an Engine made from c, if c asks for what
// libwasmer 7 as wasmgen builds it does not have; nil otherwise.
func (c *Config) unavailable() error {
	switch {
	case c.dylib:
		return newErrorf(codeArgumentError, "the dylib engine is not available in this libwasmer build (only the universal engine is)")
	case c.compiler == LLVM:
		return newErrorf(codeArgumentError, "the LLVM compiler is not available in this libwasmer build (use UseCraneliftCompiler or UseSinglepassCompiler)")
	case c.target != nil:
		return newErrorf(codeArgumentError, "cross-compilation targets are not supported by this binding: modules compile for the host (%s)", c.target)
	}
	return nil
}

// unavailableCompilerName names the compilers of wasmer-go that are not in api.yaml.
func unavailableCompilerName(k CompilerKind) string {
	if k == LLVM {
		return "llvm"
	}
	return "unknown compiler"
}

// Engine compiles and runs modules with one compiler backend.
type Engine struct {
	h        *C.wg_engine
	compiler CompilerKind
	err      error
}

// NewEngine instantiates an Engine with the default configuration.
func NewEngine() *Engine {
	return NewEngineWithConfig(NewConfig())
}

// NewEngineWithConfig instantiates an Engine with the given Config. A failure (an
// unavailable compiler, say) is reported by the first use of the Engine
// (NewModule on one of its stores).
func NewEngineWithConfig(config *Config) *Engine {
	e := &Engine{compiler: config.compiler, err: config.unavailable()}
	if e.err == nil {
		e.h, e.err = lowEngineNew(uint32(config.compiler))
	}
	if e.h != nil {
		runtime.SetFinalizer(e, (*Engine).finalize)
	}
	return e
}

// NewUniversalEngine instantiates a Universal engine.
func NewUniversalEngine() *Engine {
	return NewEngineWithConfig(NewConfig().UseUniversalEngine())
}

// NewJITEngine is a deprecated name of NewUniversalEngine.
func NewJITEngine() *Engine {
	return NewUniversalEngine()
}

// NewDylibEngine asks for a Dylib engine, which is not available (see UseDylibEngine).
func NewDylibEngine() *Engine {
	return NewEngineWithConfig(NewConfig().UseDylibEngine())
}

// NewNativeEngine is a deprecated name of NewDylibEngine.
func NewNativeEngine() *Engine {
	return NewDylibEngine()
}

func (e *Engine) finalize() {
	deferDeleteWgEngine(e.h)
}

func (e *Engine) handle() (*C.wg_engine, error) {
	if e == nil {
		return nil, newErrorf(codeArgumentError, "the engine is nil")
	}
	if e.err != nil {
		return nil, e.err
	}
	if e.h == nil {
		return nil, errClosed("engine")
	}
	return e.h, nil
}

// Compiler returns the engine's compiler backend.
func (e *Engine) Compiler() CompilerKind {
	return e.compiler
}

// Close frees the engine; stores made from it keep what they need.
func (e *Engine) Close() {
	if e.h != nil {
		runtime.SetFinalizer(e, nil)
		deleteWgEngine(e.h)
		e.h = nil
	}
}
