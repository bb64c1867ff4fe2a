package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wasmer.exports.Export;
import org.wasmer.exports.Function;

/** wasmer-java 0.3's Instance API, unchanged, and the value conversions. */
class InstanceTest {
    @Test
    void sum() {
        Instance instance = new Instance(Wat.tests());
        assertEquals(42, (Integer) instance.exports.getFunction("sum").apply(5, 37)[0]);
        instance.close();
    }

    @Test
    void wasmerJavaStyle() {
        try (Instance instance = new Instance(Wat.tests())) {
            Function sum = instance.exports.getFunction("sum");
            Integer result = (Integer) sum.apply(1, 2)[0];
            assertEquals(3, result);
            Export e = instance.exports.get("sum");
            assertTrue(e instanceof Function);
        }
    }

    @Test
    void arities() {
        try (Instance instance = new Instance(Wat.tests())) {
            assertEquals(42, instance.exports.getFunction("arity_0").apply()[0]);
            assertEquals(42, instance.exports.getFunction("i32_i32").apply(42)[0]);
            assertEquals(42L, instance.exports.getFunction("i64_i64").apply(42L)[0]);
            assertEquals(42.0f, instance.exports.getFunction("f32_f32").apply(42.0f)[0]);
            assertEquals(42.0d, instance.exports.getFunction("f64_f64").apply(42.0d)[0]);
            assertEquals(10.0d, instance.exports.getFunction("i32_i64_f32_f64_f64").apply(1, 2L, 3.0f, 4.0d)[0]);
            assertEquals(1, instance.exports.getFunction("bool_casted_to_i32").apply()[0]);
            assertNull(instance.exports.getFunction("void").apply());
            assertArrayEquals(new Object[]{7L, 3}, instance.exports.getFunction("swap").apply(3, 7L));
        }
    }

