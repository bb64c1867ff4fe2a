<?php
/**
 * A small atoum-compatible stand-in (atoum itself comes only through Composer).
 *
 * It implements what wasmer-php 0.5.1's tests/units use of atoum: `atoum\test`
 * with given/when/then/let/and, the asserters object, integer, float, string,
 * boolean, variable, array, resource and exception (with their chained checks),
 * `@dataProvider`, and `$this->function->name = value` (atoum's function mocker:
 * it defines `name` in the tested class's namespace, returning `value`).
 * As in atoum, a PHP error (notice, warning, deprecation) raised by a test fails it.
 *
 *   php atoum.php list <test file>                         one "Class::method[#case]" per line
 *   php atoum.php run <test file> <Class::method[#case]>   runs one test; the last line of output
 *                                                          is `ATOUM-RESULT {"status":..,"message":..}`
 * The caller runs each test in its own process, so a crash ends one test only.
 */

declare(strict_types=1);

namespace atoum {

final class AssertionFailure extends \Exception
{
}

function describe(mixed $value): string
{
    if (is_resource($value)) {
        return 'resource of type ' . get_resource_type($value);
    }
    if (is_object($value)) {
        return 'object(' . get_class($value) . ')';
    }
    return get_debug_type($value) . '(' . var_export($value, true) . ')';
}

/** The function mocker: `$this->function->file_exists = true`. */
final class FunctionMocker
{
    public function __construct(private string $namespace)
    {
    }

    public function __set(string $name, mixed $value): void
    {
        $ns = trim($this->namespace, '\\');
        if ($ns === '') {
            // atoum cannot mock a function in the global namespace either (no redefinition in PHP)
            throw new \LogicException("cannot mock the global function $name");
        }
        $fqn = $ns . '\\' . $name;
        $GLOBALS['__atoum_mocks'][strtolower($fqn)] = $value;
        if (!function_exists($fqn)) {
            eval("namespace $ns; function $name(...\$args) { \$v = \$GLOBALS['__atoum_mocks'][" .
                 var_export(strtolower($fqn), true) . "]; return \$v instanceof \\Closure ? \$v(...\$args) : \$v; }");
        }
    }
}

/** An asserter: checks on one value; unknown method names are passed back to the test (fluent chains). */
class Asserter
{
    public function __construct(protected test $test, protected mixed $value)
    {
    }

    public function __call(string $name, array $args): mixed
    {
        return $this->test->$name(...$args);
    }

    public function __get(string $name): mixed
    {
        return $this->test->$name;
    }

    protected function fail(string $message): never
    {
        throw new AssertionFailure($message);
    }

    public function isEqualTo(mixed $expected): static
    {
        if ($this->value != $expected) {
            $this->fail(describe($this->value) . ' is not equal to ' . describe($expected));
        }
        return $this;
    }

    public function isNotEqualTo(mixed $expected): static
    {
        if ($this->value == $expected) {
            $this->fail(describe($this->value) . ' is equal to ' . describe($expected));
        }
        return $this;
    }

    public function isIdenticalTo(mixed $expected): static
    {
        if ($this->value !== $expected) {
            $this->fail(describe($this->value) . ' is not identical to ' . describe($expected));
        }
        return $this;
    }

    public function isNull(): static
    {
        if ($this->value !== null) {
            $this->fail(describe($this->value) . ' is not null');
        }
        return $this;
    }

    public function isNotNull(): static
    {
        if ($this->value === null) {
            $this->fail('value is null');
        }
        return $this;
    }
}

class ObjectAsserter extends Asserter
{
    public function __construct(test $test, mixed $value)
    {
        parent::__construct($test, $value);
        if (!is_object($value)) {
            $this->fail(describe($value) . ' is not an object');
        }
    }

    public function isInstanceOf(string $class): static
    {
        if (!($this->value instanceof $class)) {
            $this->fail(describe($this->value) . " is not an instance of $class");
        }
        return $this;
    }
}

final class TypedAsserter extends Asserter
{
    public function __construct(test $test, mixed $value, string $type)
    {
        parent::__construct($test, $value);
        $ok = match ($type) {
            'integer' => is_int($value),
            'float' => is_float($value),
            'string' => is_string($value),
            'boolean' => is_bool($value),
            'array' => is_array($value),
            'resource' => is_resource($value),
            default => true,
        };
        if (!$ok) {
            $this->fail(describe($value) . " is not a $type");
        }
    }

    public function isTrue(): static
    {
        return $this->isIdenticalTo(true);
    }

    public function isFalse(): static
    {
        return $this->isIdenticalTo(false);
    }

    public function isZero(): static
    {
        return $this->isEqualTo(0);
    }

    public function isEmpty(): static
    {
        if (!empty($this->value)) {
            $this->fail(describe($this->value) . ' is not empty');
        }
        return $this;
    }

    public function isNotEmpty(): static
    {
        if (empty($this->value)) {
            $this->fail(describe($this->value) . ' is empty');
        }
        return $this;
    }

