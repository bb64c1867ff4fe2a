package org.wasmer;

import java.util.Objects;

/**
 * The type of a table.
 *
 * @param type the element type (FUNCREF or EXTERNREF)
 * @param minimum the initial number of elements
 * @param maximum the maximum number of elements, or null when unbounded
 */
public record TableType(Type type, long minimum, Long maximum) implements ExternType {
    /**
     * A table type.
     *
     * @param type the element type (FUNCREF or EXTERNREF)
     * @param minimum the initial number of elements
     * @param maximum the maximum number of elements, or null when unbounded
     */
    public TableType {
        Objects.requireNonNull(type, "type");
        Types.checkLimits(minimum, maximum);
    }
}
