package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reference values (externref, funcref) in calls, host functions and globals. */
class ReferencesTest {
    static final String REFS = String.join("\n",
        "(module",
        "  (import \"env\" \"keep\" (func $keep (param externref) (result externref)))",
        "  (import \"env\" \"apply\" (func $apply (param funcref) (result i32)))",
        "  (import \"env\" \"pick\" (func $pick (result funcref)))",
        "  (type $to_i32 (func (result i32)))",
        "  (table $ft 1 funcref)",
        "  (func (export \"id\") (param externref) (result externref) local.get 0)",
        "  (func (export \"is_null\") (param externref) (result i32) local.get 0 ref.is_null)",
        "  (func (export \"pair\") (param externref externref) (result externref externref) local.get 1 local.get 0)",
        "  (func $seven (result i32) i32.const 7)",
        "  (func $eight (export \"eight\") (result i32) i32.const 8)",
        "  (elem declare func $seven $eight)",
        "  (func (export \"some_func\") (result funcref) ref.func $seven)",
        "  (func (export \"null_func\") (result funcref) ref.null func)",
        "  (func (export \"func_is_null\") (param funcref) (result i32) local.get 0 ref.is_null)",
        "  (func (export \"call_it\") (param funcref) (result i32)",
        "    i32.const 0 local.get 0 table.set $ft i32.const 0 call_indirect $ft (type $to_i32))",
        "  (func (export \"through\") (param externref) (result externref) local.get 0 call $keep)",
        "  (func (export \"host_applies\") (result i32) ref.func $eight call $apply)",
        "  (func (export \"host_picks\") (result i32)",
        "    i32.const 0 call $pick table.set $ft i32.const 0 call_indirect $ft (type $to_i32))",
        "  (func (export \"mixed\") (param i32 externref funcref f64) (result f64 funcref externref i32)",
        "    local.get 3 local.get 2 local.get 1 local.get 0)",
        "  (global $g (export \"g\") (mut externref) (ref.null extern))",
        "  (func (export \"set_g\") (param externref) local.get 0 global.set $g)",
        "  (func (export \"get_g\") (result externref) global.get $g)",
        "  (global $fg (export \"fg\") (mut funcref) (ref.null func))",
        "  (func (export \"call_fg\") (result i32) i32.const 0 global.get $fg table.set $ft i32.const 0 call_indirect $ft (type $to_i32))",
        ")");

    static final FunctionType EXTERN_TO_EXTERN = new FunctionType(new Type[]{Type.EXTERNREF}, new Type[]{Type.EXTERNREF});
    static final FunctionType FUNC_TO_I32 = new FunctionType(new Type[]{Type.FUNCREF}, new Type[]{Type.I32});
    static final FunctionType TO_FUNC = new FunctionType(new Type[]{}, new Type[]{Type.FUNCREF});

    /** What the host functions saw and give back. */
    static final class Host {
        final List<Object> seen = new ArrayList<>();
        Object replacement; // keep returns this instead of its argument when set
        WasmFunction picked; // what pick returns
    }

    static Imports imports(Host host) {
        return new Imports()
            .function("env", "keep", EXTERN_TO_EXTERN, args -> {
                host.seen.add(args[0]);
                return new Object[]{host.replacement != null ? host.replacement : args[0]};
            })
            .function("env", "apply", FUNC_TO_I32, args -> {
                try (WasmFunction f = (WasmFunction) args[0]) { // a new handle: the host function owns it
                    return new Object[]{(int) f.apply()[0] * 10};
                }
            })
            .function("env", "pick", TO_FUNC, args -> new Object[]{host.picked});
    }

    static Instance instance(Host host) {
        return new Instance(Wasmer.wat2wasm(REFS), imports(host));
    }

    @Test
    void externrefIdentity() {
        try (Instance instance = instance(new Host())) {
            WasmFunction id = instance.exports.getFunction("id");
            Object o = new Object();
            assertSame(o, id.apply(o)[0]);
            assertSame(o, id.apply(o)[0]); // passed again: a new token, the same object back
            String s = new String("hello");
            assertSame(s, id.apply(s)[0]);
            Integer boxed = 123456789; // any Java object, boxed numbers too
            assertSame(boxed, id.apply(boxed)[0]);
            Object a = new Object();
            Object b = new Object();
            Object[] swapped = instance.exports.getFunction("pair").apply(a, b);
            assertSame(b, swapped[0]);
            assertSame(a, swapped[1]);
        }
    }

    @Test
    void externrefNull() {
        try (Instance instance = instance(new Host())) {
            assertNull(instance.exports.getFunction("id").apply((Object) null)[0]);
            assertEquals(1, instance.exports.getFunction("is_null").apply((Object) null)[0]);
            assertEquals(0, instance.exports.getFunction("is_null").apply(new Object())[0]);
        }
    }

