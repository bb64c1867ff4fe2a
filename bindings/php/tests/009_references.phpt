--TEST--
References: externref (any PHP value, the same object back), funcref (Wasm\Function), in calls, host functions and globals; released with the store
--FILE--
<?php
use Wasm\ValueType;
use Wasm\Type\FunctionType;

const WAT = '(module
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "is_null") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "pair") (param externref externref) (result externref externref) local.get 1 local.get 0)
  (func $seven (result i32) i32.const 7)
  (elem declare func $seven)
  (func (export "some_func") (result funcref) ref.func $seven)
  (func (export "null_func") (result funcref) ref.null func)
  (func (export "func_is_null") (param funcref) (result i32) local.get 0 ref.is_null)
  (func (export "func_id") (param funcref) (result funcref) local.get 0)
  (table $t 2 externref)
  (func (export "set") (param i32 externref) local.get 0 local.get 1 table.set $t)
  (func (export "get") (param i32) (result externref) local.get 0 table.get $t)
  (global (export "g") (mut externref) (ref.null extern))
  (global (export "fg") (mut funcref) (ref.null func)))';

function show(string $what, Throwable $e): void {
    echo $what, ': ', get_class($e), ': ', $e->getMessage(), "\n";
}

class Thing {
    public mixed $instance = null;
    public function __construct(public string $name) {}
    public function __destruct() { echo "destruct {$this->name}\n"; }
}

$store = new Wasm\Store();
// An instance whose imports are all host functions (or none) lives in a store of its own, freed with it;
// importing an extern of $store (here a global) puts $i in $store, with the globals and functions made there.
$anchor = new Wasm\Global($store, ValueType::I32, 0);
$i = new Wasm\Instance(new Wasm\Module($store, str_replace('(module', '(module (import "env" "anchor" (global i32))', WAT)),
    ['env' => ['anchor' => $anchor]]);

echo "-- externref in calls\n";
$a = new Thing('a');
var_dump($i->id($a) === $a, $i->id(null), $i->is_null(null), $i->is_null($a));
var_dump($i->id(42), $i->id('text'), $i->id([1, 2]), $i->id(1.5), $i->id(false));
[$x, $y] = $i->pair($a, 'second');
var_dump($x, $y === $a);
$i->set(1, $a);
var_dump($i->get(1) === $a, $i->get(0));
$id = $i->exports->id;
var_dump($id($a) === $a, $id->call($a) === $a);

echo "-- funcref from wasm\n";
$seven = $i->some_func();
var_dump($seven instanceof Wasm\Function_, $seven(), $i->null_func());
var_dump($i->func_is_null($seven), $i->func_is_null(null));
$back = $i->func_id($seven);
var_dump($back instanceof Wasm\Function_, $back());
var_dump($i->func_is_null($i->exports->func_is_null));   // an exported function is a funcref too

