package org.wasmer;

/**
 * The hand-written static members of {@link Wasmer} (which extends this class and adds
 * the free functions of api.yaml): the binding's version, wasmer-java's
 * {@code wat2wasm(String)}, and {@link #drain}.
 */
class WasmerSupport {
    WasmerSupport() {}

    /** The version of this binding (wasmer-java's numbering). */
    public static final String VERSION = "0.3.0";

    /**
     * Converts WebAssembly text to binary.
     *
     * @param wat the module in the text format
     * @return the binary module
     * @throws CompileException when the text does not parse
     */
    public static byte[] wat2wasm(String wat) {
        return Native.wgWat2wasm(Native.utf8(wat));
    }

    /**
     * Runs the deletes queued by the garbage collector's Cleaner on this thread (every
     * constructor does it too). Native objects of a store must be freed on a thread using it.
     * Also lets go of the funcref results of this thread's last host function (see
     * {@link HostFunction}).
     */
    public static void drain() {
        Native.drain();
    }
}
