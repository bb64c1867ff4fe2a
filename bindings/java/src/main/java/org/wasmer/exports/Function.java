package org.wasmer.exports;

/**
 * An exported WebAssembly function, called as a Java function (wasmer-java's interface):
 * {@code Integer r = (Integer) instance.exports.getFunction("sum").apply(1, 2)[0];}
 *
 * <p>Arguments are converted by the function's signature: {@code Integer} for i32,
 * {@code Long} for i64, {@code Float} for f32, {@code Double} for f64, any object (or
 * {@code null}) for externref, an {@code org.wasmer.WasmFunction} (or {@code null}) for
 * funcref; results come back the same way, in an array, or {@code null} when the function
 * has no result.
 */
@FunctionalInterface
public interface Function extends Export {
    /**
     * Calls the function.
     *
     * @param args the arguments, one per parameter
     * @return the results, or null for a function without results
     */
    Object[] apply(Object... args);
}
