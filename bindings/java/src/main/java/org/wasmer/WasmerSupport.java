package org.wasmer;

/**
 * The hand-written static members of {@link Wasmer} (which extends this class and adds
 * the free functions of api.yaml): the binding's version, wasmer-java's
 * {@code wat2wasm(String)}, and {@link #drain}.
 */
class WasmerSupport {
    WasmerSupport() {}

    /**
     * The version of this binding: the release version of wasmgen's packages (api.yaml's
     * library.version), stamped into {@code org/wasmer/wasmgen.properties} by the build.
     */
    public static final String VERSION = buildProperty("version");

    /** The libwasmer this JAR carries, e.g. {@code "libwasmer 7.4.2 (cranelift, ...)"}. */
    public static final String LIBWASMER = buildProperty("libwasmer");

    private static String buildProperty(String name) {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.InputStream in = WasmerSupport.class.getResourceAsStream("wasmgen.properties")) {
            if (in == null) {
                throw new IllegalStateException("org/wasmer/wasmgen.properties is missing from the JAR");
            }
            properties.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return properties.getProperty(name, "unknown");
    }

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
