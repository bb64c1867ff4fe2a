--TEST--
Errors: traps, wrong arguments, exception classes, objects that cannot be cloned, serialized or made without their constructor
--FILE--
<?php
$seeds = dirname(__DIR__, 2) . '/conformance';
foreach (['CompileError', 'LinkError', 'Trap', 'HostError', 'ArgumentError'] as $name) {
    $class = "Wasm\\Exception\\$name";
    echo $class, ' extends ', get_parent_class($class), "\n";
}
echo get_parent_class(Wasm\Exception\RuntimeException::class), "\n";
// a failed call of an export as an instance's method (0.5.1's class and messages) is an ArgumentError
echo Wasm\InvocationException::class, ' extends ', get_parent_class(Wasm\InvocationException::class), "\n";

$store = new Wasm\Store();
$instance = new Wasm\Instance(new Wasm\Module($store, '(module
  (func (export "boom") (unreachable))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $loop (export "loop") (call $loop))
  (memory (export "mem") 1)
  (func (export "oob") (result i32) (i32.load (i32.const 70000))))'));
foreach ([
    fn () => $instance->boom(),
    fn () => $instance->div(1, 0),
    fn () => $instance->loop(),
    fn () => $instance->oob(),
    fn () => $instance->div(1),
    fn () => $instance->div(1, 2, 3),
    fn () => $instance->div('1', 2),
    fn () => $instance->div(1.0, 2),
    fn () => $instance->div(1 << 40, 2),
    fn () => $instance->div(null, 2),
    fn () => $instance->nope(),
    fn () => $instance->mem(),
    fn () => $instance->exports->nope,
    fn () => $instance->exports['nope'],
    fn () => $instance->exports->div = 1,
    fn () => Wasm\wat2wasm('(module'),
    fn () => new Wasm\Instance(__DIR__ . '/does-not-exist.wasm'),
    fn () => new Wasm\Engine(Wasm\Compiler::from(1)),
    fn () => ($instance->exports->div)(1),     // not as the instance's method: our own message
    fn () => $instance->exports['div']->call(1, 2, 3),
] as $i => $bad) {
    try {
        $bad();
        echo "$i: no error\n";
    } catch (Throwable $e) {
        printf("%d: %s(%d): %s\n", $i, get_class($e), $e->getCode(), strtok($e->getMessage(), "\n"));
    }
}
// the instance still works after all that
var_dump($instance->div(7, 2));

// objects made without their constructor (refused by PHP for final internal classes), clones
$reflect = fn ($class) => (new ReflectionClass($class))->newInstanceWithoutConstructor();
foreach ([
    fn () => $reflect(Wasm\Function_::class),
    fn () => $reflect(Wasm\Memory\Uint8Array::class),
    fn () => clone $instance,
    fn () => clone $store,
    fn () => serialize($store),
    fn () => $instance->__construct("$seeds/simple.wasm"),
    fn () => $store->__construct(),
] as $i => $bad) {
    try {
        $bad();
        echo "$i: no error\n";
    } catch (Throwable $e) {
        printf("%d: %s: %s\n", $i, get_class($e), $e->getMessage());
    }
}
?>
--EXPECTF--
Wasm\Exception\CompileError extends Wasm\Exception\RuntimeException
Wasm\Exception\LinkError extends Wasm\Exception\RuntimeException
Wasm\Exception\Trap extends Wasm\Exception\RuntimeException
Wasm\Exception\HostError extends Wasm\Exception\RuntimeException
Wasm\Exception\ArgumentError extends Wasm\Exception\RuntimeException
RuntimeException
Wasm\InvocationException extends Wasm\Exception\ArgumentError
0: Wasm\Exception\Trap(4): unreachable
1: Wasm\Exception\Trap(4): %sdivi%s
2: Wasm\Exception\Trap(4): %s
3: Wasm\Exception\Trap(4): %s
4: Wasm\InvocationException(6): Got an error when invoking `div`: Missing 1 argument(s) when calling the `div` exported function; Expect 2 argument(s), given 1.
5: Wasm\InvocationException(6): Got an error when invoking `div`: Given 1 extra argument(s) when calling the `div` exported function; Expect 2 argument(s), given 3.
6: Wasm\Exception\ArgumentError(6): div(): Argument #1 must be an i32 (-2147483648..4294967295), string given
7: Wasm\Exception\ArgumentError(6): div(): Argument #1 must be an i32 (-2147483648..4294967295), float(1) given
8: Wasm\Exception\ArgumentError(6): div(): Argument #1 must be an i32 (-2147483648..4294967295), 1099511627776 given
9: Wasm\Exception\ArgumentError(6): div(): Argument #1 must be an i32 (-2147483648..4294967295), null given
10: Wasm\InvocationException(6): Got an error when invoking `nope`: The instance has no exported function named `nope`.
11: Wasm\Exception\ArgumentError(6): the export "mem" is not a function
12: Wasm\Exception\ArgumentError(6): no export named "nope" (exports: boom, div, loop, mem, oob)
13: Wasm\Exception\ArgumentError(6): no export named "nope" (exports: boom, div, loop, mem, oob)
14: Error(0): Wasm\Exports is read-only
15: Wasm\Exception\CompileError(2): %s
16: Wasm\Exception\RuntimeException(1): File path to Wasm binary `%s/does-not-exist.wasm` does not exist.
17: ValueError(0): 1 is not a valid backing value for enum %s
18: Wasm\Exception\ArgumentError(6): div(): the function (i32, i32) -> (i32) takes 2 arguments, 1 given
19: Wasm\Exception\ArgumentError(6): div(): the function (i32, i32) -> (i32) takes 2 arguments, 3 given
int(3)
0: ReflectionException: Class Wasm\Function_ is an internal class marked as final that cannot be instantiated without invoking its constructor
1: ReflectionException: Class Wasm\Memory\Uint8Array is an internal class marked as final that cannot be instantiated without invoking its constructor
2: Error: Trying to clone an uncloneable object of class Wasm\Instance
3: Error: Trying to clone an uncloneable object of class Wasm\Store
4: Exception: Serialization of 'Wasm\Store' is not allowed
5: Error: Wasm\Instance::__construct() cannot be called twice
6: Error: Wasm\Store::__construct() cannot be called twice
