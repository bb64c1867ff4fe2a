--TEST--
Global (get/set/type, mutability) and Table (size/grow/get/set/type)
--FILE--
<?php
use Wasm\ValueType;
$store = new Wasm\Store();
$g = new Wasm\Global($store, ValueType::I32, 42, mutable: true);
var_dump($g->get(), $g->isMutable(), $g->type());
$g->set(-7);
var_dump($g->get());
$c = new Wasm\Global($store, ValueType::F64, 1.25);
var_dump($c->get(), $c->isMutable());
try {
    $c->set(2.5);
} catch (Wasm\Exception\RuntimeException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $g->set(1.5);
} catch (Wasm\Exception\ArgumentError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
$f32 = new Wasm\Global($store, ValueType::F32, 666.6);
$i64 = new Wasm\Global($store, ValueType::I64, PHP_INT_MIN);
var_dump($f32->get(), $i64->get());

// globals imported and exported by wasm
$module = new Wasm\Module($store, '(module
  (import "env" "g" (global $g (mut i32)))
  (global $h (export "h") (mut i64) (i64.const 5))
  (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
  (func (export "h2") (result i64) (global.get $h)))');
$instance = new Wasm\Instance($module, ['env' => ['g' => $g]]);
$instance->bump();
$instance->bump();
var_dump($g->get());
$h = $instance->exports->h;
$h->set(99);
var_dump($h->get(), $instance->h2(), $h instanceof Wasm\Global_);

// tables
$t = new Wasm\Table($store, ValueType::Funcref, 2, 4);
var_dump($t->size(), $t->type(), $t->get(0), $t->grow(1), $t->size());
$tm = new Wasm\Instance(new Wasm\Module($store, '(module
  (table (export "table") 3 funcref)
  (func $seven (result i32) (i32.const 7))
  (elem (i32.const 1) $seven)
  (type $t (func (result i32)))
  (func (export "call") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))'));
$table = $tm->exports->table;
$seven = $table->get(1);
var_dump($table->get(0), $seven(), $tm->call(1));
$table->set(0, $seven);
var_dump($tm->call(0));
$table->set(0, null);
try {
    $tm->call(0);
} catch (Wasm\Exception\Trap $e) {
    echo get_class($e), "\n";
}
try {
    $table->get(3);
} catch (Wasm\Exception\ArgumentError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
$host = new Wasm\Function($store, fn () => 1, new Wasm\Type\FunctionType([], [ValueType::I32]));
try {
    $table->set(0, $host);
} catch (Wasm\Exception\ArgumentError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECTF--
int(42)
bool(true)
object(Wasm\Type\GlobalType)#%d (2) {
  ["type"]=>
  enum(Wasm\ValueType::I32)
  ["mutable"]=>
  bool(true)
}
int(-7)
float(1.25)
bool(false)
Wasm\Exception\ArgumentError: the global is immutable
Wasm\Exception\ArgumentError: Wasm\Global_::set(): Argument #1 must be an i32 (-2147483648..4294967295), float(1.5) given
float(666.5999755859375)
int(-9223372036854775808)
int(-5)
int(99)
int(99)
bool(true)
int(2)
object(Wasm\Type\TableType)#%d (3) {
  ["type"]=>
  enum(Wasm\ValueType::Funcref)
  ["minimum"]=>
  int(2)
  ["maximum"]=>
  int(4)
}
NULL
int(2)
int(3)
NULL
int(7)
int(7)
int(7)
Wasm\Exception\Trap
Wasm\Exception\ArgumentError: table index 3 out of bounds (size 3)
Wasm\Exception\ArgumentError: a host function cannot be stored in a table (libwasmer does not support it)
