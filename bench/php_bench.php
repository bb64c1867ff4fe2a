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

/*
 * Memory: 1 KiB, 64 KiB and 1 MiB read and written through the documented bulk path
 * (Memory::read / Memory::write, one memcpy under the store's lock) beside PHP's own
 * cheapest copy of the same size (substr of a longer string: one allocation and one
 * memcpy). One line per case, {"workload": "memory", "impl": "wasmgen" | "language"},
 * "ns" the median per operation of 7 rounds (p25, p75, min and max beside it).
 */
function rounds(callable $round, int $n): array
{
    $round($n);  // warm up
    $times = [];
    for ($r = 0; $r < 7; $r++) {
        $t = hrtime(true);
        $round($n);
        $times[] = (hrtime(true) - $t) / $n;
    }
    sort($times);
    return $times;
}

$memory = new Wasm\Memory($store, 17, null);
foreach (['1KiB' => 1024, '64KiB' => 65536, '1MiB' => 1048576] as $label => $size) {
    $reps = max(20, intdiv(64 << 20, $size));
    $data = str_repeat("\xa5\x5a\x0f\xf0", intdiv($size, 4));
    $src = "x" . $data;
    $memory->write(0, $data);
    $sink = 0;
    $cases = [
        "memory_write_$label" => ['wasmgen', function (int $n) use ($memory, $data) { for ($i = 0; $i < $n; $i++) { $memory->write($i & 7, $data); } }],
        "memory_read_$label" => ['wasmgen', function (int $n) use ($memory, $size, &$sink) { for ($i = 0; $i < $n; $i++) { $sink += strlen($memory->read($i & 7, $size)); } }],
        "memcpy_$label" => ['language', function (int $n) use ($src, $size, &$sink) { for ($i = 0; $i < $n; $i++) { $sink += strlen(substr($src, 1, $size)); } }],
    ];
    foreach ($cases as $case => [$impl, $round]) {
        $t = rounds($round, $reps);
        echo json_encode(['lang' => 'php', 'case' => $case, 'ns' => round($t[3], 1), 'median' => round($t[3], 1),
            'p25' => round($t[1], 1), 'p75' => round($t[5], 1), 'min' => round($t[0], 1), 'max' => round($t[6], 1),
            'samples' => count($t), 'workload' => 'memory', 'impl' => $impl, 'bytes' => $size]), "\n";
    }
    $memory->write(0, $data);
    if ($memory->read(0, $size) !== $data || substr($src, 1, $size) !== $data || $sink === 0) {
        fwrite(STDERR, "memory round trip differs\n");
        exit(1);
    }
}
