--TEST--
Members rendered from api.yaml by the generic shape macros alone (no hand-written code): functions, constructor, static, methods, handle results and parameters
--FILE--
<?php
// None of these has code of its own in bindings/php/*.c: each is rendered from its
// api.yaml entry by templates/php/_shapes.c.jinja (C body) and _shapes.stub.php.jinja.
var_dump(preg_match('/^\d+\.\d+\.\d+/', Wasm\version()));                       // function, str result
var_dump(bin2hex(Wasm\wat2wasm('(module)')));                                     // function, bytes in and out
$store = new Wasm\Store();
$wat = '(module (memory (export "mem") 1 3) (table (export "tab") 2 funcref) (global (export "g") (mut i64) (i64.const 7))'
     . ' (func (export "f") (param i32 i64) (result f32) f32.const 1))';
var_dump(Wasm\Module::validate($store, Wasm\wat2wasm($wat)), Wasm\Module::validate($store, "\0asm"));  // static, bool result
$module = new Wasm\Module($store, $wat);                                          // constructor, handle parameter
$renamed = $module->setName('renamed');                                          // method, str parameter
var_dump(is_bool($renamed), $renamed ? $module->name() : 'renamed');
$again = Wasm\Module::deserialize($store, $module->serialize());                  // static returning its class
var_dump(get_class($again), count($again->exports()));
$instance = new Wasm\Instance($module);
$exports = $instance->exports;
var_dump($instance->exportCount(), $instance->exportName(3), get_class($instance->export(0)), $instance->export(3)(1, 2));
$f = $exports->f;
$type = $f->type();                                                               // ExternType result lifted
var_dump(get_class($type), array_map(fn ($k) => $k->name, $type->params), array_map(fn ($k) => $k->name, $type->results));
$mem = $exports->mem;
var_dump($mem->size(), $mem->dataSize(), $mem->grow(1), $mem->size(), $mem->type()->maximum);   // u32/u64 results, u32 parameter
var_dump(get_class($exports->g->type()), $exports->g->type()->type, $exports->g->type()->mutable);
$tab = $exports->tab;
var_dump($tab->size(), $tab->grow(1), $tab->get(0));                              // nullable handle result
$tab->set(1, $f);                                                                 // nullable handle parameter
var_dump($tab->get(1)(1, 2), get_class($tab->type()));
try {
    $tab->grow(-1);                                                               // u32 range, checked by the low layer
} catch (Wasm\Exception\ArgumentError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump(Wasm\ExternKind::from(3), (new ReflectionMethod('Wasm\Table', 'get'))->getReturnType() . '');
?>
--EXPECT--
int(1)
string(16) "0061736d01000000"
bool(true)
bool(false)
bool(true)
string(7) "renamed"
string(11) "Wasm\Module"
int(4)
int(4)
string(1) "f"
string(11) "Wasm\Memory"
float(1)
string(22) "Wasm\Type\FunctionType"
array(2) {
  [0]=>
  string(3) "I32"
  [1]=>
  string(3) "I64"
}
array(1) {
  [0]=>
  string(3) "F32"
}
int(1)
int(65536)
int(1)
int(2)
int(3)
string(20) "Wasm\Type\GlobalType"
enum(Wasm\ValueType::I64)
bool(true)
int(2)
int(2)
NULL
float(1)
string(19) "Wasm\Type\TableType"
Wasm\Exception\ArgumentError: delta must be between 0 and 4294967295, -1 given
enum(Wasm\ExternKind::Memory)
string(15) "?Wasm\Function_"
