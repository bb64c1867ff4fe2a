;; Reliability: host functions that misbehave, and deep host <-> wasm re-entry.
;;   env.raise, env.wrong_type, env.too_many, env.too_few: () -> i32, called by call_<name>
;;   env.reenter (i32) -> i32: the host calls this instance's `down` with its argument
;;   down(n) = n == 0 ? 0 : env.reenter(n - 1) + 1, so down(N) = N through N host frames
(module
  (import "env" "raise" (func $raise (result i32)))
  (import "env" "wrong_type" (func $wrong_type (result i32)))
  (import "env" "too_many" (func $too_many (result i32)))
  (import "env" "too_few" (func $too_few (result i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "call_raise") (result i32) call $raise)
  (func (export "call_wrong_type") (result i32) call $wrong_type)
  (func (export "call_too_many") (result i32) call $too_many)
  (func (export "call_too_few") (result i32) call $too_few)
  (func (export "down") (param $n i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get $n
      i32.const 1
      i32.sub
      call $reenter
      i32.const 1
      i32.add
    end))
