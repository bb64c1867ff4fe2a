package org.wasmer;

import java.lang.ref.Cleaner;

/**
 * One native glue handle owned by one Java object.
 *
 * <p>{@code close()} on the owning thread deletes it at once; when the owner is
 * garbage-collected instead, the Cleaner thread only queues the delete
 * ({@code wg_defer_delete}): libwasmer's store is not thread-safe, so the queue is run
 * when a glue call in that store returns or at the next glue constructor. A borrower (a
 * {@link java.nio.ByteBuffer} over a memory) can {@link #retain} the handle so that
 * the native object outlives the owner's close until the borrower is collected.
 */
final class Handle implements Runnable {
    static final Cleaner CLEANER = Cleaner.create();

    private final int type;
    private long ptr; // guarded by this
    private int refs = 1; // guarded by this
    private volatile boolean direct;
    private final Cleaner.Cleanable cleanable;

    Handle(Object owner, int type, long ptr) {
        this.type = type;
        this.ptr = ptr;
        this.cleanable = CLEANER.register(owner, this);
    }

    static IllegalStateException closed(String what) {
        return new IllegalStateException(what + " is closed");
    }

    /** The Cleaner's action (direct is false) or close()'s (direct is true); runs once. */
    @Override
    public void run() {
        release(direct);
    }

    /** Explicit close, on the owning thread: deletes now unless borrowed. Idempotent. */
    void close() {
        direct = true;
        cleanable.clean();
    }

    /** Keeps the native object alive for a borrower; false when already deleted. */
    synchronized boolean retain() {
        if (ptr == 0) {
            return false;
        }
        refs++;
        return true;
    }

    /** A borrower is gone (called by the Cleaner thread): queue the delete if it was the last. */
    void releaseLater() {
        release(false);
    }

    private void release(boolean now) {
        long p;
        synchronized (this) {
            if (ptr == 0 || --refs > 0) {
                return;
            }
            p = ptr;
            ptr = 0;
        }
        if (now) {
            Native.delete(type, p);
        } else {
            Native.deferDelete(type, p);
        }
    }
}