    @Test
    void hostFunctionWithExternref() {
        Host host = new Host();
        try (Instance instance = instance(host)) {
            WasmFunction through = instance.exports.getFunction("through");
            Object o = new Object();
            assertSame(o, through.apply(o)[0]);
            assertSame(o, host.seen.get(0)); // the host function got the very object
            assertNull(through.apply((Object) null)[0]);
            assertNull(host.seen.get(1));
            host.replacement = "from the host";
            assertSame(host.replacement, through.apply(o)[0]);
        }
    }

    @Test
    void funcrefFromWasmIsCallable() {
        try (Instance instance = instance(new Host())) {
            Object r = instance.exports.getFunction("some_func").apply()[0];
            assertTrue(r instanceof WasmFunction, String.valueOf(r));
            try (WasmFunction seven = (WasmFunction) r) {
                assertEquals(new FunctionType(new Type[]{}, new Type[]{Type.I32}), seven.type());
                assertEquals(7, seven.apply()[0]);
                // passed back in as a funcref argument
                assertEquals(0, instance.exports.getFunction("func_is_null").apply(seven)[0]);
                assertEquals(7, instance.exports.getFunction("call_it").apply(seven)[0]);
            }
            assertNull(instance.exports.getFunction("null_func").apply()[0]);
            assertEquals(1, instance.exports.getFunction("func_is_null").apply((Object) null)[0]);
            // an export passed as a funcref
            assertEquals(8, instance.exports.getFunction("call_it").apply(instance.exports.getFunction("eight"))[0]);
        }
    }

    @Test
    void mixedSignature() {
        try (Instance instance = instance(new Host())) {
            Object o = new Object();
            WasmFunction eight = instance.exports.getFunction("eight");
            Object[] out = instance.exports.getFunction("mixed").apply(5, o, eight, 2.5);
            assertEquals(2.5, out[0]);
            try (WasmFunction f = (WasmFunction) out[1]) {
                assertEquals(8, f.apply()[0]);
            }
            assertSame(o, out[2]);
            assertEquals(5, out[3]);
        }
    }

    @Test
    void hostFunctionWithFuncref() {
        Host host = new Host();
        try (Instance instance = instance(host)) {
            // wasm passes ref.func $eight to the host, which calls it
            assertEquals(80, instance.exports.getFunction("host_applies").apply()[0]);
            // the host returns a funcref, wasm calls it
            host.picked = instance.exports.getFunction("eight");
            assertEquals(8, instance.exports.getFunction("host_picks").apply()[0]);
            try (WasmFunction seven = (WasmFunction) instance.exports.getFunction("some_func").apply()[0]) {
                host.picked = seven;
                assertEquals(7, instance.exports.getFunction("host_picks").apply()[0]);
            }
            host.picked = null; // a null funcref: call_indirect traps
            assertThrows(TrapException.class, () -> instance.exports.getFunction("host_picks").apply());
        }
    }

    @Test
    void hostFunctionIsNotAFuncref() {
        Host host = new Host();
        try (Store store = new Store();
             Module module = new Module(store, Wasmer.wat2wasm(REFS));
             Instance instance = new Instance(store, module, imports(host));
             WasmFunction hostFn = new WasmFunction(store, new FunctionType(new Type[]{}, new Type[]{Type.I32}),
                 args -> new Object[]{1})) {
            ArgumentException e = assertThrows(ArgumentException.class,
                () -> instance.exports.getFunction("call_it").apply(hostFn));
            assertTrue(e.getMessage().contains("host function"), e.getMessage());
            // returned by a host function: the argument error reaches the caller
            host.picked = hostFn;
            e = assertThrows(ArgumentException.class, () -> instance.exports.getFunction("host_picks").apply());
            assertTrue(e.getMessage().contains("host function"), e.getMessage());
            // in a global
            Global fg = instance.exports.getGlobal("fg");
            e = assertThrows(ArgumentException.class, () -> fg.set(hostFn));
            assertTrue(e.getMessage().contains("host function"), e.getMessage());
            assertThrows(ArgumentException.class, () -> new Global(store, Type.FUNCREF, hostFn, true));
            // and neither is anything else
            e = assertThrows(ArgumentException.class, () -> instance.exports.getFunction("call_it").apply("seven"));
            assertTrue(e.getMessage().contains("funcref"), e.getMessage());
            // the instance still works
            assertEquals(8, instance.exports.getFunction("call_it").apply(instance.exports.getFunction("eight"))[0]);
        }
    }

    @Test
    void callRawRefusesReferences() {
        try (Instance instance = instance(new Host())) {
            ArgumentException e = assertThrows(ArgumentException.class,
                () -> instance.exports.getFunction("id").callRaw(new long[]{0}, new long[1]));
            assertTrue(e.getMessage().contains("apply"), e.getMessage());
        }
    }

