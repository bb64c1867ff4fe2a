package org.wasmer;

/**
 * The store or engine of a handle that a rendered member (a {@code <Class>Base}) returns,
 * found from its owner: the object the member was called on, or the first handle argument
 * of a static member. Each class's package-private constructor {@code (long handle, Object
 * owner)} uses it to wrap the handle.
 */
final class Owners {
    private Owners() {}

    static Store store(Object owner) {
        if (owner instanceof Store s) {
            return s;
        }
        if (owner instanceof Instance i) {
            return i.store();
        }
        if (owner instanceof WasmFunction f) {
            return f.store;
        }
        if (owner instanceof Memory m) {
            return m.store;
        }
        if (owner instanceof Global g) {
            return g.store;
        }
        if (owner instanceof Table t) {
            return t.store;
        }
        throw new IllegalArgumentException("no store to wrap a handle for: " + owner);
    }

    static Engine engine(Object owner) {
        if (owner instanceof Engine e) {
            return e;
        }
        if (owner instanceof Module m) {
            return m.engine();
        }
        return store(owner).engine();
    }
}
