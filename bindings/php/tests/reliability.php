<?php
/*
 * The PHP reliability program (reliability/PROTOCOL.md): one check per run,
 * one JSON line per case on stdout. Uses only the public API of the `wasm`
 * extension:
 *
 *     WASMGEN_RELIABILITY_DIR=build/reliability php -d extension=build/php/wasm.so \
 *         bindings/php/tests/reliability.php CHECK [ARG ...]
 */

declare(strict_types=1);

use Wasm\Exception\ArgumentError;
use Wasm\Exception\CompileError;
use Wasm\Exception\HostError;
use Wasm\Exception\RuntimeException as WasmError;
use Wasm\Exception\Trap;
use Wasm\Function_;
use Wasm\Instance;
use Wasm\Memory\Uint8Array;
use Wasm\Module;
use Wasm\Store;
use Wasm\Type\FunctionType;
use Wasm\ValueType;

ini_set('display_errors', 'stderr');
error_reporting(E_ALL);

const NO_THREADS = 'PHP CLI has no threads (NTS build); the glue lock makes a ZTS build safe';
const NO_CLOSE = 'Wasm\Instance has no close(): objects are freed by refcount, derived objects '
    . '(exports, memory views) keep the instance alive';

function out(string $case, string $outcome, string $detail = '', array $extra = []): void
{
    $line = ['case' => $case, 'outcome' => $outcome, 'detail' => $detail] + $extra;
    fwrite(STDOUT, json_encode($line, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
    fflush(STDOUT);
}

function describe(\Throwable $e): string
{
    $text = get_class($e) . ': ' . strtok($e->getMessage(), "\n");
    return $e->getPrevious() ? "$text (previous: " . describe($e->getPrevious()) . ')' : $text;
}

function input(string $name): string
{
    $dir = getenv('WASMGEN_RELIABILITY_DIR') ?: 'build/reliability';
    $bytes = file_get_contents("$dir/$name");
    if ($bytes === false) {
        throw new \RuntimeException("cannot read $dir/$name");
    }
    return $bytes;
}

function rss_kib(): int
{
    $statm = explode(' ', file_get_contents('/proc/self/statm'));
    return intdiv((int) $statm[1] * 4096, 1024);
}

/** `typed` when $call throws an instance of $class, `wrong` otherwise. */
function expect_error(string $case, string $class, callable $call): void
{
    try {
        $result = $call();
        out($case, 'wrong', 'no error, returned ' . json_encode($result));
    } catch (\Throwable $e) {
        out($case, $e instanceof $class ? 'typed' : 'wrong', describe($e));
    }
}

// ----------------------------------------------------------------------------- checks

function mutants(int $start, int $end): void
{
    $store = new Store();
    for ($n = $start; $n < $end; $n++) {
        $bytes = input(sprintf('mutants/%06d.wasm', $n));
        $valid = Module::validate($store, $bytes);
        try {
            new Module($store, $bytes);
            [$outcome, $detail] = $valid ? ['ok', 'compiled'] : ['wrong', 'compiled, but validate said false'];
        } catch (CompileError $e) {
            [$outcome, $detail] = $valid ? ['wrong', 'validate said true: ' . describe($e)] : ['typed', describe($e)];
        } catch (\Throwable $e) {
            [$outcome, $detail] = ['wrong', describe($e)];
        }
        out('mutants/module', $outcome, $detail, ['index' => $n]);
    }
}

function traps(): void
{
    $instance = new Instance(new Module(new Store(), input('traps.wasm')));
    $exports = ['unreachable', 'div_by_zero', 'int_overflow', 'bad_conversion', 'oob_memory', 'null_indirect',
        'indirect_type_mismatch', 'stack_exhausted'];
    foreach ($exports as $name) {
        try {
            $result = $instance->$name();
            out("traps/$name", 'wrong', 'no trap, returned ' . json_encode($result));
        } catch (\Throwable $e) {
            $typed = $e instanceof Trap && $e->getMessage() !== '';
            out("traps/$name", $typed ? 'typed' : 'wrong', describe($e));
        }
        try {
            $after = $instance->ok();
            out("traps/$name/after", $after === 42 ? 'ok' : 'wrong', 'ok() = ' . json_encode($after));
        } catch (\Throwable $e) {
            out("traps/$name/after", 'wrong', describe($e));
        }
    }
}

/** host.wasm with its five imports; `reenter` calls `down` of the same instance. */
function host_instance(\RuntimeException $boom): Instance
{
    $instance = null;
    $imports = ['env' => [
        'raise' => static fn () => throw $boom,
        'wrong_type' => static fn () => 'not an i32',
        'too_many' => static fn () => [1, 2],
        'too_few' => static function (): void {
        },
        'reenter' => static function (int $n) use (&$instance): int {
            return $instance->down($n);
        },
    ]];
    $instance = new Instance(new Module(new Store(), input('host.wasm')), $imports);
    return $instance;
}

function host(): void
{
    $boom = new \RuntimeException('boom');
    $instance = host_instance($boom);
    try {
        $result = $instance->call_raise();
        out('host/raise', 'wrong', 'no error, returned ' . json_encode($result));
    } catch (\Throwable $e) {
        // the binding's promise: a HostError whose previous is the host's exception itself
        $same = $e instanceof HostError && $e->getPrevious() === $boom;
        out('host/raise', $same ? 'typed' : 'wrong', describe($e));
    }
    foreach (['wrong_type', 'too_many', 'too_few'] as $name) {
        expect_error("host/$name", WasmError::class, static fn () => $instance->{"call_$name"}());
    }
}

function reenter(array $depths): void
{
    $instance = host_instance(new \RuntimeException('boom'));
    foreach ($depths as $depth) {
        $case = "reenter/$depth";
        try {
            $result = $instance->down($depth);
            [$outcome, $detail] = $result === $depth ? ['ok', "down($depth) = $depth"] : ['wrong', "down($depth) = " . json_encode($result)];
        } catch (WasmError $e) {
            [$outcome, $detail] = ['typed', describe($e)];
        } catch (\Throwable $e) {
            [$outcome, $detail] = ['wrong', describe($e)];
        }
        try {
            $again = $instance->down(3);
            if ($again !== 3) {
                [$outcome, $detail] = ['wrong', "$detail; then down(3) = " . json_encode($again)];
            }
        } catch (\Throwable $e) {
            [$outcome, $detail] = ['wrong', "$detail; then down(3): " . describe($e)];
        }
        out($case, $outcome, $detail);
    }
}

function misuse(): void
{
    $store = new Store();
    $instance = new Instance(new Module($store, input('misuse.wasm')));
    $memory = $instance->exports->memory;

    expect_error('misuse/arity_few', ArgumentError::class, static fn () => $instance->sum(1));
    expect_error('misuse/arity_many', ArgumentError::class, static fn () => $instance->sum(1, 2, 3));
    expect_error('misuse/type', ArgumentError::class, static fn () => $instance->sum('a', 1));
    expect_error('misuse/range', ArgumentError::class, static fn () => $instance->sum(2 ** 40, 1));

    // reads and writes at the memory's byte size and past it
    $size = $memory->dataSize();
    foreach (['read' => static fn ($view, $i) => $view[$i], 'write' => static fn ($view, $i) => $view[$i] = 1] as $op => $use) {
        $errors = [];
        foreach ([$size, $size + 10] as $i) {
            try {
                $use(new Uint8Array($memory), $i);
                $errors[] = "$op at $i: no error";
            } catch (ArgumentError|\OutOfRangeException $e) {
                // the expected bounds error
            } catch (\Throwable $e) {
                $errors[] = "$op at $i: " . describe($e);
            }
        }
        out("misuse/view_oob_$op", $errors ? 'wrong' : 'typed', $errors ? implode('; ', $errors) : "$op at $size and " . ($size + 10) . ' raised');
    }

    try {
        $old = new Uint8Array($memory);
        $old[100] = 7;
        $memory->grow(1);
        $fresh = new Uint8Array($memory);
        $problems = [];
        if ($fresh[100] !== 7) {
            $problems[] = 'fresh view [100] = ' . json_encode($fresh[100]);
        }
        try {
            if ($old[100] !== 7) {
                $problems[] = 'old view [100] = ' . json_encode($old[100]);
            }
        } catch (WasmError $e) {
            // an error from the old view is fine too
        }
        $fresh[65536] = 9;
        if ($instance->load8(65536) !== 9) {
            $problems[] = 'load8(65536) = ' . json_encode($instance->load8(65536));
        }
        out('misuse/grow', $problems ? 'wrong' : 'ok', $problems ? implode('; ', $problems) : 'reads and writes right after grow(1)');
    } catch (\Throwable $e) {
        out('misuse/grow', 'wrong', describe($e));
    }
    expect_error('misuse/grow_too_far', WasmError::class, static fn () => $memory->grow(10));

    out('misuse/closed_call', 'skip', NO_CLOSE);
    out('misuse/closed_memory', 'skip', NO_CLOSE);

    // a host function of store A as an import of a module of store B
    $sum = new Function_(new Store(), static fn (int $a, int $b): int => $a + $b,
        new FunctionType([ValueType::I32, ValueType::I32], [ValueType::I32]));
    try {
        $other = new Instance(new Module(new Store(), input('import.wasm')), ['env' => ['sum' => $sum]]);
        $result = $other->add1(1, 2);
        out('misuse/wrong_store_import', $result === 4 ? 'ok' : 'wrong', 'add1(1, 2) = ' . json_encode($result));
    } catch (\Throwable $e) {
        out('misuse/wrong_store_import', $e instanceof WasmError ? 'typed' : 'wrong', describe($e));
    }
}

/**
 * Runs $cycle $n times after $n / 10 warm-up runs, collecting garbage every 1,000, and prints
 * $case with the wrong results and the RSS growth over the $n runs.
 */
function measure(string $case, int $n, callable $cycle, string $what): void
{
    $wrong = 0;
    for ($i = 0; $i < intdiv($n, 10); $i++) {
        $wrong += $cycle($i) ? 0 : 1;
    }
    gc_collect_cycles();
    $before = rss_kib();
    for ($i = 0; $i < $n; $i++) {
        $wrong += $cycle($i) ? 0 : 1;
        if ($i % 1000 === 999) {
            gc_collect_cycles();
        }
    }
    gc_collect_cycles();
    $growth = rss_kib() - $before;
    out($case, $wrong ? 'wrong' : 'ok', $wrong ? "$wrong wrong results of $what" : '',
        ['inputs' => $n, 'rss_kib' => $growth]);
}

function cycles(int $n): void
{
    $module = new Module(new Store(), input('import.wasm'));
    measure('cycles/instantiate', $n, static function (int $i) use ($module): bool {
        $instance = new Instance($module, ['env' => ['sum' => static fn (int $a, int $b): int => $a + $b]]);
        return $instance->add1($i, 1) === $i + 2;
    }, 'add1');
}

function compile(int $n): void
{
    $bytes = input('simple.wasm');
    $store = new Store();
    measure('compile/module', $n, static function (int $i) use ($store, $bytes): bool {
        $instance = new Instance(new Module($store, $bytes));
        return $instance->sum($i, 1) === $i + 1;
    }, 'sum');
}

// ----------------------------------------------------------------------------- main

$check = $argv[1] ?? '';
$args = array_map('intval', array_slice($argv, 2));
match ($check) {
    'mutants' => mutants($args[0], $args[1]),
    'traps' => traps(),
    'host' => host(),
    'reenter' => reenter($args),
    'misuse' => misuse(),
    'cycles' => cycles($args[0]),
    'compile' => compile($args[0]),
    'threads' => out('threads/own_store', 'skip', NO_THREADS),
    'shared' => out('shared/instance', 'skip', NO_THREADS),
    default => (static function () use ($check): never {
        fwrite(STDERR, "usage: reliability.php mutants|traps|host|reenter|misuse|cycles|compile|threads|shared ARG...\n");
        fwrite(STDERR, 'unknown check ' . json_encode($check) . "\n");
        exit(2);
    })(),
};
// garbage cycles (the host closures that call back into their instance) are freed now:
// PHP's shutdown would only call their free handlers and leave the memory to its heap,
// which valgrind (USE_ZEND_ALLOC=0, nox -s memcheck-php) would report as lost
gc_collect_cycles();
exit(0);
