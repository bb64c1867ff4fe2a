package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    @Test
    void traps() {
        try (Instance instance = new Instance(Wat.tests())) {
            TrapException e = assertThrows(TrapException.class, () -> instance.exports.getFunction("unreachable").apply());
            assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
            e = assertThrows(TrapException.class, () -> instance.exports.getFunction("oob").apply());
            assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
            e = assertThrows(TrapException.class, () -> instance.exports.getFunction("div").apply(1, 0));
            assertTrue(e.getMessage().contains("divide by zero"), e.getMessage());
            e = assertThrows(TrapException.class, () -> instance.exports.getFunction("recurse").apply(0));
            assertTrue(e.getMessage().contains("stack"), e.getMessage());
            assertEquals(3, instance.exports.getFunction("sum").apply(1, 2)[0]);
        }
    }

    /** libwasmer's signal handler (wasm traps) and the JVM's (implicit null checks) coexist. */
    @Test
    void trapsAndNullPointersInterleave() {
        try (Instance instance = new Instance(Wat.tests())) {
            WasmFunction oob = instance.exports.getFunction("oob");
            WasmFunction load = instance.exports.getFunction("load");
            String nothing = System.getProperty("wasmer.no.such.property");
            for (int i = 0; i < 200; i++) {
                assertThrows(TrapException.class, oob::apply);
                int[] holder = i % 2 == 0 ? null : new int[1];
                if (holder == null) {
                    assertThrows(NullPointerException.class, () -> nothing.length());
                    int[] none = holder;
                    assertThrows(NullPointerException.class, () -> {
                        int x = none[0];
                        assertEquals(0, x);
                    });
                }
                assertThrows(TrapException.class, () -> load.apply(65536 * 4));
                assertEquals(0, load.apply(0)[0]);
            }
        }
    }

    @Test
    void useAfterClose() {
        Instance instance = new Instance(Wat.tests());
        WasmFunction sum = instance.exports.getFunction("sum");
        Memory memory = instance.exports.getMemory("memory");
        Global counter = instance.exports.getGlobal("counter");
        Table table = instance.exports.getTable("table");
        instance.close();
        instance.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sum.apply(1, 2));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, memory::buffer);
        assertThrows(IllegalStateException.class, counter::get);
        assertThrows(IllegalStateException.class, table::size);
        assertThrows(IllegalStateException.class, () -> sum.callRaw(new long[2], new long[1]));

        Module module = new Module(Wat.tests());
        module.close();
        assertThrows(IllegalStateException.class, module::instantiate);
        assertThrows(IllegalStateException.class, module::serialize);

        Store store = new Store();
        store.close();
        assertThrows(IllegalStateException.class, () -> new Module(store, Wat.tests()));
        assertThrows(IllegalStateException.class, () -> new Memory(store, new MemoryType(1, null)));

        Engine engine = new Engine(Compiler.SINGLEPASS);
        engine.close();
        assertThrows(IllegalStateException.class, () -> new Store(engine));
    }

    @Test
    void everythingTakenFromAClosedInstanceThrows() {
        Instance instance = new Instance(Wat.tests());
        WasmFunction sum = instance.exports.getFunction("sum");
        org.wasmer.exports.Function asFunction = instance.exports.getFunction("arity_0");
        Memory memory = instance.exports.getMemory("memory");
        Global counter = instance.exports.getGlobal("counter");
        Table table = instance.exports.getTable("table");
        instance.close();
        assertThrows(IllegalStateException.class, () -> asFunction.apply());
        assertThrows(IllegalStateException.class, () -> sum.callRaw(new long[]{1, 2}, new long[1]));
        assertThrows(IllegalStateException.class, () -> sum.apply(1, 2));
        assertThrows(IllegalStateException.class, sum::type);
        assertThrows(IllegalStateException.class, () -> memory.grow(1));
        assertThrows(IllegalStateException.class, memory::size);
        assertThrows(IllegalStateException.class, memory::dataSize);
        assertThrows(IllegalStateException.class, memory::type);
        assertThrows(IllegalStateException.class, () -> counter.set(1));
        assertThrows(IllegalStateException.class, counter::type);
        assertThrows(IllegalStateException.class, () -> table.get(0));
        assertThrows(IllegalStateException.class, () -> table.grow(1));
        assertThrows(IllegalStateException.class, table::type);
        // the exports map still hands out the same (closed) objects
        assertThrows(IllegalStateException.class, () -> instance.exports.getFunction("sum").apply(1, 2));
        assertThrows(IllegalStateException.class, () -> instance.exports.getMemory("memory").buffer());
    }

    @Test
    void closingTheStoreFirstIsSafe() {
        Store store = new Store();
        Module module = new Module(store, Wat.tests());
        Instance instance = new Instance(store, module, null);
        WasmFunction sum = instance.exports.getFunction("sum");
        ByteBuffer buffer = instance.exports.getMemory("memory").buffer();
        store.close();
        module.close();
        // objects made in the store keep it alive
        assertEquals(3, sum.apply(1, 2)[0]);
        assertEquals('H', buffer.get(16));
        instance.close();
        assertThrows(IllegalStateException.class, () -> sum.apply(1, 2));
    }
}
