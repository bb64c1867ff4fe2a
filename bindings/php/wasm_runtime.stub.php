<?php
/**
 * The classes of the `wasm` extension's runtime support: an instance's exports by
 * name, the Wasm\Type\ value objects extern types are lifted into, and the
 * zero-copy memory views. php-dev's gen_stub.php makes wasm_runtime_arginfo.h of it.
 * @generate-class-entries
 */

namespace Wasm {
    /**
     * An instance's exports by name: `$exports->sum`, `$exports['sum']`, count() and foreach.
     * @strict-properties
     * @not-serializable
     */
    final class Exports implements \ArrayAccess, \Countable, \IteratorAggregate
    {
        public function __get(string $name): Function_|Memory|Global_|Table {}

        public function __isset(string $name): bool {}

        /** @param string $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param string $offset */
        public function offsetGet(mixed $offset): Function_|Memory|Global_|Table {}

        /** Exports are read-only: throws. */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Exports are read-only: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}

        public function getIterator(): \Iterator {}

        /** @return array<string, Function_|Memory|Global_|Table> */
        public function toArray(): array {}
    }
}

namespace Wasm\Type {
    /** The type of an import or export (function, global, table or memory), with its names. */
    interface ExternType
    {
    }

    /**
     * The type of a function.
     * @strict-properties
     */
    final class FunctionType implements ExternType
    {
        /** @var list<\Wasm\ValueType> */
        public readonly array $params;
        /** @var list<\Wasm\ValueType> */
        public readonly array $results;

        /**
         * @param \Wasm\ValueType[] $params
         * @param \Wasm\ValueType[] $results
         */
        public function __construct(array $params, array $results) {}
    }

    /**
     * The type of a memory, in pages of 64 KiB.
     * @strict-properties
     */
    final class MemoryType implements ExternType
    {
        public readonly int $minimum;
        public readonly ?int $maximum;

        public function __construct(int $minimum, ?int $maximum = null) {}
    }

    /**
     * The type of a global.
     * @strict-properties
     */
    final class GlobalType implements ExternType
    {
        public readonly \Wasm\ValueType $type;
        public readonly bool $mutable;

        public function __construct(\Wasm\ValueType $type, bool $mutable = false) {}
    }

    /**
     * The type of a table.
     * @strict-properties
     */
    final class TableType implements ExternType
    {
        public readonly \Wasm\ValueType $type;
        public readonly int $minimum;
        public readonly ?int $maximum;

        public function __construct(\Wasm\ValueType $type, int $minimum, ?int $maximum = null) {}
    }

    /**
     * An import of a module.
     * @strict-properties
     */
    final class ImportType
    {
        public readonly string $module;
        public readonly string $name;
        public readonly ExternType $type;

        public function __construct(string $module, string $name, ExternType $type) {}
    }

    /**
     * An export of a module.
     * @strict-properties
     */
    final class ExportType
    {
        public readonly string $name;
        public readonly ExternType $type;

        public function __construct(string $name, ExternType $type) {}
    }
}

namespace Wasm\Memory {
    /**
     * A zero-copy view of a Memory as int8 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Int8Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as uint8 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Uint8Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as int16 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Int16Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as uint16 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Uint16Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as int32 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Int32Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as uint32 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Uint32Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as int64 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Int64Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): int {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as float32 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Float32Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): float {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }

    /**
     * A zero-copy view of a Memory as float64 values from a byte offset. Each
     * access reads the memory's current bytes, so a view stays valid after grow().
     * @strict-properties
     * @not-serializable
     */
    final class Float64Array implements \ArrayAccess, \Countable
    {
        /** Elements from byte `$offset`: `$length` of them, or (null) up to the end of the memory. */
        public function __construct(\Wasm\Memory $memory, int $offset = 0, ?int $length = null) {}

        /** @param int $offset */
        public function offsetExists(mixed $offset): bool {}

        /** @param int $offset */
        public function offsetGet(mixed $offset): float {}

        /** @param int $offset */
        public function offsetSet(mixed $offset, mixed $value): void {}

        /** Elements cannot be removed: throws. */
        public function offsetUnset(mixed $offset): void {}

        public function count(): int {}
    }
}
