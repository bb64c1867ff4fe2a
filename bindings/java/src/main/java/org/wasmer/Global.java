package org.wasmer;

import java.lang.ref.Reference;
import java.util.Objects;
import org.wasmer.exports.Export;

/**
 * A WebAssembly global: {@code new Global(store, Type.I32, 42, true)}.
 *
 * <p>Values are Java values as for {@link WasmFunction#apply}: an externref global holds
 * any Java object (or null) and gives back the very same object; a funcref global holds a
 * {@link WasmFunction} (or null), and {@link #get} returns a new {@code WasmFunction}.
 */
public final class Global extends GlobalBase implements Export, AutoCloseable {
    final Store store;
    private long ptr;
    private final Handle handle;
    private final GlobalType type;
    private final int code;

    /**
     * A global in a store, for {@link Imports#define}.
     *
     * @param store the store
     * @param type the value type
     * @param value the initial value ({@code Integer}, {@code Long}, {@code Float}, {@code Double};
     *     any object or null for an externref; a {@code WasmFunction} or null for a funcref)
     * @param mutable whether WebAssembly and {@link #set} can change it
     */
    public Global(Store store, Type type, Object value, boolean mutable) {
        this(Objects.requireNonNull(store, "store"), Native.wgGlobalNew(store.ptr(),
             Objects.requireNonNull(type, "type").code(), mutable, Values.lower(type.code(), value, Values.VALUE, -1)));
        Reference.reachabilityFence(value); // a funcref is borrowed until the glue returned
    }

    /**
     * An immutable global in a store.
     *
     * @param store the store
     * @param type the value type
     * @param value the value
     */
    public Global(Store store, Type type, Object value) {
        this(store, type, value, false);
    }

    /** Wraps (and owns) a global handle returned by a rendered member. */
    Global(long handle, Object owner) {
        this(Owners.store(owner), handle);
    }

    Global(Store store, long ptr) {
        this.store = store;
        this.ptr = ptr;
        this.handle = new Handle(this, Native.T_EXTERN, ptr);
        try {
            this.type = (GlobalType) Types.take(Native.wgGlobalType(ptr));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        this.code = type.type().code();
    }

    /**
     * The current value.
     *
     * @return an {@code Integer}, {@code Long}, {@code Float} or {@code Double}; the object
     *     stored for an externref; a new {@code WasmFunction} for a funcref; or null
     */
    public Object get() {
        return Values.lift(code, Native.wgGlobalGet(ptr()), store);
    }

    /**
     * Sets the value.
     *
     * @param value the new value, of the global's type
     * @throws ArgumentException when the global is immutable or the value has another type
     */
    public void set(Object value) {
        long p = ptr();
        if (!type.mutable()) {
            throw new ArgumentException("the global is immutable");
        }
        Native.wgGlobalSet(p, Values.lower(code, value, Values.VALUE, -1));
        Reference.reachabilityFence(value); // a funcref is borrowed until the glue returned
    }

    /**
     * The global's type.
     *
     * @return value type and mutability
     */
    public GlobalType type() {
        ptr(); // closed: IllegalStateException, as for every other use
        return type;
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Global");
        }
        return p;
    }

    /** Releases this reference to the global (closing its instance closes it too). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
