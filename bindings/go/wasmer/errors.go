package wasmer

import "fmt"

// Error represents a Wasmer runtime error: compiling, linking, a wrong argument,
// use of a closed object, or any other failure of the runtime.
type Error struct {
	code    int
	message string
	cause   error
}

func newError(code int, message string, cause error) error {
	if code == codeTrap || code == codeHostError {
		if cause != nil {
			message = cause.Error()
		}
		return &TrapError{code: code, message: message, cause: cause}
	}
	return &Error{code: code, message: message, cause: cause}
}

func newErrorf(code int, format string, args ...interface{}) error {
	return &Error{code: code, message: fmt.Sprintf(format, args...)}
}

// errClosed is returned by every use of an object after its Close.
func errClosed(what string) error {
	return newErrorf(codeArgumentError, "the %s is closed", what)
}

// Error returns the Error's message.
func (e *Error) Error() string {
	return e.message
}

// Unwrap returns the error a host function panicked with, if any.
func (e *Error) Unwrap() error {
	return e.cause
}

// Is reports whether the error is of the kind of a sentinel (ErrCompile, ...).
func (e *Error) Is(target error) bool {
	s := sentinel(e.code)
	return s != nil && target == error(s)
}

// TrapError represents a trap produced during WebAssembly execution. When a
// host function returned an error (or panicked), the trap carries that error:
// errors.Is and errors.As see it through Unwrap, and Error() is its message.
type TrapError struct {
	code    int
	message string
	cause   error
}

// Error returns the TrapError's message.
func (e *TrapError) Error() string {
	return e.message
}

// Unwrap returns the error of the host function that caused the trap, or nil.
func (e *TrapError) Unwrap() error {
	return e.cause
}

// Is matches ErrTrap, and ErrHost when a host function caused the trap.
func (e *TrapError) Is(target error) bool {
	if target == error(ErrTrap) {
		return true
	}
	return e.code == codeHostError && target == error(ErrHost)
}

// Origin returns the frame where the trap happened: nil, frames are not exposed
// by this binding.
func (e *TrapError) Origin() *Frame {
	return nil
}

// Trace returns the trap's stack trace: empty, frames are not exposed by this binding.
func (e *TrapError) Trace() []*Frame {
	return nil
}

// Frame is a frame of a trap's stack trace (wasmer-go API; never produced here).
type Frame struct {
	functionIndex  uint32
	functionOffset uint
	moduleOffset   uint
}

// FunctionIndex returns the index of the function of the frame.
func (f *Frame) FunctionIndex() uint32 {
	return f.functionIndex
}

// FunctionOffset returns the byte offset in the function of the frame.
func (f *Frame) FunctionOffset() uint {
	return f.functionOffset
}

// ModuleOffset returns the byte offset in the module of the frame.
func (f *Frame) ModuleOffset() uint {
	return f.moduleOffset
}
