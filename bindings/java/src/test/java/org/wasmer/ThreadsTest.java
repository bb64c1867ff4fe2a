package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One function called from several threads at once (issue 9, item 3): every call gets its
 * own result. The function's value buffer is taken by one call at a time; the store's
 * calls are serialized by the glue's per-store lock.
 */
class ThreadsTest {
    private static final int THREADS = 4;
    private static final int CALLS = 50_000;

    /** Runs {@code body(t)} on 4 threads started together; returns the wrong results they counted. */
    private static long onThreads(java.util.function.IntToLongFunction body) throws InterruptedException {
        AtomicLong wrong = new AtomicLong();
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    wrong.addAndGet(body.applyAsLong(id));
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, "caller-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        if (error.get() != null) {
            throw new AssertionError("a calling thread failed", error.get());
        }
        return wrong.get();
    }

    @Test
    void oneFunctionFromFourThreads() throws Exception {
        try (Instance instance = new Instance(Wat.tests())) {
            WasmFunction sum = instance.exports.getFunction("sum");
            long wrong = onThreads(t -> {
                long bad = 0;
                for (int i = 0; i < CALLS; i++) {
                    if ((Integer) sum.apply(i, t * 1_000_000)[0] != i + t * 1_000_000) {
                        bad++;
                    }
                }
                return bad;
            });
            assertEquals(0, wrong, "wrong results of " + THREADS * CALLS + " calls of apply");
        }
    }

    @Test
    void callRawFromFourThreads() throws Exception {
        try (Instance instance = new Instance(Wat.tests())) {
            WasmFunction swap = instance.exports.getFunction("swap"); // (i32, i64) -> (i64, i32)
            long wrong = onThreads(t -> {
                long bad = 0;
                long[] out = new long[2];
                for (int i = 0; i < CALLS; i++) {
                    long big = ((long) t << 40) + i;
                    swap.callRaw(new long[]{i, big}, out);
                    if (out[0] != big || (int) out[1] != i) {
                        bad++;
                    }
                }
                return bad;
            });
            assertEquals(0, wrong, "wrong results of " + THREADS * CALLS + " calls of callRaw");
        }
    }

    @Test
    void hostImportFromFourThreads() throws Exception {
        Imports imports = new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> new Object[]{(int) args[0] + (int) args[1]})
            .function("env", "fail", Wat.VOID, args -> null);
        try (Instance instance = new Instance(Wat.host(), imports)) {
            WasmFunction add1 = instance.exports.getFunction("add1");
            long wrong = onThreads(t -> {
                long bad = 0;
                for (int i = 0; i < CALLS / 5; i++) {
                    if ((Integer) add1.apply(i, t)[0] != i + t + 1) {
                        bad++;
                    }
                }
                return bad;
            });
            assertEquals(0, wrong, "wrong results of add1 through a host function");
        }
    }
}
