--TEST--
Imports: PHP callables typed by the module's imports, host Functions, link errors, exceptions from host code
--FILE--
<?php
$seeds = dirname(__DIR__, 2) . '/conformance';
$store = new Wasm\Store();
$module = new Wasm\Module($store, file_get_contents("$seeds/import.wasm"));

// a callable, typed from the module's import env.sum (i32, i32) -> i32
$instance = new Wasm\Instance($module, ['env' => ['sum' => fn (int $a, int $b): int => $a + $b]]);
var_dump($instance->add1(1, 2));

// an explicit host function
$calls = 0;
$sum = new Wasm\Function($store, function (int $a, int $b) use (&$calls) { $calls++; return $a * $b; },
    new Wasm\Type\FunctionType([Wasm\ValueType::I32, Wasm\ValueType::I32], [Wasm\ValueType::I32]));
var_dump($sum(6, 7));
$instance = new Wasm\Instance($module, ['env' => ['sum' => $sum]]);
var_dump($instance->add1(6, 7), $calls);

// other callable forms: a function name, a static method
class Maths { static function plus(int $a, int $b): int { return $a + $b + 100; } }
var_dump((new Wasm\Instance($module, ['env' => ['sum' => 'Maths::plus']]))->add1(1, 1));
var_dump((new Wasm\Instance($module, ['env' => ['sum' => [new Maths, 'plus']]]))->add1(1, 1));

// all value kinds and several results through a host function
$wat = '(module
  (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64 i64)))
  (func (export "run") (param i32 i64 f32 f64) (result f64 i64)
    local.get 0 local.get 1 local.get 2 local.get 3 call $mix))';
$mix = new Wasm\Module($store, $wat);
$run = (new Wasm\Instance($mix, ['env' => ['mix' => fn ($a, $b, $c, $d) => [$a + $b + $c + $d, $b * 2]]]))->exports->run;
var_dump($run(1, PHP_INT_MAX >> 1, 0.5, 0.25));

// errors
foreach ([
    'missing' => [],
    'missing name' => ['env' => []],
    'not a function' => ['env' => ['sum' => new Wasm\Memory($store, 1)]],
    'not callable' => ['env' => ['sum' => 42]],
    'not an array' => ['env' => 'sum'],
    'other store' => ['env' => ['sum' => new Wasm\Function(new Wasm\Store(), fn ($a, $b) => 0,
        new Wasm\Type\FunctionType([Wasm\ValueType::I32, Wasm\ValueType::I32], [Wasm\ValueType::I32]))]],
    'wrong type' => ['env' => ['sum' => new Wasm\Function($store, fn () => 0,
        new Wasm\Type\FunctionType([], [Wasm\ValueType::I32]))]],
] as $what => $imports) {
    try {
        new Wasm\Instance($module, $imports);
        echo "$what: no error\n";
    } catch (Wasm\Exception\RuntimeException $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}

// an exception thrown by host code surfaces as a HostError, with the original as previous
$throwing = new Wasm\Instance($module, ['env' => ['sum' => function (int $a, int $b): int {
    throw new DomainException("no sums today ($a, $b)");
}]]);
try {
    $throwing->add1(1, 2);
} catch (Wasm\Exception\HostError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
    echo get_class($e->getPrevious()), ': ', $e->getPrevious()->getMessage(), "\n";
}
// a wrong result from host code
$bad = new Wasm\Instance($module, ['env' => ['sum' => fn ($a, $b) => "three"]]);
try {
    $bad->add1(1, 2);
} catch (Wasm\Exception\HostError $e) {
    echo get_class($e), ' <- ', get_class($e->getPrevious()), ': ', $e->getPrevious()->getMessage(), "\n";
}
// still usable afterwards
var_dump($instance->add1(2, 3));
// a host function calling back into wasm
$inner = new Wasm\Instance("$seeds/simple.wasm");
$nested = new Wasm\Instance($module, ['env' => ['sum' => fn ($a, $b) => $inner->sum($a, $b) * 10]]);
var_dump($nested->add1(1, 2));
?>
--EXPECTF--
int(4)
int(42)
int(43)
int(2)
int(103)
int(103)
array(2) {
  [0]=>
  float(4.611686018427388E+18)
  [1]=>
  int(9223372036854775806)
}
missing: Wasm\Exception\LinkError: unknown import: `env`.`sum` (a func) is not defined
missing name: Wasm\Exception\LinkError: unknown import: `env`.`sum` (a func) is not defined
not a function: Wasm\Exception\LinkError: incompatible import type: `env`.`sum` must be a func, got a memory
not callable: Wasm\Exception\ArgumentError: import env.sum must be a Wasm\Function_, Memory, Global_ or Table, a callable, or a Wasm\WasiEnv, int given
not an array: Wasm\Exception\ArgumentError: imports["env"] must be an array of name => import, string given
other store: Wasm\Exception\LinkError: import env.sum belongs to another store than the module
wrong type: Wasm\Exception\LinkError: %s
Wasm\Exception\HostError: DomainException: no sums today (1, 2)
DomainException: no sums today (1, 2)
Wasm\Exception\HostError <- Wasm\Exception\ArgumentError: host function env.sum(): Result #1 must be an i32 (-2147483648..4294967295), string given
int(7)
int(31)
