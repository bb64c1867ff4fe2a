// sum(1, 2) and a host-import round trip through the Java binding.
//
// Prints one JSON line per case: {"lang": "java", "case": ..., "ns": ...}, like
// bench/python_bench.py: best of 5 rounds of N calls (default 200000), so a busy
// machine inflates the figure less; the first rounds also warm up the JIT. Calls go
// through wasmer-java's API, apply(Object...) returning Object[]; with
// `--raw` the rows are for WasmFunction.callRaw (bit patterns, no boxing) instead.
//
//     java -cp build/java/target/wasmer-jni-amd64-linux-0.3.0.jar bench/java_bench.java [N] [--raw]
//
// Memory (not with --raw): 1 KiB, 64 KiB and 1 MiB written and read through the documented
// bulk path (Memory.write(offset, byte[]); Memory.read(offset, dst, at, length) into an existing
// array as memory_read_, Memory.read(offset, length) into a new one as memory_read_alloc_; each
// one copy under the store's lock) beside Java's own
// System.arraycopy of the same size (memcpy_) and its allocating copy, data.clone() (memcpy_alloc_): {"workload": "memory", "impl": "wasmgen" | "language"},
// "ns" the median per operation of 7 rounds (p25, p75, min and max beside it), after warm-up rounds.

import org.wasmer.FunctionType;
import org.wasmer.Imports;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.wasmer.Instance;
import org.wasmer.Memory;
import org.wasmer.MemoryType;
import org.wasmer.Store;
import org.wasmer.Type;
import org.wasmer.WasmFunction;

class JavaBench {
    static final String WAT = String.join("\n",
        "(module",
        "  (import \"env\" \"sum\" (func $sum (param i32 i32) (result i32)))",
        "  (func (export \"sum\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)",
        "  (func (export \"add1\") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))");

    static volatile Object sink;

    static double perCall(WasmFunction f, int n, boolean raw) {
        double best = Double.MAX_VALUE;
        long[] args = {1, 2};
        long[] out = new long[1];
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            if (raw) {
                for (int i = 0; i < n; i++) {
                    f.callRaw(args, out);
                }
                sink = out[0];
            } else {
                for (int i = 0; i < n; i++) {
                    sink = f.apply(1, 2);
                }
            }
            best = Math.min(best, (System.nanoTime() - t) / (double) n);
        }
        return best;
    }

    static long sinkLong;

    static double[] rounds(IntConsumer op, int n) {
        op.accept(n); // warm up (and JIT)
        op.accept(n);
        double[] times = new double[7];
        for (int r = 0; r < times.length; r++) {
            long t = System.nanoTime();
            op.accept(n);
            times[r] = (System.nanoTime() - t) / (double) n;
        }
        Arrays.sort(times);
        return times;
    }

    static void memoryCases() {
        try (Store store = new Store(); Memory memory = new Memory(store, new MemoryType(17, 17L))) {
            String[] labels = {"1KiB", "64KiB", "1MiB"};
            int[] sizes = {1 << 10, 64 << 10, 1 << 20};
            for (int k = 0; k < sizes.length; k++) {
                int size = sizes[k];
                int reps = Math.max(20, (64 << 20) / size);
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = (byte) i;
                }
                byte[] dst = new byte[size];
                Object[][] cases = {
                    {"memory_write_", "wasmgen", (IntConsumer) n -> {
                        for (int i = 0; i < n; i++) {
                            memory.write(i & 7, data);
                        }
                    }},
                    {"memory_read_alloc_", "wasmgen", (IntConsumer) n -> {
                        for (int i = 0; i < n; i++) {
                            sinkLong += memory.read(i & 7, size).length;
                        }
                    }},
                    {"memory_read_", "wasmgen", (IntConsumer) n -> {
                        for (int i = 0; i < n; i++) {
                            memory.read(i & 7, dst, 0, size);
                            sinkLong += dst[i & 7];
                        }
                    }},
                    {"memcpy_", "language", (IntConsumer) n -> {
                        for (int i = 0; i < n; i++) {
                            System.arraycopy(data, 0, dst, 0, size);
                            sinkLong += dst[i & 7];
                        }
                    }},
                    {"memcpy_alloc_", "language", (IntConsumer) n -> {  // the allocating copy, what read(offset, length) does
                        for (int i = 0; i < n; i++) {
                            sinkLong += data.clone()[i & 7];
                        }
                    }},
                };
                for (Object[] c : cases) {
                    double[] t = rounds((IntConsumer) c[2], reps);
                    System.out.printf("{\"lang\": \"java\", \"case\": \"%s%s\", \"ns\": %.1f, \"median\": %.1f, \"p25\": %.1f, \"p75\": %.1f, "
                        + "\"min\": %.1f, \"max\": %.1f, \"samples\": %d, \"workload\": \"memory\", \"impl\": \"%s\", \"bytes\": %d}%n",
                        c[0], labels[k], t[3], t[3], t[1], t[5], t[0], t[6], t.length, c[1], size);
                }
                memory.write(0, data);
                if (!Arrays.equals(memory.read(0, size), data)) {
                    throw new AssertionError("memory round trip differs");
                }
            }
            sink = sinkLong;
        }
    }

    public static void main(String[] argv) {
        int n = 200_000;
        boolean raw = false;
        for (String a : argv) {
            if (a.equals("--raw")) {
                raw = true;
            } else {
                n = Integer.parseInt(a);
            }
        }
        Imports imports = new Imports().function("env", "sum",
            new FunctionType(new Type[]{Type.I32, Type.I32}, new Type[]{Type.I32}),
            args -> new Object[]{(int) args[0] + (int) args[1]});
        try (Instance instance = new Instance(WAT.getBytes(), imports)) {
            WasmFunction sum = instance.exports.getFunction("sum");
            WasmFunction add1 = instance.exports.getFunction("add1");
            if ((int) sum.apply(1, 2)[0] != 3 || (int) add1.apply(1, 2)[0] != 4) {
                throw new AssertionError("wrong results");
            }
            String suffix = raw ? "_raw" : "";
            for (Object[] c : new Object[][]{{"sum", sum}, {"host_roundtrip", add1}}) {
                double ns = perCall((WasmFunction) c[1], n, raw);
                System.out.printf("{\"lang\": \"java\", \"case\": \"%s%s\", \"ns\": %.1f}%n", c[0], suffix, ns);
            }
        }
        if (!raw) {
            memoryCases();
        }
    }
}
