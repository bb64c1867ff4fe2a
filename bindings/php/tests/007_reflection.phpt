--TEST--
Reflection (`php --re wasm`): the whole API with parameter and return types; keyword class aliases
--FILE--
<?php
$text = (string) new ReflectionExtension('wasm');   // what `php --re wasm` prints
foreach ([
    'Function [ <internal:wasm> function Wasm\version ]',
    'Parameter #0 [ <required> string $wat ]',
    'Class [ <internal:wasm> final class Wasm\Function_ ]',
    'Parameter #1 [ <required> callable $callable ]',
    'Parameter #2 [ <required> Wasm\Type\FunctionType $type ]',
    'Parameter #0 [ <optional> mixed ...$args ]',
    'Return [ mixed ]',
    'Parameter #0 [ <optional> Wasm\Compiler $compiler = Wasm\Compiler::Cranelift ]',
    'Parameter #0 [ <optional> ?Wasm\Engine $engine = null ]',
    'Parameter #2 [ <optional> ?int $maximum = null ]',
    'Parameter #2 [ <required> mixed $value ]',
    'Parameter #3 [ <optional> bool $mutable = false ]',
    'Parameter #1 [ <required> ?Wasm\Function_ $value ]',
    'Parameter #0 [ <required> Wasm\Module|string $module ]',
    'Parameter #1 [ <optional> array $imports = [] ]',
    'Property [ public readonly Wasm\Exports $exports ]',
    'Property [ public readonly Wasm\Type\ExternType $type ]',
    'Interface [ <internal:wasm> interface Wasm\Type\ExternType ]',
    'Class [ <internal:wasm> final class Wasm\Memory\Float64Array implements ArrayAccess, Countable ]',
    'Class [ <internal:wasm> class Wasm\Exception\Trap extends Wasm\Exception\RuntimeException',
    'Return [ Wasm\Function_|Wasm\Memory|Wasm\Global_|Wasm\Table ]',
] as $expected) {
    echo str_contains($text, $expected) ? 'ok' : 'MISSING', ": $expected\n";
}
var_dump(class_exists('Wasm\Function'), class_exists('Wasm\Global'), Wasm\Function::class, get_class(new Wasm\Global(new Wasm\Store(), Wasm\ValueType::I32, 1)));
foreach (['getI32', 'setI64', 'getF32', 'setF64', 'dataSize'] as $name) {
    $m = new ReflectionMethod('Wasm\Memory', $name);
    echo $name, '(', implode(', ', array_map(fn ($p) => $p->getType() . ' $' . $p->getName(), $m->getParameters())), '): ', $m->getReturnType(), "\n";
}
?>
--EXPECT--
ok: Function [ <internal:wasm> function Wasm\version ]
ok: Parameter #0 [ <required> string $wat ]
ok: Class [ <internal:wasm> final class Wasm\Function_ ]
ok: Parameter #1 [ <required> callable $callable ]
ok: Parameter #2 [ <required> Wasm\Type\FunctionType $type ]
ok: Parameter #0 [ <optional> mixed ...$args ]
ok: Return [ mixed ]
ok: Parameter #0 [ <optional> Wasm\Compiler $compiler = Wasm\Compiler::Cranelift ]
ok: Parameter #0 [ <optional> ?Wasm\Engine $engine = null ]
ok: Parameter #2 [ <optional> ?int $maximum = null ]
ok: Parameter #2 [ <required> mixed $value ]
ok: Parameter #3 [ <optional> bool $mutable = false ]
ok: Parameter #1 [ <required> ?Wasm\Function_ $value ]
ok: Parameter #0 [ <required> Wasm\Module|string $module ]
ok: Parameter #1 [ <optional> array $imports = [] ]
ok: Property [ public readonly Wasm\Exports $exports ]
ok: Property [ public readonly Wasm\Type\ExternType $type ]
ok: Interface [ <internal:wasm> interface Wasm\Type\ExternType ]
ok: Class [ <internal:wasm> final class Wasm\Memory\Float64Array implements ArrayAccess, Countable ]
ok: Class [ <internal:wasm> class Wasm\Exception\Trap extends Wasm\Exception\RuntimeException
ok: Return [ Wasm\Function_|Wasm\Memory|Wasm\Global_|Wasm\Table ]
bool(true)
bool(true)
string(13) "Wasm\Function"
string(12) "Wasm\Global_"
getI32(int $offset): int
setI64(int $offset, int $value): void
getF32(int $offset): float
setF64(int $offset, float $value): void
dataSize(): int
