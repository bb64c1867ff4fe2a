<?php
/**
 * The API of php-ext-wasm 0.5.1 (wasmer-php 0.5.1), the original PHP embedding, kept
 * for code written against it: the `wasm_*` functions over resources (`wasm_bytes`,
 * `wasm_module`, `wasm_instance`, `wasm_value`), the `WASM_TYPE_*` constants,
 * `WasmArrayBuffer` and its typed arrays `Wasm{Int,Uint}{8,16,32}Array` (and their
 * `Wasm\` names). Runtime support in plain C (wasm_legacy.c); php-dev's gen_stub.php
 * makes wasm_legacy_arginfo.h of it.
 * @generate-class-entries
 */

namespace {
    /* WASM_TYPE_I32 = 0, WASM_TYPE_I64 = 1, WASM_TYPE_F32 = 2, WASM_TYPE_F64 = 3: registered in wasm_legacy.c */

    /**
     * The bytes of a file, as a `wasm_bytes` resource (empty when the file cannot be read).
     * @return resource
     */
    function wasm_fetch_bytes(string $file_path) {}

    /** @param resource $wasm_bytes */
    function wasm_validate($wasm_bytes): bool {}

    /**
     * Compiles `wasm_bytes` into a `wasm_module` resource (null on error: wasm_get_last_error()).
     * With an identifier the module is persistent: compiled once per process and kept,
     * serialized, across requests.
     * @param resource $wasm_bytes
     * @return resource|null
     */
    function wasm_compile($wasm_bytes, ?string $wasm_module_unique_identifier = null) {}

    /** Forgets the persistent modules of wasm_compile(). */
    function wasm_module_clean_up_persistent_resources(): void {}

    /** @param resource $wasm_module a `wasm_module` (0.5.1) or a `wasm_module_t` (1.1.0, the wasm C API) */
    function wasm_module_serialize($wasm_module): ?string {}

    /**
     * 0.5.1's form: (string $serialized), a `wasm_module` resource or null. 1.1.0's form (the wasm C API,
     * wasm_capi.stub.php): (wasm_store_t $store, string $serialized), a `wasm_module_t` resource.
     * @param string|resource $wasm_serialized_module
     * @return resource|null
     */
    function wasm_module_deserialize($wasm_serialized_module, ?string $serialized = null) {}

    /**
     * @param resource $wasm_module
     * @return resource|null
     */
    function wasm_module_new_instance($wasm_module) {}

    /**
     * @param resource $wasm_bytes
     * @return resource|null
     */
    function wasm_new_instance($wasm_bytes) {}

    /**
     * A `wasm_value` of a WASM_TYPE_*, null for an unknown type.
     * @param int|float $value
     * @return resource|null
     */
    function wasm_value(int $type, $value) {}

    /**
     * Calls the exported function `function_name` with `inputs` (PHP numbers or wasm_value resources).
     * @param resource $wasm_instance
     */
    function wasm_invoke_function($wasm_instance, string $function_name, array $inputs): int|float|null {}

    /** @param resource $wasm_instance */
    function wasm_get_memory_buffer($wasm_instance): ?WasmArrayBuffer {}

    /** The message of the last failed wasm_* call of this request, or null. */
    function wasm_get_last_error(): ?string {}

    /**
     * Bytes: a buffer of its own, or an instance's memory (wasm_get_memory_buffer(),
     * Wasm\Instance::getMemoryBuffer()), read at each access so it follows the memory's growth.
     * @not-serializable
     */
    final class WasmArrayBuffer
    {
        public function __construct(int $byte_length) {}

        public function getByteLength(): int {}

        /** Grows an instance's memory by pages of 64 KiB (a buffer of its own does not grow). */
        public function grow(int $number_of_pages): void {}
    }

    /** @not-serializable */
    class WasmInt8Array implements ArrayAccess
    {
        /** @var int */
        public const BYTES_PER_ELEMENT = 1;

