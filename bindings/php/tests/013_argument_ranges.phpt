--TEST--
Values out of range or of a wrong type: the message names the function, the argument or result, the accepted range and the value given
--FILE--
<?php
$store = new Wasm\Store();
$instance = new Wasm\Instance(new Wasm\Module($store, '(module
  (import "env" "give" (func $give (result i32)))
  (import "env" "give64" (func $give64 (result i64)))
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "wide") (param i64) (result i64) local.get 0)
  (func (export "call_give") (result i32) call $give)
  (func (export "call_give64") (result i64) call $give64))'),
    ['env' => ['give' => fn () => 2 ** 40, 'give64' => fn () => '12']]);
$i32 = new Wasm\Global($store, Wasm\ValueType::I32, 1, mutable: true);
$i64 = new Wasm\Global($store, Wasm\ValueType::I64, 1, mutable: true);
$f = new Wasm\Function($store, fn (int $a): int => $a,
    new Wasm\Type\FunctionType([Wasm\ValueType::I32], [Wasm\ValueType::I32]));
foreach ([
    'i32 too big' => fn () => $instance->sum(2 ** 40, 1),
    'i32 too small' => fn () => $instance->sum(1, -2147483649),
    'i32 float' => fn () => $instance->exports->sum->call(1, 1.5),
    'i32 string' => fn () => $instance->sum('1', 2),
    'i64 float' => fn () => $instance->wide(2.0 ** 63),
    'i64 string' => fn () => $instance->wide('9223372036854775808'),
    'arity' => fn () => $instance->wide(),
    'host function' => fn () => $f(2 ** 32),
    'host result i32' => fn () => $instance->call_give(),
    'host result i64' => fn () => $instance->call_give64(),
    'global set i32' => fn () => $i32->set(4294967296),
    'global set i64' => fn () => $i64->set(1.0),
    'global new' => fn () => new Wasm\Global($store, Wasm\ValueType::I32, -2147483649),
] as $what => $bad) {
    try {
        $bad();
        echo "$what: no error\n";
    } catch (Wasm\Exception\RuntimeException $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
        if ($e->getPrevious()) {
            echo '  previous: ', get_class($e->getPrevious()), ': ', $e->getPrevious()->getMessage(), "\n";
        }
    }
}
// the edges of the ranges are accepted
var_dump($instance->sum(-2147483648, 0), $instance->sum(4294967295, 0), $instance->wide(PHP_INT_MIN) === PHP_INT_MIN);
?>
--EXPECTF--
i32 too big: Wasm\Exception\ArgumentError: sum(): Argument #1 must be an i32 (-2147483648..4294967295), 1099511627776 given
i32 too small: Wasm\Exception\ArgumentError: sum(): Argument #2 must be an i32 (-2147483648..4294967295), -2147483649 given
i32 float: Wasm\Exception\ArgumentError: sum(): Argument #2 must be an i32 (-2147483648..4294967295), float(1.5) given
i32 string: Wasm\Exception\ArgumentError: sum(): Argument #1 must be an i32 (-2147483648..4294967295), string given
i64 float: Wasm\Exception\ArgumentError: wide(): Argument #1 must be an i64 (-9223372036854775808..9223372036854775807), float(9.2233720368548E+18) given
i64 string: Wasm\Exception\ArgumentError: wide(): Argument #1 must be an i64 (-9223372036854775808..9223372036854775807), string given
arity: Wasm\InvocationException: Got an error when invoking `wide`: Missing 1 argument(s) when calling the `wide` exported function; Expect 1 argument(s), given 0.
host function: Wasm\Exception\ArgumentError: {closure}(): Argument #1 must be an i32 (-2147483648..4294967295), 4294967296 given
host result i32: Wasm\Exception\HostError: %s
  previous: Wasm\Exception\ArgumentError: host function env.give(): Result #1 must be an i32 (-2147483648..4294967295), 1099511627776 given
host result i64: Wasm\Exception\HostError: %s
  previous: Wasm\Exception\ArgumentError: host function env.give64(): Result #1 must be an i64 (-9223372036854775808..9223372036854775807), string given
global set i32: Wasm\Exception\ArgumentError: Wasm\Global_::set(): Argument #1 must be an i32 (-2147483648..4294967295), 4294967296 given
global set i64: Wasm\Exception\ArgumentError: Wasm\Global_::set(): Argument #1 must be an i64 (-9223372036854775808..9223372036854775807), float(1) given
global new: Wasm\Exception\ArgumentError: Wasm\Global_::__construct(): Argument #3 must be an i32 (-2147483648..4294967295), -2147483649 given
int(-2147483648)
int(-1)
bool(true)
