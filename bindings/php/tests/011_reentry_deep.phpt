--TEST--
Deep host <-> wasm re-entry (depth 100000): returns 100000 or throws the binding's error, never another value
--FILE--
<?php
$store = new Wasm\Store();
$module = new Wasm\Module($store, '(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "down") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $reenter (i32.sub (local.get $n) (i32.const 1))) (i32.const 1))))))');
$instance = null;
$instance = new Wasm\Instance($module, ['env' => ['reenter' => function (int $n) use (&$instance): int {
    return $instance->down($n);
}]]);
try {
    $result = $instance->down(100000);
    echo $result === 100000 ? "returned 100000\n" : "wrong result: $result\n";
} catch (Wasm\Exception\RuntimeException $e) {
    echo "threw the binding's error\n";
}
var_dump($instance->down(3));
?>
--EXPECTREGEX--
(returned 100000|threw the binding's error)
int\(3\)
