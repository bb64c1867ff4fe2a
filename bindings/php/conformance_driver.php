<?php
/*
 * Conformance driver for the PHP binding (conformance/protocol.md): reads one
 * JSON request per line on stdin, answers one JSON line on stdout. Uses only the
 * public API of the `wasm` extension:
 *
 *     php -d extension=build/php/wasm.so bindings/php/conformance_driver.php
 */

declare(strict_types=1);

namespace Wasm\Conformance;

use Wasm\Function_;
use Wasm\Global_;
use Wasm\Instance;
use Wasm\Memory;
use Wasm\Module;
use Wasm\Store;
use Wasm\Type\FunctionType;
use Wasm\ValueType;
use Wasm\WasiConfig;
use Wasm\WasiEnv;

require_once __DIR__ . '/conformance_support.php';

ini_set('display_errors', 'stderr');
error_reporting(E_ALL);
set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    throw new \ErrorException($message, 0, $severity, $file, $line);
});

/** A bad request: unknown op, module or export, no current module. */
final class ProtocolError extends \Exception
{
}

/** The host object standing for the spec tests' `ref.extern N` (any PHP value can be an externref). */
final class ExternToken
{
    public function __construct(public readonly int $n)
    {
    }
}

/** An unsigned decimal string of up to 64 bits as a two's complement int. */
function bits64(string $decimal): int
{
    if (strlen($decimal) < 19) {
        return (int) $decimal;
    }
    $hi = 0;
    $lo = 0;
    foreach (str_split($decimal) as $digit) {
        $lo = $lo * 10 + (int) $digit;
        $hi = ($hi * 10 + ($lo >> 32)) & 0xFFFFFFFF;
        $lo &= 0xFFFFFFFF;
    }
    return ($hi << 32) | $lo;
}

/** A protocol value as the PHP value the binding takes (an f32 comes as "f64": the bits of that float). */
function to_php(array $value): int|float|ExternToken|null
{
    $v = $value['f64'] ?? $value['value'];
    switch ($value['type']) {
        case 'i32':
            $bits = (int) $v;
            return $bits >= 0x80000000 ? $bits - 0x100000000 : $bits;
        case 'i64':
            return bits64($v);
        case 'f32':
        case 'f64':
            return unpack('e', pack('P', bits64($v)))[1];
        default:
            if ($v === 'null') {
                return null;
            }
            if ($value['type'] === 'externref') {
                return new ExternToken((int) $v);
            }
            throw new \RuntimeException("unsupported value {$value['type']} {$v}");
    }
}

/** A PHP value as a protocol value of the given type. */
function from_php(ValueType $type, mixed $value): array
{
    return match ($type) {
        ValueType::I32 => ['type' => 'i32', 'value' => sprintf('%u', $value & 0xFFFFFFFF)],
        ValueType::I64 => ['type' => 'i64', 'value' => sprintf('%u', $value)],
        ValueType::F32 => ['type' => 'f32', 'f64' => sprintf('%u', unpack('P', pack('e', $value))[1])],
        ValueType::F64 => ['type' => 'f64', 'value' => sprintf('%u', unpack('P', pack('e', $value))[1])],
        ValueType::Externref => ['type' => 'externref', 'value' => $value === null ? 'null' : (string) $value->n],
        // a non-null funcref is a Wasm\Function_: its identity cannot cross the protocol
        ValueType::Funcref => ['type' => 'funcref', 'value' => $value === null ? 'null' : '1'],
    };
}

final class Driver
{
    private Store $store;
    /** @var array<int, Instance> by the id of the `module` request */
    private array $instances = [];
    /** @var array<string, array<string, object>> */
    private array $registered = [];
    /** @var array<string, array<string, object>> */
    private array $host;

    public function __construct()
    {
        $this->store = new Store();
        $s = $this->store;
        $sum = static fn (int $a, int $b): int => ($a + $b) & 0xFFFFFFFF;
        $env = ['sum' => new Function_($s, $sum, new FunctionType([ValueType::I32, ValueType::I32], [ValueType::I32]))];
        $this->host = ['env' => $env]; // spectest is registered by the runner
    }

    private function instance(?int $id): Instance
    {
        return $this->instances[$id] ?? throw new ProtocolError("no instance {$id}");
    }

    private function export(?int $id, string $field): object
    {
        $exports = $this->instance($id)->exports;
        if (!isset($exports[$field])) {
            throw new ProtocolError("no export named {$field}");
        }
        return $exports[$field];
    }

    private static function read(string $path): string
    {
        $bytes = file_get_contents($path);
        if ($bytes === false) {
            throw new ProtocolError("cannot read {$path}");
        }
        return $bytes;
    }

