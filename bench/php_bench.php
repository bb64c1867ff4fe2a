<?php
/*
 * sum(1, 2) and a host-import round trip through the PHP binding.
 *
 *     php -d extension=build/php/wasm.so bench/php_bench.php [calls]
 *
 * Prints one JSON line per case: {"lang": "php", "case": ..., "ns": ...}, best of 5
 * rounds. "sum" and "host_roundtrip" call exports as methods ($instance->sum(1, 2));
 * the "_callable" cases call the function object ($f = $instance->exports->sum; $f(1, 2)).
 */

declare(strict_types=1);

const WAT = '(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))';

function best(callable $round, int $n): float
{
    $best = INF;
    for ($r = 0; $r < 5; $r++) {
        $t = hrtime(true);
        $round($n);
        $best = min($best, (hrtime(true) - $t) / $n);
    }
    return $best;
}

$n = (int) ($argv[1] ?? 200000);
$store = new Wasm\Store();
$host = new Wasm\Function($store, fn (int $a, int $b): int => $a + $b,
    new Wasm\Type\FunctionType([Wasm\ValueType::I32, Wasm\ValueType::I32], [Wasm\ValueType::I32]));
$instance = new Wasm\Instance(new Wasm\Module($store, WAT), ['env' => ['sum' => $host]]);
assert($instance->sum(1, 2) === 3 && $instance->add1(1, 2) === 4);
$sum = $instance->exports->sum;
$add1 = $instance->exports->add1;

$cases = [
    'sum' => function (int $n) use ($instance) { for ($i = 0; $i < $n; $i++) { $instance->sum(1, 2); } },
    'host_roundtrip' => function (int $n) use ($instance) { for ($i = 0; $i < $n; $i++) { $instance->add1(1, 2); } },
    'sum_callable' => function (int $n) use ($sum) { for ($i = 0; $i < $n; $i++) { $sum(1, 2); } },
    'host_roundtrip_callable' => function (int $n) use ($add1) { for ($i = 0; $i < $n; $i++) { $add1(1, 2); } },
];
foreach ($cases as $case => $round) {
    echo json_encode(['lang' => 'php', 'case' => $case, 'ns' => round(best($round, $n), 1)]), "\n";
}
