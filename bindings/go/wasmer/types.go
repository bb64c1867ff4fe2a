package wasmer

// #include "wasmgen.h"
import "C"

import "math"

// FunctionType is the type of a function: its parameter and result types.
type FunctionType struct {
	params  []*ValueType
	results []*ValueType
}

// NewFunctionType instantiates a new FunctionType from its parameters and results:
//
//	NewFunctionType(NewValueTypes(I32, I32), NewValueTypes(I32))
func NewFunctionType(params []*ValueType, results []*ValueType) *FunctionType {
	return &FunctionType{params: params, results: results}
}

func functionTypeOf(params, results []ValueKind) *FunctionType {
	return NewFunctionType(NewValueTypes(params...), NewValueTypes(results...))
}

// Params returns the parameters' types.
func (t *FunctionType) Params() []*ValueType {
	return t.params
}

// Results returns the results' types.
func (t *FunctionType) Results() []*ValueType {
	return t.results
}

// IntoExternType converts the FunctionType into an ExternType.
func (t *FunctionType) IntoExternType() *ExternType {
	return &ExternType{kind: FUNCTION, function: t}
}

// LimitMaxUnbound returns the value used to represent an unbound limit.
func LimitMaxUnbound() uint32 {
	return math.MaxUint32
}

// Limits are the size range of a memory (in pages) or a table (in elements).
type Limits struct {
	minimum uint32
	maximum uint32
}

// NewLimits instantiates Limits; the maximum is LimitMaxUnbound() when unbounded.
func NewLimits(minimum uint32, maximum uint32) (*Limits, error) {
	if minimum > maximum {
		return nil, newErrorf(codeArgumentError, "the minimum limit (%d) is greater than the maximum one (%d)", minimum, maximum)
	}
	return &Limits{minimum: minimum, maximum: maximum}, nil
}

// Minimum returns the minimum size.
func (l *Limits) Minimum() uint32 {
	return l.minimum
}

// Maximum returns the maximum size; LimitMaxUnbound() when unbounded.
func (l *Limits) Maximum() uint32 {
	return l.maximum
}

// MemoryType is the type of a memory: its Limits in pages.
type MemoryType struct {
	limits *Limits
}

// NewMemoryType instantiates a new MemoryType.
func NewMemoryType(limits *Limits) *MemoryType {
	return &MemoryType{limits: limits}
}

// Limits returns the MemoryType's Limits.
func (t *MemoryType) Limits() *Limits {
	return t.limits
}

// IntoExternType converts the MemoryType into an ExternType.
func (t *MemoryType) IntoExternType() *ExternType {
	return &ExternType{kind: MEMORY, memory: t}
}

// GlobalMutability tells whether a global can be set.
type GlobalMutability uint8

const (
	// IMMUTABLE is a constant global.
	IMMUTABLE = GlobalMutability(0)

	// MUTABLE is a variable global.
	MUTABLE = GlobalMutability(1)
)

// String returns "const" or "var".
func (m GlobalMutability) String() string {
	if m == MUTABLE {
		return "var"
	}
	return "const"
}

// GlobalType is the type of a global: its ValueType and mutability.
type GlobalType struct {
	valueType  *ValueType
	mutability GlobalMutability
}

// NewGlobalType instantiates a new GlobalType.
func NewGlobalType(valueType *ValueType, mutability GlobalMutability) *GlobalType {
	return &GlobalType{valueType: valueType, mutability: mutability}
}

// ValueType returns the type of the global's value.
func (t *GlobalType) ValueType() *ValueType {
	return t.valueType
}

// Mutability returns the GlobalType's mutability.
func (t *GlobalType) Mutability() GlobalMutability {
	return t.mutability
}

// IntoExternType converts the GlobalType into an ExternType.
func (t *GlobalType) IntoExternType() *ExternType {
	return &ExternType{kind: GLOBAL, global: t}
}

// TableType is the type of a table: its element type and Limits.
type TableType struct {
	valueType *ValueType
	limits    *Limits
}

// NewTableType instantiates a new TableType.
func NewTableType(valueType *ValueType, limits *Limits) *TableType {
	return &TableType{valueType: valueType, limits: limits}
}

// ValueType returns the type of the table's elements.
func (t *TableType) ValueType() *ValueType {
	return t.valueType
}

// Limits returns the TableType's Limits.
func (t *TableType) Limits() *Limits {
	return t.limits
}

// IntoExternType converts the TableType into an ExternType.
func (t *TableType) IntoExternType() *ExternType {
	return &ExternType{kind: TABLE, table: t}
}

// IntoExternType is implemented by FunctionType, GlobalType, TableType and MemoryType.
type IntoExternType interface {
	IntoExternType() *ExternType
}

// ExternType is the type of an import or export: one of the four extern types.
type ExternType struct {
	kind     ExternKind
	function *FunctionType
	global   *GlobalType
	table    *TableType
	memory   *MemoryType
}

// Kind returns the ExternType's ExternKind.
func (t *ExternType) Kind() ExternKind {
	return t.kind
}

// IntoFunctionType returns the FunctionType, or nil if it is another kind.
func (t *ExternType) IntoFunctionType() *FunctionType {
	return t.function
}

