# Ruby's compute and FFI-floor cases as bench/report.py's JSON lines.
#
# compute: nbody and hash (bench/compute/*.c compiled to wasm32) through the binding with cranelift
# and with singlepass, and the same algorithms in Ruby; every result is checked equal to native C's
# (WASMGEN_BENCH_REF, from bench/compute/driver.c) before anything is timed. A warm-up run, then
# SAMPLES timed samples (median and quartiles); no result is dropped (each is summed into $sink).
# per call: BenchFloor.sum(1, 2), a C-extension method (Ruby's FFI floor), when ARGV[0] names it; the
# same extension runs native nbody in this process (WASMGEN_BENCH_NATIVE, clang -O2).
#
#   ruby bench/ruby/compute.rb [path/to/bench_floor.so]
require "json"
require "wasmer"

REF = JSON.parse(ENV.fetch("WASMGEN_BENCH_REF"))
DIR = ENV.fetch("WASMGEN_BENCH_DIR")
MIB = 1 << 20
NBODY_STEPS = 100_000
NBODY_STEPS_RUBY = 2_000
SAMPLES = 9
$sink = 0

def now = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

def emit(kase, workload, impl, times, variant = nil)
  t = times.sort
  rec = { "lang" => "ruby", "case" => kase, "ns" => t[t.size / 2].round(2), "workload" => workload, "impl" => impl }
  rec["variant"] = variant if variant
  rec.merge!("median" => t[t.size / 2].round(2), "p25" => t[t.size / 4].round(2), "p75" => t[3 * t.size / 4].round(2),
             "samples" => t.size, "checked" => true)
  puts JSON.generate(rec)
  $stdout.flush
end

# ns per unit of `samples` timed calls of the block, after one warm-up call
def timed(units, samples = SAMPLES)
  $sink += yield
  Array.new(samples) do
    start = now
    $sink += yield
    (now - start).fdiv(units)
  end
end

def check(what, got, want)
  return if got == want

  warn "ruby #{what}: result #{got.inspect} != native C's #{want.inspect}; no time reported"
  exit 1
end

# ---------------------------------------------------------------- the algorithms in Ruby itself

# bench/compute/nbody.c, operation for operation (so the result is the same double)
def nbody_ruby(n)
  pi = 3.141592653589793
  solar_mass = 4 * pi * pi
  dpy = 365.24
  b = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, solar_mass],
    [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * dpy, 7.69901118419740425e-03 * dpy,
     -6.90460016972063023e-05 * dpy, 9.54791938424326609e-04 * solar_mass],
    [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * dpy, 4.99852801234917238e-03 * dpy,
     2.30417297573763929e-05 * dpy, 2.85885980666130812e-04 * solar_mass],
    [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * dpy, 2.37847173959480950e-03 * dpy,
     -2.96589568540237556e-05 * dpy, 4.36624404335156298e-05 * solar_mass],
    [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * dpy, 1.62824170038242295e-03 * dpy,
     -9.51592254519715870e-05 * dpy, 5.15138902046611451e-05 * solar_mass]
  ]
  px = py = pz = 0.0
  b.each do |x|
    px += x[3] * x[6]
    py += x[4] * x[6]
    pz += x[5] * x[6]
  end
  b[0][3] = -px / solar_mass
  b[0][4] = -py / solar_mass
  b[0][5] = -pz / solar_mass
  pairs = (0...5).flat_map { |i| ((i + 1)...5).map { |j| [b[i], b[j]] } }
  dt = 0.01
  n.times do
    pairs.each do |a, c|
      dx = a[0] - c[0]
      dy = a[1] - c[1]
      dz = a[2] - c[2]
      d2 = dx * dx + dy * dy + dz * dz
      mag = dt / (d2 * Math.sqrt(d2))
      cm = c[6]
      am = a[6]
      a[3] -= dx * cm * mag
      a[4] -= dy * cm * mag
      a[5] -= dz * cm * mag
      c[3] += dx * am * mag
      c[4] += dy * am * mag
      c[5] += dz * am * mag
    end
    b.each do |x|
      x[0] += dt * x[3]
      x[1] += dt * x[4]
      x[2] += dt * x[5]
    end
  end
  e = 0.0
  b.each_with_index do |a, i|
    e += 0.5 * a[6] * (a[3] * a[3] + a[4] * a[4] + a[5] * a[5])
    b[(i + 1)..].each do |c|
      dx = a[0] - c[0]
      dy = a[1] - c[1]
      dz = a[2] - c[2]
      e -= a[6] * c[6] / Math.sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  e