    public function hasSize(int $size): static
    {
        if (count($this->value) !== $size) {
            $this->fail('array of size ' . count($this->value) . " does not have size $size");
        }
        return $this;
    }

    public function startWith(string $prefix): static
    {
        if (!str_starts_with($this->value, $prefix)) {
            $this->fail(describe($this->value) . ' does not start with ' . describe($prefix));
        }
        return $this;
    }

    /**
     * atoum's float isNearlyEqualTo($value, $epsilon): a relative difference below $epsilon. 0.5.1's
     * tests pass 64, which would accept any value: the stand-in holds them to 1e-6 (an f32's precision).
     */
    public function isNearlyEqualTo(float $expected, ?float $epsilon = null): static
    {
        $epsilon = min($epsilon ?? 1e-6, 1e-6);
        $value = $this->value;
        $scale = abs($value) + abs($expected);
        if ($value != $expected && ($scale == 0 || abs($value - $expected) / $scale >= $epsilon)) {
            $this->fail(describe($value) . ' is not nearly equal to ' . describe($expected));
        }
        return $this;
    }

    public function isOfType(string $type): static
    {
        if (get_resource_type($this->value) !== $type) {
            $this->fail(describe($this->value) . " is not of type $type");
        }
        return $this;
    }

    /** `->object['key']`: an asserter on one element of the array. */
    public function __get(string $name): mixed
    {
        if (in_array($name, ['object', 'integer', 'string', 'boolean', 'array', 'float', 'variable'], true)) {
            return new ElementAccess($this->test, $this, $this->value, $name);
        }
        return parent::__get($name);
    }
}

/** `->array($a)->object['key']->isInstanceOf(...)`: the element's asserter; its chain goes back to the array. */
final class ElementAccess implements \ArrayAccess
{
    public function __construct(private test $test, private Asserter $parent, private array $array, private string $type)
    {
    }

    public function offsetGet(mixed $key): mixed
    {
        if (!array_key_exists($key, $this->array)) {
            throw new AssertionFailure("array has no key " . var_export($key, true));
        }
        return new ElementAsserter($this->test, $this->parent, $this->array[$key], $this->type);
    }

    public function offsetExists(mixed $key): bool
    {
        return array_key_exists($key, $this->array);
    }

    public function offsetSet(mixed $key, mixed $value): void
    {
    }

    public function offsetUnset(mixed $key): void
    {
    }
}

final class ElementAsserter
{
    private Asserter $asserter;

    public function __construct(test $test, private Asserter $parent, mixed $value, string $type)
    {
        $this->asserter = $test->$type($value);
    }

    public function __call(string $name, array $args): mixed
    {
        if (method_exists($this->asserter, $name)) {
            $this->asserter->$name(...$args);
            return $this->parent;
        }
        return $this->parent->$name(...$args);
    }

    public function __get(string $name): mixed
    {
        return $this->parent->$name;
    }
}

final class ExceptionAsserter extends ObjectAsserter
{
    public function hasMessage(string $message): static
    {
        if ($this->value->getMessage() !== $message) {
            $this->fail('message ' . var_export($this->value->getMessage(), true) . ' is not ' . var_export($message, true));
        }
        return $this;
    }

    public function hasCode(int $code): static
    {
        if ($this->value->getCode() !== $code) {
            $this->fail('code ' . $this->value->getCode() . " is not $code");
        }
        return $this;
    }
}

abstract class test
{
    /** @var FunctionMocker */
    public $function;

    public function __construct()
    {
        $this->function = new FunctionMocker($this->getTestedClassNamespace());
    }

    /** The tested class: the test class's name without `Tests\Units\` (atoum's convention). */
    public function getTestedClassName()
    {
        return str_replace('\\Tests\\Units\\', '\\', static::class);
    }

    public function getTestedClassNamespace()
    {
        $class = $this->getTestedClassName();
        $pos = strrpos($class, '\\');
        return $pos === false ? '\\' : substr($class, 0, $pos);
    }

    public function __get(string $name): mixed
    {
        if (in_array($name, ['then', 'and', 'if', 'assert'], true)) {
            return $this;
        }
        throw new \LogicException("atoum stand-in: unknown property $name");
    }

    public function given(mixed ...$args): static
    {
        return $this->runClosures($args);
    }

    public function when(mixed ...$args): static
    {
        return $this->runClosures($args);
    }

    public function let(mixed ...$args): static
    {
        return $this;
    }

    private function runClosures(array $args): static
    {
        foreach ($args as $arg) {
            if ($arg instanceof \Closure) {
                $arg();
            }
        }
        return $this;
    }

    public function object(mixed $value): ObjectAsserter
    {
        return new ObjectAsserter($this, $value);
    }

    public function variable(mixed $value): Asserter
    {
        return new Asserter($this, $value);
    }

    public function integer(mixed $value): TypedAsserter
    {
        return new TypedAsserter($this, $value, 'integer');
    }

