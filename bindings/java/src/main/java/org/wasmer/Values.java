package org.wasmer;

/**
 * Java values to and from the 8-byte wg_val bit patterns, by value kind: one switch
 * over api.yaml's value types, used by every call path.
 */
final class Values {
    private Values() {}

    /** The kind code of externref. */
    static final int EXTERNREF = 128;
    /** The kind code of funcref. */
    static final int FUNCREF = 129;

    static final String ARGUMENT = "argument";
    static final String RESULT = "result";
    static final String VALUE = "value";

    /** The bits of a Java value for a value of kind {@code kind}; ArgumentException if it does not fit. */
    static long lower(int kind, Object v, String role, int index) {
        switch (kind) {
            case 0: // i32
                if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    return ((Number) v).intValue() & 0xFFFFFFFFL;
                }
                if (v instanceof Long) {
                    long l = (Long) v;
                    if (l >= Integer.MIN_VALUE && l <= 0xFFFFFFFFL) {
                        return l & 0xFFFFFFFFL;
                    }
                    throw doesNotFit(role, index, l, "i32");
                }
                throw mismatch(role, index, "i32 (Integer)", v);
            case 1: // i64
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    return ((Number) v).longValue();
                }
                throw mismatch(role, index, "i64 (Long)", v);
            case 2: // f32
                if (v instanceof Float) {
                    return Float.floatToRawIntBits((Float) v) & 0xFFFFFFFFL;
                }
                if (v instanceof Number) {
                    return Float.floatToRawIntBits(((Number) v).floatValue()) & 0xFFFFFFFFL;
                }
                throw mismatch(role, index, "f32 (Float)", v);
            case 3: // f64
                if (v instanceof Double) {
                    return Double.doubleToRawLongBits((Double) v);
                }
                if (v instanceof Number) {
                    return Double.doubleToRawLongBits(((Number) v).doubleValue());
                }
                throw mismatch(role, index, "f64 (Double)", v);
            case 128: // externref
                return Native.externrefNew(v); // any Java object (a new token each time), 0 for null
            case 129: // funcref
                return funcref(v, role, index); // out of line, to keep lower small
            default:
                throw unknownKind(kind);
        }
    }

    /** The handle of a funcref, borrowed: the caller keeps {@code v} reachable until the glue call returned. */
    private static long funcref(Object v, String role, int index) {
        if (v == null) {
            return 0L;
        }
        if (v instanceof WasmFunction) {
            WasmFunction f = (WasmFunction) v;
            if (f.host) {
                throw new ArgumentException(where(role, index)
                    + ": a host function cannot be used as a funcref (libwasmer does not support it)");
            }
            return f.ptr();
        }
        throw mismatch(role, index, "funcref (WasmFunction or null)", v);
    }

    /**
     * The Java value of the bits of a value of kind {@code kind}. A funcref becomes a new
     * {@link WasmFunction} of {@code store} owning the handle; an externref the object
     * that was passed in.
     */
    static Object lift(int kind, long bits, Store store) {
        switch (kind) {
            case 0: // i32
                return (int) bits;
            case 1: // i64
                return bits;
            case 2: // f32
                return Float.intBitsToFloat((int) bits);
            case 3: // f64
                return Double.longBitsToDouble(bits);
            case 128: // externref
                return bits == 0 ? null : Native.externrefGet(bits);
            case 129: // funcref
                return bits == 0 ? null : new WasmFunction(store, bits);
            default:
                throw new WasmerException("unknown value kind " + kind);
        }
    }

    /** Whether one of the kinds is a reference (calls then take the path that manages them). */
    static boolean anyReference(int[] kinds) {
        for (int k : kinds) {
            if (k >= 128) {
                return true;
            }
        }
        return false;
    }

    /**
     * Undoes what lowering did to slots a glue call never converted: frees the externref
     * tokens among the first {@code count} values (funcrefs are only borrowed).
     */
    static void unlower(int[] kinds, java.nio.ByteBuffer slots, int count) {
        for (int i = 0; i < count; i++) {
            if (kinds[i] == EXTERNREF) {
                Native.externrefFree(slots.getLong(i << 3));
            }
        }
    }

    /**
     * Lifts the values in {@code slots} (from the glue, which made a new handle for each
     * non-null funcref); on a failure, deletes the funcref handles not yet wrapped.
     */
    static Object[] liftAll(int[] kinds, java.nio.ByteBuffer slots, int base, Store store) {
        Object[] out = new Object[kinds.length];
        int i = 0;
        try {
            for (; i < kinds.length; i++) {
                out[i] = lift(kinds[i], slots.getLong(base + (i << 3)), store);
            }
            return out;
        } catch (RuntimeException | Error e) {
            for (i++; i < kinds.length; i++) {
                long bits = slots.getLong(base + (i << 3));
                if (kinds[i] == FUNCREF && bits != 0) {
                    Native.delete(Native.T_EXTERN, bits);
                }
            }
            throw e;
        }
    }

    // The throws of lower are out of line: lower stays small enough (325 bytecodes) for the
    // JIT to inline it into the call paths.
    private static ArgumentException unknownKind(int kind) {
        return new ArgumentException("unknown value kind " + kind);
    }

    private static ArgumentException doesNotFit(String role, int index, long value, String type) {
        return new ArgumentException(where(role, index) + " (" + value + ") does not fit in " + type);
    }

    private static String where(String role, int index) {
        return index < 0 ? role : role + " " + index;
    }

    private static ArgumentException mismatch(String role, int index, String expected, Object v) {
        return new ArgumentException(where(role, index) + " must be " + expected + ", got "
            + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
    }

    static int[] codes(java.util.List<Type> types) {
        int[] out = new int[types.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = types.get(i).code();
        }
        return out;
    }

    static byte[] kinds(int[] codes) {
        byte[] out = new byte[codes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) codes[i];
        }
        return out;
    }
}
