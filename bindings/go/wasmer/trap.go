package wasmer

// Traps as values (wasmer-go's Trap, Trace and Frame.Instance). A trap that
// wasm code raises comes back from the call as a *TrapError (errors.go); a Trap
// made by NewTrap is a plain Go value: its message, no frames. Returned as the
// error of a host function, it traps the wasm caller with its message.

// Trap is a WebAssembly trap with its message and stack trace.
type Trap struct {
	message string
}

// NewTrap creates a trap with a message (wasmer-go API). It has no origin and
// an empty trace: it was not raised by wasm code.
//
//	trap := wasmer.NewTrap(store, "oops")
func NewTrap(store *Store, message string) *Trap {
	return &Trap{message: message}
}

// Message returns the trap's message.
func (t *Trap) Message() string {
	return t.message
}

// Error returns the trap's message: a Trap returned by a host function traps
// its wasm caller with that message.
func (t *Trap) Error() string {
	return t.message
}

// Origin returns the frame where the trap happened: nil for a trap made by
// NewTrap (and this binding does not expose the frames of wasm traps).
func (t *Trap) Origin() *Frame {
	return nil
}

// Trace returns the trap's stack trace: empty for a trap made by NewTrap.
func (t *Trap) Trace() *Trace {
	return &Trace{}
}

// Trace is the stack trace of a trap: its frames, innermost first.
type Trace struct {
	frames []*Frame
}

// Frames returns the frames of the trace.
func (t *Trace) Frames() []*Frame {
	return t.frames
}

// Instance panics, as wasmer-go 1.x's does: neither it nor libwasmer's C API
// gives the instance of a frame (wasmer-go declares it with no result).
func (f *Frame) Instance() {
	panic("wasmer: Frame.Instance is not implemented: libwasmer's C API does not give the instance of a frame")
}
