package org.wasmer.reliability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.wasmer.CompileException;
import org.wasmer.FunctionType;
import org.wasmer.Imports;
import org.wasmer.Instance;
import org.wasmer.Memory;
import org.wasmer.Module;
import org.wasmer.Store;
import org.wasmer.TrapException;
import org.wasmer.Type;
import org.wasmer.WasmFunction;
import org.wasmer.Wasmer;
import org.wasmer.WasmerException;
import org.wasmer.exports.Function;

/**
 * The Java binding's reliability program (reliability/PROTOCOL.md): {@code Reliability CHECK ARG...}
 * runs one check on the inputs in {@code $WASMGEN_RELIABILITY_DIR} with the public org.wasmer API
 * only, and prints one JSON object per case on stdout.
 */
public final class Reliability {
    private static final Path DIR = Paths.get(System.getenv().getOrDefault("WASMGEN_RELIABILITY_DIR", "build/reliability"));
    private static final FunctionType I32_I32_TO_I32 = new FunctionType(new Type[]{Type.I32, Type.I32}, new Type[]{Type.I32});
    private static final FunctionType TO_I32 = new FunctionType(new Type[]{}, new Type[]{Type.I32});
    private static final FunctionType I32_TO_I32 = new FunctionType(new Type[]{Type.I32}, new Type[]{Type.I32});
    private static final int THREADS = 4;

    private static PrintStream out;

    private Reliability() {}

    // ------------------------------------------------------------------ output

    /** One case: {"case": ..., "outcome": ..., "detail": ..., then extra key/value pairs}. */
    private static synchronized void emit(String name, String outcome, String detail, Object... extra) {
        StringBuilder b = new StringBuilder("{\"case\": ").append(quote(name))
            .append(", \"outcome\": ").append(quote(outcome))
            .append(", \"detail\": ").append(quote(detail));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            b.append(", ").append(quote((String) extra[i])).append(": ").append(extra[i + 1]);
        }
        out.print(b.append("}\n"));
        out.flush();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : String.valueOf(s).toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String describe(Throwable t) {
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static byte[] input(String name) throws IOException {
        return Files.readAllBytes(DIR.resolve(name));
    }

    /** A case whose body must throw: {@code expected} gives "typed", anything else "wrong". */
    private interface Body {
        void run() throws Exception;
    }

    private static void mustRaise(String name, Class<? extends Throwable> expected, Body body) {
        try {
            body.run();
            emit(name, "wrong", "no error");
        } catch (Throwable t) {
            emit(name, expected.isInstance(t) ? "typed" : "wrong", describe(t));
        }
    }

    private static int i32(Object[] results) {
        return (Integer) results[0];
    }

    // ------------------------------------------------------------------ checks

    static void mutants(int start, int end) throws IOException {
        try (Store store = new Store()) {
            for (int n = start; n < end; n++) {
                byte[] bytes = input(String.format("mutants/%06d.wasm", n));
                boolean valid = Module.validate(store, bytes);
                String outcome;
                String detail;
                try {
                    new Module(store, bytes).close();
                    outcome = valid ? "ok" : "wrong";
                    detail = valid ? "compiled" : "compiled, but validate said false";
                } catch (CompileException e) {
                    outcome = valid ? "wrong" : "typed";
                    detail = (valid ? "validate said true; " : "") + describe(e);
                } catch (RuntimeException e) {
                    outcome = "wrong";
                    detail = describe(e);
                }
                emit("mutants/module", outcome, detail, "index", n);
            }
        }
    }

    static void traps() throws IOException {
        String[] names = {"unreachable", "div_by_zero", "int_overflow", "bad_conversion", "oob_memory",
            "null_indirect", "indirect_type_mismatch", "stack_exhausted"};
        try (Instance instance = new Instance(input("traps.wasm"))) {
            Function ok = instance.exports.getFunction("ok");
            for (String name : names) {
                Function f = instance.exports.getFunction(name);
                try {
                    Object[] r = f.apply();
                    emit("traps/" + name, "wrong", "returned " + r[0]);
                } catch (TrapException e) {
                    boolean message = e.getMessage() != null && !e.getMessage().isEmpty();
                    emit("traps/" + name, message ? "typed" : "wrong", message ? describe(e) : "a trap without a message");
                } catch (Throwable t) {
                    emit("traps/" + name, "wrong", describe(t));
                }
                try {
                    int r = i32(ok.apply());
                    emit("traps/" + name + "/after", r == 42 ? "ok" : "wrong", "ok() = " + r);
                } catch (Throwable t) {
                    emit("traps/" + name + "/after", "wrong", describe(t));
                }
            }
        }
    }

    /** host.wasm with its five imports; env.reenter calls this instance's down. */
    static Instance hostInstance(RuntimeException raised) throws IOException {
        Function[] down = new Function[1];
        Imports imports = new Imports()
            .function("env", "raise", TO_I32, args -> {
                throw raised;
            })
            .function("env", "wrong_type", TO_I32, args -> new Object[]{"not an i32"})
            .function("env", "too_many", TO_I32, args -> new Object[]{1, 2})
            .function("env", "too_few", TO_I32, args -> new Object[]{})
            .function("env", "reenter", I32_TO_I32, args -> down[0].apply(args[0]));
        Instance instance = new Instance(input("host.wasm"), imports);
        down[0] = instance.exports.getFunction("down");
        return instance;
    }

    static void host() throws IOException {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Instance instance = hostInstance(boom)) {
            try {
                Object[] r = instance.exports.getFunction("call_raise").apply();
                emit("host/raise", "wrong", "returned " + r[0]);
            } catch (Throwable t) {
                emit("host/raise", t == boom ? "typed" : "wrong", (t == boom ? "the same object: " : "another error: ") + describe(t));
            }
            for (String name : new String[]{"wrong_type", "too_many", "too_few"}) {
                mustRaise("host/" + name, WasmerException.class, () -> instance.exports.getFunction("call_" + name).apply());
            }
        }
    }