        public function __construct(WasmArrayBuffer $wasm_array_buffer, int $offset = 0, int $length = 0) {}

        public function getOffset(): int {}

        public function getLength(): int {}

        /** @param int $offset */
        public function offsetGet($offset): int {}

        /**
         * @param int $offset
         * @param int $value
         */
        public function offsetSet($offset, $value): void {}

        /** @param int $offset */
        public function offsetExists($offset): bool {}

        /** @param int $offset */
        public function offsetUnset($offset): void {}
    }

    /** @not-serializable */
    class WasmUint8Array implements ArrayAccess
    {
        /** @var int */
        public const BYTES_PER_ELEMENT = 1;

        /** @implementation-alias WasmInt8Array::__construct */
        public function __construct(WasmArrayBuffer $wasm_array_buffer, int $offset = 0, int $length = 0) {}

        /** @implementation-alias WasmInt8Array::getOffset */
        public function getOffset(): int {}

        /** @implementation-alias WasmInt8Array::getLength */
        public function getLength(): int {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetGet
         */
        public function offsetGet($offset): int {}

        /**
         * @param int $offset
         * @param int $value
         * @implementation-alias WasmInt8Array::offsetSet
         */
        public function offsetSet($offset, $value): void {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetExists
         */
        public function offsetExists($offset): bool {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetUnset
         */
        public function offsetUnset($offset): void {}
    }

    /** @not-serializable */
    class WasmInt16Array implements ArrayAccess
    {
        /** @var int */
        public const BYTES_PER_ELEMENT = 2;

        /** @implementation-alias WasmInt8Array::__construct */
        public function __construct(WasmArrayBuffer $wasm_array_buffer, int $offset = 0, int $length = 0) {}

        /** @implementation-alias WasmInt8Array::getOffset */
        public function getOffset(): int {}

        /** @implementation-alias WasmInt8Array::getLength */
        public function getLength(): int {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetGet
         */
        public function offsetGet($offset): int {}

        /**
         * @param int $offset
         * @param int $value
         * @implementation-alias WasmInt8Array::offsetSet
         */
        public function offsetSet($offset, $value): void {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetExists
         */
        public function offsetExists($offset): bool {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetUnset
         */
        public function offsetUnset($offset): void {}
    }

    /** @not-serializable */
    class WasmUint16Array implements ArrayAccess
    {
        /** @var int */
        public const BYTES_PER_ELEMENT = 2;

        /** @implementation-alias WasmInt8Array::__construct */
        public function __construct(WasmArrayBuffer $wasm_array_buffer, int $offset = 0, int $length = 0) {}

        /** @implementation-alias WasmInt8Array::getOffset */
        public function getOffset(): int {}

        /** @implementation-alias WasmInt8Array::getLength */
        public function getLength(): int {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetGet
         */
        public function offsetGet($offset): int {}

        /**
         * @param int $offset
         * @param int $value
         * @implementation-alias WasmInt8Array::offsetSet
         */
        public function offsetSet($offset, $value): void {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetExists
         */
        public function offsetExists($offset): bool {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetUnset
         */
        public function offsetUnset($offset): void {}
    }

    /** @not-serializable */
    class WasmInt32Array implements ArrayAccess
    {
        /** @var int */
        public const BYTES_PER_ELEMENT = 4;

        /** @implementation-alias WasmInt8Array::__construct */
        public function __construct(WasmArrayBuffer $wasm_array_buffer, int $offset = 0, int $length = 0) {}

        /** @implementation-alias WasmInt8Array::getOffset */
        public function getOffset(): int {}

        /** @implementation-alias WasmInt8Array::getLength */
        public function getLength(): int {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetGet
         */
        public function offsetGet($offset): int {}

        /**
         * @param int $offset
         * @param int $value
         * @implementation-alias WasmInt8Array::offsetSet
         */
        public function offsetSet($offset, $value): void {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetExists
         */
        public function offsetExists($offset): bool {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetUnset
         */
        public function offsetUnset($offset): void {}
    }

    /** @not-serializable */
    class WasmUint32Array implements ArrayAccess
    {
        /** @var int */
        public const BYTES_PER_ELEMENT = 4;

        /** @implementation-alias WasmInt8Array::__construct */
        public function __construct(WasmArrayBuffer $wasm_array_buffer, int $offset = 0, int $length = 0) {}

        /** @implementation-alias WasmInt8Array::getOffset */
        public function getOffset(): int {}

        /** @implementation-alias WasmInt8Array::getLength */
        public function getLength(): int {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetGet
         */
        public function offsetGet($offset): int {}

        /**
         * @param int $offset
         * @param int $value
         * @implementation-alias WasmInt8Array::offsetSet
         */
        public function offsetSet($offset, $value): void {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetExists
         */
        public function offsetExists($offset): bool {}

        /**
         * @param int $offset
         * @implementation-alias WasmInt8Array::offsetUnset
         */
        public function offsetUnset($offset): void {}
    }
}

namespace Wasm {
    /** Any of the typed arrays Wasm\Int8Array ... Wasm\Uint32Array. */
    interface TypedArray
    {
    }

    class Int8Array extends \WasmInt8Array implements TypedArray
    {
    }

    class Uint8Array extends \WasmUint8Array implements TypedArray
    {
    }

    class Int16Array extends \WasmInt16Array implements TypedArray
    {
    }

    class Uint16Array extends \WasmUint16Array implements TypedArray
    {
    }

    class Int32Array extends \WasmInt32Array implements TypedArray
    {
    }

    class Uint32Array extends \WasmUint32Array implements TypedArray
    {
    }

    /** A failed call of an exported function as an instance's method (`$instance->sum(1)`):
        a missing export or a wrong argument count, with 0.5.1's messages. An ArgumentError
        (0.5.1's extended \RuntimeException, which ArgumentError is too). */
    final class InvocationException extends \Wasm\Exception\ArgumentError
    {
    }
}

namespace Wasm\Cache {
    /** php-ext-wasm 0.5.1's module cache interface (the methods of PSR-16's CacheInterface). */
    interface CacheInterface
    {
        public function get(string $key, mixed $default = null): mixed;

        public function set(string $key, mixed $value, null|int|\DateInterval $ttl = null): void;

        public function delete(string $key): void;

        public function clear(): void;

        public function getMultiple(iterable $keys, mixed $default = null): array;

        public function setMultiple(iterable $values, null|int|\DateInterval $ttl = null): void;

        public function deleteMultiple(iterable $keys): void;

        public function has(string $key): bool;
    }

    /** An error of a module cache. */
    class Exception extends \RuntimeException
    {
    }

    /** A value a module cache cannot store. */
    class InvalidArgumentException extends Exception
    {
    }

    /**
     * Compiled modules on disk, one file `<key>.module.wasm.cache` per key in a directory (0.5.1).
     * A file holds the module's serialized artifact; the TTL is not used.
     * @not-serializable
     */
    class Filesystem implements CacheInterface
    {
        /** @var string */
        public const CACHE_SUFFIX = ".module.wasm.cache";

        private string $cacheDirectory;

        public function __construct(string $cacheDirectory) {}

        /** The module of `$key`, or `$default` when there is none or it cannot be loaded. */
        public function get(string $key, mixed $default = null): mixed {}

        /** Stores a Wasm\Module under `$key` (an InvalidArgumentException for anything else). */
        public function set(string $key, mixed $value, null|int|\DateInterval $ttl = null): void {}

        public function delete(string $key): void {}

        /** Removes every cache file of the directory. */
        public function clear(): void {}

        public function getMultiple(iterable $keys, mixed $default = null): array {}

        public function setMultiple(iterable $values, null|int|\DateInterval $ttl = null): void {}

        public function deleteMultiple(iterable $keys): void {}

        public function has(string $key): bool {}
    }
}