end

DATA = Array.new(MIB) { |i| (i * 31 + (i >> 8)) & 255 }.pack("C*") # bench/compute/hash.c's fill

def hash_ruby(data)
  h = 2166136261
  data.each_byte { |c| h = ((h ^ c) * 16777619) & 0xFFFFFFFF }
  h
end

# ---------------------------------------------------------------- the cases

nbody_wasm = File.binread(File.join(DIR, "nbody.wasm"))
hash_wasm = File.binread(File.join(DIR, "hash.wasm"))
steps = REF.fetch("nbody_steps")
[["cranelift", Wasmer::Compiler::Cranelift], ["singlepass", Wasmer::Compiler::Singlepass]].each do |variant, compiler|
  store = Wasmer::Store.new(Wasmer::Engine::Universal.new(compiler))
  nbody = Wasmer::Instance.new(Wasmer::Module.new(store, nbody_wasm), {}).exports.nbody
  check("nbody (#{variant})", nbody.(steps), REF.fetch("nbody"))
  emit("nbody", "nbody", "wasmgen", timed(NBODY_STEPS) { nbody.(NBODY_STEPS) }, variant)
  ex = Wasmer::Instance.new(Wasmer::Module.new(store, hash_wasm), {}).exports
  check("fill (#{variant})", ex["fill"].(MIB), MIB)
  hash = ex["hash"] # ex.hash is Object#hash
  check("hash (#{variant})", hash.(MIB) & 0xFFFFFFFF, REF.fetch("hash"))
  emit("hash_1MiB", "hash", "wasmgen", timed(1) { hash.(MIB) }, variant)
end
check("nbody (Ruby)", nbody_ruby(steps), REF.fetch("nbody"))
emit("nbody", "nbody", "language", timed(NBODY_STEPS_RUBY) { nbody_ruby(NBODY_STEPS_RUBY) })
check("hash (Ruby)", hash_ruby(DATA), REF.fetch("hash"))
emit("hash_1MiB", "hash", "language", timed(1, 5) { hash_ruby(DATA) })

# boot: compile, deserialize (the serialized module) and instantiate; the big module's compile is
# seconds: one op per sample, 3 samples, no warm-up
boot_store = Wasmer::Store.new
{ "small" => "nbody.wasm", "big" => "big.wasm" }.each do |size, file|
  wasm = File.binread(File.join(DIR, file))
  mod = Wasmer::Module.new(boot_store, wasm)
  artifact = mod.serialize
  compile = lambda do
    Wasmer::Module.new(boot_store, wasm)
    1
  end
  times = if size == "big"
            Array.new(3) do
              start = now
              compile.call
              now - start
            end
          else
            timed(1) { compile.call }
          end
  emit("compile_#{size}", "boot", "wasmgen", times)
  emit("deserialize_#{size}", "boot", "wasmgen", timed(1) { Wasmer::Module.deserialize(boot_store, artifact) && 1 })
  emit("instantiate_#{size}", "boot", "wasmgen", timed(10) { 10.times { Wasmer::Instance.new(mod, {}) } })
end

if ARGV[0]
  require ARGV[0]
  check("BenchFloor.sum", BenchFloor.sum(1, 2), 3)
  calls = 200_000
  times = Array.new(SAMPLES) do
    start = now
    i = 0
    while i < calls
      BenchFloor.sum(1, 2)
      i += 1
    end
    (now - start).fdiv(calls)
  end
  emit("sum", "call", "ffi", times, "c-extension")
  # native nbody in this process (the nbody target's baseline without another process's variance)
  BenchFloor.load_nbody(ENV.fetch("WASMGEN_BENCH_NATIVE"))
  check("nbody (native C in this process)", BenchFloor.nbody(steps), REF.fetch("nbody"))
  emit("nbody", "nbody", "native_in_process", timed(NBODY_STEPS) { BenchFloor.nbody(NBODY_STEPS) })
end
