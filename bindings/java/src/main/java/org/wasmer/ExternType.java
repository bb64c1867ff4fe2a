package org.wasmer;

/**
 * The type of an import or export: a {@link FunctionType}, {@link MemoryType},
 * {@link GlobalType} or {@link TableType}.
 */
public sealed interface ExternType permits FunctionType, MemoryType, GlobalType, TableType {
}
