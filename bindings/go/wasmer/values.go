package wasmer

import (
	"fmt"
	"math"
)

// ValueType classifies a value: its ValueKind.
type ValueType struct {
	kind ValueKind
}

// NewValueType instantiates a new ValueType given a ValueKind.
func NewValueType(kind ValueKind) *ValueType {
	return &ValueType{kind: kind}
}

// NewValueTypes instantiates a ValueType array from a list of ValueKind:
//
//	NewFunctionType(NewValueTypes(I32, I32), NewValueTypes(I32))
func NewValueTypes(kinds ...ValueKind) []*ValueType {
	out := make([]*ValueType, len(kinds))
	for i, k := range kinds {
		out[i] = NewValueType(k)
	}
	return out
}

// Kind returns the ValueType's ValueKind.
func (t *ValueType) Kind() ValueKind {
	return t.kind
}

func kindsOf(types []*ValueType) []ValueKind {
	out := make([]ValueKind, len(types))
	for i, t := range types {
		out[i] = t.kind
	}
	return out
}

func kindBytes(kinds []ValueKind) []byte {
	out := make([]byte, len(kinds))
	for i, k := range kinds {
		out[i] = byte(k)
	}
	return out
}

// Value is a WebAssembly value: a ValueKind and the value's bits, or for a
// reference the Go value it stands for (see NewAnyRef and NewFuncRef).
type Value struct {
	kind ValueKind
	bits uint64
	ref  interface{}
}

// NewValue instantiates a new Value with the given value and ValueKind. It panics
// if the value cannot be converted to the kind (see NewI32 for what is accepted;
// for AnyRef (externref) any Go value, for FuncRef (funcref) a *Function or nil).
func NewValue(value interface{}, kind ValueKind) Value {
	if kind.IsReference() {
		ref, err := refOf(value, kind)
		if err != nil {
			panic(err.Error())
		}
		return Value{kind: kind, ref: ref}
	}
	bits, err := toBits(value, kind)
	if err != nil {
		panic(err.Error())
	}
	return Value{kind: kind, bits: bits}
}

// NewI32 instantiates a new I32 Value (32-bit integer); it panics if the value
// cannot be converted.
func NewI32(value interface{}) Value {
	if x, ok := value.(int32); ok {
		return Value{kind: I32, bits: uint64(uint32(x))}
	}
	return NewValue(value, I32)
}

// NewI64 instantiates a new I64 Value (64-bit integer); it panics if the value
// cannot be converted.
func NewI64(value interface{}) Value {
	if x, ok := value.(int64); ok {
		return Value{kind: I64, bits: uint64(x)}
	}
	return NewValue(value, I64)
}

// NewF32 instantiates a new F32 Value (32-bit IEEE 754 float); it panics if the value
// cannot be converted.
func NewF32(value interface{}) Value {
	if x, ok := value.(float32); ok {
		return Value{kind: F32, bits: uint64(math.Float32bits(x))}
	}
	return NewValue(value, F32)
}

// NewF64 instantiates a new F64 Value (64-bit IEEE 754 float); it panics if the value
// cannot be converted.
func NewF64(value interface{}) Value {
	if x, ok := value.(float64); ok {
		return Value{kind: F64, bits: math.Float64bits(x)}
	}
	return NewValue(value, F64)
}

// NewAnyRef instantiates a new AnyRef Value (an opaque host reference): any Go
// value, which comes back out of WebAssembly as itself; nil is the null reference.
func NewAnyRef(value interface{}) Value {
	if v, ok := value.(Value); ok {
		return NewValue(v, AnyRef)
	}
	return Value{kind: AnyRef, ref: value}
}

// NewFuncRef instantiates a new FuncRef Value (a reference to a function); a nil
// Function is the null reference.
func NewFuncRef(function *Function) Value {
	if function == nil {
		return Value{kind: FuncRef}
	}
	return Value{kind: FuncRef, ref: function}
}

// Kind returns the Value's ValueKind.
func (v Value) Kind() ValueKind {
	return v.kind
}

// Unwrap returns the Value as a native Go value: int32, int64, float32, float64;
// for an AnyRef the Go value it stands for, for a FuncRef a *Function (nil
// for a null reference).
func (v Value) Unwrap() interface{} {
	if v.kind.IsReference() {
		return v.ref
	}
	return fromBits(v.kind, v.bits)
}

// I32 returns the Value as a Go int32; it panics if the Value is not a I32.
func (v Value) I32() int32 {
	if v.kind != I32 {
		panic("cannot convert a " + v.kind.String() + " value to `int32`")
	}
	bits := v.bits
	return int32(uint32(bits))
}

