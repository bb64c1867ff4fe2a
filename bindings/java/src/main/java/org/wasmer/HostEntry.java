package org.wasmer;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the JNI host dispatcher calls: one per host function, held by a JNI global ref
 * (the glue's env handle) until libwasmer releases the function with its store. The
 * dispatcher writes the arguments' bits into {@link #values} (native memory, 8 bytes a
 * value), calls {@link #invoke}, and reads the results' bits back from it.
 *
 * <p>The store is held weakly: this entry is a GC root until the store releases it, so a
 * strong reference would keep the store from ever being freed. It is only needed to
 * wrap funcref arguments, and any call into the store keeps the store reachable.
 */
final class HostEntry {
    private final HostFunction fn;
    private final int[] params;
    private final int[] results;
    final ByteBuffer values;
    private final WeakReference<Store> store;
    private final boolean refs; // a reference among params or results: invoke takes invokeRefs
    private final boolean funcrefResults;

    HostEntry(HostFunction fn, FunctionType type, Store store) {
        this.fn = fn;
        this.params = type.paramCodes;
        this.results = type.resultCodes;
        this.store = new WeakReference<>(store);
        this.refs = Values.anyReference(params) || Values.anyReference(results);
        boolean funcrefs = false;
        for (int k : results) {
            funcrefs |= k == Values.FUNCREF;
        }
        this.funcrefResults = funcrefs;
        this.values = ByteBuffer.allocateDirect(8 * Math.max(1, Math.max(params.length, results.length)))
            .order(ByteOrder.nativeOrder());
    }

    /** Called from C: null when done, else the exception to re-throw to the caller. */
    Throwable invoke() {
        try {
            if (refs) {
                invokeRefs();
                return null;
            }
            int np = params.length;
            Object[] args = new Object[np];
            for (int i = 0; i < np; i++) {
                args[i] = Values.lift(params[i], values.getLong(i << 3), null);
            }
            Object[] out = fn.apply(args);
            int nr = results.length;
            int got = out == null ? 0 : out.length;
            if (got != nr) {
                throw new ArgumentException("host function returned " + got + " value(s), its type has " + nr);
            }
            for (int i = 0; i < nr; i++) {
                values.putLong(i << 3, Values.lower(results[i], out[i], Values.RESULT, i));
            }
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        } catch (Throwable t) {
            return new HostException(Native.str(Native.hostMessage(t)), t);
        }
    }

    /** invoke for a signature with references: externref tokens, funcref handles. */
    private void invokeRefs() throws Exception {
        // funcref arguments are new handles: WasmFunctions the host function owns
        Object[] args = Values.liftAll(params, values, 0, store.get());
        Object[] out = fn.apply(args);
        int nr = results.length;
        int got = out == null ? 0 : out.length;
        if (got != nr) {
            throw new ArgumentException("host function returned " + got + " value(s), its type has " + nr);
        }
        int i = 0;
        try {
            for (; i < nr; i++) {
                values.putLong(i << 3, Values.lower(results[i], out[i], Values.RESULT, i));
            }
        } catch (RuntimeException | Error e) {
            Values.unlower(results, values, i); // the glue never saw these tokens
            throw e;
        }
        if (funcrefResults) {
            // borrowed by the glue, which converts them after this returns to the dispatcher
            Native.keepResults(out.clone());
        }
    }
}
