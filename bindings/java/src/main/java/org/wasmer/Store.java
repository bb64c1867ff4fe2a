package org.wasmer;

import java.util.Objects;

/**
 * Owns every runtime object made in it (instances, functions, memories, globals, tables).
 *
 * <p>{@code new Instance(bytes)} and {@code module.instantiate()} make a private store for
 * the instance; pass a store explicitly ({@code new Instance(store, module, imports)}) to
 * share functions, memories, globals and tables between instances. Closing a store
 * frees it once the objects made in it are closed (or collected) too.
 *
 * <p>Threads: every object may be used from any thread. Calls into one store (its
 * instances, functions, memories, globals, tables) are serialized by a lock in the shared
 * glue, so threads that share an instance take turns and always compute the right result;
 * for parallel execution give each thread its own store and instance. A host
 * function may call back into its own instance on the same thread. A memory view
 * ({@link Memory#buffer}) is raw memory: reading it while another thread runs wasm in the
 * same store is a data race, as with any shared buffer. Close an object when no other
 * thread uses it; one never closed is freed by a {@link java.lang.ref.Cleaner}, which only
 * queues the delete: it runs when a glue call in that store returns, at the next glue
 * constructor, or at {@link Wasmer#drain}.
 */
public final class Store extends StoreBase implements AutoCloseable {
    private final Engine engine;
    private long ptr;
    private final Handle handle;

    /** A store on the shared engine with the default compiler. */
    public Store() {
        this(Engine.shared());
    }

    /**
     * A store on an engine.
     *
     * @param engine the engine
     */
    public Store(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.ptr = Native.wgStoreNew(engine.ptr());
        this.handle = new Handle(this, Native.T_STORE, ptr);
    }

    /**
     * The engine.
     *
     * @return the engine this store compiles and runs with
     */
    public Engine engine() {
        return engine;
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Store");
        }
        return p;
    }

    /** Releases the store. */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
