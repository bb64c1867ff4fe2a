<?php
/*
 * One request of PHP's boot across requests (run by `php -S`, one process serving every request,
 * from ci/langs/php.py): php-ext-wasm 0.5.1's `new Wasm\Module($path)` compiles the module in every
 * request; with Wasm\Module::PERSISTENT it is compiled once per process and kept. The request
 * times module + instance + one call (nbody(1)) and answers {"ns": ..., "result": ...}.
 *
 *     GET /request.php?persistent=1
 */

declare(strict_types=1);

$path = getenv('WASMGEN_BENCH_DIR') . '/nbody.wasm';
$t = hrtime(true);
$module = isset($_GET['persistent']) ? new Wasm\Module($path, Wasm\Module::PERSISTENT) : new Wasm\Module($path);
$result = $module->instantiate()->nbody(1);
$ns = hrtime(true) - $t;
header('Content-Type: application/json');
echo json_encode(['ns' => $ns, 'result' => $result]);
