package org.wasmer;

/** Test modules, as WAT text compiled with Wasmer.wat2wasm. */
final class Wat {
    private Wat() {}

    static final String TESTS = String.join("\n",
        "(module",
        "  (memory (export \"memory\") 1 4)",
        "  (data (i32.const 16) \"Hello, World!\\00\")",
        "  (global (export \"counter\") (mut i32) (i32.const 7))",
        "  (global (export \"pi\") f64 (f64.const 3.25))",
        "  (table (export \"table\") 2 funcref)",
        "  (elem (i32.const 0) $sum)",
        "  (func $sum (export \"sum\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)",
        "  (func (export \"arity_0\") (result i32) i32.const 42)",
        "  (func (export \"i32_i32\") (param i32) (result i32) local.get 0)",
        "  (func (export \"i64_i64\") (param i64) (result i64) local.get 0)",
        "  (func (export \"f32_f32\") (param f32) (result f32) local.get 0)",
        "  (func (export \"f64_f64\") (param f64) (result f64) local.get 0)",
        "  (func (export \"i32_i64_f32_f64_f64\") (param i32 i64 f32 f64) (result f64)",
        "    local.get 0 f64.convert_i32_s local.get 1 f64.convert_i64_s f64.add",
        "    local.get 2 f64.promote_f32 f64.add local.get 3 f64.add)",
        "  (func (export \"bool_casted_to_i32\") (result i32) i32.const 1)",
        "  (func (export \"string\") (result i32) i32.const 16)",
        "  (func (export \"void\"))",
        "  (func (export \"swap\") (param i32 i64) (result i64 i32) local.get 1 local.get 0)",
        "  (func (export \"unreachable\") unreachable)",
        "  (func (export \"oob\") (result i32) i32.const -1 i32.load)",
        "  (func $rec (export \"recurse\") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)",
        "  (func (export \"div\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)",
        "  (func (export \"load\") (param i32) (result i32) local.get 0 i32.load)",
        ")");

    static final String HOST = String.join("\n",
        "(module",
        "  (import \"env\" \"sum\" (func $sum (param i32 i32) (result i32)))",
        "  (import \"env\" \"fail\" (func $fail))",
        "  (func (export \"add1\") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add)",
        "  (func (export \"call_fail\") call $fail)",
        ")");

    static final String SUM_ONLY = String.join("\n",
        "(module",
        "  (import \"env\" \"sum\" (func $sum (param i32 i32) (result i32)))",
        "  (func (export \"add1\") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))");

    static final String IMPORTED_EXTERNS = String.join("\n",
        "(module",
        "  (import \"env\" \"memory\" (memory 1))",
        "  (import \"env\" \"g\" (global $g (mut i64)))",
        "  (import \"env\" \"t\" (table 4 funcref))",
        "  (func (export \"bump\") (result i64) global.get $g i64.const 1 i64.add global.set $g global.get $g)",
        "  (func (export \"peek\") (param i32) (result i32) local.get 0 i32.load8_u)",
        ")");

    static byte[] tests() {
        return Wasmer.wat2wasm(TESTS);
    }

    static byte[] host() {
        return Wasmer.wat2wasm(HOST);
    }

    static final FunctionType I32_I32_TO_I32 = new FunctionType(new Type[]{Type.I32, Type.I32}, new Type[]{Type.I32});
    static final FunctionType VOID = new FunctionType(new Type[]{}, new Type[]{});
}
