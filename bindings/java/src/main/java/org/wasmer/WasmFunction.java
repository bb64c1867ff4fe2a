package org.wasmer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A WebAssembly function: exported by an instance, or made from a Java
 * {@link HostFunction} in a store. It implements wasmer-java's
 * {@link org.wasmer.exports.Function}: {@code apply(5, 37)} returns {@code Object[]}.
 *
 * <p>The signature is read once, when the function is wrapped: a call does no lookup, and
 * allocates nothing but the returned array (and the boxes of its values). Arguments and
 * results travel as 8-byte bit patterns in a direct buffer of the function's own.
 *
 * <p>Threads: a function may be called from any thread, also from several at once. A call
 * takes the function's buffer when it is free (one compare-and-set); a call that finds it
 * taken (another thread's call, or a host function calling back into this function) uses
 * a buffer of its own thread instead, so no call sees another's arguments or results.
 * Calls into one store are serialized by a lock in the shared glue: threads that share an
 * instance take turns; for parallel execution give each thread its own {@link Store} and
 * instance.
 *
 * <p>References: an {@code externref} is any Java object (or null), and the very same
 * object comes back out of WebAssembly; the store keeps it reachable until the store is
 * freed. A {@code funcref} is a {@code WasmFunction} (or null): one coming out of
 * WebAssembly is a new {@code WasmFunction} to call, pass back in, or close. A host
 * function cannot be used as a funcref (libwasmer does not support it):
 * {@link ArgumentException}.
 */
public final class WasmFunction extends WasmFunctionBase implements org.wasmer.exports.Function, AutoCloseable {
    private static final Object[] NO_ARGS = {};
    /** {@link #busy}: 1 while a call uses {@link #values}. */
    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(WasmFunction.class, "busy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Store store;
    /** Made from a Java {@link HostFunction}: it cannot be a funcref. */
    final boolean host;
    private long ptr;
    private final Handle handle;
    private final FunctionType type;
    private final int[] params;
    private final int[] results;
    private final ByteBuffer values; // arguments, then results: one wg_val each
    private final long argsAddress;
    private final boolean refs; // a reference among params or results: apply takes applyRefs
    @SuppressWarnings("unused") // through BUSY
    private int busy;

    /**
     * A host function in a store, to import into instances of that store with
     * {@link Imports#define}, or to call from Java. (libwasmer cannot store a host function
     * in a table: {@link Table#set} refuses it.)
     *
     * @param store the store it lives in
     * @param type its WebAssembly type
     * @param function the Java code it runs
     */
    public WasmFunction(Store store, FunctionType type, HostFunction function) {
        this(store, newHost(store, type, function), type, true);
    }

    /** Wraps (and owns) a function handle returned by a rendered member. */
    WasmFunction(long handle, Object owner) {
        this(Owners.store(owner), handle);
    }

    /** Wraps (and owns) an Extern handle of a function. */
    WasmFunction(Store store, long ptr) {
        this(store, ptr, typeOf(ptr), false);
    }

    private WasmFunction(Store store, long ptr, FunctionType type, boolean host) {
        this.store = store;
        this.host = host;
        this.ptr = ptr;
        this.handle = new Handle(this, Native.T_EXTERN, ptr);
        this.type = type;
        this.params = type.paramCodes;
        this.results = type.resultCodes;
        this.values = ByteBuffer.allocateDirect(8 * Math.max(1, params.length + results.length))
            .order(ByteOrder.nativeOrder());
        this.argsAddress = Native.address(values);
        this.refs = Values.anyReference(params) || Values.anyReference(results);
    }

    private static FunctionType typeOf(long ptr) {
        try {
            return (FunctionType) Types.take(Native.wgFunctionType(ptr));
        } catch (RuntimeException | Error e) {
            Native.delete(Native.T_EXTERN, ptr);
            throw e;
        }
    }

    /** A new host function's Extern handle in a store (owned by the caller). */
    static long newHost(Store store, FunctionType type, HostFunction function) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        HostEntry entry = new HostEntry(function, type, store);
        long env = Native.hostNew(entry, entry.values, type.paramCodes.length, type.resultCodes.length);
        try {
            return Native.wgFunctionNewHost(store.ptr(), Values.kinds(type.paramCodes), Values.kinds(type.resultCodes), env);
        } catch (RuntimeException | Error e) {
            Native.hostFree(env);
            throw e;
        }
    }

    /**
     * Calls the function.
     *
     * @param args one Java value per parameter ({@code Integer}, {@code Long}, {@code Float},
     *     {@code Double}; any object or null for an externref, a {@code WasmFunction} or null
     *     for a funcref)
     * @return the results, or null when the function has none
     * @throws TrapException when WebAssembly traps
     * @throws ArgumentException for a wrong number or type of arguments
     * @throws IllegalStateException after close
     */
    @Override
    public Object[] apply(Object... args) {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("WasmFunction");
        }
        if (args == null) {
            args = NO_ARGS;
        }
        int[] ps = params;
        if (args.length != ps.length) {
            throw new ArgumentException("function " + type + " takes " + ps.length + " argument(s), "
                + args.length + " given");
        }
        if (!BUSY.compareAndSet(this, 0, 1)) {
            Slots s = Slots.get(ps.length + results.length);
            return refs ? applyRefs(p, args, s.buffer, s.address) : applyNumbers(p, args, s.buffer, s.address);
        }
        try {
            return refs ? applyRefs(p, args, values, argsAddress) : applyNumbers(p, args, values, argsAddress);
        } finally {
            BUSY.setRelease(this, 0);
        }
    }

    /**
     * Value slots of one thread, for a call that finds its function's own taken. A call
     * nested in it on the same thread (a host function calling back) may use them again:
     * the glue reads the arguments before running WebAssembly and writes the results when
     * it returns, so each call reads its results right after the glue wrote them.
     */
    private static final class Slots {
        private static final ThreadLocal<Slots> MINE = new ThreadLocal<>();
        final ByteBuffer buffer;
        final long address;

        private Slots(int count) {
            buffer = ByteBuffer.allocateDirect(8 * count).order(ByteOrder.nativeOrder());
            address = Native.address(buffer);
        }

        /** This thread's slots, with room for at least {@code count} values. */
        static Slots get(int count) {
            Slots s = MINE.get();
            if (s == null || s.buffer.capacity() < 8 * count) {
                s = new Slots(Math.max(16, count));
                MINE.set(s); // a call still using the old ones keeps them reachable
            }
            return s;
        }
    }

    /** apply for numbers only, with value slots at {@code address} (the buffer {@code v}). */
    private Object[] applyNumbers(long p, Object[] args, ByteBuffer v, long address) {
        int[] ps = params;
        for (int i = 0; i < ps.length; i++) {
            v.putLong(i << 3, Values.lower(ps[i], args[i], Values.ARGUMENT, i));
        }
        Native.wgFunctionCall(p, address, address + 8L * ps.length);
        int[] rs = results;
        Object[] out = rs.length == 0 ? null : new Object[rs.length];
        for (int i = 0, base = ps.length << 3; i < rs.length; i++) {
            out[i] = Values.lift(rs[i], v.getLong(base + (i << 3)), store);
        }
        Reference.reachabilityFence(this); // its handle and buffer are in use until here
        Reference.reachabilityFence(v);
        return out;
    }

    /** apply for a signature with references: tokens and borrowed handles are managed here. */
    private Object[] applyRefs(long p, Object[] args, ByteBuffer v, long address) {
        int[] ps = params;
        int i = 0;
        try {
            for (; i < ps.length; i++) {
                v.putLong(i << 3, Values.lower(ps[i], args[i], Values.ARGUMENT, i));
            }
        } catch (RuntimeException | Error e) {
            Values.unlower(ps, v, i); // the glue never saw these tokens
            throw e;
        }
        try {
            Native.wgFunctionCall(p, address, address + 8L * ps.length);
        } finally {
            Reference.reachabilityFence(args); // funcref arguments are borrowed until here
        }
        Object[] out = results.length == 0 ? null : Values.liftAll(results, v, ps.length << 3, store);
        Reference.reachabilityFence(this);
        Reference.reachabilityFence(v);
        return out;
    }

    /**
     * Calls the function with raw values, without boxing: each argument and result is the
     * bit pattern of its value (an i32 in the low 32 bits, an f32 as
     * {@code Float.floatToRawIntBits}, an f64 as {@code Double.doubleToRawLongBits}).
     *
     * @param args one bit pattern per parameter
     * @param results receives one bit pattern per result (at least as long as the result count)
     * @throws TrapException when WebAssembly traps
     * @throws ArgumentException for a wrong number of arguments or a short results array, or a
     *     signature with references (externref, funcref: use {@link #apply})
     */
    public void callRaw(long[] args, long[] results) {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("WasmFunction");
        }
        if (refs) {
            throw new ArgumentException("callRaw takes numbers only: function " + type
                + " has references, call it with apply");
        }
        if (args == null || args.length != params.length || results == null || results.length < this.results.length) {
            throw new ArgumentException("function " + type + " takes " + params.length + " argument(s) and "
                + this.results.length + " result(s)");
        }
        if (!BUSY.compareAndSet(this, 0, 1)) {
            Slots s = Slots.get(args.length + this.results.length);
            callRaw(p, args, results, s.buffer, s.address);
            return;
        }
        try {
            callRaw(p, args, results, values, argsAddress);
        } finally {
            BUSY.setRelease(this, 0);
        }
    }

    private void callRaw(long p, long[] args, long[] results, ByteBuffer v, long address) {
        for (int i = 0; i < args.length; i++) {
            v.putLong(i << 3, args[i]);
        }
        Native.wgFunctionCall(p, address, address + 8L * args.length);
        for (int i = 0, base = args.length << 3; i < this.results.length; i++) {
            results[i] = v.getLong(base + (i << 3));
        }
        Reference.reachabilityFence(this);
        Reference.reachabilityFence(v);
    }

    /**
     * The function's type.
     *
     * @return parameter and result types
     */
    public FunctionType type() {
        ptr(); // closed: IllegalStateException, as for every other use
        return type;
    }

    long ptr() {
        long p = ptr;
        if (p == 0) {
            throw Handle.closed("WasmFunction");
        }
        return p;
    }

    /** Releases this reference to the function (closing its instance closes it too). */
    @Override
    public void close() {
        ptr = 0;
        handle.close();
    }

    @Override
    public String toString() {
        return "WasmFunction" + type.params() + " -> " + type.results();
    }
}
