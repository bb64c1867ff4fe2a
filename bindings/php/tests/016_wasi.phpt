--TEST--
WASI: real programs (conformance/wasi/*.c compiled to wasm32-wasi) with captured output checked exactly, exit codes as ExitError, stdin, files in mapped and preopened directories, and the sandbox
--SKIPIF--
<?php if (!is_dir((string)getenv('WASMGEN_WASI_DIR'))) die('skip WASMGEN_WASI_DIR (build/wasi) not set: ci/langs/php.py sets it'); ?>
--FILE--
<?php
$dir = getenv('WASMGEN_WASI_DIR');
$store = new Wasm\Store();
$modules = [];
foreach (['echo', 'streams', 'cat', 'copy'] as $name) {
    $modules[$name] = new Wasm\Module($store, file_get_contents("$dir/$name.wasm"));
}

/** Runs a program: [exit code or null when _start returned, stdout, stderr]. */
function run(Wasm\Store $store, Wasm\Module $module, Wasm\WasiConfig $config): array {
    $wasi = new Wasm\WasiEnv($store, $config);
    $instance = new Wasm\Instance($module, $wasi->defineImports($module));
    $exit = null;
    try {
        $instance->_start();
    } catch (Wasm\Exception\ExitError $e) {
        $exit = $e->getExitCode();
        if ($exit !== Wasm\exitCode()) echo "exitCode() differs: ", Wasm\exitCode(), "\n";
    }
    return [$exit, $wasi->readStdout(), $wasi->readStderr()];
}

echo "-- versions\n";
var_dump($modules['echo']->wasiVersion(true), $modules['echo']->wasiVersion(false));
var_dump((new Wasm\Module($store, '(module)'))->wasiVersion(false));
var_dump((new Wasm\Module($store, '(module (import "wasi_unstable" "proc_exit" (func (param i32))))'))->wasiVersion(true));
var_dump((new Wasm\Module($store, '(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (import "env" "f" (func)))'))->wasiVersion(true));
var_dump((new Wasm\Module($store, '(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (import "env" "f" (func)))'))->wasiVersion(false));

echo "-- the imports array\n";
$config = new Wasm\WasiConfig('echo');
$imports = (new Wasm\WasiEnv($store, $config))->defineImports($modules['echo'], ['env' => ['x' => 1]]);
var_dump(array_keys($imports), $imports['env'], get_class($imports['wasi_snapshot_preview1']['fd_write']));

echo "-- arguments and environment; nothing of the host's environment\n";
putenv('WASMGEN_HOST_SECRET=leak');
$config = (new Wasm\WasiConfig('echo'))->argument('a b')->argument('c')->environment('FOO', 'bar=baz')->captureStdout();
var_dump(get_class($config));
var_dump(run($store, $modules['echo'], $config) === [null, "arg 0: echo\narg 1: a b\narg 2: c\nenv: FOO=bar=baz\n", '']);
// the configuration stays usable
var_dump(run($store, $modules['echo'], $config->argument('d'))[1]);

echo "-- streams and exit codes (0 included)\n";
foreach (['7', '0', '255'] as $code) {
    $config = (new Wasm\WasiConfig('streams'))->argument('to stdout')->argument('to stderr')->argument($code)->captureStdout()->captureStderr();
    var_dump(run($store, $modules['streams'], $config));
}
echo "-- not captured, not inherited: discarded\n";
var_dump(run($store, $modules['streams'], (new Wasm\WasiConfig('streams'))->argument('x')->argument('y')->argument('3')));
try {
    $wasi = new Wasm\WasiEnv($store, (new Wasm\WasiConfig('streams'))->argument('x')->argument('y')->argument('5'));
    (new Wasm\Instance($modules['streams'], $wasi->defineImports($modules['streams'])))->_start();
} catch (Wasm\Exception\ExitError $e) {
    var_dump(get_class($e), $e instanceof Wasm\Exception\RuntimeException, $e->getExitCode(), $e->getMessage() !== '');
}

echo "-- stdin\n";
var_dump(run($store, $modules['cat'], (new Wasm\WasiConfig('cat'))->stdin("line one\nline two\n")->captureStdout()));
var_dump(run($store, $modules['cat'], (new Wasm\WasiConfig('cat'))->captureStdout()));
var_dump(run($store, $modules['cat'], (new Wasm\WasiConfig('cat'))->stdin("\0binary\xff")->captureStdout())[1] === "\0binary\xff");

echo "-- files and the sandbox\n";
$root = sys_get_temp_dir() . '/wasmgen-php-wasi-' . getmypid();
@mkdir($root);
mkdir("$root/in");
mkdir("$root/out");
file_put_contents("$root/in/a.txt", "contents of a\n");
file_put_contents("$root/secret.txt", "outside\n");
symlink('../secret.txt', "$root/in/escape");
$tries = [
    ['/in/a.txt', '/out/b.txt'],
    ['/in/../secret.txt', '/out/c.txt'],  // ..
    ['/in/escape', '/out/d.txt'],         // a symlink out of the directory
    ['/etc/passwd', '/out/e.txt'],        // an absolute path of the host
    ['/in/a.txt', '/elsewhere.txt'],      // outside the mapped directories
];
foreach ($tries as [$from, $to]) {
    $config = (new Wasm\WasiConfig('copy'))->mapDirectory('/in', "$root/in")->mapDirectory('/out', "$root/out")
        ->argument($from)->argument($to)->captureStdout()->captureStderr();
    [$exit, $out, $err] = run($store, $modules['copy'], $config);
    echo "$from -> $to: ", $exit === null ? 'ok' : "exit $exit, " . (str_contains($err, 'cannot') ? 'refused' : "[$err]"), "\n";
}
var_dump(file_get_contents("$root/out/b.txt"), file_exists("$root/out/c.txt"), file_exists("$root/out/d.txt"), file_exists("$root/out/e.txt"));
// a preopened directory keeps its host path
$config = (new Wasm\WasiConfig('copy'))->preopenDirectory("$root/in")->argument("$root/in/a.txt")->argument("$root/in/f.txt");
var_dump(run($store, $modules['copy'], $config)[0], file_get_contents("$root/in/f.txt"));
// reading it without the directory: refused
$config = (new Wasm\WasiConfig('copy'))->argument("$root/in/a.txt")->argument("$root/in/g.txt")->captureStderr();
[$exit, , $err] = run($store, $modules['copy'], $config);
var_dump($exit, str_starts_with($err, "cannot open $root/in/a.txt"), file_exists("$root/in/g.txt"));
// read-only directories: read from, never written (EROFS)
$config = (new Wasm\WasiConfig('copy'))->mapDirectoryReadOnly('/in', "$root/in")->mapDirectory('/out', "$root/out")
    ->argument('/in/a.txt')->argument('/out/ro.txt')->captureStderr();
var_dump(run($store, $modules['copy'], $config)[0], file_get_contents("$root/out/ro.txt"));
unlink("$root/out/ro.txt");
foreach (['/ro/new.txt', '/ro/a.txt'] as $to) {
    $config = (new Wasm\WasiConfig('copy'))->mapDirectory('/in', "$root/in")->mapDirectoryReadOnly('/ro', "$root/in")
        ->argument('/in/a.txt')->argument($to)->captureStderr();
    [$exit, , $err] = run($store, $modules['copy'], $config);
    var_dump($exit, $err);
}
$config = (new Wasm\WasiConfig('copy'))->preopenDirectoryReadOnly("$root/in")->argument("$root/in/a.txt")->argument("$root/in/h.txt")->captureStderr();
[$exit, , $err] = run($store, $modules['copy'], $config);
var_dump($exit, $err === "cannot create $root/in/h.txt: Read-only file system\n", file_exists("$root/in/new.txt"), file_exists("$root/in/h.txt"), file_get_contents("$root/in/a.txt"));
// a directory that does not exist
try {
    new Wasm\WasiEnv($store, (new Wasm\WasiConfig('echo'))->preopenDirectory('/no/such/dir'));
} catch (Wasm\Exception\ArgumentError $e) {
    echo get_class($e), "\n";
}
foreach (['in/a.txt', 'in/f.txt', 'in/escape', 'out/b.txt', 'secret.txt'] as $f) unlink("$root/$f");
rmdir("$root/in");
rmdir("$root/out");
rmdir($root);

echo "-- imports: WASI functions next to others, one replaced\n";
$wasi = new Wasm\WasiEnv($store, (new Wasm\WasiConfig('streams'))->argument('o')->argument('e')->argument('9')->captureStdout()->captureStderr());
$imports = $wasi->defineImports($modules['streams']);
$exits = [];
$imports['wasi_snapshot_preview1']['proc_exit'] = function (int $code) use (&$exits) { $exits[] = $code; throw new RuntimeException("exit $code"); };
try {
    (new Wasm\Instance($modules['streams'], $imports))->_start();
} catch (Wasm\Exception\HostError $e) {
    var_dump($e->getPrevious()->getMessage(), $exits);
}
var_dump($wasi->readStdout(), $wasi->readStderr(), $wasi->readStdout());
// an environment of another store
try {
    $other = new Wasm\WasiEnv(new Wasm\Store(), new Wasm\WasiConfig('echo'));
    new Wasm\Instance($modules['echo'], $other->defineImports($modules['echo']));
} catch (Wasm\Exception\LinkError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
// not a WASI module
try {
    $m = new Wasm\Module($store, '(module)');
    var_dump((new Wasm\WasiEnv($store, new Wasm\WasiConfig('x')))->defineImports($m, ['env' => []]));
} catch (Wasm\Exception\RuntimeException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
echo "-- inherited when asked: the host process's stdout\n";
$wasi = new Wasm\WasiEnv($store, (new Wasm\WasiConfig('echo'))->argument('inherited')->inheritStdout());
(new Wasm\Instance($modules['echo'], $wasi->defineImports($modules['echo'])))->_start();
var_dump($wasi->readStdout());

echo "-- signatures\n";
foreach ([['Wasm\WasiConfig', '__construct'], ['Wasm\WasiConfig', 'argument'], ['Wasm\WasiConfig', 'mapDirectory'], ['Wasm\WasiConfig', 'stdin'],
          ['Wasm\WasiConfig', 'captureStdout'], ['Wasm\WasiEnv', '__construct'], ['Wasm\WasiEnv', 'defineImports'], ['Wasm\WasiEnv', 'readStderr'],
          ['Wasm\Module', 'wasiVersion'], ['Wasm\Exception\ExitError', 'getExitCode']] as [$class, $name]) {
    $m = new ReflectionMethod($class, $name);
    echo "$class::$name(", implode(', ', array_map(fn ($p) => $p->getType() . ' $' . $p->getName(), $m->getParameters())), ')',
        $m->hasReturnType() ? ': ' . $m->getReturnType() : '', "\n";
}
echo 'Wasm\exitCode(): ', (new ReflectionFunction('Wasm\exitCode'))->getReturnType(), "\n";
?>
--EXPECT--
-- versions
int(2)
int(2)
int(0)
int(1)
int(0)
int(2)
-- the imports array
array(2) {
  [0]=>
  string(3) "env"
  [1]=>
  string(22) "wasi_snapshot_preview1"
}
array(1) {
  ["x"]=>
  int(1)
}
string(12) "Wasm\WasiEnv"
-- arguments and environment; nothing of the host's environment
string(15) "Wasm\WasiConfig"
bool(true)
string(58) "arg 0: echo
arg 1: a b
arg 2: c
arg 3: d
env: FOO=bar=baz
"
-- streams and exit codes (0 included)
array(3) {
  [0]=>
  int(7)
  [1]=>
  string(9) "to stdout"
  [2]=>
  string(9) "to stderr"
}
array(3) {
  [0]=>
  int(0)
  [1]=>
  string(9) "to stdout"
  [2]=>
  string(9) "to stderr"
}
array(3) {
  [0]=>
  int(255)
  [1]=>
  string(9) "to stdout"
  [2]=>
  string(9) "to stderr"
}
-- not captured, not inherited: discarded
array(3) {
  [0]=>
  int(3)
  [1]=>
  string(0) ""
  [2]=>
  string(0) ""
}
string(24) "Wasm\Exception\ExitError"
bool(true)
int(5)
bool(true)
-- stdin
array(3) {
  [0]=>
  NULL
  [1]=>
  string(18) "line one
line two
"
  [2]=>
  string(0) ""
}
array(3) {
  [0]=>
  NULL
  [1]=>
  string(0) ""
  [2]=>
  string(0) ""
}
bool(true)
-- files and the sandbox
/in/a.txt -> /out/b.txt: ok
/in/../secret.txt -> /out/c.txt: exit 1, refused
/in/escape -> /out/d.txt: exit 1, refused
/etc/passwd -> /out/e.txt: exit 1, refused
/in/a.txt -> /elsewhere.txt: exit 1, refused
string(14) "contents of a
"
bool(false)
bool(false)
bool(false)
NULL
string(14) "contents of a
"
int(1)
bool(true)
bool(false)
NULL
string(14) "contents of a
"
int(1)
string(49) "cannot create /ro/new.txt: Read-only file system
"
int(1)
string(47) "cannot create /ro/a.txt: Read-only file system
"
int(1)
bool(true)
bool(false)
bool(false)
string(14) "contents of a
"
Wasm\Exception\ArgumentError
-- imports: WASI functions next to others, one replaced
string(6) "exit 9"
array(1) {
  [0]=>
  int(9)
}
string(1) "o"
string(1) "e"
string(0) ""
Wasm\Exception\LinkError: the Wasm\WasiEnv of the imports belongs to another store than the module
Wasm\Exception\LinkError: cannot make the WASI imports of this module: The WASI version could not be determined
-- inherited when asked: the host process's stdout
arg 0: echo
arg 1: inherited
string(0) ""
-- signatures
Wasm\WasiConfig::__construct(string $program)
Wasm\WasiConfig::argument(string $value): static
Wasm\WasiConfig::mapDirectory(string $alias, string $path): static
Wasm\WasiConfig::stdin(string $data): static
Wasm\WasiConfig::captureStdout(): static
Wasm\WasiEnv::__construct(Wasm\Store $store, Wasm\WasiConfig $config)
Wasm\WasiEnv::defineImports(Wasm\Module $module, array $imports): array
Wasm\WasiEnv::readStderr(): string
Wasm\Module::wasiVersion(bool $strict): int
Wasm\Exception\ExitError::getExitCode(): int
Wasm\exitCode(): int
