// Java's compute, JNI-floor (and, given its jars, Chicory) cases as bench/report.py's JSON lines.
//
// compute: nbody and hash (bench/compute/*.c compiled to wasm32) through the binding with cranelift
// and with singlepass, and the same algorithms in Java; every result is checked equal to native
// C's (WASMGEN_BENCH_REF, from bench/compute/driver.c) before anything is timed. A warmed loop:
// warm-up rounds first (the JIT), then SAMPLES timed samples, median and quartiles.
// per call: a JNI no-op `static native int benchSum(int, int)` (Java's FFI floor; its library is
// compiled by ci/langs/java.py and named by -Dbench.jni=PATH); the same library runs native nbody in
// this process (WASMGEN_BENCH_NATIVE, clang -O2).
//
//     java -cp wasmer-jni.jar[:chicory jars] -Dbench.jni=libbench_jni.so bench/java/JavaCompute.java

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

import org.wasmer.Compiler;
import org.wasmer.Engine;
import org.wasmer.Instance;
import org.wasmer.Module;
import org.wasmer.Store;
import org.wasmer.WasmFunction;

class JavaCompute {
    static final int NBODY_STEPS = 100_000;
    static final int MIB = 1 << 20;
    static final int SAMPLES = 9;
    static volatile double sink;

    static native int benchSum(int a, int b);
    static native String loadNativeNbody(String path);
    static native double nativeNbody(int n);

    static String ref(String key) {
        String json = System.getenv("WASMGEN_BENCH_REF");
        int at = json.indexOf("\"" + key + "\":");
        if (at < 0) throw new IllegalStateException("WASMGEN_BENCH_REF has no " + key);
        String rest = json.substring(at + key.length() + 3).trim();
        int end = 0;
        while (end < rest.length() && "-+.0123456789eE".indexOf(rest.charAt(end)) >= 0) end++;
        return rest.substring(0, end);
    }

    static void check(String what, Object got, Object want) {
        if (!got.equals(want)) {
            System.err.println("java " + what + ": result " + got + " != native C's " + want + "; no time reported");
            System.exit(1);
        }
    }

