package org.wasmer;

/**
 * The type of a memory, in 64 KiB pages.
 *
 * @param minimum the initial size in pages
 * @param maximum the maximum size in pages, or null when unbounded
 */
public record MemoryType(long minimum, Long maximum) implements ExternType {
    /**
     * A memory type.
     *
     * @param minimum the initial size in pages
     * @param maximum the maximum size in pages, or null when unbounded
     */
    public MemoryType {
        Types.checkLimits(minimum, maximum);
    }
}
