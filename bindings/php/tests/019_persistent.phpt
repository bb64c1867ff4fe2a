--TEST--
0.5.1's persistent module (Module::PERSISTENT, wasm_compile() with an identifier) is the compiled module kept process-wide: shared by the compiles of a request and by later requests of one `php -S` process, each request instantiating it in a store of its own on the kept engine; wasm_module_clean_up_persistent_resources() drops it without breaking a module or an instance still in use
--SKIPIF--
<?php
if (!is_readable('/proc/self/maps')) die('skip needs /proc/self/maps (the path of the loaded wasm.so, for the php -S child)');
if (!function_exists('proc_open')) die('skip needs proc_open');
?>
--FILE--
<?php
$dir = sys_get_temp_dir() . '/wasm_persistent_' . getmypid();
@mkdir($dir);
$path = "$dir/answer.wat";
function answer(string $path, int $n): void
{
    file_put_contents($path, "(module (func (export \"answer\") (result i32) i32.const $n))");
    clearstatcache();
}

echo "-- one process, one request\n";
answer($path, 1);
$a = new Wasm\Module($path, Wasm\Module::PERSISTENT);
answer($path, 2); // kept: the file is not compiled again
$b = new Wasm\Module($path, Wasm\Module::PERSISTENT);
$ia = $a->instantiate();
$ib = $b->instantiate();
var_dump($ia->answer(), $ib->answer());
$store = $a->store();
var_dump($store === $b->store()); // this request's store on the kept module's engine
$volatile = new Wasm\Module($path); // compiled in the default store (an engine per request), not kept
var_dump($volatile->store() !== $store, $volatile->instantiate()->answer());
// the kept engine is a usable Engine: a store and a module of the request's own on it
$own = new Wasm\Store($store->engine());
var_dump((new Wasm\Instance(new Wasm\Module($own, '(module (func (export "seven") (result i32) i32.const 7))')))->seven());
// a kept module cannot be renamed: other requests share it
var_dump($a->setName('renamed'), $a->name() === 'renamed');
// the 0.5.1 functions: one identifier, one module
$r1 = wasm_compile(wasm_fetch_bytes($path), 'answer');
answer($path, 3);
$r2 = wasm_compile(wasm_fetch_bytes($path), 'answer');
var_dump(wasm_invoke_function(wasm_module_new_instance($r1), 'answer', []), wasm_invoke_function(wasm_module_new_instance($r2), 'answer', []));
// serialized and back: a module of the default store
$copy = unserialize(serialize($a));
var_dump($copy->instantiate()->answer());
// dropped while in use: what this request holds keeps working, the next compile reads the file again
wasm_module_clean_up_persistent_resources();
var_dump($ia->answer(), $a->instantiate()->answer(), wasm_invoke_function(wasm_module_new_instance($r2), 'answer', []));
var_dump((new Wasm\Module($path, Wasm\Module::PERSISTENT))->instantiate()->answer());
unset($a, $b, $ia, $ib, $store, $volatile, $own, $copy, $r1, $r2);
var_dump((new Wasm\Module($path, Wasm\Module::PERSISTENT))->instantiate()->answer());
wasm_module_clean_up_persistent_resources();

echo "-- one php -S process, several requests\n";
$so = null;
foreach (file('/proc/self/maps') as $line) {
    if (preg_match('~\s(/\S*/(?!lib)[^/]*wasm[^/]*\.so)$~', trim($line), $m)) $so = $m[1]; // wasm.so, not libwasmer.so
}
file_put_contents("$dir/r.php", <<<'PHP'
<?php
$path = __DIR__ . '/answer.wat';
$out = [];
switch ($_GET['op']) {
    case 'module':
        $m = new Wasm\Module($path, Wasm\Module::PERSISTENT);
        $out['answer'] = $m->instantiate()->answer();
        $out['renamed'] = $m->setName('mine'); // would reach the next requests
        break;
    case 'compile':
        $r = wasm_compile(wasm_fetch_bytes($path), 'answer');
        $out['answer'] = wasm_invoke_function(wasm_module_new_instance($r), 'answer', []);
        break;
    case 'live':
        $m = new Wasm\Module($path, Wasm\Module::PERSISTENT);
        $i = $m->instantiate();
        wasm_module_clean_up_persistent_resources();
        $out['instance'] = $i->answer();
        $out['module'] = $m->instantiate()->answer();
        $out['fresh'] = (new Wasm\Module($path, Wasm\Module::PERSISTENT))->instantiate()->answer();
        break;
    case 'clean':
        wasm_module_clean_up_persistent_resources();
        break;
}
echo json_encode($out);
PHP);
$server = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
fclose($server);
$process = proc_open([PHP_BINARY, '-d', "extension=$so", '-S', "127.0.0.1:$port", '-t', $dir], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
function get(int $port, string $op): string
{
    for ($try = 0; $try < 100; $try++) {
        $answer = @file_get_contents("http://127.0.0.1:$port/r.php?op=$op");
        if ($answer !== false) return $answer;
        usleep(100000);
    }
    return "no answer\n";
}
answer($path, 1);
echo get($port, 'module'), "\n";  // compiled, kept
answer($path, 2);
echo get($port, 'module'), "\n";  // the kept module: 1
echo get($port, 'compile'), "\n"; // another identifier: compiled now, 2
answer($path, 3);
echo get($port, 'compile'), "\n"; // kept: 2
echo get($port, 'live'), "\n";    // kept 1 still works after clean up, then 3 compiled again
echo get($port, 'module'), "\n";  // 3, kept by the last request
echo get($port, 'compile'), "\n"; // dropped by the clean up: 3 compiled again
echo get($port, 'clean'), "\n";
answer($path, 4);
echo get($port, 'module'), "\n";  // 4
echo get($port, 'compile'), "\n"; // 4
proc_terminate($process);
proc_close($process);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
-- one process, one request
int(1)
int(1)
bool(true)
bool(true)
int(2)
int(7)
bool(false)
bool(false)
int(2)
int(2)
int(1)
int(1)
int(1)
int(2)
int(3)
int(3)
-- one php -S process, several requests
{"answer":1,"renamed":false}
{"answer":1,"renamed":false}
{"answer":2}
{"answer":2}
{"instance":1,"module":1,"fresh":3}
{"answer":3,"renamed":false}
{"answer":3}
[]
{"answer":4,"renamed":false}
{"answer":4}