echo "-- funcref errors\n";
$host = new Wasm\Function($store, fn () => 1, new FunctionType([], [ValueType::I32]));
try { $i->func_is_null($host); } catch (Wasm\Exception\ArgumentError $e) { show('host function', $e); }
try { $i->func_is_null(3); } catch (Wasm\Exception\ArgumentError $e) { show('int', $e); }
$other = new Wasm\Instance(new Wasm\Module(new Wasm\Store(), WAT));
try { $i->func_is_null($other->some_func()); } catch (Wasm\Exception\ArgumentError $e) { show('other store', $e); }
// a failed call releases the externrefs it registered before the failure
$b = new Thing('b');
try { $i->id($b, 1); } catch (Wasm\Exception\ArgumentError $e) { show('arity', $e); }
$lower = new Wasm\Instance(new Wasm\Module($store, '(module
  (func (export "mixed") (param externref funcref) (result i32) i32.const 0))'));
try { $lower->mixed($b, $host); } catch (Wasm\Exception\ArgumentError $e) { show('second argument', $e); }
unset($b, $e); // destructs now (once no exception trace holds it): the store holds no token for it

echo "-- host functions\n";
$seen = [];
$hosts = new Wasm\Instance(new Wasm\Module($store, '(module
  (import "env" "anchor" (global i32))
  (import "env" "keep" (func $keep (param externref) (result externref)))
  (import "env" "swap" (func $swap (param externref externref) (result externref externref)))
  (import "env" "call" (func $call (param funcref) (result i32)))
  (import "env" "give" (func $give (param i32) (result funcref)))
  (import "env" "host_ref" (func $host_ref (result funcref)))
  (func $nine (result i32) i32.const 9)
  (elem declare func $nine)
  (func (export "through") (param externref) (result externref) local.get 0 call $keep)
  (func (export "swap") (param externref externref) (result externref externref) local.get 0 local.get 1 call $swap)
  (func (export "call_nine") (result i32) ref.func $nine call $call)
  (func (export "give") (param i32) (result funcref) local.get 0 call $give)
  (func (export "host_ref") (result funcref) call $host_ref))'), ['env' => [
    'keep' => function ($x) use (&$seen) { $seen[] = $x; return $x; },
    'swap' => fn ($p, $q) => [$q, $p],
    'call' => fn (?Wasm\Function_ $f) => $f === null ? -1 : $f() * 10,
    // no closure captures an object of the store here: that would be a cycle, left to the garbage collector
    'give' => fn (int $n) => $n ? $GLOBALS['i']->some_func() : null,   // a temporary Function
    'host_ref' => fn () => $GLOBALS['host'],
    'anchor' => $anchor,
]]);
$c = new Thing('c');
var_dump($hosts->through($c) === $c, $seen[0] === $c, $hosts->through(null));
[$p, $q] = $hosts->swap($c, 'q');
var_dump($p, $q === $c);
var_dump($hosts->call_nine());
$given = $hosts->give(1);
var_dump($given instanceof Wasm\Function_, $given(), $hosts->give(0));
try { $hosts->host_ref(); } catch (Wasm\Exception\HostError $e) {
    show('host result', $e);
    show('  previous', $e->getPrevious());
}
unset($seen);
// a host function returning a funcref while an outer one that returns a funcref runs
$nested = new Wasm\Instance(new Wasm\Module($store, '(module
  (import "env" "anchor" (global i32))
  (import "env" "outer" (func $outer (result funcref)))
  (import "env" "inner" (func $inner (result funcref)))
  (func (export "outer") (result funcref) call $outer)
  (func (export "inner") (result funcref) call $inner))'), ['env' => [
    'outer' => fn () => $GLOBALS['nested']->inner(),
    'inner' => function () { $f = $GLOBALS['i']->some_func(); $GLOBALS['inner'] = WeakReference::create($f); return $f; },
    'anchor' => $anchor,
]]);
var_dump($nested->outer()(), $inner->get()); // the inner result was released once the glue had it
unset($nested, $inner);

echo "-- globals\n";
$g = new Wasm\Global($store, ValueType::Externref, $c, mutable: true);
var_dump($g->get() === $c, $g->type()->type);
$g->set(null);
var_dump($g->get());
$g->set([3]);
var_dump($g->get());
$ig = $i->exports->g;
$ig->set($c);
var_dump($ig->get() === $c);
$const = new Wasm\Global($store, ValueType::Externref, 'fixed');
var_dump($const->get());
$d = new Thing('d');
try { $const->set($d); } catch (Wasm\Exception\ArgumentError $e) { show('immutable', $e); }
unset($d, $e); // destructs now: the refused value is not held
$fg = new Wasm\Global($store, ValueType::Funcref, $seven, mutable: true);
var_dump($fg->get()(), $fg->type()->type);
$fg->set(null);
var_dump($fg->get());
try { $fg->set($host); } catch (Wasm\Exception\ArgumentError $e) { show('funcref global', $e); }
try { new Wasm\Global($store, ValueType::Funcref, $host); } catch (Wasm\Exception\ArgumentError $e) { show('new funcref global', $e); }
$i->exports->fg->set($seven);
var_dump($i->exports->fg->get()());

