<?php
/*
 * PHP's compute and FFI-floor cases as bench/report.py's JSON lines.
 *
 * compute: nbody and hash (bench/compute/*.c compiled to wasm32) through the binding with cranelift
 * and with singlepass, and the same algorithms in PHP; every result is checked equal to native C's
 * (WASMGEN_BENCH_REF, from bench/compute/driver.c) before anything is timed. A warm-up run, then
 * SAMPLES timed samples (median and quartiles); each result is summed into $sink.
 * per call: max(1, 2), an internal (C) function (PHP's FFI floor: its cheapest call into native code).
 * native nbody in this process through PHP's FFI (WASMGEN_BENCH_NATIVE, clang -O2), when ext/ffi is loaded.
 *
 *     php -d extension=build/php/wasm.so bench/php/compute.php
 */

declare(strict_types=1);

const MIB = 1 << 20;
const NBODY_STEPS = 100000;
const NBODY_STEPS_PHP = 2000;
const SAMPLES = 9;

$REF = json_decode(getenv('WASMGEN_BENCH_REF'), true, 512, JSON_THROW_ON_ERROR);
$DIR = getenv('WASMGEN_BENCH_DIR');
$sink = 0.0;

function emit(string $case, string $workload, string $impl, array $times, ?string $variant = null): void
{
    sort($times);
    $n = count($times);
    $rec = ['lang' => 'php', 'case' => $case, 'ns' => round($times[intdiv($n, 2)], 2), 'workload' => $workload,
            'impl' => $impl];
    if ($variant !== null) {
        $rec['variant'] = $variant;
    }
    $rec += ['median' => round($times[intdiv($n, 2)], 2), 'p25' => round($times[intdiv($n, 4)], 2),
             'p75' => round($times[intdiv(3 * $n, 4)], 2), 'samples' => $n, 'checked' => true];
    echo json_encode($rec), "\n";
}

/** ns per unit of $samples timed calls of $f, after one warm-up call */
function timed(callable $f, float $units, int $samples = SAMPLES): array
{
    global $sink;
    $sink += $f();
    $times = [];
    for ($s = 0; $s < $samples; $s++) {
        $t = hrtime(true);
        $sink += $f();
        $times[] = (hrtime(true) - $t) / $units;
    }
    return $times;
}

function check(string $what, mixed $got, mixed $want): void
{
    if ($got !== $want) {
        fwrite(STDERR, "php $what: result " . var_export($got, true) . " != native C's " . var_export($want, true)
            . "; no time reported\n");
        exit(1);
    }
}

// ---------------------------------------------------------------- the algorithms in PHP itself

/** bench/compute/nbody.c, operation for operation (so the result is the same double) */
function nbody_php(int $n): float
{
    $pi = 3.141592653589793;
    $sm = 4 * $pi * $pi;
    $dpy = 365.24;
    $b = [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, $sm],
        [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * $dpy, 7.69901118419740425e-03 * $dpy,
         -6.90460016972063023e-05 * $dpy, 9.54791938424326609e-04 * $sm],
        [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * $dpy, 4.99852801234917238e-03 * $dpy,
         2.30417297573763929e-05 * $dpy, 2.85885980666130812e-04 * $sm],
        [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * $dpy, 2.37847173959480950e-03 * $dpy,
         -2.96589568540237556e-05 * $dpy, 4.36624404335156298e-05 * $sm],
        [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * $dpy, 1.62824170038242295e-03 * $dpy,
         -9.51592254519715870e-05 * $dpy, 5.15138902046611451e-05 * $sm],
    ];
    $px = $py = $pz = 0.0;
    foreach ($b as $x) {
        $px += $x[3] * $x[6];
        $py += $x[4] * $x[6];
        $pz += $x[5] * $x[6];
    }
    $b[0][3] = -$px / $sm;
    $b[0][4] = -$py / $sm;
    $b[0][5] = -$pz / $sm;
    $dt = 0.01;
    for ($s = 0; $s < $n; $s++) {
        for ($i = 0; $i < 5; $i++) {
            for ($j = $i + 1; $j < 5; $j++) {
                $dx = $b[$i][0] - $b[$j][0];
                $dy = $b[$i][1] - $b[$j][1];
                $dz = $b[$i][2] - $b[$j][2];
                $d2 = $dx * $dx + $dy * $dy + $dz * $dz;
                $mag = $dt / ($d2 * sqrt($d2));
                $bm = $b[$j][6];
                $am = $b[$i][6];
                $b[$i][3] -= $dx * $bm * $mag;
                $b[$i][4] -= $dy * $bm * $mag;
                $b[$i][5] -= $dz * $bm * $mag;
                $b[$j][3] += $dx * $am * $mag;
                $b[$j][4] += $dy * $am * $mag;
                $b[$j][5] += $dz * $am * $mag;
            }
        }
        for ($i = 0; $i < 5; $i++) {
            $b[$i][0] += $dt * $b[$i][3];
            $b[$i][1] += $dt * $b[$i][4];
            $b[$i][2] += $dt * $b[$i][5];
        }
    }
    $e = 0.0;
    for ($i = 0; $i < 5; $i++) {
        $a = $b[$i];
        $e += 0.5 * $a[6] * ($a[3] * $a[3] + $a[4] * $a[4] + $a[5] * $a[5]);
        for ($j = $i + 1; $j < 5; $j++) {
            $c = $b[$j];
            $dx = $a[0] - $c[0];
            $dy = $a[1] - $c[1];
            $dz = $a[2] - $c[2];
            $e -= $a[6] * $c[6] / sqrt($dx * $dx + $dy * $dy + $dz * $dz);
        }
    }
    return $e;
}

