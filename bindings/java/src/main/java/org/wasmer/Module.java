package org.wasmer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A compiled WebAssembly module, from binary bytes or WAT text (as UTF-8 bytes).
 *
 * <pre>{@code
 * boolean valid = Module.validate(wasmBytes);
 * Module module = new Module(wasmBytes);
 * Instance instance = module.instantiate();
 * }</pre>
 */
public final class Module extends ModuleBase implements AutoCloseable {
    private final Engine engine;
    private long ptr;
    private final Handle handle;

    /**
     * Compiles a module with the shared default engine.
     *
     * @param bytes WebAssembly binary, or WAT text as UTF-8
     * @throws CompileException when the bytes are not a valid module
     */
    public Module(byte[] bytes) {
        this(Engine.shared(), withStore(Engine.shared(), s -> compile(s, bytes)));
    }

    /**
     * Compiles a module with a store's engine.
     *
     * @param store the store whose engine compiles
     * @param bytes WebAssembly binary, or WAT text as UTF-8
     * @throws CompileException when the bytes are not a valid module
     */
    public Module(Store store, byte[] bytes) {
        this(store.engine(), compile(store.ptr(), bytes));
    }

    /** Wraps (and owns) a module handle returned by a rendered member; the owner leads to the engine. */
    Module(long handle, Object owner) {
        this(Owners.engine(owner), handle);
    }

    private Module(Engine engine, long ptr) {
        this.engine = engine;
        this.ptr = ptr;
        this.handle = new Handle(this, Native.T_MODULE, ptr);
    }

    private interface StoreCall {
        long call(long store);
    }

    /** wasmer-java 0.3's message for bytes that do not compile: this, then the runtime's reason. */
    static final String COMPILE_FAILED = "Failed to compile the module: ";
    /** The glue's context before libwasmer's own message, replaced by {@link #COMPILE_FAILED}. */
    private static final String GLUE_CONTEXT = "invalid WebAssembly module: ";

    /**
     * Compiles, with wasmer-java 0.3's message on failure: "Failed to compile the module: "
     * and libwasmer's reason ("Validation error: ..."), as wasmer-java formatted wasmer's error.
     */
    private static long compile(long store, byte[] bytes) {
        try {
            return Native.wgModuleNew(store, bytes);
        } catch (CompileException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage();
            if (reason.startsWith(GLUE_CONTEXT)) {
                reason = reason.substring(GLUE_CONTEXT.length());
            }
            CompileException legacy = new CompileException(COMPILE_FAILED + reason);
            legacy.setStackTrace(e.getStackTrace());
            throw legacy;
        }
    }

    /** Runs a glue call that needs a store only to reach an engine, with a temporary one. */
    private static long withStore(Engine engine, StoreCall call) {
        long store = Native.wgStoreNew(engine.ptr());
        try {
            return call.call(store);
        } finally {
            Native.delete(Native.T_STORE, store);
        }
    }

    /**
     * Whether the bytes are a valid WebAssembly module (binary, not WAT).
     *
     * @param bytes the bytes
     * @return true when valid; false for null
     */
    public static boolean validate(byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        return withStore(Engine.shared(), s -> Native.wgModuleValidate(s, bytes) ? 1 : 0) != 0;
    }

    /**
     * Whether the bytes are a valid WebAssembly module for a store's engine.
     *
     * @param store the store
     * @param bytes the bytes
     * @return true when valid; false for null
     */
    public static boolean validate(Store store, byte[] bytes) {
        return bytes != null && Native.wgModuleValidate(store.ptr(), bytes);
    }

    /**
     * Loads a module from {@link #serialize}'s output, for the shared default engine.
     *
     * @param bytes the serialized module
     * @return the module
     */
    public static Module deserialize(byte[] bytes) {
        return new Module(Engine.shared(), withStore(Engine.shared(), s -> Native.wgModuleDeserialize(s, bytes)));
    }

    /**
     * Instantiates the module in a new store of its own (freed with the instance).
     *
     * @return the instance
     */
    public Instance instantiate() {
        return new Instance(this);
    }

    /**
     * Instantiates the module in a new store of its own, with imports.
     *
     * @param imports the imports, by (module, name)
     * @return the instance
     */
    public Instance instantiate(Imports imports) {
        return new Instance(this, imports);
    }

    /**
     * The engine that compiled the module.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * The module's name, from its name section or {@link #setName}.
     *
     * @return the name, or null when it has none
     */
    public String name() {
        String name = Native.str(Native.wgModuleName(ptr()));
        return name.isEmpty() ? null : name;
    }

    /**
     * The module's exports, in order.
     *
     * @return name and type of each export
     */
    public List<ExportType> exports() {
        long p = ptr();
        List<ExportType> out = new ArrayList<>();
        for (int i = 0, n = Native.wgModuleExportCount(p); i < n; i++) {
            long t = Native.wgModuleExportType(p, i);
            String name;
            try {
                name = Native.str(Native.wgExternTypeName(t));
            } catch (RuntimeException e) {
                Native.delete(Native.T_EXTERN_TYPE, t);
                throw e;
            }
            out.add(new ExportType(name, Types.take(t)));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The module's imports, in order.
     *
     * @return module, name and type of each import
     */
    public List<ImportType> imports() {
        long p = ptr();
        List<ImportType> out = new ArrayList<>();
        for (int i = 0, n = Native.wgModuleImportCount(p); i < n; i++) {
            long t = Native.wgModuleImportType(p, i);
            String module;
            String name;
            try {
                module = Native.str(Native.wgExternTypeModule(t));
                name = Native.str(Native.wgExternTypeName(t));
            } catch (RuntimeException e) {
                Native.delete(Native.T_EXTERN_TYPE, t);
                throw e;
            }
            out.add(new ImportType(module, name, Types.take(t)));
        }
        return Collections.unmodifiableList(out);
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Module");
        }
        return p;
    }

    /** Frees the compiled module (instances made from it keep working). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
