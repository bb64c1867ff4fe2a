package org.wasmer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTest {
    @Test
    void validate() {
        assertTrue(Module.validate(Wat.tests()));
        assertFalse(Module.validate(new byte[]{0, 'a', 's', 'm', 1, 0, 0, 0, 42}));
        assertFalse(Module.validate(new byte[0]));
        assertFalse(Module.validate(null));
        try (Store store = new Store()) {
            assertTrue(Module.validate(store, Wat.tests()));
        }
    }

    @Test
    void compileErrors() {
        CompileException e = assertThrows(CompileException.class, () -> new Module(new byte[]{0, 'a', 's', 'm', 1, 0, 0, 0, 42}));
        // wasmer-java 0.3's form: "Failed to compile the module: " and the runtime's reason
        assertTrue(e.getMessage().startsWith("Failed to compile the module: Validation error: "), e.getMessage());
        CompileException viaStore = assertThrows(CompileException.class,
                () -> new Module(new Store(), new byte[]{0, 'a', 's', 'm', 1, 0, 0, 0, 42}));
        assertEquals(e.getMessage(), viaStore.getMessage());
        CompileException wat = assertThrows(CompileException.class, () -> new Module("(module".getBytes()));
        assertTrue(wat.getMessage().startsWith("Failed to compile the module: "), wat.getMessage());
        assertTrue(e instanceof WasmerException && e instanceof RuntimeException);
        assertThrows(CompileException.class, () -> new Module("(module (func (result i32)))".getBytes()));
        assertThrows(CompileException.class, () -> new Instance("not wat at all".getBytes()));
        assertThrows(CompileException.class, () -> Wasmer.wat2wasm("(module"));
        assertThrows(ArgumentException.class, () -> new Module((byte[]) null));
    }

    @Test
    void serializeDeserialize() {
        byte[] serialized;
        try (Module module = new Module(Wat.tests())) {
            serialized = module.serialize();
        }
        Module copy = Module.deserialize(serialized);
        assertEquals(3, (Integer) copy.instantiate().exports.getFunction("sum").apply(1, 2)[0]);
        assertThrows(CompileException.class, () -> Module.deserialize(new byte[]{1, 2, 3}));
        try (Store store = new Store(); Module m2 = Module.deserialize(store, serialized);
             Instance i = new Instance(store, m2, null)) {
            assertEquals(4, i.exports.getFunction("sum").apply(2, 2)[0]);
        }
    }

    @Test
    void exportAndImportTypes() {
        try (Module module = new Module(Wat.host())) {
            List<ImportType> imports = module.imports();
            assertEquals(2, imports.size());
            assertEquals(new ImportType("env", "sum", Wat.I32_I32_TO_I32), imports.get(0));
            assertEquals(new ImportType("env", "fail", Wat.VOID), imports.get(1));
            assertEquals(new ExportType("add1", Wat.I32_I32_TO_I32), module.exports().get(0));
        }
        try (Module module = new Module(Wat.tests())) {
            List<ExportType> exports = module.exports();
            assertEquals(new ExportType("memory", new MemoryType(1, 4L)), exports.get(0));
            assertEquals(new ExportType("counter", new GlobalType(Type.I32, true)), exports.get(1));
            assertEquals(new ExportType("table", new TableType(Type.FUNCREF, 2, null)), exports.get(3));
        }
        try (Module module = new Module(Wasmer.wat2wasm(Wat.IMPORTED_EXTERNS))) {
            assertEquals(new ImportType("env", "memory", new MemoryType(1, null)), module.imports().get(0));
            assertEquals(new ImportType("env", "g", new GlobalType(Type.I64, true)), module.imports().get(1));
        }
    }

    @Test
    void names() {
        try (Module module = new Module("(module $hello)".getBytes())) {
            assertEquals("hello", module.name());
            assertTrue(module.setName("renamed"));
            assertEquals("renamed", module.name());
        }
        try (Module module = new Module(Wat.tests())) {
            assertNull(module.name());
        }
    }

    @Test
    void compilers() {
        for (Compiler compiler : Compiler.values()) {
            try (Engine engine = new Engine(compiler); Store store = new Store(engine);
                 Module module = new Module(store, Wat.tests());
                 Instance instance = new Instance(store, module, null)) {
                assertEquals(compiler, store.engine().compiler());
                assertEquals(3, instance.exports.getFunction("sum").apply(1, 2)[0]);
                assertThrows(TrapException.class, () -> instance.exports.getFunction("unreachable").apply());
                // module.instantiate() uses the module's own engine
                try (Instance other = module.instantiate()) {
                    assertEquals(5, other.exports.getFunction("sum").apply(2, 3)[0]);
                }
            }
        }
        assertEquals(Compiler.CRANELIFT, Compiler.defaultCompiler());
        assertFalse(Wasmer.runtimeVersion().isEmpty());
    }
}