function fill_php(int $n): string
{
    $bytes = [];
    for ($i = 0; $i < $n; $i++) {
        $bytes[] = ($i * 31 + ($i >> 8)) & 255;
    }
    return pack('C*', ...$bytes);
}

function hash_php(string $data): int
{
    $h = 2166136261;
    $n = strlen($data);
    for ($i = 0; $i < $n; $i++) {
        $h = (($h ^ ord($data[$i])) * 16777619) & 0xFFFFFFFF;
    }
    return $h;
}

// ---------------------------------------------------------------- the cases

$nbodyWasm = file_get_contents("$DIR/nbody.wasm");
$hashWasm = file_get_contents("$DIR/hash.wasm");
$steps = $REF['nbody_steps'];
foreach (['cranelift' => Wasm\Compiler::Cranelift, 'singlepass' => Wasm\Compiler::Singlepass] as $variant => $compiler) {
    $store = new Wasm\Store(new Wasm\Engine($compiler));
    $nb = new Wasm\Instance(new Wasm\Module($store, $nbodyWasm), []);
    check("nbody ($variant)", $nb->nbody($steps), (float) $REF['nbody']);
    emit('nbody', 'nbody', 'wasmgen', timed(fn () => $nb->nbody(NBODY_STEPS), NBODY_STEPS), $variant);
    $hi = new Wasm\Instance(new Wasm\Module($store, $hashWasm), []);
    check("fill ($variant)", $hi->fill(MIB), MIB);
    check("hash ($variant)", $hi->hash(MIB) & 0xFFFFFFFF, $REF['hash']);
    emit('hash_1MiB', 'hash', 'wasmgen', timed(fn () => $hi->hash(MIB), 1), $variant);
}
// native nbody in this process, through PHP's FFI (the nbody target's baseline without another process's variance)
if (extension_loaded('ffi')) {
    $native = FFI::cdef('double nbody(int n);', getenv('WASMGEN_BENCH_NATIVE'));
    check('nbody (native C in this process)', $native->nbody($steps), (float) $REF['nbody']);
    emit('nbody', 'nbody', 'native_in_process', timed(fn () => $native->nbody(NBODY_STEPS), NBODY_STEPS));
}
check('nbody (PHP)', nbody_php($steps), (float) $REF['nbody']);
emit('nbody', 'nbody', 'language', timed(fn () => nbody_php(NBODY_STEPS_PHP), NBODY_STEPS_PHP));
$data = fill_php(MIB);
check('hash (PHP)', hash_php($data), $REF['hash']);
emit('hash_1MiB', 'hash', 'language', timed(fn () => hash_php($data), 1, 5));

check('max(1, 2)', max(1, 2), 2);
$calls = 200000;
$times = [];
for ($s = 0; $s < SAMPLES; $s++) {
    $t = hrtime(true);
    for ($i = 0; $i < $calls; $i++) {
        $sink += max($i, 2);
    }
    $times[] = (hrtime(true) - $t) / $calls;
}
emit('sum', 'call', 'ffi', $times, 'internal max()');

// boot: compile, deserialize (the serialized module) and instantiate; the big module's compile is
// seconds: one op per sample, 3 samples, no warm-up
$store = new Wasm\Store();
foreach (['small' => 'nbody.wasm', 'big' => 'big.wasm'] as $size => $file) {
    $wasm = file_get_contents("$DIR/$file");
    $module = new Wasm\Module($store, $wasm);
    $artifact = $module->serialize();
    $big = $size === 'big';
    $compile = function () use ($store, $wasm): int { new Wasm\Module($store, $wasm); return 1; };
    emit("compile_$size", 'boot', 'wasmgen', $big ? timed_cold($compile, 3) : timed($compile, 1));
    emit("deserialize_$size", 'boot', 'wasmgen',
        timed(function () use ($store, $artifact): int { Wasm\Module::deserialize($store, $artifact); return 1; }, 1));
    emit("instantiate_$size", 'boot', 'wasmgen', timed(function () use ($module): int {
        for ($i = 0; $i < 10; $i++) {
            new Wasm\Instance($module, []);
        }
        return 1;
    }, 10));
}

/** ns per call of $samples calls of $f, no warm-up */
function timed_cold(callable $f, int $samples): array
{
    $times = [];
    for ($s = 0; $s < $samples; $s++) {
        $t = hrtime(true);
        $f();
        $times[] = hrtime(true) - $t;
    }
    return $times;
}