    static void reenter(String[] depths) throws IOException {
        try (Instance instance = hostInstance(new IllegalStateException("boom"))) {
            Function down = instance.exports.getFunction("down");
            for (String d : depths) {
                int depth = Integer.parseInt(d);
                String outcome;
                String detail;
                try {
                    int r = i32(down.apply(depth));
                    outcome = r == depth ? "ok" : "wrong";
                    detail = "down(" + depth + ") = " + r;
                } catch (StackOverflowError | WasmerException e) {
                    outcome = "typed";
                    detail = describe(e);
                } catch (Throwable t) {
                    outcome = "wrong";
                    detail = describe(t);
                }
                try {
                    int r = i32(down.apply(3));
                    if (r != 3) {
                        outcome = "wrong";
                        detail += "; then down(3) = " + r;
                    }
                } catch (Throwable t) {
                    outcome = "wrong";
                    detail += "; then down(3) raised " + describe(t);
                }
                emit("reenter/" + depth, outcome, detail);
            }
        }
    }

    static void misuse() throws IOException {
        Instance instance = new Instance(input("misuse.wasm"));
        Function sum = instance.exports.getFunction("sum");
        Function load8 = instance.exports.getFunction("load8");
        Memory memory = instance.exports.getMemory("memory");
        mustRaise("misuse/arity_few", WasmerException.class, () -> sum.apply(1));
        mustRaise("misuse/arity_many", WasmerException.class, () -> sum.apply(1, 2, 3));
        mustRaise("misuse/type", WasmerException.class, () -> sum.apply("a", 1));
        mustRaise("misuse/range", WasmerException.class, () -> sum.apply(1L << 40, 1));
        viewOutOfBounds("misuse/view_oob_read", memory, (view, at) -> view.get(at));
        viewOutOfBounds("misuse/view_oob_write", memory, (view, at) -> view.put(at, (byte) 1));
        try {
            ByteBuffer old = memory.buffer();
            old.put(100, (byte) 7);
            memory.grow(1);
            List<String> bad = new ArrayList<>();
            int fresh = memory.buffer().get(100);
            if (fresh != 7) {
                bad.add("fresh view [100] = " + fresh);
            }
            int stale = old.get(100);
            if (stale != 7) {
                bad.add("old view [100] = " + stale);
            }
            memory.buffer().put(Memory.PAGE_SIZE, (byte) 9);
            int loaded = i32(load8.apply(Memory.PAGE_SIZE));
            if (loaded != 9) {
                bad.add("load8(65536) = " + loaded);
            }
            emit("misuse/grow", bad.isEmpty() ? "ok" : "wrong", bad.isEmpty() ? "size " + memory.size() + " pages" : String.join("; ", bad));
        } catch (Throwable t) {
            emit("misuse/grow", "wrong", describe(t));
        }
        mustRaise("misuse/grow_too_far", WasmerException.class, () -> memory.grow(10));
        instance.close();
        mustRaise("misuse/closed_call", IllegalStateException.class, () -> sum.apply(1, 2));
        mustRaise("misuse/closed_memory", IllegalStateException.class, () -> memory.buffer().get(0));
        wrongStoreImport();
    }