echo "-- released with the store\n";
$watch = WeakReference::create($a);
unset($a, $c, $x, $y, $p, $q, $g, $ig, $id, $back, $given, $seven, $fg, $const, $e);
var_dump($watch->get() !== null); // the stores still hold it
unset($i, $hosts, $lower, $host, $store, $other, $anchor);
var_dump($watch->get());

// a garbage cycle through an externref: the store holds the object, the object the instance
function cycle(): void {
    $store = new Wasm\Store();
    $box = new Thing('box');
    $box->instance = new Wasm\Instance(new Wasm\Module($store, WAT));
    $box->instance->set(0, $box);
}
cycle();
var_dump(gc_collect_cycles() > 0);

// no growth of PHP's memory in a loop of stores holding externrefs and funcrefs
$run = function () {
    $store = new Wasm\Store();
    $i = new Wasm\Instance(new Wasm\Module($store, WAT));
    for ($n = 0; $n < 50; $n++) {
        $i->id(new stdClass());
        $i->set($n % 2, [$n]);
        $i->func_is_null($i->some_func());
    }
};
$run();
$before = memory_get_usage();
for ($j = 0; $j < 20; $j++) {
    $run();
}
var_dump(memory_get_usage() - $before);
echo "done\n";
?>
--EXPECTF--
-- externref in calls
bool(true)
NULL
int(1)
int(0)
int(42)
string(4) "text"
array(2) {
  [0]=>
  int(1)
  [1]=>
  int(2)
}
float(1.5)
bool(false)
string(6) "second"
bool(true)
bool(true)
NULL
bool(true)
bool(true)
-- funcref from wasm
bool(true)
int(7)
NULL
int(0)
int(1)
bool(true)
int(7)
int(0)
-- funcref errors
host function: Wasm\Exception\ArgumentError: func_is_null(): Argument #1: a host function cannot be used as a funcref (libwasmer does not support it)
int: Wasm\Exception\ArgumentError: func_is_null(): Argument #1 must be a funcref (a Wasm\Function_ or null), 3 given
other store: Wasm\Exception\ArgumentError: func_is_null(): Argument #1: the function belongs to another store
arity: Wasm\InvocationException: Got an error when invoking `id`: Given 1 extra argument(s) when calling the `id` exported function; Expect 1 argument(s), given 2.
second argument: Wasm\Exception\ArgumentError: mixed(): Argument #2: a host function cannot be used as a funcref (libwasmer does not support it)
destruct b
-- host functions
bool(true)
bool(true)
NULL
string(1) "q"
bool(true)
int(90)
bool(true)
int(7)
NULL
host result: Wasm\Exception\HostError: Wasm\Exception\ArgumentError: host function env.host_ref(): Result #1: a host function cannot be used as a funcref (libwasmer does not support it)
  previous: Wasm\Exception\ArgumentError: host function env.host_ref(): Result #1: a host function cannot be used as a funcref (libwasmer does not support it)
int(7)
NULL
-- globals
bool(true)
enum(Wasm\ValueType::Externref)
NULL
array(1) {
  [0]=>
  int(3)
}
bool(true)
string(5) "fixed"
immutable: Wasm\Exception\ArgumentError: the global is immutable
destruct d
int(7)
enum(Wasm\ValueType::Funcref)
NULL
funcref global: Wasm\Exception\ArgumentError: Wasm\Global_::set(): Argument #1: a host function cannot be used as a funcref (libwasmer does not support it)
new funcref global: Wasm\Exception\ArgumentError: Wasm\Global_::__construct(): Argument #3: a host function cannot be used as a funcref (libwasmer does not support it)
int(7)
-- released with the store
bool(true)
destruct a
destruct c
NULL
destruct box
bool(true)
int(0)
done
