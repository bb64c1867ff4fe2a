package org.wasmer;

import java.util.Objects;

/**
 * A WASI program's state in a store: its files, arguments and captured output.
 *
 * <pre>{@code
 * try (Store store = new Store();
 *      Module module = new Module(store, wasmBytes);
 *      WasiConfig config = new WasiConfig("program").argument("hello").captureStdout();
 *      WasiEnv wasi = new WasiEnv(store, config);
 *      Instance instance = new Instance(store, module, wasi.imports(module))) {
 *     instance.exports.getFunction("_start").apply();
 *     byte[] out = wasi.readStdout();
 * } catch (ExitException e) {
 *     int code = e.getExitCode(); // the program called exit(code)
 * }
 * }</pre>
 *
 * <p>One environment runs one instance, made in the environment's store
 * ({@code new Instance(store, module, imports)}).
 */
public final class WasiEnv extends WasiEnvBase implements AutoCloseable {
    private final Store store;
    private long ptr;
    private final Handle handle;

    /**
     * The state of a program started from a configuration (which stays usable).
     *
     * @param store the store the program will run in
     * @param config its configuration
     * @throws ArgumentException when a preopened or mapped directory is not a directory of the host
     */
    public WasiEnv(Store store, WasiConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.ptr = Native.wgWasiEnvNew(store.ptr(), Objects.requireNonNull(config, "config").ptr());
        this.handle = new Handle(this, Native.T_WASI_ENV, ptr);
    }

    /**
     * The store the program runs in.
     *
     * @return the store
     */
    public Store store() {
        return store;
    }

    /**
     * Defines in {@code imports} the WASI functions of the module's WASI version (made when
     * an instance is made with them); an instance made with them is this program. Functions
     * defined in {@code imports} by name take precedence over WASI's.
     *
     * @param module the WASI module
     * @param imports the imports to add to
     * @return {@code imports}
     */
    public Imports defineImports(Module module, Imports imports) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(imports, "imports").wasi(this, module);
        return imports;
    }

    /**
     * New imports with the WASI functions of a module ({@link #defineImports}).
     *
     * @param module the WASI module
     * @return the imports
     */
    public Imports imports(Module module) {
        return defineImports(module, new Imports());
    }

    @Override
    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("WasiEnv");
        }
        return p;
    }

    /** Frees the environment (an instance running it keeps what it needs). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