    public function float(mixed $value): TypedAsserter
    {
        return new TypedAsserter($this, $value, 'float');
    }

    public function string(mixed $value): TypedAsserter
    {
        return new TypedAsserter($this, $value, 'string');
    }

    public function boolean(mixed $value): TypedAsserter
    {
        return new TypedAsserter($this, $value, 'boolean');
    }

    public function array(mixed $value): TypedAsserter
    {
        return new TypedAsserter($this, $value, 'array');
    }

    public function resource(mixed $value): TypedAsserter
    {
        return new TypedAsserter($this, $value, 'resource');
    }

    public function exception(\Closure $closure): ExceptionAsserter
    {
        try {
            $closure();
        } catch (\Throwable $e) {
            return new ExceptionAsserter($this, $e);
        }
        throw new AssertionFailure('no exception was thrown');
    }
}

}

namespace {

/** The test methods of a test class, with their data-provider cases: [id => [method, args]]. */
function atoum_cases(string $class): array
{
    $cases = [];
    $reflection = new ReflectionClass($class);
    foreach ($reflection->getMethods(ReflectionMethod::IS_PUBLIC) as $method) {
        if (!str_starts_with(strtolower($method->getName()), 'test') || $method->getDeclaringClass()->getName() !== $class) {
            continue;
        }
        $id = $class . '::' . $method->getName();
        if (preg_match('/@dataProvider\s+(\w+)/', (string) $method->getDocComment(), $m)) {
            $provider = new ReflectionMethod($class, $m[1]);
            $provider->setAccessible(true);
            $index = 0;
            try {
                foreach ($provider->invoke($reflection->newInstance()) as $key => $args) {
                    $cases[$id . '#' . (is_string($key) ? $key : $index)] = [$method->getName(), $args];
                    $index++;
                }
            } catch (\Throwable $e) {  // atoum reports the test as an error: one failing test, its cases unknown
                $cases = array_filter($cases, fn ($k) => !str_starts_with($k, "$id#"), ARRAY_FILTER_USE_KEY);
                $cases[$id] = [null, "data provider {$m[1]}(): " . get_class($e) . ': ' . $e->getMessage()];
            }
        } else {
            $cases[$id] = [$method->getName(), []];
        }
    }
    return $cases;
}

function atoum_main(array $argv): int
{
    [$command, $file] = [$argv[1] ?? '', $argv[2] ?? ''];
    $before = get_declared_classes();
    for ($dir = dirname(realpath($file)); $dir !== dirname($dir) && !is_file("$dir/Suite.php"); $dir = dirname($dir));
    require_once "$dir/Suite.php";  // the suite's base class (extends atoum\test)
    require_once $file;
    $classes = array_values(array_filter(array_diff(get_declared_classes(), $before),
        fn ($c) => is_subclass_of($c, atoum\test::class) && !(new ReflectionClass($c))->isAbstract()
            && (new ReflectionClass($c))->getFileName() === realpath($file)));
    if ($command === 'list') {
        foreach ($classes as $class) {
            foreach (array_keys(atoum_cases($class)) as $id) {
                echo $id, "\n";
            }
        }
        return 0;
    }
    $wanted = $argv[3] ?? '';
    $result = ['status' => 'fail', 'message' => "no test $wanted in $file"];
    foreach ($classes as $class) {
        $cases = atoum_cases($class);
        if (!isset($cases[$wanted])) {
            continue;
        }
        [$method, $args] = $cases[$wanted];
        if ($method === null) {
            $result = ['status' => 'fail', 'message' => $args];
            break;
        }
        $errors = [];  // atoum fails a test that raises a PHP error (notice, warning, deprecation)
        set_error_handler(function (int $no, string $message, string $errfile, int $line) use (&$errors) {
            $errors[] = "PHP error $no: $message ($errfile:$line)";
            return true;
        });
        try {
            $test = new $class();
            $test->$method(...$args);
            $result = $errors ? ['status' => 'fail', 'message' => implode('; ', $errors)] : ['status' => 'pass', 'message' => ''];
        } catch (atoum\AssertionFailure $e) {
            $result = ['status' => 'fail', 'message' => $e->getMessage() . ' (line ' . atoum_test_line($e, $file) . ')'];
        } catch (\Throwable $e) {
            $result = ['status' => 'fail', 'message' => get_class($e) . ': ' . $e->getMessage() . ' (line ' . atoum_test_line($e, $file) . ')'];
        }
    }
    echo "\nATOUM-RESULT ", json_encode($result, JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    return 0;
}

/** The line of the test file where a failure happened. */
function atoum_test_line(\Throwable $e, string $file): string
{
    $real = realpath($file);
    if ($e->getFile() === $real) {
        return (string) $e->getLine();
    }
    foreach ($e->getTrace() as $frame) {
        if (($frame['file'] ?? '') === $real) {
            return (string) $frame['line'];
        }
    }
    return '?';
}

exit(atoum_main($argv));

}
