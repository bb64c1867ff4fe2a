package org.wasmer;

import java.util.ArrayList;
import java.util.List;

/** ExternType glue handles to Java types: one switch over api.yaml's extern kinds. */
final class Types {
    private Types() {}

    /** Unbounded maximum of a memory or table, as the glue spells it. */
    static final int UNBOUNDED = -1; // 4294967295 as u32

    static void checkLimits(long minimum, Long maximum) {
        if (minimum < 0 || minimum > 0xFFFFFFFFL) {
            throw new ArgumentException("minimum " + minimum + " is not a u32");
        }
        if (maximum != null && (maximum < minimum || maximum > 0xFFFFFFFEL)) {
            throw new ArgumentException("maximum " + maximum + " must be at least the minimum " + minimum
                + " and below 4294967295 (use null for unbounded)");
        }
    }

    static int max(Long maximum) {
        return maximum == null ? UNBOUNDED : (int) (long) maximum;
    }

    private static Long max(int maximum) {
        return maximum == UNBOUNDED ? null : Integer.toUnsignedLong(maximum);
    }

    /** The Java type of an ExternType handle, which is deleted. */
    static ExternType take(long h) {
        try {
            return lift(h);
        } finally {
            Native.delete(Native.T_EXTERN_TYPE, h);
        }
    }

    static ExternType lift(long h) {
        int kind = Native.wgExternTypeKind(h);
        switch (kind) {
            case 0: { // func
                List<Type> params = new ArrayList<>();
                List<Type> results = new ArrayList<>();
                for (int i = 0, n = Native.wgExternTypeParamCount(h); i < n; i++) {
                    params.add(Type.fromCode(Native.wgExternTypeParam(h, i)));
                }
                for (int i = 0, n = Native.wgExternTypeResultCount(h); i < n; i++) {
                    results.add(Type.fromCode(Native.wgExternTypeResult(h, i)));
                }
                return new FunctionType(params, results);
            }
            case 1: { // global
                return new GlobalType(Type.fromCode(Native.wgExternTypeContent(h)), Native.wgExternTypeMutable(h));
            }
            case 2: { // table
                return new TableType(Type.fromCode(Native.wgExternTypeContent(h)),
                    Integer.toUnsignedLong(Native.wgExternTypeMinimum(h)), max(Native.wgExternTypeMaximum(h)));
            }
            case 3: { // memory
                return new MemoryType(Integer.toUnsignedLong(Native.wgExternTypeMinimum(h)),
                    max(Native.wgExternTypeMaximum(h)));
            }
            default:
                throw new WasmerException("unknown extern kind " + kind);
        }
    }

    /** The name of an extern kind, for messages. */
    static String kindName(Object extern) {
        if (extern instanceof WasmFunction) {
            return "func";
        }
        if (extern instanceof Global) {
            return "global";
        }
        if (extern instanceof Table) {
            return "table";
        }
        if (extern instanceof Memory) {
            return "memory";
        }
        return extern == null ? "null" : extern.getClass().getSimpleName();
    }
}
