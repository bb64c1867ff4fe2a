package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Members that exist only as renderings of api.yaml (templates/java/_public.jinja into the
 * generated {@code <Class>Base} classes and {@code Wasmer}), with no Java written by hand
 * anywhere: {@code Instance.exportCount}/{@code exportName}, {@code Wasmer.wat2wasm(byte[])}, the
 * extern classes' {@code kind()} (api.yaml's {@code Extern.kind}),
 * and the generic conversions (u32 checks, handles in and out, closed objects).
 */
class RenderedMembersTest {
    private static final String WAT = "(module (memory (export \"mem\") 1 3) (table (export \"tab\") 2 funcref)"
        + " (func (export \"f\") (result i32) i32.const 7))";

    @Test
    void instanceExportsByIndex() {
        try (Instance instance = new Instance(WAT.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(3, instance.exportCount());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < instance.exportCount(); i++) {
                names.add(instance.exportName(i));
            }
            assertEquals(List.of("mem", "tab", "f"), names);
            assertEquals(new ArrayList<>(instance.exports.names()), names);
            assertThrows(ArgumentException.class, () -> instance.exportName(-1)); // a u32
            assertThrows(WasmerException.class, () -> instance.exportName(3));
            instance.close();
            assertThrows(IllegalStateException.class, instance::exportCount);
        }
    }

    @Test
    void externMembersOnEveryExternClass() {
        try (Instance instance = new Instance((WAT.substring(0, WAT.length() - 1) + " (global (export \"g\") i32 (i32.const 1)))")
                .getBytes(StandardCharsets.UTF_8))) {
            assertEquals(ExternKind.MEMORY, instance.exports.getMemory("mem").kind());
            assertEquals(ExternKind.TABLE, instance.exports.getTable("tab").kind());
            assertEquals(ExternKind.FUNC, instance.exports.getFunction("f").kind());
            assertEquals(ExternKind.GLOBAL, instance.exports.getGlobal("g").kind());
            instance.close();
            assertThrows(IllegalStateException.class, () -> instance.exports.getGlobal("g").kind());
        }
    }

    @Test
    void freeFunctionWithBytes() {
        byte[] wasm = Wasmer.wat2wasm("(module)".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[]{0, 'a', 's', 'm', 1, 0, 0, 0}, wasm);
        assertArrayEquals(wasm, Wasmer.wat2wasm("(module)")); // the hand-written String form agrees
        assertThrows(CompileException.class, () -> Wasmer.wat2wasm("(module".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ArgumentException.class, () -> Wasmer.wat2wasm((byte[]) null));
    }

    @Test
    void handlesInAndOut() {
        try (Instance instance = new Instance(WAT.getBytes(StandardCharsets.UTF_8))) {
            Table table = instance.exports.getTable("tab");
            WasmFunction f = instance.exports.getFunction("f");
            assertNull(table.get(0));
            table.set(1, f); // a handle in (Table.set)
            WasmFunction back = table.get(1); // a handle out, wrapped with the table's store
            assertEquals(7, back.apply()[0]);
            assertSame(instance.store(), back.store);
            table.set(1, null); // a nullable handle
            assertNull(table.get(1));
            assertThrows(ArgumentException.class, () -> table.grow(-1));
            assertEquals(2, table.grow(1));
            back.close();
        }
    }

    @Test
    void staticReturningItsClass() {
        try (Store store = new Store(); Module module = new Module(store, WAT.getBytes(StandardCharsets.UTF_8))) {
            assertThrows(NullPointerException.class, () -> Module.deserialize(null, module.serialize()));
            try (Module copy = Module.deserialize(store, module.serialize())) {
                assertSame(store.engine(), copy.engine()); // wrapped with the store's engine
                assertEquals(3, copy.exports().size());
            }
        }
    }
}
