package org.wasmer;

/**
 * An import of a module.
 *
 * @param module the module name it is imported from
 * @param name the import's name
 * @param type its type
 */
public record ImportType(String module, String name, ExternType type) {
}
