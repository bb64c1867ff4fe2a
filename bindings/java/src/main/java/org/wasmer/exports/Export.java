package org.wasmer.exports;

/**
 * An export of a WebAssembly instance: a function, memory, global or table
 * (as in wasmer-java, where {@code instance.exports.get(name)} returns one).
 */
public interface Export {
}
