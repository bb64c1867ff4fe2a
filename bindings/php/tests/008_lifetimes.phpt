--TEST--
Lifetimes: objects outliving the ones they came from, garbage cycles, freeing in any order, no growth in a loop
--FILE--
<?php
$seeds = dirname(__DIR__, 2) . '/conformance';
// an exported function and a memory view outlive their instance, module and store
function exported(string $seeds): array {
    $store = new Wasm\Store();
    $instance = new Wasm\Instance(new Wasm\Module($store, file_get_contents("$seeds/memory.wasm")));
    return [$instance->exports->return_hello, new Wasm\Memory\Uint8Array($instance->exports->memory, 42, 5)];
}
[$hello, $view] = exported($seeds);
gc_collect_cycles();
var_dump($hello(), count($view), chr($view[0]));
unset($hello);
var_dump(chr($view[4]));
unset($view);

// a garbage cycle through a host closure and PHP arrays
$store = new Wasm\Store();
$module = new Wasm\Module($store, file_get_contents("$seeds/import.wasm"));
$box = new stdClass();
$box->instance = new Wasm\Instance($module, ['env' => ['sum' => function ($a, $b) use ($box) { return $a + $b; }]]);
$box->self = $box;
var_dump($box->instance->add1(1, 1));
unset($box, $store, $module);
var_dump(gc_collect_cycles() > 0);

// objects freed in creation order, reverse order, and by the garbage collector
foreach (['forward', 'reverse'] as $order) {
    $objects = [];
    $objects[] = $store = new Wasm\Store();
    $objects[] = $module = new Wasm\Module($store, file_get_contents("$seeds/import.wasm"));
    $objects[] = $instance = new Wasm\Instance($module, ['env' => ['sum' => fn ($a, $b) => $a + $b]]);
    $objects[] = $f = $instance->exports->add1;
    unset($store, $module, $instance);
    if ($order === 'reverse') {
        $objects = array_reverse($objects);
    }
    while ($objects) {
        array_shift($objects);
    }
    var_dump($f(2, 2));
    unset($f);
}

// no growth of PHP's memory in a loop of instances with host functions
$run = function () use ($seeds) {
    $store = new Wasm\Store();
    $module = new Wasm\Module($store, file_get_contents("$seeds/import.wasm"));
    for ($i = 0; $i < 20; $i++) {
        $instance = new Wasm\Instance($module, ['env' => ['sum' => fn ($a, $b) => $a + $b]]);
        $instance->add1($i, $i);
    }
};
$run();
$before = memory_get_usage();
for ($j = 0; $j < 20; $j++) {
    $run();
}
var_dump(memory_get_usage() - $before);

// the default store of `new Instance(path)` lives until the end of the request
$instances = [];
for ($i = 0; $i < 3; $i++) {
    $instances[] = new Wasm\Instance("$seeds/simple.wasm");
}
var_dump($instances[0]->module()->store() === $instances[2]->module()->store());
echo "done\n";
?>
--EXPECT--
int(42)
int(5)
string(1) "H"
string(1) "o"
int(3)
bool(true)
int(5)
int(5)
int(0)
bool(true)
done
