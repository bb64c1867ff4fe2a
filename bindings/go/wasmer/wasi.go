package wasmer

// WASI (wasmer-go's WasiVersion, WasiStateBuilder, WasiEnvironment). This
// binding does not run WASI programs yet (wasmgen issue 14): the names exist so
// that code written for wasmer-go compiles, the builder keeps what it is given,
// and Finalize returns an error that says so. GetWasiVersion works: it reads the
// namespaces of the module's imports.

// errWasi is the error of WASI's entry points until WASI is supported.
var errWasi = newErrorf(codeRuntimeError, "WASI is not supported yet by this binding (wasmgen issue 14)")

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
	// WASI_VERSION_INVALID: not a WASI module (or imports of several versions).
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

// GetWasiVersion returns the WASI version a module imports, from the namespace
// of its imports: WASI_VERSION_INVALID if none is WASI's, or if both are.
func GetWasiVersion(module *Module) WasiVersion {
	found := WASI_VERSION_INVALID
	for _, imp := range module.Imports() {
		var v WasiVersion
		switch imp.Module() {
		case "wasi_unstable":
			v = WASI_VERSION_SNAPSHOT0
		case "wasi_snapshot_preview1":
			v = WASI_VERSION_SNAPSHOT1
		default:
			continue
		}
		if found != WASI_VERSION_INVALID && found != v {
			return WASI_VERSION_INVALID
		}
		found = v
	}
	return found
}

// WasiStateBuilder describes a WASI program's state: its name, arguments,
// environment, directories and standard streams.
type WasiStateBuilder struct {
	programName string
	arguments   []string
	environment [][2]string
	preopened   []string
	mapped      [][2]string
	streams     []string
}

// NewWasiStateBuilder starts the state of the WASI program of that name.
func NewWasiStateBuilder(programName string) *WasiStateBuilder {
	return &WasiStateBuilder{programName: programName}
}

// Argument adds an argument.
func (b *WasiStateBuilder) Argument(argument string) *WasiStateBuilder {
	b.arguments = append(b.arguments, argument)
	return b
}

// Environment adds an environment variable.
func (b *WasiStateBuilder) Environment(key string, value string) *WasiStateBuilder {
	b.environment = append(b.environment, [2]string{key, value})
	return b
}

// PreopenDirectory makes a host directory visible to the program.
func (b *WasiStateBuilder) PreopenDirectory(preopenDirectory string) *WasiStateBuilder {
	b.preopened = append(b.preopened, preopenDirectory)
	return b
}

// MapDirectory makes a host directory visible to the program under an alias.
func (b *WasiStateBuilder) MapDirectory(alias string, directory string) *WasiStateBuilder {
	b.mapped = append(b.mapped, [2]string{alias, directory})
	return b
}

// InheritStdin gives the program the host's standard input.
func (b *WasiStateBuilder) InheritStdin() *WasiStateBuilder { return b.stream("inherit stdin") }

// CaptureStdout captures the program's standard output (WasiEnvironment.ReadStdout).
func (b *WasiStateBuilder) CaptureStdout() *WasiStateBuilder { return b.stream("capture stdout") }

// InheritStdout gives the program the host's standard output.
func (b *WasiStateBuilder) InheritStdout() *WasiStateBuilder { return b.stream("inherit stdout") }

// CaptureStderr captures the program's standard error (WasiEnvironment.ReadStderr).
func (b *WasiStateBuilder) CaptureStderr() *WasiStateBuilder { return b.stream("capture stderr") }

// InheritStderr gives the program the host's standard error.
func (b *WasiStateBuilder) InheritStderr() *WasiStateBuilder { return b.stream("inherit stderr") }

func (b *WasiStateBuilder) stream(how string) *WasiStateBuilder {
	b.streams = append(b.streams, how)
	return b
}

// Finalize makes the WASI environment of the state: an error until this binding
// supports WASI (wasmgen issue 14).
func (b *WasiStateBuilder) Finalize() (*WasiEnvironment, error) {
	return nil, errWasi
}

// WasiEnvironment is the environment of a WASI program (made by Finalize).
type WasiEnvironment struct {
	state *WasiStateBuilder
}

// GenerateImportObject returns the WASI imports of a module: an error until this
// binding supports WASI.
func (e *WasiEnvironment) GenerateImportObject(store *Store, module *Module) (*ImportObject, error) {
	return nil, errWasi
}

// ReadStdout returns the program's captured standard output: nil until this
// binding supports WASI (no environment is ever made).
func (e *WasiEnvironment) ReadStdout() []byte {
	return nil
}

// ReadStderr returns the program's captured standard error: nil until this
// binding supports WASI (no environment is ever made).
func (e *WasiEnvironment) ReadStderr() []byte {
	return nil
}
