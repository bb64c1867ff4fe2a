// Chicory (Maven Central), Java's peer, on the same modules: sum(1, 2), the add1 host round trip,
// nbody and hash, with its interpreter and with its runtime compiler (to JVM bytecode), as
// bench/report.py's JSON lines. Results are checked (nbody and hash against native C's,
// WASMGEN_BENCH_REF) before anything is timed; a warmed loop like JavaCompute.java's.
//
//     java -cp <chicory runtime, wasm, compiler and asm jars> bench/java/JavaChicory.java

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

class JavaChicory {
    static final int NBODY_STEPS = 100_000;
    static final int MIB = 1 << 20;
    static final int SAMPLES = 9;
    static volatile double sink;

    static String ref(String key) {
        String json = System.getenv("WASMGEN_BENCH_REF");
        int at = json.indexOf("\"" + key + "\":");
        String rest = json.substring(at + key.length() + 3).trim();
        int end = 0;
        while (end < rest.length() && "-+.0123456789eE".indexOf(rest.charAt(end)) >= 0) end++;
        return rest.substring(0, end);
    }

    static void check(String what, Object got, Object want) {
        if (!got.equals(want)) {
            System.err.println("chicory " + what + ": result " + got + " != " + want + "; no time reported");
            System.exit(1);
        }
    }

    static void emit(String kase, String workload, String variant, IntToDoubleFunction op, int arg, double units,
                     int reps) {
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
        System.out.printf("{\"lang\": \"java\", \"case\": \"%s\", \"ns\": %.2f, \"workload\": \"%s\", \"impl\": \"chicory\", "
                + "\"variant\": \"%s\", \"median\": %.2f, \"p25\": %.2f, \"p75\": %.2f, \"samples\": %d, \"checked\": true}%n",
            kase, t[SAMPLES / 2], workload, variant, t[SAMPLES / 2], t[SAMPLES / 4], t[3 * SAMPLES / 4], SAMPLES);
        System.out.flush();
    }

    static Instance instance(WasmModule module, Function<Instance, Machine> machine, ImportValues imports) {
        Instance.Builder b = Instance.builder(module).withImportValues(imports);
        return machine == null ? b.build() : b.withMachineFactory(machine).build();
    }

    public static void main(String[] argv) throws Exception {
        Path dir = Path.of(System.getenv("WASMGEN_BENCH_DIR"));
        int steps = Integer.parseInt(ref("nbody_steps"));
        double wantE = Double.parseDouble(ref("nbody"));
        long wantH = Long.parseLong(ref("hash"));
        WasmModule calls = Parser.parse(Files.readAllBytes(dir.resolve("calls.wasm")));
        WasmModule nbodyM = Parser.parse(Files.readAllBytes(dir.resolve("nbody.wasm")));
        WasmModule hashM = Parser.parse(Files.readAllBytes(dir.resolve("hash.wasm")));
        ImportValues host = ImportValues.builder().addFunction(new HostFunction("env", "sum",
            FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
            (inst, args) -> new long[]{(int) args[0] + (int) args[1]})).build();
        ImportValues none = ImportValues.builder().build();
        Object[][] variants = {{"compiler", (Function<Instance, Machine>) MachineFactoryCompiler::compile},
                               {"interpreter", null}};
        for (Object[] v : variants) {
            String variant = (String) v[0];
            @SuppressWarnings("unchecked")
            Function<Instance, Machine> machine = (Function<Instance, Machine>) v[1];
            Instance ci = instance(calls, machine, host);
            ExportFunction sum = ci.export("sum"), add1 = ci.export("add1");
            check("sum", sum.apply(1, 2)[0], 3L);
            check("add1", add1.apply(1, 2)[0], 4L);
            for (Object[] c : new Object[][]{{"sum", sum}, {"host_roundtrip", add1}}) {
                ExportFunction f = (ExportFunction) c[1];
                emit((String) c[0], "call", variant, k -> {
                    long acc = 0;
                    for (int i = 0; i < k; i++) acc += f.apply(i, 2)[0];
                    return acc;
                }, 200_000, 200_000, 1);
            }
            ExportFunction nbody = instance(nbodyM, machine, none).export("nbody");
            check("nbody (" + variant + ")", Double.longBitsToDouble(nbody.apply(steps)[0]), wantE);
            int n = machine == null ? NBODY_STEPS / 20 : NBODY_STEPS;  // the interpreter is slow: fewer steps
            emit("nbody", "nbody", variant, k -> Double.longBitsToDouble(nbody.apply(k)[0]), n, n, 1);
            Instance hi = instance(hashM, machine, none);
            check("fill (" + variant + ")", hi.export("fill").apply(MIB)[0], (long) MIB);
            ExportFunction hash = hi.export("hash");
            check("hash (" + variant + ")", hash.apply(MIB)[0] & 0xffffffffL, wantH);
            emit("hash_1MiB", "hash", variant, k -> hash.apply(k)[0], MIB, 1, machine == null ? 1 : 5);
        }
    }
}
