--TEST--
Releasing an instance and its exports frees their glue handles: the store and the host callables it holds go with the last object, without the garbage collector
--FILE--
<?php
final class Witness
{
    public static int $freed = 0;

    public function __construct(private string $name)
    {
    }

    public function __destruct()
    {
        self::$freed++;
    }
}

function instantiate(Wasm\Module $module, string $name): Wasm\Instance
{
    $witness = new Witness($name);
    return new Wasm\Instance($module, ['env' => ['sum' => function (int $a, int $b) use ($witness): int {
        return $a + $b;
    }]]);
}

$seeds = dirname(__DIR__, 2) . '/conformance';
gc_disable(); // only reference counts free things here
$store = new Wasm\Store();
$module = new Wasm\Module($store, file_get_contents("$seeds/import.wasm"));
$instance = instantiate($module, 'host callable');
$add1 = $instance->exports->add1;
$view = new Wasm\Memory\Uint8Array(new Wasm\Memory($store, 1));
var_dump($instance->add1(1, 2));
unset($instance);
echo "instance released\n";
var_dump($add1(2, 3)); // an export keeps what it needs alive
unset($add1, $view, $module);
echo "exports, view and module released\n";
unset($store); // the last object of the store: the glue store goes, and the host callable with it
echo "store released\n";
var_dump(Witness::$freed);

// a loop of instances, each released at the end of its iteration
$store = new Wasm\Store();
$module = new Wasm\Module($store, file_get_contents("$seeds/import.wasm"));
for ($i = 0; $i < 3; $i++) {
    $instance = instantiate($module, 'loop');
    $instance->add1($i, 1);
    unset($instance);
}
unset($module, $store);
var_dump(Witness::$freed);
?>
--EXPECT--
int(4)
instance released
int(6)
exports, view and module released
store released
int(1)
int(4)
