--TEST--
Module: from bytes or WAT, validate, serialize/deserialize, name, imports()/exports() types
--FILE--
<?php
$seeds = dirname(__DIR__, 2) . '/conformance';
$store = new Wasm\Store(new Wasm\Engine(Wasm\Compiler::Singlepass));
var_dump($store->engine()->compiler());
$bytes = file_get_contents("$seeds/simple.wasm");
var_dump(Wasm\Module::validate($store, $bytes), Wasm\Module::validate($store, "nope"), Wasm\Module::validate($store, ""));
$wat = '(module $named
  (import "env" "f" (func (param i64 f32) (result f64)))
  (import "env" "g" (global (mut i32)))
  (import "env" "m" (memory 1 3))
  (import "env" "t" (table 2 funcref))
  (memory (export "mem") 2)
  (global (export "answer") i64 (i64.const 42))
  (table (export "tab") 1 10 funcref)
  (func (export "nothing")))';
$module = new Wasm\Module($store, $wat);
var_dump($module->name());
var_dump($module->imports(), $module->exports());
$plain = new Wasm\Module($store, $bytes);
var_dump($plain->name(), is_bool($plain->setName('renamed')));
$artifact = $plain->serialize();
var_dump(is_string($artifact) && strlen($artifact) > 0);
$copy = Wasm\Module::deserialize($store, $artifact);
var_dump((new Wasm\Instance($copy))->sum(20, 22), $copy->store() === $store);
var_dump(bin2hex(substr(Wasm\wat2wasm('(module)'), 0, 4)));
foreach (["\0asm\x01\0\0\0garbage", '(module (func (result i32)))', '(modul', ''] as $bad) {
    try {
        new Wasm\Module($store, $bad);
    } catch (Wasm\Exception\CompileError $e) {
        echo get_class($e), ' ', $e->getCode(), ': ', strlen($e->getMessage()) > 0 ? 'has a message' : 'empty', "\n";
    }
}
try {
    Wasm\Module::deserialize($store, 'not an artifact');
} catch (Wasm\Exception\RuntimeException $e) {
    echo get_class($e), "\n";
}
?>
--EXPECTF--
enum(Wasm\Compiler::Singlepass)
bool(true)
bool(false)
bool(false)
string(5) "named"
array(4) {
  [0]=>
  object(Wasm\Type\ImportType)#%d (3) {
    ["module"]=>
    string(3) "env"
    ["name"]=>
    string(1) "f"
    ["type"]=>
    object(Wasm\Type\FunctionType)#%d (2) {
      ["params"]=>
      array(2) {
        [0]=>
        enum(Wasm\ValueType::I64)
        [1]=>
        enum(Wasm\ValueType::F32)
      }
      ["results"]=>
      array(1) {
        [0]=>
        enum(Wasm\ValueType::F64)
      }
    }
  }
  [1]=>
  object(Wasm\Type\ImportType)#%d (3) {
    ["module"]=>
    string(3) "env"
    ["name"]=>
    string(1) "g"
    ["type"]=>
    object(Wasm\Type\GlobalType)#%d (2) {
      ["type"]=>
      enum(Wasm\ValueType::I32)
      ["mutable"]=>
      bool(true)
    }
  }
  [2]=>
  object(Wasm\Type\ImportType)#%d (3) {
    ["module"]=>
    string(3) "env"
    ["name"]=>
    string(1) "m"
    ["type"]=>
    object(Wasm\Type\MemoryType)#%d (2) {
      ["minimum"]=>
      int(1)
      ["maximum"]=>
      int(3)
    }
  }
  [3]=>
  object(Wasm\Type\ImportType)#%d (3) {
    ["module"]=>
    string(3) "env"
    ["name"]=>
    string(1) "t"
    ["type"]=>
    object(Wasm\Type\TableType)#%d (3) {
      ["type"]=>
      enum(Wasm\ValueType::Funcref)
      ["minimum"]=>
      int(2)
      ["maximum"]=>
      NULL
    }
  }
}
array(4) {
  [0]=>
  object(Wasm\Type\ExportType)#%d (2) {
    ["name"]=>
    string(3) "mem"
    ["type"]=>
    object(Wasm\Type\MemoryType)#%d (2) {
      ["minimum"]=>
      int(2)
      ["maximum"]=>
      NULL
    }
  }
  [1]=>
  object(Wasm\Type\ExportType)#%d (2) {
    ["name"]=>
    string(6) "answer"
    ["type"]=>
    object(Wasm\Type\GlobalType)#%d (2) {
      ["type"]=>
      enum(Wasm\ValueType::I64)
      ["mutable"]=>
      bool(false)
    }
  }
  [2]=>
  object(Wasm\Type\ExportType)#%d (2) {
    ["name"]=>
    string(3) "tab"
    ["type"]=>
    object(Wasm\Type\TableType)#%d (3) {
      ["type"]=>
      enum(Wasm\ValueType::Funcref)
      ["minimum"]=>
      int(1)
      ["maximum"]=>
      int(10)
    }
  }
  [3]=>
  object(Wasm\Type\ExportType)#%d (2) {
    ["name"]=>
    string(7) "nothing"
    ["type"]=>
    object(Wasm\Type\FunctionType)#%d (2) {
      ["params"]=>
      array(0) {
      }
      ["results"]=>
      array(0) {
      }
    }
  }
}
NULL
bool(true)
bool(true)
int(42)
bool(true)
string(8) "0061736d"
Wasm\Exception\CompileError 2: has a message
Wasm\Exception\CompileError 2: has a message
Wasm\Exception\CompileError 2: has a message
Wasm\Exception\CompileError 2: has a message
Wasm\Exception\CompileError
