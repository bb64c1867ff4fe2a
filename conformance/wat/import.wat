;; Seed module "import": a wasm function calling a host function.
;;   imports env.sum(i32, i32) -> i32   (the driver provides it, written in its language)
;;   add1(x: i32, y: i32) -> i32        returns env.sum(x, y) + 1
(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func $add1 (export "add1") (param $x i32) (param $y i32) (result i32)
    local.get $x
    local.get $y
    call $sum
    i32.const 1
    i32.add))
