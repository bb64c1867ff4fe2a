// sum(1, 2) and a host-import round trip through the Java binding.
//
// Prints one JSON line per case: {"lang": "java", "case": ..., "ns": ...}, like
// bench/python_bench.py: best of 5 rounds of N calls (default 200000), so a busy
// machine inflates the figure less; the first rounds also warm up the JIT. Calls go
// through wasmer-java's API, apply(Object...) returning Object[]; with
// `--raw` the rows are for WasmFunction.callRaw (bit patterns, no boxing) instead.
//
//     java -cp build/java/target/wasmer-jni-amd64-linux-0.3.0.jar bench/java_bench.java [N] [--raw]

import org.wasmer.FunctionType;
import org.wasmer.Imports;
import org.wasmer.Instance;
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
    }
}
