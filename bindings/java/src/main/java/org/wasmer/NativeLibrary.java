package org.wasmer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The runtime part of the low-level layer (plain source; {@link Native}, generated from
 * api.yaml, extends it with one native method per spec method): loads the native library
 * on first use, from the JAR ({@code org/wasmer/native/<os>-<arch>/}), extracted to a
 * temporary file, else from {@code java.library.path}
 * ({@code -Dwasmer.jni.library=/path/libwasmer_jni.so} names one explicitly), checks that
 * it was built from the same api.yaml, and declares the native methods of the JNI runtime
 * support ({@code src/main/c/jni_support.h}): deletes, host function entries, externref
 * tokens.
 */
class NativeLibrary {
    NativeLibrary() {} // extended by Native only

    static {
        load();
        String hash = str(specHash());
        if (!Native.SPEC_HASH.equals(hash)) {
            throw new UnsatisfiedLinkError("libwasmer_jni was built from another api.yaml (" + hash
                + ") than these classes (" + Native.SPEC_HASH + "): rebuild with `nox -s build-java`");
        }
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("windows")) {
            os = "windows";
        } else if (os.contains("mac")) {
            os = "darwin";
        } else {
            os = os.replaceAll("\\s+", "_");
        }
        return os + "-" + System.getProperty("os.arch");
    }

    private static void load() {
        String explicit = System.getProperty("wasmer.jni.library");
        if (explicit != null && !explicit.isEmpty()) {
            System.load(explicit);
            return;
        }
        String resource = "/org/wasmer/native/" + platform() + "/" + System.mapLibraryName("wasmer_jni");
        URL url = NativeLibrary.class.getResource(resource);
        if (url == null) {
            System.loadLibrary("wasmer_jni");
            return;
        }
        Path file = null;
        try (InputStream in = url.openStream()) {
            file = Files.createTempFile("wasmer_jni", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError("cannot extract " + resource + ": " + e);
            err.initCause(e);
            throw err;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file); // the mapping outlives the file
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    /** Deletes a handle now, on the calling thread (explicit close). */
    static native void delete(int type, long handle);

    /** Queues a delete from another thread (the Cleaner): libwasmer's store is not thread-safe. */
    static native void deferDelete(int type, long handle);

    /** Runs the queued deletes on this thread (every glue constructor does it first). */
    static native void drain();

    static native byte[] specHash();

    /** Copies {@code length} bytes of a memory at {@code offset} into {@code dst[at..]}, under the store's lock. */
    static native void memoryRead(long memory, long offset, byte[] dst, int at, int length);

    /** Copies {@code src[at..at + length]} into a memory at {@code offset}, under the store's lock. */
    static native void memoryWrite(long memory, long offset, byte[] src, int at, int length);

    // ---------------------------------------------------------------- host functions

    /** An env handle for wgFunctionNewHost: a global ref to the entry and the address of its (direct) value buffer. */
    static native long hostNew(HostEntry entry, java.nio.ByteBuffer values, int nparams, int nresults);

    /** The address of a direct ByteBuffer: wg_val slots for the {@code vals} of the glue. */
    static native long address(java.nio.ByteBuffer direct);

    /** Frees an env handle that wgFunctionNewHost refused. */
    static native void hostFree(long handle);

    /** Host function env handles not yet released by libwasmer (for leak checks). */
    static native long liveHostFunctions();

    // ---------------------------------------------------------------- references

    /**
     * A new externref token for a Java object (0 for null): a JNI global ref, released
     * when the store drops the reference (at the latest when the store is freed).
     */
    static native long externrefNew(Object obj);

    /** The Java object of an externref token (null for 0): the very object that was passed in. */
    static native Object externrefGet(long token);

    /** Frees a token the glue never took (a call that failed before converting its arguments). */
    static native void externrefFree(long token);

    /** Externref tokens not yet released by their stores (for leak checks). */
    static native long liveExternrefs();

    /**
     * Keeps a host function's results (Functions returned as funcrefs, borrowed by the glue)
     * reachable until the next host call on this thread, or {@link #drain}.
     */
    static native void keepResults(Object[] results);

    /** The message a host function's exception leaves in the trap: "Class: message". */
    static byte[] hostMessage(Throwable t) {
        String message = t.getMessage();
        String text = t.getClass().getName() + (message == null ? "" : ": " + message);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        if (s == null) {
            throw new NullPointerException("a string argument is null");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] utf8) {
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

}
