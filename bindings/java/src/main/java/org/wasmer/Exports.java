package org.wasmer;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.wasmer.exports.Export;

/**
 * An instance's exports by name, in module order.
 *
 * <pre>{@code
 * Function sum = instance.exports.getFunction("sum");
 * Memory memory = instance.exports.getMemory("memory");
 * }</pre>
 *
 * <p>As in wasmer-java, a missing name gives {@code null}; asking for an export of another
 * kind (say {@code getMemory("sum")}) throws {@link ArgumentException}.
 */
public final class Exports implements Iterable<Map.Entry<String, Export>> {
    private final Map<String, Export> items = new LinkedHashMap<>();

    Exports(long instance, Store store) {
        for (int i = 0, n = Native.wgInstanceExportCount(instance); i < n; i++) {
            String name = Native.str(Native.wgInstanceExportName(instance, i));
            items.put(name, wrap(store, Native.wgInstanceExport(instance, i)));
        }
    }

    /** A Java object for an Extern handle, by its kind; it owns the handle. */
    static Export wrap(Store store, long h) {
        int kind;
        try {
            kind = Native.wgExternKind(h);
        } catch (RuntimeException e) {
            Native.delete(Native.T_EXTERN, h);
            throw e;
        }
        switch (kind) {
            case 0: // func
                return new WasmFunction(store, h);
            case 1: // global
                return new Global(store, h);
            case 2: // table
                return new Table(store, h);
            case 3: // memory
                return new Memory(store, h);
            default:
                Native.delete(Native.T_EXTERN, h);
                throw new WasmerException("unknown extern kind " + kind);
        }
    }

    /**
     * The export with this name.
     *
     * @param name the export's name
     * @return a {@link WasmFunction}, {@link Memory}, {@link Global} or {@link Table}; null if none
     */
    public Export get(String name) {
        return items.get(name);
    }

    private <T> T get(String name, Class<T> cls, String what) {
        Export e = items.get(name);
        if (e == null) {
            return null;
        }
        if (!cls.isInstance(e)) {
            throw new ArgumentException("export `" + name + "` is a " + Types.kindName(e) + ", not a " + what);
        }
        return cls.cast(e);
    }

    /**
     * The exported function with this name.
     *
     * @param name the export's name
     * @return the function, or null if there is no export with this name
     * @throws ArgumentException when the export is not a function
     */
    public WasmFunction getFunction(String name) {
        return get(name, WasmFunction.class, "function");
    }

    /**
     * The exported global with this name.
     *
     * @param name the export's name
     * @return the global, or null if there is no export with this name
     * @throws ArgumentException when the export is not a global
     */
    public Global getGlobal(String name) {
        return get(name, Global.class, "global");
    }

    /**
     * The exported table with this name.
     *
     * @param name the export's name
     * @return the table, or null if there is no export with this name
     * @throws ArgumentException when the export is not a table
     */
    public Table getTable(String name) {
        return get(name, Table.class, "table");
    }

    /**
     * The exported memory with this name.
     *
     * @param name the export's name
     * @return the memory, or null if there is no export with this name
     * @throws ArgumentException when the export is not a memory
     */
    public Memory getMemory(String name) {
        return get(name, Memory.class, "memory");
    }

    /**
     * Whether there is an export with this name.
     *
     * @param name the name
     * @return true if there is
     */
    public boolean contains(String name) {
        return items.containsKey(name);
    }

    /**
     * The export names, in module order.
     *
     * @return an unmodifiable set
     */
    public Set<String> names() {
        return Collections.unmodifiableSet(items.keySet());
    }

    /**
     * The number of exports.
     *
     * @return the count
     */
    public int size() {
        return items.size();
    }

    /**
     * The exports by name, in module order.
     *
     * @return an unmodifiable map
     */
    public Map<String, Export> asMap() {
        return Collections.unmodifiableMap(items);
    }

    @Override
    public Iterator<Map.Entry<String, Export>> iterator() {
        return asMap().entrySet().iterator();
    }

    void close() {
        for (Export e : items.values()) {
            if (e instanceof WasmFunction) {
                ((WasmFunction) e).close();
            }
            if (e instanceof Global) {
                ((Global) e).close();
            }
            if (e instanceof Table) {
                ((Table) e).close();
            }
            if (e instanceof Memory) {
                ((Memory) e).close();
            }
        }
    }

    @Override
    public String toString() {
        return "Exports" + items.keySet();
    }
}
