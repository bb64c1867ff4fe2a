;; Reliability: one export per trap kind, and `ok` to show the instance still works.
;;   every trap export takes no argument and returns i32 (it never returns).
(module
  (type $i2i (func (result i32)))
  (type $v2v (func))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $v2v_fn)
  (func $v2v_fn (type $v2v))
  (func (export "ok") (result i32) i32.const 42)
  (func (export "unreachable") (result i32) unreachable)
  (func (export "div_by_zero") (result i32) i32.const 1 i32.const 0 i32.div_s)
  (func (export "int_overflow") (result i32) i32.const 0x80000000 i32.const -1 i32.div_s)
  (func (export "bad_conversion") (result i32) f32.const nan i32.trunc_f32_s)
  (func (export "oob_memory") (result i32) i32.const 65536 i32.load)
  (func (export "null_indirect") (result i32) i32.const 1 call_indirect (type $i2i))
  (func (export "indirect_type_mismatch") (result i32) i32.const 0 call_indirect (type $i2i))
  (func $deep (export "stack_exhausted") (result i32) call $deep i32.const 1 i32.add))