    @Test
    void externrefGlobal() {
        try (Instance instance = instance(new Host())) {
            Global g = instance.exports.getGlobal("g");
            assertEquals(new GlobalType(Type.EXTERNREF, true), g.type());
            assertNull(g.get());
            Object o = new Object();
            instance.exports.getFunction("set_g").apply(o);
            assertSame(o, g.get());
            Object p = new Object();
            g.set(p);
            assertSame(p, g.get());
            assertSame(p, instance.exports.getFunction("get_g").apply()[0]);
            g.set(null);
            assertNull(instance.exports.getFunction("get_g").apply()[0]);
        }
        // made in Java, imported by wasm
        String wat = "(module (import \"env\" \"g\" (global $g externref)) (func (export \"get\") (result externref) global.get $g))";
        Object o = new Object();
        try (Store store = new Store();
             Global g = new Global(store, Type.EXTERNREF, o);
             Module module = new Module(store, Wasmer.wat2wasm(wat));
             Instance instance = new Instance(store, module, new Imports().define("env", "g", g))) {
            assertSame(o, g.get());
            assertSame(o, instance.exports.getFunction("get").apply()[0]);
            assertThrows(ArgumentException.class, () -> g.set(new Object())); // immutable
        }
    }

    @Test
    void funcrefGlobal() {
        try (Instance instance = instance(new Host())) {
            Global fg = instance.exports.getGlobal("fg");
            assertNull(fg.get());
            fg.set(instance.exports.getFunction("eight"));
            assertEquals(8, instance.exports.getFunction("call_fg").apply()[0]);
            try (WasmFunction f = (WasmFunction) fg.get()) {
                assertEquals(8, f.apply()[0]);
            }
            assertThrows(ArgumentException.class, () -> fg.set(42));
            Store store = instance.store();
            try (Global made = new Global(store, Type.FUNCREF, instance.exports.getFunction("eight"), true)) {
                try (WasmFunction f = (WasmFunction) made.get()) {
                    assertEquals(8, f.apply()[0]);
                }
                made.set(null);
                assertNull(made.get());
            }
        }
    }

    @Test
    void tokensReleasedWithTheStore() {
        long before = Native.liveExternrefs();
        Host host = new Host();
        try (Module module = new Module(Wasmer.wat2wasm(REFS))) {
            for (int i = 0; i < 100; i++) {
                try (Instance instance = module.instantiate(imports(host))) {
                    Object o = new Object();
                    assertSame(o, instance.exports.getFunction("through").apply(o)[0]);
                    instance.exports.getFunction("set_g").apply(new Object());
                    host.picked = instance.exports.getFunction("eight");
                    assertEquals(8, instance.exports.getFunction("host_picks").apply()[0]);
                    assertTrue(Native.liveExternrefs() > before);
                }
                host.picked = null;
                Wasmer.drain(); // lets go of the host function's kept funcref results
                assertEquals(before, Native.liveExternrefs(), "after iteration " + i);
            }
        }
    }

    @Test
    void tokensOfAFailedCallAreFreed() {
        long before = Native.liveExternrefs();
        try (Store store = new Store();
             Module module = new Module(store, Wasmer.wat2wasm(REFS));
             Instance instance = new Instance(store, module, imports(new Host()));
             WasmFunction hostFn = new WasmFunction(store, new FunctionType(new Type[]{}, new Type[]{Type.I32}),
                 args -> new Object[]{1})) {
            WasmFunction mixed = instance.exports.getFunction("mixed");
            assertThrows(ArgumentException.class, () -> mixed.apply(1, new Object(), hostFn, 1.0));
            assertThrows(ArgumentException.class, () -> mixed.apply(1, new Object(), null, "not a double"));
            assertEquals(before, Native.liveExternrefs());
            // a host function returning a bad second value after a good externref
            Imports imports = new Imports().function("env", "two", new FunctionType(new Type[]{},
                new Type[]{Type.EXTERNREF, Type.I32}), args -> new Object[]{new Object(), "x"});
            String wat = "(module (import \"env\" \"two\" (func $two (result externref i32)))"
                + " (func (export \"f\") (result i32) call $two drop drop i32.const 0))";
            try (Module m = new Module(store, Wasmer.wat2wasm(wat)); Instance i = new Instance(store, m, imports)) {
                assertThrows(ArgumentException.class, () -> i.exports.getFunction("f").apply());
            }
            assertEquals(before, Native.liveExternrefs());
        }
    }

    @Test
    void tokensOfCollectedStoresAreReleased() throws InterruptedException {
        long before = Native.liveExternrefs();
        byte[] bytes = Wasmer.wat2wasm(REFS);
        for (int i = 0; i < 300; i++) {
            Instance instance = new Instance(bytes, imports(new Host())); // never closed
            assertNotNull(instance.exports.getFunction("id").apply(new Object())[0]);
        }
        for (int i = 0; i < 50 && Native.liveExternrefs() > before; i++) {
            System.gc();
            Thread.sleep(20);
            Wasmer.drain();
        }
        assertEquals(before, Native.liveExternrefs());
    }

    @Test
    void hostFunctionsWithReferencesAreReleased() {
        long hosts = Native.liveHostFunctions();
        try (Instance instance = instance(new Host())) {
            assertArrayEquals(new Object[]{80}, instance.exports.getFunction("host_applies").apply());
        }
        assertEquals(hosts, Native.liveHostFunctions());
    }
}
