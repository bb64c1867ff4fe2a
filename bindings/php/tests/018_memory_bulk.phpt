--TEST--
Memory: the bulk path, read() and write() of strings (one memcpy under the store's lock): round trips at 0, the middle and the last byte, out of bounds changes nothing, after grow
--FILE--
<?php
$store = new Wasm\Store();
$memory = new Wasm\Memory($store, 1, 3);
$size = $memory->dataSize();
$pattern = str_repeat(implode('', array_map('chr', range(0, 255))), 3);
foreach ([[0, "head"], [intdiv($size, 2), $pattern], [$size - 1, "\xff"]] as [$offset, $data]) {
    $memory->write($offset, $data);
    var_dump($memory->read($offset, strlen($data)) === $data);
}
var_dump($memory->read(0, 0) === '', $memory->read($size, 0) === '');
$before = $memory->read(0, $size);
foreach ([[$size + 1, 0], [$size - 1, 2], [0, $size + 1], [PHP_INT_MAX, 2], [-1, 1], [1, -1]] as $i => [$offset, $length]) {
    foreach (['read' => fn () => $memory->read($offset, $length), 'write' => fn () => $memory->write($offset, str_repeat("\1", max($length, 0)))] as $what => $bad) {
        try {
            $bad();
            echo "$i $what: no error\n";
        } catch (Throwable $e) {
            echo "$i $what: ", get_class($e), "\n";
        }
    }
}
var_dump($memory->read(0, $size) === $before);
var_dump($memory->grow(1), $memory->dataSize());
$memory->write($size + 5, "grown");
var_dump($memory->read($size + 5, 5), $memory->read($size - 1, 1) === "\xff");
$memory->write(2 * $size - 2, "ok");
var_dump($memory->read(2 * $size - 2, 2));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
0 read: Wasm\Exception\ArgumentError
0 write: Wasm\Exception\ArgumentError
1 read: Wasm\Exception\ArgumentError
1 write: Wasm\Exception\ArgumentError
2 read: Wasm\Exception\ArgumentError
2 write: Wasm\Exception\ArgumentError
3 read: Wasm\Exception\ArgumentError
3 write: Wasm\Exception\ArgumentError
4 read: Wasm\Exception\ArgumentError
4 write: Wasm\Exception\ArgumentError
5 read: Wasm\Exception\ArgumentError
5 write: no error
bool(true)
int(1)
int(131072)
string(5) "grown"
bool(true)
string(2) "ok"