// IntoGlobalType returns the GlobalType, or nil if it is another kind.
func (t *ExternType) IntoGlobalType() *GlobalType {
	return t.global
}

// IntoTableType returns the TableType, or nil if it is another kind.
func (t *ExternType) IntoTableType() *TableType {
	return t.table
}

// IntoMemoryType returns the MemoryType, or nil if it is another kind.
func (t *ExternType) IntoMemoryType() *MemoryType {
	return t.memory
}

// IntoExternType returns the ExternType itself.
func (t *ExternType) IntoExternType() *ExternType {
	return t
}

// ImportType is an import of a module: its module and name, and its type.
type ImportType struct {
	module string
	name   string
	ty     *ExternType
}

// NewImportType instantiates a new ImportType.
func NewImportType(module string, name string, ty IntoExternType) *ImportType {
	return &ImportType{module: module, name: name, ty: ty.IntoExternType()}
}

// Module returns the ImportType's module name.
func (t *ImportType) Module() string {
	return t.module
}

// Name returns the ImportType's name.
func (t *ImportType) Name() string {
	return t.name
}

// Type returns the ImportType's type.
func (t *ImportType) Type() *ExternType {
	return t.ty
}

// Close does nothing: an ImportType is plain Go memory (wasmer-go API).
func (t *ImportType) Close() {}

// ExportType is an export of a module: its name and type.
type ExportType struct {
	name string
	ty   *ExternType
}

// NewExportType instantiates a new ExportType.
func NewExportType(name string, ty IntoExternType) *ExportType {
	return &ExportType{name: name, ty: ty.IntoExternType()}
}

// Name returns the ExportType's name.
func (t *ExportType) Name() string {
	return t.name
}

// Type returns the ExportType's type.
func (t *ExportType) Type() *ExternType {
	return t.ty
}

// Close does nothing: an ExportType is plain Go memory (wasmer-go API).
func (t *ExportType) Close() {}

// Pages is a size of memory in 64 KiB WebAssembly pages.
type Pages uint32

const (
	// WasmPageSize is the size of a page in bytes.
	WasmPageSize = uint(0x10000)

	// WasmMaxPages is the maximum number of pages of a memory.
	WasmMaxPages = uint(0x10000)

	// WasmMinPages is wasmer-go's minimum number of pages.
	WasmMinPages = uint(0x100)
)

// ToUint32 converts Pages to a native Go uint32.
func (p Pages) ToUint32() uint32 {
	return uint32(p)
}

// ToBytes converts Pages to a number of bytes.
func (p Pages) ToBytes() uint {
	return uint(p) * WasmPageSize
}

// TableSize is the size of a table in elements.
type TableSize uint32

// ToUint32 converts a TableSize to a native Go uint32.
func (s TableSize) ToUint32() uint32 {
	return uint32(s)
}

// liftExternType reads a glue extern type (and deletes it) into Go types.
func liftExternType(h *C.wg_extern_type, err error) (*ExternType, error) {
	if err != nil {
		return nil, err
	}
	defer deleteWgExternType(h)
	kind, err := lowExternTypeKind(h)
	if err != nil {
		return nil, err
	}
	switch ExternKind(kind) {
	case FUNCTION:
		var params, results []ValueKind
		n, err := lowExternTypeParamCount(h)
		for i := uint32(0); err == nil && i < n; i++ {
			var kind uint8
			kind, err = lowExternTypeParam(h, i)
			params = append(params, ValueKind(kind))
		}
		if err == nil {
			n, err = lowExternTypeResultCount(h)
		}
		for i := uint32(0); err == nil && i < n; i++ {
			var kind uint8
			kind, err = lowExternTypeResult(h, i)
			results = append(results, ValueKind(kind))
		}
		if err != nil {
			return nil, err
		}
		return functionTypeOf(params, results).IntoExternType(), nil
	case GLOBAL:
		content, err := lowExternTypeContent(h)
		if err != nil {
			return nil, err
		}
		mutable, err := lowExternTypeMutable(h)
		if err != nil {
			return nil, err
		}
		mutability := IMMUTABLE
		if mutable {
			mutability = MUTABLE
		}
		return NewGlobalType(NewValueType(ValueKind(content)), mutability).IntoExternType(), nil
	case TABLE:
		content, err := lowExternTypeContent(h)
		if err != nil {
			return nil, err
		}
		limits, err := liftLimits(h)
		if err != nil {
			return nil, err
		}
		return NewTableType(NewValueType(ValueKind(content)), limits).IntoExternType(), nil
	case MEMORY:
		limits, err := liftLimits(h)
		if err != nil {
			return nil, err
		}
		return NewMemoryType(limits).IntoExternType(), nil
	}
	return nil, newErrorf(codeRuntimeError, "unknown extern kind %d", kind)
}

func liftLimits(h *C.wg_extern_type) (*Limits, error) {
	minimum, err := lowExternTypeMinimum(h)
	if err != nil {
		return nil, err
	}
	maximum, err := lowExternTypeMaximum(h)
	if err != nil {
		return nil, err
	}
	return &Limits{minimum: minimum, maximum: maximum}, nil
}
