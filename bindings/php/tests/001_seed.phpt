--TEST--
Seed usage: an Instance from a file path, exports called as methods and as callables
--FILE--
<?php
$seeds = dirname(__DIR__, 2) . '/conformance';
$instance = new Wasm\Instance("$seeds/simple.wasm");
var_dump($instance->sum(1, 2));
$f = $instance->exports->sum;
var_dump($f(1, 2), $f->call(-5, 2), $instance->__call('sum', [40, 2]), $instance->exports['sum'](2, 2));
var_dump($instance->sum(0x7fffffff, 1), $instance->sum(0xffffffff, 1));
var_dump(count($instance->exports), isset($instance->exports->sum), isset($instance->exports->nope));
foreach ($instance->exports as $name => $export) {
    echo $name, ' => ', get_class($export), "\n";
}
var_dump($f instanceof Wasm\Function, $f->type());
var_dump(array_map(fn ($s) => $s(3, 4), [$f, [$instance, 'sum']]));
echo Wasm\version(), "\n";
?>
--EXPECTF--
int(3)
int(3)
int(-3)
int(42)
int(4)
int(-2147483648)
int(0)
int(1)
bool(true)
bool(false)
sum => Wasm\Function_
bool(true)
object(Wasm\Type\FunctionType)#%d (2) {
  ["params"]=>
  array(2) {
    [0]=>
    enum(Wasm\ValueType::I32)
    [1]=>
    enum(Wasm\ValueType::I32)
  }
  ["results"]=>
  array(1) {
    [0]=>
    enum(Wasm\ValueType::I32)
  }
}
array(2) {
  [0]=>
  int(7)
  [1]=>
  int(7)
}
%d.%d.%d
