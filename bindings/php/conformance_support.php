<?php
/*
 * The conformance driver's `example` request (conformance/protocol.md): the setup around a call of a
 * public member (compile and instantiate the example's module through the public API, resolve the
 * receiver and handle arguments, convert arguments and results by their spec type). The call itself
 * is in conformance_model.php, rendered from the model.
 */

declare(strict_types=1);

namespace Wasm\Conformance;

require_once __DIR__ . '/conformance_model.php';

/** The answer to an `example` request, run in the driver's store with its imports. */
function run_example(\Wasm\Store $store, array $imports, array $req): array
{
    $member = members()[$req['method']] ?? null;
    if ($member === null) {
        return ['ok' => false, 'error' => 'protocol', 'message' => "no public member {$req['method']} with examples"];
    }
    [$call, $paramTypes, $resultType] = $member;
    $objects = ['Store' => $store, 'Engine' => $store->engine()];
    if (($req['module'] ?? null) !== null) {
        $objects['Module'] = new \Wasm\Module($store, (string) file_get_contents($req['module']));
        $objects['Instance'] = new \Wasm\Instance($objects['Module'], $imports);
    }
    $args = $req['args'] ?? [];
    if (count($args) !== count($paramTypes)) {
        throw new \RuntimeException("{$req['method']} takes " . count($paramTypes) . ' argument(s), the example gives ' . count($args));
    }
    $args = array_map(static fn ($type, $value) => example_argument($type, $value, $objects), $paramTypes, $args);
    $receiver = ($req['self'] ?? null) === null ? null : example_reference($req['self'], $objects);
    try {
        $result = $call($receiver, $args);
    } catch (\Error $e) { // undefined method, wrong argument types: the public form is not the model's
        return ['ok' => false, 'error' => 'runtime', 'message' => "{$req['method']}: " . get_class($e) . ': ' . $e->getMessage()];
    }
    return ['ok' => true, 'result' => example_encode($resultType, $result)];
}

/** {export: NAME} (of the example's instance) or {object: Store|Engine|Module|Instance}. */
function example_reference(array $ref, array $objects): object
{
    if (isset($ref['export'])) {
        $exports = ($objects['Instance'] ?? throw new ProtocolError('{export} needs the example\'s module'))->exports;
        if (!isset($exports[$ref['export']])) {
            throw new ProtocolError("no export named {$ref['export']}");
        }
        return $exports[$ref['export']];
    }
    return $objects[$ref['object']] ?? throw new ProtocolError("no object {$ref['object']} in an example");
}

function example_argument(string $type, mixed $value, array $objects): mixed
{
    return match ($type) {
        'bool', 'u32', 'u64', 'str' => $value,
        'bytes' => (string) hex2bin($value['hex']),
        'valkind' => \Wasm\ValueType::from(VALKINDS[$value]),
        'compiler' => \Wasm\Compiler::from(COMPILERS[$value]),
        default => $value === null ? null : example_reference($value, $objects), // a handle
    };
}

function example_encode(string $type, mixed $value): mixed
{
    if ($type === 'void' || $value === null) {
        return null;
    }
    $code = $value instanceof \BackedEnum ? $value->value : $value;
    return match ($type) {
        'bool', 'u32', 'u64', 'str' => $value,
        'bytes' => ['hex' => bin2hex($value)],
        'valkind' => array_search($code, VALKINDS, true) ?: "<unknown valkind {$code}>",
        'externkind' => is_int($code) ? (array_search($code, EXTERNKINDS, true) ?: "<unknown externkind {$code}>") : strtolower((string) $code),
        'compiler' => is_int($code) ? (array_search($code, COMPILERS, true) ?: "<unknown compiler {$code}>") : (string) $code,
        default => ['class' => $type], // a handle of that spec class
    };
}
