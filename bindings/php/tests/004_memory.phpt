--TEST--
Memory: typed views (ArrayAccess, Countable, zero copy), get/set accessors, read/write, grow, size, dataSize
--FILE--
<?php
$seeds = dirname(__DIR__, 2) . '/conformance';
$instance = new Wasm\Instance("$seeds/memory.wasm");
$memory = $instance->exports->memory;
$ptr = $instance->return_hello();
$view = new Wasm\Memory\Uint8Array($memory, $ptr);
$s = '';
for ($i = 0; $view[$i] !== 0; $i++) {
    $s .= chr($view[$i]);
}
var_dump($s, $memory->read($ptr, 13));
var_dump($memory->size(), $memory->dataSize(), count(new Wasm\Memory\Uint8Array($memory)), count($view));
var_dump($memory->type());

// zero copy: writes through one view show in the others and in wasm
$bytes = new Wasm\Memory\Uint8Array($memory);
$words = new Wasm\Memory\Uint32Array($memory);
$bytes[0] = 0x78; $bytes[1] = 0x56; $bytes[2] = 0x34; $bytes[3] = 0x12;
printf("%x %x\n", $words[0], $memory->getI32(0));
$words[1] = 0xdeadbeef;
var_dump((new Wasm\Memory\Int32Array($memory))[1], (new Wasm\Memory\Uint32Array($memory))[1]);
$bytes[8] = 300;   // wraps like a C cast
$signed = new Wasm\Memory\Int8Array($memory);
$signed[9] = -1;
var_dump($bytes[8], $bytes[9], $signed[9], isset($bytes[65535]), isset($bytes[65536]), isset($bytes[-1]));
$f = new Wasm\Memory\Float64Array($memory, 16, 2);
$f[0] = 1.5; $f[1] = 7;
var_dump(count($f), $f[0], $f[1], $memory->getF64(24));
$memory->setF32(32, 0.25); $memory->setI64(40, -2); $memory->setI32(48, -3);
var_dump($memory->getF32(32), $memory->getI64(40), $memory->getI32(48), (new Wasm\Memory\Int64Array($memory, 40))[0],
    (new Wasm\Memory\Int16Array($memory, 48))[0], (new Wasm\Memory\Uint16Array($memory, 48))[0],
    (new Wasm\Memory\Float32Array($memory, 32))[0]);
$memory->write(100, "abc\0");
var_dump($memory->read(100, 4) === "abc\0");

// grow: old views stay valid and see the new size
var_dump($memory->grow(2), $memory->size(), $memory->dataSize(), count($bytes), $bytes[3 * 65536 - 1] = 7, $bytes[3 * 65536 - 1]);

// bounds
foreach ([
    fn () => $bytes[3 * 65536],
    fn () => $bytes[-1],
    fn () => $f[2],
    fn () => $bytes['x'],
    fn () => $memory->getI32(3 * 65536 - 2),
    fn () => $memory->read(-1, 2),
    fn () => $memory->write(3 * 65536, 'x'),
    fn () => $memory->grow(100000),
    fn () => $bytes[0] = 'x',
    fn () => new Wasm\Memory\Uint8Array($memory, -1),
] as $i => $bad) {
    try {
        $bad();
        echo "$i: no error\n";
    } catch (Throwable $e) {
        echo "$i: ", get_class($e), "\n";
    }
}
try {
    unset($bytes[0]);
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

// a memory made in PHP
$store = new Wasm\Store();
$own = new Wasm\Memory($store, 1, 2);
var_dump($own->size(), $own->type()->maximum, $own->grow(1), $own->size());
try {
    $own->grow(1);
} catch (Wasm\Exception\RuntimeException $e) {
    echo get_class($e), "\n";
}
?>
--EXPECTF--
string(13) "Hello, World!"
string(13) "Hello, World!"
int(1)
int(65536)
int(65536)
int(65494)
object(Wasm\Type\MemoryType)#%d (2) {
  ["minimum"]=>
  int(1)
  ["maximum"]=>
  NULL
}
12345678 12345678
int(-559038737)
int(3735928559)
int(44)
int(255)
int(-1)
bool(true)
bool(false)
bool(false)
int(2)
float(1.5)
float(7)
float(7)
float(0.25)
int(-2)
int(-3)
int(-2)
int(-3)
int(65533)
float(0.25)
bool(true)
int(1)
int(3)
int(196608)
int(196608)
int(7)
int(7)
0: Wasm\Exception\ArgumentError
1: Wasm\Exception\ArgumentError
2: Wasm\Exception\ArgumentError
3: Wasm\Exception\ArgumentError
4: Wasm\Exception\ArgumentError
5: Wasm\Exception\ArgumentError
6: Wasm\Exception\ArgumentError
7: Wasm\Exception\RuntimeException
8: Wasm\Exception\ArgumentError
9: ValueError
Error: Cannot unset an element of a Wasm\Memory\Uint8Array
int(1)
int(2)
int(1)
int(2)
Wasm\Exception\RuntimeException
