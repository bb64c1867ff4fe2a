package org.wasmer;

import java.util.Objects;
import org.wasmer.exports.Export;

/**
 * A WebAssembly table of references.
 */
public final class Table extends TableBase implements Export, AutoCloseable {
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

    /** Wraps (and owns) a table handle returned by a rendered member. */
    Table(long handle, Object owner) {
        this(Owners.store(owner), handle);
    }

    Table(Store store, long ptr) {
        this.store = store;
        this.ptr = ptr;
        this.handle = new Handle(this, Native.T_EXTERN, ptr);
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
