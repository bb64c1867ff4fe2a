package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Host functions in Java (what wasmer-java never had: its issues #11 and #44). */
class ImportsTest {
    private static Imports imports(HostFunction fail) {
        return new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> new Object[]{(int) args[0] + (int) args[1]})
            .function("env", "fail", Wat.VOID, fail);
    }

    @Test
    void lambdaImport() {
        try (Instance instance = new Instance(Wat.host(), imports(args -> null))) {
            assertEquals(4, instance.exports.getFunction("add1").apply(1, 2)[0]);
            assertEquals(Integer.MIN_VALUE, instance.exports.getFunction("add1").apply(Integer.MAX_VALUE, 0)[0]);
        }
        try (Module module = new Module(Wat.host()); Instance instance = module.instantiate(imports(args -> new Object[0]))) {
            assertEquals(11, instance.exports.getFunction("add1").apply(4, 6)[0]);
        }
    }

    @Test
    void hostFunctionInAStore() {
        AtomicInteger calls = new AtomicInteger();
        try (Store store = new Store();
             WasmFunction sum = new WasmFunction(store, Wat.I32_I32_TO_I32, args -> {
                 calls.incrementAndGet();
                 return new Object[]{(int) args[0] + (int) args[1]};
             });
             WasmFunction fail = new WasmFunction(store, Wat.VOID, args -> null);
             Module module = new Module(store, Wat.host())) {
            Imports imports = new Imports().define("env", "sum", sum).define("env", "fail", fail);
            try (Instance a = new Instance(store, module, imports); Instance b = new Instance(store, module, imports)) {
                assertEquals(4, a.exports.getFunction("add1").apply(1, 2)[0]);
                assertEquals(6, b.exports.getFunction("add1").apply(2, 3)[0]);
            }
            assertEquals(7, sum.apply(3, 4)[0]); // callable from Java too
            try (Table table = new Table(store, new TableType(Type.FUNCREF, 1, null))) {
                ArgumentException e = assertThrows(ArgumentException.class, () -> table.set(0, sum));
                assertTrue(e.getMessage().contains("host function"), e.getMessage());
            }
            assertEquals(3, calls.get());
            assertEquals(Wat.I32_I32_TO_I32, sum.type());
        }
    }

    @Test
    void uncheckedExceptionReachesTheCaller() {
        IllegalStateException thrown = new IllegalStateException("boom");
        try (Instance instance = new Instance(Wat.host(), imports(args -> {
            throw thrown;
        }))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> instance.exports.getFunction("call_fail").apply());
            assertSame(thrown, e);
            // and the instance still works
            assertEquals(4, instance.exports.getFunction("add1").apply(1, 2)[0]);
        }
    }

    @Test
    void checkedExceptionIsWrapped() {
        try (Instance instance = new Instance(Wat.host(), imports(args -> {
            throw new IOException("disk on fire");
        }))) {
            HostException e = assertThrows(HostException.class, () -> instance.exports.getFunction("call_fail").apply());
            assertTrue(e.getCause() instanceof IOException);
            assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
            assertTrue(e instanceof WasmerException);
        }
    }

    @Test
    void wrongResults() {
        Imports bad = new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> new Object[]{"three"})
            .function("env", "fail", Wat.VOID, args -> new Object[]{1});
        try (Instance instance = new Instance(Wat.host(), bad)) {
            ArgumentException e = assertThrows(ArgumentException.class, () -> instance.exports.getFunction("add1").apply(1, 2));
            assertTrue(e.getMessage().contains("result 0 must be i32"), e.getMessage());
            e = assertThrows(ArgumentException.class, () -> instance.exports.getFunction("call_fail").apply());
            assertTrue(e.getMessage().contains("returned 1 value(s), its type has 0"), e.getMessage());
        }
        Imports none = new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> null)
            .function("env", "fail", Wat.VOID, args -> null);
        try (Instance instance = new Instance(Wat.host(), none)) {
            assertThrows(ArgumentException.class, () -> instance.exports.getFunction("add1").apply(1, 2));
        }
    }

    @Test
    void reentrantHostCalls() {
        // a host function calling back into the same instance, which traps inside
        Instance[] self = new Instance[1];
        Imports imports = new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> {
                int a = (int) args[0];
                if (a <= 0) {
                    return new Object[]{(int) args[1]};
                }
                // recurse through wasm: add1(a - 1, b) = sum(a - 1, b) + 1
                return new Object[]{(int) self[0].exports.getFunction("add1").apply(a - 1, args[1])[0]};
            })
            .function("env", "fail", Wat.VOID, args -> {
                self[0].exports.getFunction("add1").apply(0, 0);
                throw new UnsupportedOperationException("after a nested call");
            });
        try (Instance instance = new Instance(Wat.host(), imports)) {
            self[0] = instance;
            assertEquals(5 + 1 + 5, instance.exports.getFunction("add1").apply(5, 5)[0]);
            assertThrows(UnsupportedOperationException.class, () -> instance.exports.getFunction("call_fail").apply());
        }
    }

    @Test
    void nestedTrapReachesTheOuterCaller() {
        try (Instance inner = new Instance(Wat.tests())) {
            Imports imports = new Imports()
                .function("env", "sum", Wat.I32_I32_TO_I32, args -> inner.exports.getFunction("div").apply(args[0], args[1]))
                .function("env", "fail", Wat.VOID, args -> null);
            try (Instance outer = new Instance(Wat.host(), imports)) {
                assertEquals(3 + 1, outer.exports.getFunction("add1").apply(6, 2)[0]);
                TrapException e = assertThrows(TrapException.class, () -> outer.exports.getFunction("add1").apply(1, 0));
                assertTrue(e.getMessage().contains("divide by zero"), e.getMessage());
            }
        }
    }

    @Test
    void closingTheInstanceInsideItsHostFunction() {
        Instance[] self = new Instance[1];
        Imports imports = new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> {
                self[0].close(); // frees the instance and its store while wasm is running
                try (Store other = new Store()) { // a constructor drains deferred deletes
                    assertTrue(other.engine() != null);
                }
                return new Object[]{(int) args[0] + (int) args[1]};
            })
            .function("env", "fail", Wat.VOID, args -> null);
        Instance instance = new Instance(Wat.host(), imports);
        self[0] = instance;
        WasmFunction add1 = instance.exports.getFunction("add1");
        assertEquals(4, add1.apply(1, 2)[0]); // the call in flight completes
        assertThrows(IllegalStateException.class, () -> add1.apply(1, 2));
    }

    @Test
    void callsFromOtherThreads() throws Exception {
        try (Instance instance = new Instance(Wat.host(), imports(args -> {
            throw new IllegalArgumentException(Thread.currentThread().getName());
        }))) {
            for (int i = 0; i < 4; i++) {
                Object[] result = new Object[2];
                Thread t = new Thread(() -> {
                    result[0] = instance.exports.getFunction("add1").apply(20, 21)[0];
                    try {
                        instance.exports.getFunction("call_fail").apply();
                    } catch (IllegalArgumentException e) {
                        result[1] = e.getMessage();
                    }
                }, "caller-" + i);
                t.start();
                t.join();
                assertEquals(42, result[0]);
                assertEquals("caller-" + i, result[1]);
            }
        }
    }

    @Test
    void linkErrors() {
        LinkException e = assertThrows(LinkException.class, () -> new Instance(Wat.host()));
        assertTrue(e.getMessage().contains("env"), e.getMessage());
        Imports wrongKind = new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> new Object[]{0});
        try (Store store = new Store(); Global g = new Global(store, Type.I32, 1); Module m = new Module(store, Wat.host())) {
            wrongKind.define("env", "fail", g);
            assertThrows(LinkException.class, () -> new Instance(store, m, wrongKind));
        }
        Imports wrongType = new Imports()
            .function("env", "sum", Wat.VOID, args -> null)
            .function("env", "fail", Wat.VOID, args -> null);
        assertThrows(LinkException.class, () -> new Instance(Wat.host(), wrongType));
        assertThrows(ArgumentException.class, () -> new Imports().define("env", "x", new org.wasmer.exports.Export() {}));
    }

    @Test
    void startFunctionTrapAndHostError() {
        String wat = "(module (import \"env\" \"f\" (func $f)) (func $start call $f) (start $start))";
        Imports throwing = new Imports().function("env", "f", Wat.VOID, args -> {
            throw new ArithmeticException("from start");
        });
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new Instance(wat.getBytes(), throwing));
        assertEquals("from start", e.getMessage());
        assertThrows(TrapException.class, () -> new Instance("(module (func $s unreachable) (start $s))".getBytes()));
    }
}
