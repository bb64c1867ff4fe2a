package org.wasmer;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wasmer.exports.Export;

/**
 * The imports of an instance, by (module, name).
 *
 * <pre>{@code
 * Imports imports = new Imports()
 *     .function("env", "sum", new FunctionType(new Type[]{Type.I32, Type.I32}, new Type[]{Type.I32}),
 *               args -> new Object[]{(int) args[0] + (int) args[1]});
 * Instance instance = new Instance(bytes, imports);
 * }</pre>
 *
 * <p>A host function given by {@link #function} is made in the store of each instance it
 * is used for; externs given by {@link #define} live in one store and can only be imported
 * by instances of that store ({@code new Instance(store, module, imports)}).
 */
public final class Imports extends ImportsBase {
    private static final class Entry {
        final String module;
        final String name;
        final Export extern;
        final FunctionType type;
        final HostFunction function;

        Entry(String module, String name, Export extern, FunctionType type, HostFunction function) {
            this.module = module;
            this.name = name;
            this.extern = extern;
            this.type = type;
            this.function = function;
        }
    }

    private final Map<List<String>, Entry> entries = new LinkedHashMap<>();
    /** WASI environments and the module each defines its imports for ({@link WasiEnv#defineImports}). */
    private final List<Map.Entry<WasiEnv, Module>> wasi = new ArrayList<>();

    /** No imports yet. */
    public Imports() {}

    /**
     * Defines (or replaces) a host function written in Java.
     *
     * @param module the import's module name
     * @param name the import's name
     * @param type its WebAssembly type
     * @param function the Java code
     * @return this
     */
    public Imports function(String module, String name, FunctionType type, HostFunction function) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        put(new Entry(Objects.requireNonNull(module, "module"), Objects.requireNonNull(name, "name"), null, type, function));
        return this;
    }

    /**
     * Defines (or replaces) an import with an extern: a {@link WasmFunction}, {@link Memory},
     * {@link Global} or {@link Table}, or another instance's export.
     *
     * @param module the import's module name
     * @param name the import's name
     * @param extern the extern
     * @return this
     */
    public Imports define(String module, String name, Export extern) {
        Objects.requireNonNull(extern, "extern");
        storeOf(extern);
        put(new Entry(Objects.requireNonNull(module, "module"), Objects.requireNonNull(name, "name"), extern, null, null));
        return this;
    }

    /**
     * Defines every export of an instance under one module name.
     *
     * @param module the import module name
     * @param exports the instance's exports
     * @return this
     */
    public Imports register(String module, Exports exports) {
        for (Map.Entry<String, Export> e : exports) {
            define(module, e.getKey(), e.getValue());
        }
        return this;
    }

    /**
     * Whether module.name is defined.
     *
     * @param module the module name
     * @param name the name
     * @return true if it is
     */
    public boolean contains(String module, String name) {
        return entries.containsKey(List.of(module, name));
    }

    /** WasiEnv.defineImports: the environment's WASI functions for the module, made per instance. */
    void wasi(WasiEnv env, Module module) {
        wasi.add(new AbstractMap.SimpleImmutableEntry<>(env, module));
    }

    /** The store of the WASI environment these imports run, or null. */
    Store wasiStore() {
        return wasi.isEmpty() ? null : wasi.get(0).getKey().store();
    }

    private void put(Entry e) {
        entries.put(List.of(e.module, e.name), e);
    }

    private static Store storeOf(Export extern) {
        if (extern instanceof WasmFunction) {
            return ((WasmFunction) extern).store;
        }
        if (extern instanceof Global) {
            return ((Global) extern).store;
        }
        if (extern instanceof Table) {
            return ((Table) extern).store;
        }
        if (extern instanceof Memory) {
            return ((Memory) extern).store;
        }
        throw new ArgumentException("an import must be a WasmFunction, Memory, Global or Table, not "
            + extern.getClass().getName());
    }

    private static long ptrOf(Export extern) {
        if (extern instanceof WasmFunction) {
            return ((WasmFunction) extern).ptr();
        }
        if (extern instanceof Global) {
            return ((Global) extern).ptr();
        }
        if (extern instanceof Table) {
            return ((Table) extern).ptr();
        }
        if (extern instanceof Memory) {
            return ((Memory) extern).ptr();
        }
        throw new ArgumentException("not an extern: " + extern.getClass().getName());
    }

    /** Defines every entry in a glue Imports handle for an instance of `store`; host functions made go to `made`. */
    void defineInto(long imports, Store store, List<Long> made) {
        for (Map.Entry<WasiEnv, Module> w : wasi) {
            if (w.getKey().store() != store) {
                throw new LinkException("the WASI imports belong to another store than the instance's:"
                    + " instantiate with new Instance(wasiEnv.store(), module, imports)");
            }
            Native.wgWasiEnvDefineImports(w.getKey().ptr(), w.getValue().ptr(), imports);
        }
        for (Entry e : entries.values()) {
            long h;
            if (e.function != null) {
                h = WasmFunction.newHost(store, e.type, e.function);
                made.add(h);
            } else {
                if (storeOf(e.extern) != store) {
                    throw new LinkException("import `" + e.module + "`.`" + e.name + "` (a " + Types.kindName(e.extern)
                        + ") belongs to another store than the instance's: instantiate with new Instance(store, module, imports)");
                }
                h = ptrOf(e.extern);
            }
            Native.wgImportsDefine(imports, Native.utf8(e.module), Native.utf8(e.name), h);
        }
    }
}