    private interface ViewAccess {
        void at(ByteBuffer view, int index);
    }

    /** Both accesses (at the byte size and 10 past it) must raise an index or binding error. */
    private static void viewOutOfBounds(String name, Memory memory, ViewAccess access) {
        ByteBuffer view = memory.buffer();
        int size = (int) memory.dataSize();
        for (int at : new int[]{size, size + 10}) {
            try {
                access.at(view, at);
                emit(name, "wrong", "no error at " + at + " (size " + size + ")");
                return;
            } catch (IndexOutOfBoundsException | WasmerException e) {
                if (at != size) {
                    emit(name, "typed", describe(e));
                }
            } catch (Throwable t) {
                emit(name, "wrong", describe(t));
                return;
            }
        }
    }

    private static void wrongStoreImport() {
        try (Store a = new Store(); Store b = new Store();
             WasmFunction sumInA = new WasmFunction(a, I32_I32_TO_I32, args -> new Object[]{(int) args[0] + (int) args[1]});
             Module module = new Module(b, input("import.wasm"))) {
            try (Instance instance = new Instance(b, module, new Imports().define("env", "sum", sumInA))) {
                int r = i32(instance.exports.getFunction("add1").apply(1, 2));
                emit("misuse/wrong_store_import", r == 4 ? "ok" : "wrong", "accepted; add1(1, 2) = " + r);
            } catch (WasmerException e) {
                emit("misuse/wrong_store_import", "typed", describe(e));
            }
        } catch (Throwable t) {
            emit("misuse/wrong_store_import", "wrong", describe(t));
        }
    }

    // ------------------------------------------------------------------ repetition

