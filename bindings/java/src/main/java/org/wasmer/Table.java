package org.wasmer;

import java.util.Objects;
import org.wasmer.exports.Export;

/**
 * A WebAssembly table of references.
 */
public final class Table implements Export, AutoCloseable {
    final Store store;
    private long ptr;
    private final Handle handle;

    /**
     * A table of null references in a store, for {@link Imports#define}.
     *
     * @param store the store
     * @param type element type and limits
     */
    public Table(Store store, TableType type) {
        this(Objects.requireNonNull(store, "store"), Native.wgTableNew(store.ptr(),
             Objects.requireNonNull(type, "type").type().code(), (int) type.minimum(), Types.max(type.maximum())));
    }

    Table(Store store, long ptr) {
        this.store = store;
        this.ptr = ptr;
        this.handle = new Handle(this, Native.T_EXTERN, ptr);
    }

    /**
     * The number of elements.
     *
     * @return the size
     */
    public int size() {
        return Native.wgTableSize(ptr());
    }

    /**
     * Grows the table with null elements.
     *
     * @param delta the number of elements to add
     * @return the previous size
     */
    public int grow(int delta) {
        if (delta < 0) {
            throw new ArgumentException("cannot grow by a negative number of elements: " + delta);
        }
        return Native.wgTableGrow(ptr(), delta);
    }

    /**
     * The function at an index.
     *
     * @param index the index
     * @return the function, or null for a null element
     * @throws ArgumentException when the index is out of bounds
     */
    public WasmFunction get(int index) {
        long h = Native.wgTableGet(ptr(), index);
        return h == 0 ? null : new WasmFunction(store, h);
    }

    /**
     * Stores a function (or null) at an index. A host function cannot be stored (libwasmer
     * does not support it).
     *
     * @param index the index
     * @param function the function, or null
     */
    public void set(int index, WasmFunction function) {
        Native.wgTableSet(ptr(), index, function == null ? 0 : function.ptr());
    }

    /**
     * The table's type.
     *
     * @return element type and limits
     */
    public TableType type() {
        return (TableType) Types.take(Native.wgTableType(ptr()));
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Table");
        }
        return p;
    }

    /** Releases this reference to the table (closing its instance closes it too). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
