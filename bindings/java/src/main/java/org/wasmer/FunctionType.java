package org.wasmer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The type of a function: {@code new FunctionType(new Type[]{Type.I32, Type.I32}, new Type[]{Type.I32})}. */
public final class FunctionType implements ExternType {
    private final List<Type> params;
    private final List<Type> results;
    final int[] paramCodes;
    final int[] resultCodes;

    /**
     * A function type.
     *
     * @param params the parameter types
     * @param results the result types
     */
    public FunctionType(Type[] params, Type[] results) {
        this(Arrays.asList(Objects.requireNonNull(params, "params")),
             Arrays.asList(Objects.requireNonNull(results, "results")));
    }

    /**
     * A function type.
     *
     * @param params the parameter types
     * @param results the result types
     */
    public FunctionType(List<Type> params, List<Type> results) {
        this.params = List.copyOf(Objects.requireNonNull(params, "params"));
        this.results = List.copyOf(Objects.requireNonNull(results, "results"));
        this.paramCodes = Values.codes(this.params);
        this.resultCodes = Values.codes(this.results);
    }

    /**
     * The parameter types.
     *
     * @return an unmodifiable list
     */
    public List<Type> params() {
        return params;
    }

    /**
     * The result types.
     *
     * @return an unmodifiable list
     */
    public List<Type> results() {
        return results;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionType && params.equals(((FunctionType) o).params)
            && results.equals(((FunctionType) o).results);
    }

    @Override
    public int hashCode() {
        return params.hashCode() * 31 + results.hashCode();
    }

    @Override
    public String toString() {
        return "FunctionType" + params + " -> " + results;
    }
}
