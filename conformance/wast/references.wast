;; Reference values across every binding's API (none of the spec test subset
;; passes one through an invoke): externref tokens must come back as the same
;; host object, funcrefs as functions, nulls as nulls.
(module
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "is_null") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "null_func") (result funcref) ref.null func)
  (func $seven (result i32) i32.const 7)
  (elem declare func $seven)
  (func (export "some_func") (result funcref) ref.func $seven)
  (func (export "func_is_null") (param funcref) (result i32) local.get 0 ref.is_null)
  (table $t 2 externref)
  (func (export "set") (param i32 externref) local.get 0 local.get 1 table.set $t)
  (func (export "get") (param i32) (result externref) local.get 0 table.get $t)
  (global $g (export "g") (mut externref) (ref.null extern))
  (func (export "set_g") (param externref) local.get 0 global.set $g)
  (func (export "pair") (param externref externref) (result externref externref) local.get 1 local.get 0)
)
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id" (ref.extern 42)) (ref.extern 42))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "is_null" (ref.null extern)) (i32.const 1))
(assert_return (invoke "is_null" (ref.extern 3)) (i32.const 0))
(assert_return (invoke "null_func") (ref.null func))
(assert_return (invoke "some_func") (ref.func))
(assert_return (invoke "func_is_null" (ref.null func)) (i32.const 1))
(invoke "set" (i32.const 1) (ref.extern 5))
(assert_return (invoke "get" (i32.const 1)) (ref.extern 5))
(assert_return (invoke "get" (i32.const 0)) (ref.null extern))
(assert_return (get "g") (ref.null extern))
(invoke "set_g" (ref.extern 9))
(assert_return (get "g") (ref.extern 9))
(assert_return (invoke "pair" (ref.extern 1) (ref.extern 2)) (ref.extern 2) (ref.extern 1))

;; a host import taking and returning references: spectest has none, so this
;; goes through a module registered by the test itself
(module $host
  (func (export "keep") (param externref) (result externref) local.get 0))
(register "refhost" $host)
(module
  (import "refhost" "keep" (func $keep (param externref) (result externref)))
  (func (export "through") (param externref) (result externref) local.get 0 call $keep))
(assert_return (invoke "through" (ref.extern 77)) (ref.extern 77))
(assert_return (invoke "through" (ref.null extern)) (ref.null extern))
