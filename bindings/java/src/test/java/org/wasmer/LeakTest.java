package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Host function handles are released with their store, whether closed or collected. */
class LeakTest {
    private static Imports imports() {
        return new Imports()
            .function("env", "sum", Wat.I32_I32_TO_I32, args -> new Object[]{(int) args[0] + (int) args[1]})
            .function("env", "fail", Wat.VOID, args -> null);
    }

    @Test
    void closedInALoop() {
        byte[] bytes = Wat.host();
        long before = Native.liveHostFunctions();
        try (Module module = new Module(bytes)) {
            for (int i = 0; i < 300; i++) {
                try (Instance instance = module.instantiate(imports())) {
                    assertEquals(4, instance.exports.getFunction("add1").apply(1, 2)[0]);
                }
                assertEquals(before, Native.liveHostFunctions(), "after iteration " + i);
            }
        }
    }

    @Test
    void collectedInALoop() throws InterruptedException {
        byte[] bytes = Wat.host();
        long before = Native.liveHostFunctions();
        long peak = 0;
        for (int i = 0; i < 2000; i++) {
            Instance instance = new Instance(bytes, imports()); // never closed
            assertEquals(4, instance.exports.getFunction("add1").apply(1, 2)[0]);
            if (i % 200 == 199) {
                System.gc();
                Thread.sleep(20);
                Wasmer.drain();
            }
            peak = Math.max(peak, Native.liveHostFunctions() - before);
        }
        for (int i = 0; i < 50 && Native.liveHostFunctions() > before; i++) {
            System.gc();
            Thread.sleep(20);
            Wasmer.drain();
        }
        assertTrue(peak < 2000 * 2, "live host functions peaked at " + peak);
        assertEquals(before, Native.liveHostFunctions());
    }

    @Test
    void storesWithHostFunctions() throws InterruptedException {
        long before = Native.liveHostFunctions();
        for (int i = 0; i < 500; i++) {
            Store store = new Store();
            new WasmFunction(store, Wat.VOID, args -> null); // neither is closed
        }
        for (int i = 0; i < 50 && Native.liveHostFunctions() > before; i++) {
            System.gc();
            Thread.sleep(20);
            Wasmer.drain();
        }
        assertEquals(before, Native.liveHostFunctions());
    }
}
