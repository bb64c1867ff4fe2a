--TEST--
f32 values keep their bits (a signalling NaN's payload) through calls, host functions, globals, memory accessors and views
--FILE--
<?php
$store = new Wasm\Store();
$instance = new Wasm\Instance(new Wasm\Module($store, '(module
  (import "env" "host" (func $host (param f32) (result f32)))
  (global $g (export "g") (mut f32) (f32.const 0))
  (memory (export "memory") 1)
  (func (export "make") (param i32) (result f32) local.get 0 f32.reinterpret_i32)
  (func (export "bits") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
  (func (export "via_host") (param i32) (result i32) local.get 0 f32.reinterpret_i32 call $host i32.reinterpret_f32)
  (func (export "global_bits") (result i32) global.get $g i32.reinterpret_f32))'),
    ['env' => ['host' => fn (float $x): float => $x]]);
$show = fn (int $bits) => sprintf('%08x', $bits & 0xFFFFFFFF);
$patterns = [0x7FA00000, 0xFFA00001, 0x7F800001, 0x7FC00000, 0x7FFFFFFF, 0x3FC00000, 0x80000000, 0x7F800000];
$memory = $instance->exports->memory;
$view = new Wasm\Memory\Float32Array($memory);
foreach ($patterns as $bits) {
    $x = $instance->make($bits);                       // a wasm f32 result, and back as an argument
    $seen = [$show($instance->bits($x))];
    $seen[] = $show($instance->via_host($bits));       // through a PHP host function's parameter and result
    $instance->exports->g->set($x);                    // a global, set from PHP
    $seen[] = $show($instance->global_bits());
    $seen[] = $show($instance->bits($instance->exports->g->get()));
    $global = new Wasm\Global($store, Wasm\ValueType::F32, $x, mutable: true);   // a value constructor
    $seen[] = $show($instance->bits($global->get()));
    $memory->setF32(0, $x);                            // memory accessors
    $seen[] = $show($memory->getI32(0));
    $memory->setI32(4, $bits);
    $seen[] = $show($instance->bits($memory->getF32(4)));
    $view[2] = $x;                                     // a Float32Array view
    $seen[] = $show($memory->getI32(8));
    $seen[] = $show($instance->bits($view[1]));
    echo $show($bits), ': ', count(array_unique($seen)) === 1 && $seen[0] === $show($bits) ? 'kept' : implode(' ', $seen), "\n";
}
?>
--EXPECT--
7fa00000: kept
ffa00001: kept
7f800001: kept
7fc00000: kept
7fffffff: kept
3fc00000: kept
80000000: kept
7f800000: kept
