package wasmer

// WASI with real programs: conformance/wasi/*.c compiled to wasm32-wasi into
// build/wasi (by `nox -s test-go`, ci/langs/go.py; or WASMGEN_WASI_DIR), run
// through the wasmer-go API with their captured output checked exactly, and the
// sandbox (the same cases as bindings/c/tests/test_wasi.c).

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func wasiProgram(t *testing.T, store *Store, name string) *Module {
	t.Helper()
	module, err := NewModule(store, wasiBytes(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return module
}

func wasiBytes(t *testing.T, name string) []byte {
	t.Helper()
	dir := os.Getenv("WASMGEN_WASI_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "build", "wasi")
	}
	bytes, err := os.ReadFile(filepath.Join(dir, name+".wasm"))
	if err != nil {
		t.Fatalf("the WASI test programs are built by `nox -s test-go` (or set WASMGEN_WASI_DIR): %v", err)
	}
	return bytes
}

type wasiRun struct {
	err       error // of NewInstance or of the start function
	out, err2 string
}

// runWasi runs a program with a builder, wasmer-go's way.
func runWasi(t *testing.T, name string, builder *WasiStateBuilder) wasiRun {
	t.Helper()
	store := newStore(t)
	module := wasiProgram(t, store, name)
	if v := GetWasiVersion(module); v != WASI_VERSION_SNAPSHOT1 {
		t.Errorf("%s: GetWasiVersion %v", name, v)
	}
	wasiEnv, err := builder.Finalize()
	if err != nil {
		return wasiRun{err: err}
	}
	importObject, err := wasiEnv.GenerateImportObject(store, module)
	if err != nil {
		return wasiRun{err: err}
	}
	if !importObject.ContainsNamespace("wasi_snapshot_preview1") {
		t.Errorf("%s: the imports have no wasi_snapshot_preview1", name)
	}
	instance, err := NewInstance(module, importObject)
	if err != nil {
		return wasiRun{err: err}
	}
	defer instance.Close()
	start, err := instance.Exports.GetWasiStartFunction()
	if err != nil {
		t.Fatalf("%s: GetWasiStartFunction: %v", name, err)
	}
	_, err = start()
	return wasiRun{err: err, out: string(wasiEnv.ReadStdout()), err2: string(wasiEnv.ReadStderr())}
}

func exitCode(t *testing.T, err error) (uint32, bool) {
	t.Helper()
	var exit *WasiExitError
	if !errors.As(err, &exit) {
		return 0, false
	}
	if !errors.Is(err, ErrExit) || errors.Is(err, ErrTrap) {
		t.Errorf("exit error %v: Is(ErrExit) %v, Is(ErrTrap) %v", err, errors.Is(err, ErrExit), errors.Is(err, ErrTrap))
	}
	return exit.Code(), true
}

func TestWasiEcho(t *testing.T) {
	t.Setenv("WASMGEN_HOST_SECRET", "leak") // not given: not seen
	r := runWasi(t, "echo", NewWasiStateBuilder("echo").
		Argument("a b").
		Argument("c").
		Environment("FOO", "bar=baz").
		CaptureStdout())
	if r.err != nil {
		t.Fatalf("echo: %v", r.err)
	}
	if want := "arg 0: echo\narg 1: a b\narg 2: c\nenv: FOO=bar=baz\n"; r.out != want {
		t.Errorf("echo's stdout: %q, want %q", r.out, want)
	}
}

func TestWasiStreamsAndExitCodes(t *testing.T) {
	for _, code := range []string{"7", "0", "255"} {
		r := runWasi(t, "streams", NewWasiStateBuilder("streams").
			Argument("to stdout").
			Argument("to stderr").
			Argument(code).
			CaptureStdout().
			CaptureStderr())
		got, ok := exitCode(t, r.err)
		if !ok || got != map[string]uint32{"7": 7, "0": 0, "255": 255}[code] {
			t.Errorf("exit(%s): %v (%T)", code, r.err, r.err)
		}
		if r.out != "to stdout" || r.err2 != "to stderr" {
			t.Errorf("exit(%s): stdout %q, stderr %q", code, r.out, r.err2)
		}
	}
}

func TestWasiNothingCapturedIsDiscarded(t *testing.T) {
	var r wasiRun
	out := hostOutput(t, 1, func() {
		r = runWasi(t, "streams", NewWasiStateBuilder("streams").Argument("x").Argument("y").Argument("3"))
	})
	if code, ok := exitCode(t, r.err); !ok || code != 3 {
		t.Errorf("streams: %v", r.err)
	}
	if r.out != "" || r.err2 != "" || out != "" {
		t.Errorf("not captured: stdout %q, stderr %q, host stdout %q", r.out, r.err2, out)
	}
}

// hostOutput runs f with the process's file descriptor fd (1 or 2) sent to a
// pipe, and returns what was written to it.
func hostOutput(t *testing.T, fd int, f func()) string {
	t.Helper()
	saved, err := syscall.Dup(fd)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Dup2(int(w.Fd()), fd); err != nil {
		t.Fatal(err)
	}
	f()
	syscall.Dup2(saved, fd)
	syscall.Close(saved)
	w.Close()
	data := make([]byte, 0, 4096)
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		data = append(data, buf[:n]...)
		if err != nil {
			break
		}
	}
	r.Close()
	return string(data)
}

func TestWasiInheritedStreams(t *testing.T) {
	var r wasiRun
	var errOut string
	out := hostOutput(t, 1, func() {
		errOut = hostOutput(t, 2, func() {
			r = runWasi(t, "streams", NewWasiStateBuilder("streams").
				Argument("inherited out").Argument("inherited err").Argument("0").
				InheritStdout().InheritStderr())
		})
	})
	if code, ok := exitCode(t, r.err); !ok || code != 0 {
		t.Errorf("streams: %v", r.err)
	}
	if out != "inherited out" || errOut != "inherited err" || r.out != "" || r.err2 != "" {
		t.Errorf("inherited: host %q %q, read %q %q", out, errOut, r.out, r.err2)
	}
}

func TestWasiStdin(t *testing.T) {
	r := runWasi(t, "cat", NewWasiStateBuilder("cat").Stdin([]byte("line one\nline two\n")).CaptureStdout())
	if r.err != nil || r.out != "line one\nline two\n" {
		t.Errorf("cat with stdin: %v %q", r.err, r.out)
	}
	// none given: empty, not the host's
	r = runWasi(t, "cat", NewWasiStateBuilder("cat").CaptureStdout())
	if r.err != nil || r.out != "" {
		t.Errorf("cat without stdin: %v %q", r.err, r.out)
	}
}

// wasiDirs makes root/in (with a.txt) and root/out in a temporary root.
func wasiDirs(t *testing.T) (root, in, out string) {
	root = t.TempDir()
	in, out = filepath.Join(root, "in"), filepath.Join(root, "out")
	for _, dir := range []string{in, out} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(in, "a.txt"), []byte("contents of a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, in, out
}

func TestWasiFilesAndSandbox(t *testing.T) {
	root, in, out := wasiDirs(t)
	if err := os.WriteFile(filepath.Join(root, "secret.txt"), []byte("outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret.txt", filepath.Join(in, "escape")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"/in/a.txt", "/out/b.txt", true},
		{"/in/../secret.txt", "/out/c.txt", false},
		{"/in/escape", "/out/d.txt", false},
		{"/etc/passwd", "/out/e.txt", false},
		{"/in/a.txt", "/elsewhere.txt", false},
	} {
		r := runWasi(t, "copy", NewWasiStateBuilder("copy").
			MapDirectory("/in", in).
			MapDirectory("/out", out).
			Argument(c.from).
			Argument(c.to).
			CaptureStdout().
			CaptureStderr())
		if c.ok {
			if want := "copied " + c.from + " to " + c.to + "\n"; r.err != nil || r.out != want {
				t.Errorf("copy %s %s: %v, stdout %q, stderr %q", c.from, c.to, r.err, r.out, r.err2)
			}
			continue
		}
		if code, ok := exitCode(t, r.err); !ok || code != 1 || !strings.HasPrefix(r.err2, "cannot ") {
			t.Errorf("copy %s %s: expected a refusal, got %v, stderr %q", c.from, c.to, r.err, r.err2)
		}
	}
	if data, err := os.ReadFile(filepath.Join(out, "b.txt")); err != nil || string(data) != "contents of a\n" {
		t.Errorf("copied file: %q %v", data, err)
	}
	for _, name := range []string{"c.txt", "d.txt", "e.txt"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("%s written for a refused copy", name)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "elsewhere.txt")); err == nil {
		t.Errorf("elsewhere.txt written outside the mapped directories")
	}

	// a preopened directory keeps its host path
	r := runWasi(t, "copy", NewWasiStateBuilder("copy").
		PreopenDirectory(in).
		Argument(filepath.Join(in, "a.txt")).
		Argument(filepath.Join(in, "f.txt")))
	if r.err != nil {
		t.Errorf("copy within a preopened directory: %v", r.err)
	}
	if data, err := os.ReadFile(filepath.Join(in, "f.txt")); err != nil || string(data) != "contents of a\n" {
		t.Errorf("copied in a preopened directory: %q %v", data, err)
	}

	// a directory that does not exist is an ErrArgument
	r = runWasi(t, "echo", NewWasiStateBuilder("echo").PreopenDirectory("/no/such/dir"))
	if !errors.Is(r.err, ErrArgument) {
		t.Errorf("missing directory: %v", r.err)
	}
}

// Read-only directories: reading from one works; creating or overwriting in one
// fails with EROFS (what bindings/c/tests/test_wasi.c checks call by call).
func TestWasiReadOnlyDirectories(t *testing.T) {
	_, in, out := wasiDirs(t)
	r := runWasi(t, "copy", NewWasiStateBuilder("copy").MapDirectoryReadOnly("/in", in).MapDirectory("/out", out).
		Argument("/in/a.txt").Argument("/out/b.txt").CaptureStderr())
	if r.err != nil {
		t.Errorf("copy out of a read-only directory: %v, stderr %q", r.err, r.err2)
	}
	for _, target := range []string{"/ro/new.txt", "/ro/a.txt"} {
		r = runWasi(t, "copy", NewWasiStateBuilder("copy").MapDirectory("/in", in).MapDirectoryReadOnly("/ro", in).
			Argument("/in/a.txt").Argument(target).CaptureStderr())
		code, ok := exitCode(t, r.err)
		if want := "cannot create " + target + ": Read-only file system\n"; !ok || code != 1 || r.err2 != want {
			t.Errorf("copy into a read-only directory: %v, stderr %q, want %q", r.err, r.err2, want)
		}
	}
	r = runWasi(t, "copy", NewWasiStateBuilder("copy").PreopenDirectoryReadOnly(out).
		Argument(filepath.Join(out, "b.txt")).Argument(filepath.Join(out, "c.txt")).CaptureStderr())
	if code, ok := exitCode(t, r.err); !ok || code != 1 || !strings.HasSuffix(r.err2, ": Read-only file system\n") {
		t.Errorf("copy within a read-only preopened directory: %v, stderr %q", r.err, r.err2)
	}
	if data, err := os.ReadFile(filepath.Join(in, "a.txt")); err != nil || string(data) != "contents of a\n" {
		t.Errorf("read-only file changed: %q %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(in, "new.txt")); err == nil {
		t.Errorf("new.txt created in a read-only directory")
	}
	if _, err := os.Stat(filepath.Join(out, "c.txt")); err == nil {
		t.Errorf("c.txt created in a read-only directory")
	}
}

func TestWasiEnvironmentReuse(t *testing.T) {
	// one WasiEnvironment, two runs: each GenerateImportObject starts a new
	// state; the streams read are the latest's
	store := newStore(t)
	module := wasiProgram(t, store, "echo")
	wasiEnv, err := NewWasiStateBuilder("echo").Argument("again").CaptureStdout().Finalize()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		imports, err := wasiEnv.GenerateImportObject(store, module)
		if err != nil {
			t.Fatal(err)
		}
		instance, err := NewInstance(module, imports)
		if err != nil {
			t.Fatal(err)
		}
		start, err := instance.Exports.GetWasiStartFunction()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := start(); err != nil {
			t.Fatal(err)
		}
		if out := string(wasiEnv.ReadStdout()); out != "arg 0: echo\narg 1: again\n" {
			t.Errorf("run %d: %q", i, out)
		}
		if out := wasiEnv.ReadStdout(); len(out) != 0 {
			t.Errorf("run %d: read twice: %q", i, out)
		}
		instance.Close()
	}
}

func TestWasiVersions(t *testing.T) {
	store := newStore(t)
	for wat, want := range map[string]WasiVersion{
		`(module)`: WASI_VERSION_INVALID,
		`(module (import "wasi_unstable" "proc_exit" (func (param i32))))`:                           WASI_VERSION_SNAPSHOT0,
		`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))))`:                  WASI_VERSION_SNAPSHOT1,
		`(module (import "env" "f" (func)) (import "wasi_unstable" "proc_exit" (func (param i32))))`: WASI_VERSION_SNAPSHOT0,
	} {
		if got := GetWasiVersion(compile(t, store, wat)); got != want {
			t.Errorf("%s: %v, want %v", wat, got, want)
		}
	}
	if got := GetWasiVersion(nil); got != WASI_VERSION_INVALID {
		t.Errorf("nil module: %v", got)
	}
}

func TestWasiConcurrentExitCodes(t *testing.T) {
	// the exit code is the glue's thread-local value, read in the C call that
	// failed: goroutines exiting with different codes each get their own
	const goroutines, runs = 6, 4
	program := wasiBytes(t, "streams")
	failures := make(chan string, goroutines*runs)
	done := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		go func(g int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < runs; i++ {
				code := uint32(g*runs + i + 1)
				store := NewStore(NewEngine())
				module, err := NewModule(store, program)
				if err != nil {
					failures <- err.Error()
					continue
				}
				wasiEnv, err := NewWasiStateBuilder("streams").
					Argument("o").Argument("e").Argument(strconv.Itoa(int(code))).
					CaptureStdout().Finalize()
				if err != nil {
					failures <- err.Error()
					continue
				}
				imports, err := wasiEnv.GenerateImportObject(store, module)
				if err != nil {
					failures <- err.Error()
					continue
				}
				instance, err := NewInstance(module, imports)
				if err != nil {
					failures <- err.Error()
					continue
				}
				start, err := instance.Exports.GetWasiStartFunction()
				if err == nil {
					_, err = start()
				}
				var exit *WasiExitError
				if !errors.As(err, &exit) || exit.Code() != code || string(wasiEnv.ReadStdout()) != "o" {
					failures <- fmt.Sprintf("exit(%d): %v", code, err)
				}
				instance.Close()
				store.Close()
			}
		}(g)
	}
	for g := 0; g < goroutines; g++ {
		<-done
	}
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