// I64 returns the Value as a Go int64; it panics if the Value is not a I64.
func (v Value) I64() int64 {
	if v.kind != I64 {
		panic("cannot convert a " + v.kind.String() + " value to `int64`")
	}
	bits := v.bits
	return int64(bits)
}

// F32 returns the Value as a Go float32; it panics if the Value is not a F32.
func (v Value) F32() float32 {
	if v.kind != F32 {
		panic("cannot convert a " + v.kind.String() + " value to `float32`")
	}
	bits := v.bits
	return math.Float32frombits(uint32(bits))
}

// F64 returns the Value as a Go float64; it panics if the Value is not a F64.
func (v Value) F64() float64 {
	if v.kind != F64 {
		panic("cannot convert a " + v.kind.String() + " value to `float64`")
	}
	bits := v.bits
	return math.Float64frombits(bits)
}

// AnyRef returns the Go value an AnyRef Value stands for (nil for null); it
// panics if the Value is not an AnyRef.
func (v Value) AnyRef() interface{} {
	if v.kind != AnyRef {
		panic("cannot convert a " + v.kind.String() + " value to an AnyRef")
	}
	return v.ref
}

// FuncRef returns the Function of a FuncRef Value (nil for null); it panics if the
// Value is not a FuncRef.
func (v Value) FuncRef() *Function {
	if v.kind != FuncRef {
		panic("cannot convert a " + v.kind.String() + " value to a FuncRef")
	}
	f, _ := v.ref.(*Function)
	return f
}

// fromBits is the Go value of a value's bits: what functions return.
func fromBits(kind ValueKind, bits uint64) interface{} {
	switch kind {
	case I32:
		return int32(uint32(bits))
	case I64:
		return int64(bits)
	case F32:
		return math.Float32frombits(uint32(bits))
	case F64:
		return math.Float64frombits(bits)
	}
	return nil
}

// integer returns an integer argument of any Go integer type as int64 bits, and
// whether it is a uint64 (or uint) larger than math.MaxInt64.
func integer(value interface{}) (i int64, big bool, ok bool) {
	switch x := value.(type) {
	case int:
		return int64(x), false, true
	case int8:
		return int64(x), false, true
	case int16:
		return int64(x), false, true
	case int32:
		return int64(x), false, true
	case int64:
		return x, false, true
	case uint:
		return int64(x), uint64(x) > math.MaxInt64, true
	case uint8:
		return int64(x), false, true
	case uint16:
		return int64(x), false, true
	case uint32:
		return int64(x), false, true
	case uint64:
		return int64(x), x > math.MaxInt64, true
	case uintptr:
		return int64(x), uint64(x) > math.MaxInt64, true
	}
	return 0, false, false
}

// toBits converts a Go value to the bits of a number of the given kind. Integers
// of any Go type go to i32 (from -2^31 to 2^32-1) and i64; float32 and float64 go
// to f32 and f64; a Value of the same kind passes as is. References are not
// numbers: they go through refOf and lowerRef (refs.go).
func toBits(value interface{}, kind ValueKind) (uint64, error) {
	// Fast paths: the usual Go types of each kind.
	switch x := value.(type) {
	case int:
		if kind == I32 && int64(x) >= math.MinInt32 && int64(x) <= math.MaxUint32 {
			return uint64(uint32(x)), nil
		}
	case int32:
		if kind == I32 {
			return uint64(uint32(x)), nil
		}
	case int64:
		if kind == I64 {
			return uint64(x), nil
		}
	case float32:
		if kind == F32 {
			return uint64(math.Float32bits(x)), nil
		}
	case float64:
		if kind == F64 {
			return math.Float64bits(x), nil
		}
	}
	if v, ok := value.(Value); ok {
		if v.kind == kind {
			return v.bits, nil
		}
		value = v.Unwrap()
	}
	switch kind {
	case I32:
		if i, big, ok := integer(value); ok {
			if big || i < math.MinInt32 || i > math.MaxUint32 {
				return 0, fmt.Errorf("%v does not fit in i32", value)
			}
			return uint64(uint32(i)), nil
		}
	case I64:
		if i, _, ok := integer(value); ok {
			return uint64(i), nil
		}
	case F32:
		switch x := value.(type) {
		case float32:
			return uint64(math.Float32bits(x)), nil
		case float64:
			return uint64(math.Float32bits(float32(x))), nil
		}
	case F64:
		switch x := value.(type) {
		case float32:
			return math.Float64bits(float64(x)), nil
		case float64:
			return math.Float64bits(x), nil
		}
	case AnyRef:
		return 0, fmt.Errorf("a %s is not a number", kind)
	case FuncRef:
		return 0, fmt.Errorf("a %s is not a number", kind)
	default:
		return 0, fmt.Errorf("unknown value kind %d", uint8(kind))
	}
	return 0, fmt.Errorf("cannot use %v (%T) as %s", value, value, kind)
}
