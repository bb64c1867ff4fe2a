package org.wasmer;

/**
 * A host function written in Java, imported by WebAssembly:
 * {@code args -> new Object[]{(int) args[0] + (int) args[1]}}.
 *
 * <p>{@code args} holds one Java value per parameter of the function's {@link FunctionType}
 * ({@code Integer}, {@code Long}, {@code Float}, {@code Double}; for an externref the object
 * passed in, or null; for a funcref a new {@link WasmFunction} owned by the host function, or
 * null); return one value per result, of the same kinds ({@code null} or an empty array when
 * there is none). A host function cannot return a host function as a funcref: that throws
 * {@link ArgumentException} to the caller. A {@code WasmFunction} returned as a funcref is
 * kept reachable until the next host call on the same thread (or {@link Wasmer#drain}), so
 * that WebAssembly can take it over. An exception thrown here
 * makes the WebAssembly code trap and reaches the caller of the WebAssembly function as
 * itself (a checked one wrapped in a {@link HostException}).
 */
@FunctionalInterface
public interface HostFunction {
    /**
     * Runs the host function.
     *
     * @param args the arguments
     * @return the results
     * @throws Exception anything: it reaches the WebAssembly caller
     */
    Object[] apply(Object[] args) throws Exception;
}
