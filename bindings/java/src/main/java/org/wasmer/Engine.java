package org.wasmer;

import java.util.Objects;

/**
 * Compiles and runs modules with one compiler backend:
 * {@code new Store(new Engine(Compiler.SINGLEPASS))}.
 */
public final class Engine extends EngineBase implements AutoCloseable {
    private static volatile Engine shared;

    private final Compiler compiler;
    private final boolean isShared;
    private long ptr;
    private final Handle handle;

    /** An engine with the default compiler ({@link Compiler#defaultCompiler()}). */
    public Engine() {
        this(Compiler.defaultCompiler());
    }

    /**
     * An engine with the given compiler.
     *
     * @param compiler the compiler backend
     */
    public Engine(Compiler compiler) {
        this(compiler, false);
    }

    private Engine(Compiler compiler, boolean isShared) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.isShared = isShared;
        this.ptr = Native.wgEngineNew(compiler.code());
        this.handle = new Handle(this, Native.T_ENGINE, ptr);
    }

    /** The engine of stores made without one (default compiler, never closed). */
    static Engine shared() {
        Engine e = shared;
        if (e == null) {
            synchronized (Engine.class) {
                e = shared;
                if (e == null) {
                    shared = e = new Engine(Compiler.defaultCompiler(), true);
                }
            }
        }
        return e;
    }

    /**
     * The compiler backend.
     *
     * @return the compiler
     */
    public Compiler compiler() {
        return compiler;
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Engine");
        }
        return p;
    }

    /** Frees the engine (stores made from it keep working). The shared default engine is never freed. */
    @Override
    public void close() {
        if (isShared) {
            return;
        }
        ptr = 0;
        handle.close();
    }

    @Override
    public String toString() {
        return "Engine(" + compiler + ")";
    }
}
