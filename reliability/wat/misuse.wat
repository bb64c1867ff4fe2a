;; Reliability: misuse of the public API.
;;   sum(i32, i32) -> i32; memory "memory" 1 page, growable to 4; load8(addr) -> i32 reads a byte
(module
  (memory (export "memory") 1 4)
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "load8") (param i32) (result i32) local.get 0 i32.load8_u))