    @Test
    void valuesKeepTheirBits() {
        try (Instance instance = new Instance(Wat.tests())) {
            WasmFunction f32 = instance.exports.getFunction("f32_f32");
            WasmFunction f64 = instance.exports.getFunction("f64_f64");
            WasmFunction i32 = instance.exports.getFunction("i32_i32");
            WasmFunction i64 = instance.exports.getFunction("i64_i64");
            assertEquals(-1, i32.apply(-1)[0]);
            assertEquals(-1, i32.apply(0xFFFFFFFFL)[0]); // an unsigned i32 as a Long
            assertEquals(Integer.MIN_VALUE, i32.apply(Integer.MIN_VALUE)[0]);
            assertEquals(Long.MIN_VALUE, i64.apply(Long.MIN_VALUE)[0]);
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) f32.apply(-0.0f)[0]));
            float nan = Float.intBitsToFloat(0x7fc00001);
            assertEquals(0x7fc00001, Float.floatToRawIntBits((Float) f32.apply(nan)[0]));
            double dnan = Double.longBitsToDouble(0x7ff8000000000001L);
            assertEquals(0x7ff8000000000001L, Double.doubleToRawLongBits((Double) f64.apply(dnan)[0]));
            assertEquals(2.5f, f32.apply(2.5d)[0]); // any Number converts to a float parameter
            assertEquals(3.0d, f64.apply(3)[0]);
        }
    }

    @Test
    void rawCalls() {
        try (Instance instance = new Instance(Wat.tests())) {
            WasmFunction sum = instance.exports.getFunction("sum");
            long[] out = new long[1];
            sum.callRaw(new long[]{40, 2}, out);
            assertEquals(42, (int) out[0]);
            assertThrows(ArgumentException.class, () -> sum.callRaw(new long[]{1}, out));
            assertThrows(ArgumentException.class, () -> sum.callRaw(new long[]{1, 2}, new long[0]));
        }
    }

    @Test
    void wrongArguments() {
        try (Instance instance = new Instance(Wat.tests())) {
            WasmFunction sum = instance.exports.getFunction("sum");
            ArgumentException e = assertThrows(ArgumentException.class, () -> sum.apply(1));
            assertTrue(e.getMessage().contains("takes 2 argument(s), 1 given"), e.getMessage());
            e = assertThrows(ArgumentException.class, () -> sum.apply(1, "two"));
            assertTrue(e.getMessage().contains("argument 1 must be i32"), e.getMessage());
            assertThrows(ArgumentException.class, () -> sum.apply(1, 2.5));
            assertThrows(ArgumentException.class, () -> sum.apply(1, null));
            assertThrows(ArgumentException.class, () -> sum.apply(1, 1L << 40));
            assertThrows(ArgumentException.class, () -> instance.exports.getFunction("i64_i64").apply(1.5));
            assertThrows(ArgumentException.class, () -> sum.apply((Object[]) null));
            assertEquals(3, sum.apply(1, 2)[0]); // still usable
        }
    }

    @Test
    void exportsByKind() {
        try (Instance instance = new Instance(Wat.tests())) {
            assertNull(instance.exports.get("nope"));
            assertNull(instance.exports.getFunction("nope"));
            assertNull(instance.exports.getMemory("nope"));
            assertNotNull(instance.exports.getMemory("memory"));
            assertNotNull(instance.exports.getGlobal("counter"));
            assertNotNull(instance.exports.getTable("table"));
            ArgumentException e = assertThrows(ArgumentException.class, () -> instance.exports.getMemory("sum"));
            assertTrue(e.getMessage().contains("is a func, not a memory"), e.getMessage());
            assertTrue(instance.exports.contains("sum"));
            assertEquals(List.of("memory", "counter", "pi", "table", "sum"), List.copyOf(instance.exports.names()).subList(0, 5));
            int n = 0;
            for (var entry : instance.exports) {
                assertNotNull(entry.getValue());
                n++;
            }
            assertEquals(instance.exports.size(), n);
            assertEquals(Wat.I32_I32_TO_I32, instance.exports.getFunction("sum").type());
        }
    }

    @Test
    void fromModuleAndWat() {
        try (Module module = new Module(Wat.TESTS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
             Instance a = module.instantiate();
             Instance b = new Instance(module)) {
            assertEquals(3, a.exports.getFunction("sum").apply(1, 2)[0]);
            assertEquals(5, b.exports.getFunction("sum").apply(2, 3)[0]);
            // each has a store of its own: globals are not shared
            a.exports.getGlobal("counter").set(100);
            assertEquals(7, b.exports.getGlobal("counter").get());
            assertEquals(module, a.module());
        }
    }

    @Test
    void tableOfFunctions() {
        try (Instance instance = new Instance(Wat.tests())) {
            Table table = instance.exports.getTable("table");
            assertEquals(2, table.size());
            assertEquals(new TableType(Type.FUNCREF, 2, null), table.type());
            WasmFunction f = table.get(0);
            assertEquals(7, f.apply(3, 4)[0]);
            assertNull(table.get(1));
            table.set(1, instance.exports.getFunction("sum"));
            assertEquals(9, table.get(1).apply(4, 5)[0]);
            table.set(0, null);
            assertNull(table.get(0));
            assertEquals(2, table.grow(3));
            assertEquals(5, table.size());
            assertThrows(ArgumentException.class, () -> table.get(5));
            assertThrows(ArgumentException.class, () -> table.get(-1));
        }
    }

    @Test
    void globals() {
        try (Instance instance = new Instance(Wat.tests())) {
            Global counter = instance.exports.getGlobal("counter");
            Global pi = instance.exports.getGlobal("pi");
            assertEquals(new GlobalType(Type.I32, true), counter.type());
            assertEquals(new GlobalType(Type.F64, false), pi.type());
            assertEquals(7, counter.get());
            counter.set(8);
            assertEquals(8, counter.get());
            assertEquals(3.25, pi.get());
            assertThrows(ArgumentException.class, () -> pi.set(1.0));
            assertThrows(ArgumentException.class, () -> counter.set("x"));
        }
    }
}
