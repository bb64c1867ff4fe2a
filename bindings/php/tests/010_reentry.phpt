--TEST--
Host <-> wasm re-entry: depth 100 returns 100; an error at any depth reaches the outermost caller as one HostError whose previous is the original exception
--FILE--
<?php
// down(n) = n == 0 ? 0 : env.reenter(n - 1) + 1, where the PHP host function calls down again
$store = new Wasm\Store();
$module = new Wasm\Module($store, '(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "down") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $reenter (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
  (func (export "boom") (result i32) unreachable))');
$instance = null;
$bottom = null; // what the innermost host call does: null (recurse), a Throwable to throw, or 'trap'
$instance = new Wasm\Instance($module, ['env' => ['reenter' => function (int $n) use (&$instance, &$bottom): int {
    if ($n === 0 && $bottom instanceof Throwable) {
        throw $bottom;
    }
    if ($n === 0 && $bottom === 'trap') {
        return $instance->boom();
    }
    return $instance->down($n);
}]]);
var_dump($instance->down(100));

// a PHP exception thrown 100 host levels down
$bottom = $boom = new LogicException('boom at the bottom');
try {
    var_dump($instance->down(100));
} catch (Wasm\Exception\HostError $e) {
    echo get_class($e), ' <- ', get_class($e->getPrevious()), "\n";
    var_dump($e->getPrevious() === $boom, $e->getPrevious()->getPrevious());
}

// a trap 100 host levels down
$bottom = 'trap';
try {
    var_dump($instance->down(100));
} catch (Wasm\Exception\HostError $e) {
    echo get_class($e), ' <- ', get_class($e->getPrevious()), ': ', $e->getPrevious()->getMessage(), "\n";
    var_dump($e->getPrevious()->getPrevious());
}

// the instance still works
$bottom = null;
var_dump($instance->down(3), $instance->down(100));
?>
--EXPECT--
int(100)
Wasm\Exception\HostError <- LogicException
bool(true)
NULL
Wasm\Exception\HostError <- Wasm\Exception\Trap: unreachable
NULL
int(3)
int(100)