    private static long rssKib() throws IOException {
        String[] statm = Files.readString(Paths.get("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096 / 1024; // pages of 4 KiB (Linux x86_64)
    }

    private static void gc() {
        System.gc();
        Wasmer.drain(); // the deletes the Cleaner queued
    }

    private interface Cycle {
        /** One cycle; returns null when right, else what was wrong. */
        String run(int i) throws Exception;
    }

    private static void repeat(String name, int n, Cycle cycle) throws Exception {
        for (int i = 0; i < Math.max(1, n / 10); i++) {
            cycle.run(i);
        }
        gc();
        long before = rssKib();
        long wrong = 0;
        String first = null;
        for (int i = 0; i < n; i++) {
            String bad = cycle.run(i);
            if (bad != null) {
                wrong++;
                first = first == null ? bad : first;
            }
            if (i % 1000 == 999) {
                gc();
            }
        }
        gc();
        long growth = rssKib() - before;
        emit(name, wrong == 0 ? "ok" : "wrong", wrong == 0 ? "" : wrong + " wrong results, first: " + first,
             "inputs", n, "rss_kib", growth);
    }

    static void cycles(int n) throws Exception {
        try (Module module = new Module(input("import.wasm"))) {
            repeat("cycles/instantiate", n, i -> {
                Imports imports = new Imports().function("env", "sum", I32_I32_TO_I32,
                    args -> new Object[]{(int) args[0] + (int) args[1]});
                try (Instance instance = module.instantiate(imports)) {
                    int r = i32(instance.exports.getFunction("add1").apply(i, 1));
                    return r == i + 2 ? null : "add1(" + i + ", 1) = " + r;
                }
            });
        }
    }

    static void compile(int n) throws Exception {
        byte[] bytes = input("simple.wasm");
        repeat("compile/module", n, i -> {
            try (Module module = new Module(bytes); Instance instance = module.instantiate()) {
                int r = i32(instance.exports.getFunction("sum").apply(i, 1));
                return r == i + 1 ? null : "sum(" + i + ", 1) = " + r;
            }
        });
    }

    // ------------------------------------------------------------------ threads

    /** Runs {@code work(t)} on 4 threads at once; returns the wrong results and errors they counted. */
    private static long onThreads(java.util.function.IntToLongFunction work, List<String> errors) throws InterruptedException {
        AtomicLong wrong = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    wrong.addAndGet(work.applyAsLong(id));
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(describe(e));
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return wrong.get();
    }

    /** Calls sum(i, t) {@code calls} times, returning how many results were wrong (an error counts as one). */
    private static long callSum(Function sum, int t, int calls, List<String> errors) {
        long wrong = 0;
        for (int i = 0; i < calls; i++) {
            try {
                if (i32(sum.apply(i, t)) != i + t) {
                    wrong++;
                }
            } catch (RuntimeException e) {
                wrong++;
                synchronized (errors) {
                    if (errors.size() < 3) {
                        errors.add(describe(e));
                    }
                }
            }
        }
        return wrong;
    }

    private static void threadsResult(String name, long wrong, int calls, List<String> errors) {
        String detail = wrong + " wrong of " + THREADS * calls + (errors.isEmpty() ? "" : "; " + String.join("; ", errors));
        emit(name, wrong == 0 && errors.isEmpty() ? "ok" : "wrong", detail, "inputs", THREADS * calls);
    }

    static void threads(int calls) throws Exception {
        byte[] bytes = input("simple.wasm");
        List<String> errors = new ArrayList<>();
        long wrong = onThreads(t -> {
            try (Store store = new Store(); Module module = new Module(store, bytes);
                 Instance instance = new Instance(store, module, null)) {
                return callSum(instance.exports.getFunction("sum"), t, calls, errors);
            }
        }, errors);
        threadsResult("threads/own_store", wrong, calls, errors);
    }

    static void shared(int calls) throws Exception {
        List<String> errors = new ArrayList<>();
        try (Instance instance = new Instance(input("simple.wasm"))) {
            Function sum = instance.exports.getFunction("sum");
            long wrong = onThreads(t -> callSum(sum, t, calls, errors), errors);
            threadsResult("shared/instance", wrong, calls, errors);
        }
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] argv) throws Exception {
        out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing else may reach stdout
        if (argv.length == 0) {
            System.err.println("usage: Reliability CHECK [ARG ...] (see reliability/PROTOCOL.md)");
            System.exit(2);
        }
        String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "mutants":
                mutants(Integer.parseInt(rest[0]), Integer.parseInt(rest[1]));
                break;
            case "traps":
                traps();
                break;
            case "host":
                host();
                break;
            case "reenter":
                reenter(rest);
                break;
            case "misuse":
                misuse();
                break;
            case "cycles":
                cycles(Integer.parseInt(rest[0]));
                break;
            case "compile":
                compile(Integer.parseInt(rest[0]));
                break;
            case "threads":
                threads(Integer.parseInt(rest[0]));
                break;
            case "shared":
                shared(Integer.parseInt(rest[0]));
                break;
            default:
                System.err.println("unknown check " + argv[0]);
                System.exit(2);
        }
        out.flush();
        System.exit(0);
    }
}
