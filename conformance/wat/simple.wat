;; Seed module "simple": one exported function, no imports.
;;   sum(x: i32, y: i32) -> i32  returns x + y (wrapping)
(module
  (func $sum (export "sum") (param $x i32) (param $y i32) (result i32)
    local.get $x
    local.get $y
    i32.add))
