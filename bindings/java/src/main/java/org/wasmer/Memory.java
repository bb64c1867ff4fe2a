package org.wasmer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.wasmer.exports.Export;

/**
 * A WebAssembly linear memory.
 *
 * <pre>{@code
 * Memory memory = instance.exports.getMemory("memory");
 * ByteBuffer buffer = memory.buffer();   // zero copy, little-endian
 * buffer.put(0, (byte) 42);
 * }</pre>
 */
public final class Memory extends MemoryBase implements Export, AutoCloseable {
    /** Bytes per page. */
    public static final int PAGE_SIZE = 65536;

    final Store store;
    private long ptr;
    private final Handle handle;

    /**
     * A memory in a store, for {@link Imports#define}.
     *
     * @param store the store
     * @param type its size limits in pages
     */
    public Memory(Store store, MemoryType type) {
        this(Objects.requireNonNull(store, "store"),
             Native.wgMemoryNew(store.ptr(), (int) Objects.requireNonNull(type, "type").minimum(), Types.max(type.maximum())));
    }

    /** Wraps (and owns) a memory handle returned by a rendered member. */
    Memory(long handle, Object owner) {
        this(Owners.store(owner), handle);
    }

    Memory(Store store, long ptr) {
        this.store = store;
        this.ptr = ptr;
        this.handle = new Handle(this, Native.T_EXTERN, ptr);
    }

    /**
     * A direct, little-endian ByteBuffer over the memory's bytes, without copying: writes
     * go to WebAssembly's memory. Valid until the memory grows: take a new one after
     * {@link #grow}. The memory stays allocated while the buffer is reachable, even after
     * {@link #close}.
     *
     * @return a new buffer over the whole memory
     */
    public ByteBuffer buffer() {
        ByteBuffer buffer = Native.wgMemoryData(ptr());
        if (handle.retain()) {
            Handle h = handle;
            Handle.CLEANER.register(buffer, h::releaseLater);
        }
        return buffer.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies {@code length} bytes from byte {@code offset} of the memory into a new array: one
     * copy under the store's lock (the bulk path; {@link #read(long, byte[], int, int)} reuses
     * an array).
     *
     * @param offset the byte offset in the memory
     * @param length how many bytes
     * @return the bytes
     * @throws IndexOutOfBoundsException past the end of the memory
     */
    public byte[] read(long offset, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IndexOutOfBoundsException("out of bounds: length " + length);
        }
        byte[] dst = new byte[(int) length];
        NativeLibrary.memoryRead(ptr(), offset, dst, 0, dst.length);
        return dst;
    }

    /**
     * Copies {@code length} bytes from byte {@code offset} of the memory into
     * {@code dst[at..at + length]}: one copy under the store's lock, no allocation.
     *
     * @param offset the byte offset in the memory
     * @param dst the destination array
     * @param at the first index of {@code dst} written
     * @param length how many bytes
     * @throws IndexOutOfBoundsException past the end of the memory or of {@code dst}
     */
    public void read(long offset, byte[] dst, int at, int length) {
        Objects.checkFromIndexSize(at, length, Objects.requireNonNull(dst, "dst").length);
        NativeLibrary.memoryRead(ptr(), offset, dst, at, length);
    }

    /**
     * Copies {@code data} into the memory at byte {@code offset}: one copy under the store's
     * lock (the bulk path). Past the end nothing is written.
     *
     * @param offset the byte offset in the memory
     * @param data the bytes
     * @throws IndexOutOfBoundsException past the end of the memory
     */
    public void write(long offset, byte[] data) {
        write(offset, Objects.requireNonNull(data, "data"), 0, data.length);
    }

    /**
     * Copies {@code src[at..at + length]} into the memory at byte {@code offset}: one copy
     * under the store's lock.
     *
     * @param offset the byte offset in the memory
     * @param src the source array
     * @param at the first index of {@code src} read
     * @param length how many bytes
     * @throws IndexOutOfBoundsException past the end of the memory or of {@code src}
     */
    public void write(long offset, byte[] src, int at, int length) {
        Objects.checkFromIndexSize(at, length, Objects.requireNonNull(src, "src").length);
        NativeLibrary.memoryWrite(ptr(), offset, src, at, length);
    }

    /**
     * The memory's type.
     *
     * @return its limits
     */
    public MemoryType type() {
        return (MemoryType) Types.take(Native.wgMemoryType(ptr()));
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("Memory");
        }
        return p;
    }

    /** Releases this reference to the memory (closing its instance closes it too). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }
}
