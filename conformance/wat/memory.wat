;; Seed module "memory": an exported memory holding a NUL-terminated string.
;;   memory "memory"        1 page
;;   return_hello() -> i32  the offset of "Hello, World!\00" in that memory
(module
  (memory $memory (export "memory") 1)
  (data (i32.const 42) "Hello, World!\00")
  (func $return_hello (export "return_hello") (result i32)
    i32.const 42))