    /** The host modules spectest and env, then every registered instance. */
    private function imports(): array
    {
        return array_replace($this->host, $this->registered);
    }

    /** Runs a WASI program's _start in a store of its own (Wasm\WasiConfig, Wasm\WasiEnv). */
    private static function wasi(array $req): array
    {
        $store = new Store();
        $module = new Module($store, self::read($req['path']));
        $config = new WasiConfig($req['program']);
        foreach ($req['args'] as $arg) {
            $config->argument($arg);
        }
        foreach ($req['env'] as [$key, $value]) {
            $config->environment($key, $value);
        }
        if ($req['stdin'] !== null) {
            $config->stdin(base64_decode($req['stdin'], true));
        }
        foreach ($req['preopens'] as $dir) {
            $config->preopenDirectory($dir);
        }
        foreach ($req['maps'] as [$alias, $dir]) {
            $config->mapDirectory($alias, $dir);
        }
        $capture = $req['capture'];
        if (in_array('stdout', $capture, true)) {
            $config->captureStdout();
        }
        if (in_array('stderr', $capture, true)) {
            $config->captureStderr();
        }
        $wasi = new WasiEnv($store, $config);
        $instance = new Instance($module, $wasi->defineImports($module));
        $exit = null;
        try {
            $instance->_start();
        } catch (\Wasm\Exception\ExitError $e) {
            $exit = $e->getExitCode();
        }
        $stream = static fn (string $name, string $data): ?string =>
            in_array($name, $capture, true) ? base64_encode($data) : null;
        return ['ok' => true, 'exit' => $exit, 'stdout' => $stream('stdout', $wasi->readStdout()),
                'stderr' => $stream('stderr', $wasi->readStderr())];
    }

    public function handle(array $req): ?array
    {
        switch ($req['op'] ?? null) {
            case 'module':
                $module = new Module($this->store, self::read($req['path']));
                $this->instances[$req['id']] = new Instance($module, $this->imports());
                return ['ok' => true];
            case 'compile':
                new Module($this->store, self::read($req['path']));
                return ['ok' => true];
            case 'register':
                $this->registered[$req['as']] = $this->instance($req['instance'] ?? null)->exports->toArray();
                return ['ok' => true];
            case 'invoke':
                $function = $this->export($req['instance'] ?? null, $req['field']);
                if (!$function instanceof Function_) {
                    throw new ProtocolError("export {$req['field']} is not a function");
                }
                $args = array_map(to_php(...), $req['args'] ?? []);
                $out = $function(...$args);
                $types = $function->type()->results;
                $values = count($types) === 1 ? [$out] : ($out ?? []);
                return ['ok' => true, 'results' => array_map(from_php(...), $types, $values)];
            case 'get':
                $global = $this->export($req['instance'] ?? null, $req['field']);
                if (!$global instanceof Global_) {
                    throw new ProtocolError("export {$req['field']} is not a global");
                }
                return ['ok' => true, 'results' => [from_php($global->type()->type, $global->get())]];
            case 'read_cstring':
                $memory = $this->export($req['instance'] ?? null, $req['memory'] ?? 'memory');
                if (!$memory instanceof Memory) {
                    throw new ProtocolError('not a memory');
                }
                $view = new \Wasm\Memory\Uint8Array($memory, (int) $req['offset']);
                $bytes = '';
                for ($i = 0; ($byte = $view[$i]) !== 0; $i++) {
                    $bytes .= chr($byte);
                }
                return ['ok' => true, 'value' => $bytes];
            case 'example':
                return run_example($this->store, $this->imports(), $req);
            case 'wasi':
                return self::wasi($req);
            case 'quit':
                return null;
            default:
                throw new ProtocolError('unknown op ' . json_encode($req['op'] ?? null));
        }
    }
}

function error_kind(\Throwable $e): string
{
    if ($e instanceof ProtocolError) {
        return 'protocol';
    }
    foreach (KINDS as $class => $kind) {
        if ($e instanceof $class) {
            return $kind;
        }
    }
    return $e instanceof \ValueError ? 'argument' : 'runtime';
}

$driver = new Driver();
while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === '') {
        continue;
    }
    $req = null;
    try {
        $req = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
        $resp = $driver->handle($req);
    } catch (\Throwable $e) {
        $resp = ['ok' => false, 'error' => error_kind($e), 'message' => get_class($e) . ': ' . $e->getMessage()];
    }
    if ($resp === null) {
        break;
    }
    if (is_array($req) && is_int($req['id'] ?? null)) {
        $resp['id'] = $req['id']; // the request's id, echoed
    }
    fwrite(STDOUT, json_encode($resp, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
    fflush(STDOUT);
}
exit(0);