    /** ns per unit: each sample is `reps` calls of op(arg), divided by reps * units. */
    static void emit(String kase, String workload, String impl, String variant, IntToDoubleFunction op, int arg,
                     double units, int reps) {
        for (int w = 0; w < 3; w++) {
            for (int r = 0; r < reps; r++) sink += op.applyAsDouble(arg);
        }
        double[] t = new double[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) sink += op.applyAsDouble(arg);
            t[s] = (System.nanoTime() - start) / (double) reps / units;
        }
        Arrays.sort(t);
        System.out.printf("{\"lang\": \"java\", \"case\": \"%s\", \"ns\": %.2f, \"workload\": \"%s\", \"impl\": \"%s\"%s, "
                + "\"median\": %.2f, \"p25\": %.2f, \"p75\": %.2f, \"samples\": %d, \"checked\": true}%n",
            kase, t[SAMPLES / 2], workload, impl, variant.isEmpty() ? "" : ", \"variant\": \"" + variant + "\"",
            t[SAMPLES / 2], t[SAMPLES / 4], t[3 * SAMPLES / 4], SAMPLES);
        System.out.flush();
    }

    static void emitBoot(String kase, Runnable op, int samples, boolean warm, int reps) {
        if (warm) {
            for (int w = 0; w < 3; w++) op.run();
        }
        double[] t = new double[samples];
        for (int s = 0; s < samples; s++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) op.run();
            t[s] = (System.nanoTime() - start) / (double) reps;
        }
        Arrays.sort(t);
        System.out.printf("{\"lang\": \"java\", \"case\": \"%s\", \"ns\": %.2f, \"workload\": \"boot\", \"impl\": \"wasmgen\", "
                + "\"median\": %.2f, \"p25\": %.2f, \"p75\": %.2f, \"samples\": %d, \"checked\": true}%n",
            kase, t[samples / 2], t[samples / 2], t[samples / 4], t[3 * samples / 4], samples);
        System.out.flush();
    }

    // ---------------------------------------------------------------- the algorithms in Java

    /** bench/compute/nbody.c, operation for operation (so the result is the same double). */
    static double nbodyJava(int n) {
        double pi = 3.141592653589793, solarMass = 4 * pi * pi, daysPerYear = 365.24;
        double[][] b = {
            {0, 0, 0, 0, 0, 0, solarMass},
            {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
             1.66007664274403694e-03 * daysPerYear, 7.69901118419740425e-03 * daysPerYear,
             -6.90460016972063023e-05 * daysPerYear, 9.54791938424326609e-04 * solarMass},
            {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
             -2.76742510726862411e-03 * daysPerYear, 4.99852801234917238e-03 * daysPerYear,
             2.30417297573763929e-05 * daysPerYear, 2.85885980666130812e-04 * solarMass},
            {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
             2.96460137564761618e-03 * daysPerYear, 2.37847173959480950e-03 * daysPerYear,
             -2.96589568540237556e-05 * daysPerYear, 4.36624404335156298e-05 * solarMass},
            {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
             2.68067772490389322e-03 * daysPerYear, 1.62824170038242295e-03 * daysPerYear,
             -9.51592254519715870e-05 * daysPerYear, 5.15138902046611451e-05 * solarMass},
        };
        double px = 0, py = 0, pz = 0;
        for (double[] x : b) {
            px += x[3] * x[6];
            py += x[4] * x[6];
            pz += x[5] * x[6];
        }
        b[0][3] = -px / solarMass;
        b[0][4] = -py / solarMass;
        b[0][5] = -pz / solarMass;
        double dt = 0.01;
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < 5; i++) {
                double[] a = b[i];
                for (int j = i + 1; j < 5; j++) {
                    double[] c = b[j];
                    double dx = a[0] - c[0], dy = a[1] - c[1], dz = a[2] - c[2];
                    double d2 = dx * dx + dy * dy + dz * dz;
                    double mag = dt / (d2 * Math.sqrt(d2));
                    a[3] -= dx * c[6] * mag;
                    a[4] -= dy * c[6] * mag;
                    a[5] -= dz * c[6] * mag;
                    c[3] += dx * a[6] * mag;
                    c[4] += dy * a[6] * mag;
                    c[5] += dz * a[6] * mag;
                }
            }
            for (double[] x : b) {
                x[0] += dt * x[3];
                x[1] += dt * x[4];
                x[2] += dt * x[5];
            }
        }
        double e = 0;
        for (int i = 0; i < 5; i++) {
            double[] a = b[i];
            e += 0.5 * a[6] * (a[3] * a[3] + a[4] * a[4] + a[5] * a[5]);
            for (int j = i + 1; j < 5; j++) {
                double[] c = b[j];
                double dx = a[0] - c[0], dy = a[1] - c[1], dz = a[2] - c[2];
                e -= a[6] * c[6] / Math.sqrt(dx * dx + dy * dy + dz * dz);
            }
        }
        return e;
    }

    static byte[] fillJava(int n) {
        byte[] buf = new byte[n];
        for (int i = 0; i < n; i++) buf[i] = (byte) ((i * 31 + (i >>> 8)) & 255);
        return buf;
    }

    static long hashJava(byte[] buf) {
        int h = 0x811c9dc5;
        for (byte x : buf) {
            h ^= x & 0xff;
            h *= 16777619;
        }
        return h & 0xffffffffL;
    }

    // ---------------------------------------------------------------- the cases

    public static void main(String[] argv) throws Exception {
        Path dir = Path.of(System.getenv("WASMGEN_BENCH_DIR"));
        int steps = Integer.parseInt(ref("nbody_steps"));
        double wantE = Double.parseDouble(ref("nbody"));
        long wantH = Long.parseLong(ref("hash"));
        byte[] nbodyWasm = Files.readAllBytes(dir.resolve("nbody.wasm"));
        byte[] hashWasm = Files.readAllBytes(dir.resolve("hash.wasm"));
        for (Compiler compiler : new Compiler[]{Compiler.CRANELIFT, Compiler.SINGLEPASS}) {
            String variant = compiler.name().toLowerCase();
            Store store = new Store(new Engine(compiler));
            Instance nb = new Instance(store, new Module(store, nbodyWasm), null);
            WasmFunction nbody = nb.exports.getFunction("nbody");
            check("nbody (" + variant + ")", nbody.apply(steps)[0], wantE);
            emit("nbody", "nbody", "wasmgen", variant, k -> (double) nbody.apply(k)[0], NBODY_STEPS, NBODY_STEPS, 1);
            Instance hi = new Instance(store, new Module(store, hashWasm), null);
            check("fill (" + variant + ")", hi.exports.getFunction("fill").apply(MIB)[0], MIB);
            WasmFunction hash = hi.exports.getFunction("hash");
            check("hash (" + variant + ")", ((int) hash.apply(MIB)[0]) & 0xffffffffL, wantH);
            emit("hash_1MiB", "hash", "wasmgen", variant, k -> (int) hash.apply(k)[0], MIB, 1, 5);
        }
        check("nbody (Java)", nbodyJava(steps), wantE);
        emit("nbody", "nbody", "language", "", JavaCompute::nbodyJava, NBODY_STEPS, NBODY_STEPS, 1);
        byte[] data = fillJava(MIB);
        check("hash (Java)", hashJava(data), wantH);
        emit("hash_1MiB", "hash", "language", "", k -> hashJava(data), MIB, 1, 5);

        // boot: compile, deserialize (the serialized module) and instantiate; the big module's compile is
        // seconds: one op per sample, 3 samples, no warm-up
        Store bootStore = new Store();
        for (String[] m : new String[][]{{"small", "nbody.wasm"}, {"big", "big.wasm"}}) {
            byte[] wasm = Files.readAllBytes(dir.resolve(m[1]));
            Module module = new Module(bootStore, wasm);
            byte[] artifact = module.serialize();
            boolean big = m[0].equals("big");
            emitBoot("compile_" + m[0], () -> new Module(bootStore, wasm).close(), big ? 3 : SAMPLES, !big, 1);
            emitBoot("deserialize_" + m[0], () -> Module.deserialize(artifact).close(), SAMPLES, true, 1);
            emitBoot("instantiate_" + m[0], () -> new Instance(bootStore, module, null).close(), SAMPLES, true, 10);
        }

        String jni = System.getProperty("bench.jni");
        if (jni != null) {
            System.load(jni);
            check("JNI benchSum", benchSum(1, 2), 3);
            String failed = loadNativeNbody(System.getenv("WASMGEN_BENCH_NATIVE"));
            if (failed != null) throw new IllegalStateException("native nbody: " + failed);
            check("nbody (native C in this process)", nativeNbody(steps), wantE);
            emit("nbody", "nbody", "native_in_process", "", JavaCompute::nativeNbody, NBODY_STEPS, NBODY_STEPS, 1);
            emit("sum", "call", "ffi", "jni", k -> {
                int acc = 0;
                for (int i = 0; i < k; i++) acc += benchSum(i, 2);
                return acc;
            }, 200_000, 200_000, 1);
        }
    }
}
