package org.wasmer;

import java.util.Objects;

/**
 * The type of a global.
 *
 * @param type the value type
 * @param mutable whether it can be set
 */
public record GlobalType(Type type, boolean mutable) implements ExternType {
    /**
     * A global type.
     *
     * @param type the value type
     * @param mutable whether it can be set
     */
    public GlobalType {
        Objects.requireNonNull(type, "type");
    }
}
