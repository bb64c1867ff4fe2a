package org.wasmer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An instantiated WebAssembly module.
 *
 * <pre>{@code
 * Instance instance = new Instance(wasmBytes);
 * Integer result = (Integer) instance.exports.getFunction("sum").apply(5, 37)[0];
 * instance.close();
 * }</pre>
 *
 * <p>{@code new Instance(bytes)} and {@code new Instance(module)} run in a store of their
 * own, closed with the instance; {@code new Instance(store, module, imports)} runs in a
 * given store (to share externs with other instances).
 *
 * <p>Threads: see {@link Store}; close an instance when no other thread uses it.
 */
public final class Instance extends InstanceBase implements AutoCloseable {
    /** The instance's exports by name: functions, memories, globals and tables. */
    public final Exports exports;

    private final Module module;
    private final Store store;
    private final boolean ownsModule;
    private final boolean ownsStore;
    private long ptr;
    private final Handle handle;

    /**
     * Compiles and instantiates a module without imports.
     *
     * @param bytes WebAssembly binary, or WAT text as UTF-8
     */
    public Instance(byte[] bytes) {
        this(bytes, null);
    }

    /**
     * Compiles and instantiates a module.
     *
     * @param bytes WebAssembly binary, or WAT text as UTF-8
     * @param imports the imports by (module, name), or null
     */
    public Instance(byte[] bytes, Imports imports) {
        this(null, new Module(bytes), imports, true);
    }

    /**
     * Instantiates a compiled module, in a new store of its own.
     *
     * @param module the module
     */
    public Instance(Module module) {
        this(null, module, null, false);
    }

    /**
     * Instantiates a compiled module with imports, in a new store of its own.
     *
     * @param module the module
     * @param imports the imports by (module, name), or null
     */
    public Instance(Module module, Imports imports) {
        this(null, module, imports, false);
    }

    /**
     * Instantiates a compiled module in a store.
     *
     * @param store the store (shared with other instances, not closed with this one)
     * @param module the module
     * @param imports the imports by (module, name), or null
     * @throws LinkException when an import is missing or has another type
     * @throws TrapException when the start function traps
     */
    public Instance(Store store, Module module, Imports imports) {
        this(Objects.requireNonNull(store, "store"), module, imports, false);
    }

    private Instance(Store store, Module module, Imports imports, boolean ownsModule) {
        Objects.requireNonNull(module, "module");
        Store s = store;
        long p;
        try {
            if (s == null && imports != null) {
                s = imports.wasiStore(); // a WASI program runs in its environment's store
                store = s;
            }
            if (s == null) {
                s = new Store(module.engine());
            }
            p = instantiate(s, module, imports);
        } catch (RuntimeException | Error e) {
            if (store == null && s != null) {
                s.close();
            }
            if (ownsModule) {
                module.close();
            }
            throw e;
        }
        this.module = module;
        this.store = s;
        this.ownsModule = ownsModule;
        this.ownsStore = store == null;
        this.ptr = p;
        this.handle = new Handle(this, Native.T_INSTANCE, p);
        this.exports = new Exports(p, s);
    }

    private static long instantiate(Store store, Module module, Imports imports) {
        long storePtr = store.ptr();
        long modulePtr = module.ptr();
        long imp = Native.wgImportsNew();
        List<Long> made = new ArrayList<>();
        try {
            if (imports != null) {
                imports.defineInto(imp, store, made);
            }
            return Native.wgInstanceNew(storePtr, modulePtr, imp, false); // the store is chosen above
        } finally {
            // Host functions made for this instance live on in the store.
            for (long h : made) {
                Native.delete(Native.T_EXTERN, h);
            }
            Native.delete(Native.T_IMPORTS, imp);
        }
    }

    /**
     * The module this instance was made from.
     *
     * @return the module
     */
    public Module module() {
        return module;
    }

    /**
     * The store this instance runs in.
     *
     * @return the store
     */
    public Store store() {
        return store;
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Instance");
        }
        return p;
    }

    /**
     * Frees the instance and its exports (then using them throws IllegalStateException),
     * and the module and store it made for itself.
     */
    @Override
    public void close() {
        if (ptr == 0) {
            return;
        }
        ptr = 0;
        exports.close();
        handle.close();
        if (ownsModule) {
            module.close();
        }
        if (ownsStore) {
            store.close();
        }
    }
}
