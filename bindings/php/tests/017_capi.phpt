--TEST--
wasmer-php 1.1.0's API (the wasm C API as functions): deleted resources, ownership, traps, host functions that throw
--FILE--
<?php
final class Witness
{
    public static int $freed = 0;

    public function __destruct()
    {
        self::$freed++;
    }
}

gc_disable(); // only reference counts free things here
$engine = wasm_engine_new();
$store = wasm_store_new($engine);
$module = wasm_module_new($store, wat2wasm(<<<'WAT'
(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func (export "call_host") (param i32) (result i32) (call $host (local.get 0)))
  (func (export "trap") unreachable)
  (global (export "g") (mut i32) (i32.const 7)))
WAT));

// a host function: each argument a wasm_val_t, the results an array (or a Wasm\Vec\Val)
$type = wasm_functype_new(new Wasm\Vec\ValType([wasm_valtype_new(WASM_I32)]), new Wasm\Vec\ValType([wasm_valtype_new(WASM_I32)]));
$witness = new Witness();
$host = wasm_func_new($store, $type, function ($x) use ($witness) {
    $value = wasm_val_value($x);
    if ($value < 0) {
        throw new DomainException("negative: $value");
    }
    return [wasm_val_i32($value * 2)];
});
unset($witness);
$instance = wasm_instance_new($store, $module, new Wasm\Vec\Extern([wasm_func_as_extern($host)]));
$exports = wasm_instance_exports($instance);
$call = wasm_extern_as_func($exports[0]);
var_dump(wasm_val_value(wasm_func_call($call, new Wasm\Vec\Val([wasm_val_i32(21)]))[0]));

// the host function's exception comes out of wasm as itself
try {
    wasm_func_call($call, new Wasm\Vec\Val([wasm_val_i32(-1)]));
} catch (DomainException $e) {
    var_dump($e->getMessage());
}

// a trap is a RuntimeException with the trap's message
try {
    wasm_func_call(wasm_extern_as_func($exports[1]), new Wasm\Vec\Val());
} catch (Wasm\Exception\RuntimeException $e) {
    var_dump($e->getMessage());
}

// arguments are checked against the function's type
try {
    wasm_func_call($call, new Wasm\Vec\Val([wasm_val_i64(1)]));
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    wasm_func_call($call, new Wasm\Vec\Val(1)); // a vector of one null
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}

// a deleted resource is closed: using it again is PHP's TypeError, never a crash
$valtype = wasm_valtype_new(WASM_I64);
var_dump(wasm_valtype_delete($valtype));
try {
    wasm_valtype_kind($valtype);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
try {
    new Wasm\Vec\ValType([$valtype]) && wasm_functype_new(new Wasm\Vec\ValType([$valtype]), new Wasm\Vec\ValType());
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}

// an `own` argument is passed as a copy: the resource given stays valid
$i32 = wasm_valtype_new(WASM_I32);
$globaltype = wasm_globaltype_new($i32, WASM_VAR);
var_dump(wasm_valtype_kind($i32) === WASM_I32);

// what depends on a deleted object keeps it: the store, the instance and the export outlive their resources
$global = wasm_extern_as_global($exports[2]);
var_dump(wasm_instance_delete($instance), wasm_store_delete($store));
unset($exports, $module, $call);
wasm_global_set($global, wasm_val_i32(42));
var_dump(wasm_val_value(wasm_global_get($global)));
try {
    wasm_global_set($global, wasm_val_i64(1));
} catch (Wasm\Exception\RuntimeException $e) {
    var_dump($e->getMessage() !== '');
}

// a vector's bounds
$vec = new Wasm\Vec\Val(1);
try {
    $vec[1] = wasm_val_i32(1);
} catch (Wasm\Exception\OutOfBoundsException $e) {
    echo $e->getMessage(), "\n";
}

// a compiler libwasmer lacks is refused before libwasmer sees it
$config = wasm_config_new();
wasm_config_set_compiler($config, WASM_COMPILER_LLVM);
try {
    wasm_engine_new_with_config($config);
} catch (Wasm\Exception\RuntimeException $e) {
    echo $e->getMessage(), "\n";
}

// a host function deleting, during the call, the function it runs in, its store and the imports: the call ends
$store2 = wasm_store_new($engine);
$self = null;
$deleting = wasm_func_new($store2, wasm_functype_new(new Wasm\Vec\ValType(), new Wasm\Vec\ValType()), function () use (&$self, &$store2) {
    wasm_func_delete($self);
    wasm_store_delete($store2);
    echo "deleted during the call\n";
});
$self = $deleting;
var_dump(count(wasm_func_call($deleting, new Wasm\Vec\Val())));
$store2 = wasm_store_new($engine);
$starter = wasm_module_new($store2, wat2wasm('(module (import "" "f" (func $f)) (start $f))'));
$self = wasm_func_new($store2, wasm_functype_new(new Wasm\Vec\ValType(), new Wasm\Vec\ValType()), function () use (&$self, &$store2, &$imports) {
    wasm_func_delete($self);
    wasm_store_delete($store2);
    wasm_extern_delete($imports[0]);
    echo "deleted during the start function\n";
});
$imports = new Wasm\Vec\Extern([wasm_func_as_extern($self)]);
var_dump(wasm_instance_new($store2, $starter, $imports));
unset($starter, $imports, $self, $deleting);

// the host callable goes with the last holder of its store
echo "host callable freed: ", Witness::$freed, "\n";
unset($host, $global, $type);
echo "host callable freed: ", Witness::$freed, "\n";
?>
--EXPECTF--
int(42)
string(12) "negative: -1"
string(11) "unreachable"
wasm_func_call(): Argument #2 ($args) element 0 must be a value of kind 0, kind 1 given
wasm_func_call(): Argument #2 ($args) element 0 must be a wasm_val_t resource, null given
bool(true)
wasm_valtype_kind(): supplied resource is not a valid wasm_valtype_t resource
wasm_functype_new(): Argument #1 ($valtypes1) element 0 is not a valid wasm_valtype_t resource
bool(true)
bool(true)
bool(true)
int(42)
bool(true)
Wasm\Vec\Val::offsetSet($offset) index out of bounds
Wasmer has not been compiled with the `llvm` feature.
deleted during the call
int(0)
deleted during the start function
resource(%d) of type (wasm_instance_t)
host callable freed: 0
host callable freed: 1
