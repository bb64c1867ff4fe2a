<?php
/**
 * The classes of wasmer-php 1.1.0's API written by hand (wasm_capi_runtime.c); the rendered ones are
 * in wasm_capi.stub.php. php-dev's gen_stub.php makes wasm_capi_runtime_arginfo.h of it.
 * @generate-class-entries
 */

namespace Wasm {
    /**
     * The bytes of a wasm_memory_t (wasm_memory_data()), read and written in place; each access
     * checks the memory's current size.
     * @strict-properties
     * @not-serializable
     */
    final class MemoryView {
        /** The memory's size in bytes. */
        public function length(): int {}

        /** `length` bytes from `offset` (an OutOfBoundsException past the end). */
        public function read(int $offset, int $length): string {}

        /** Writes `bytes` at `offset` (an OutOfBoundsException past the end). */
        public function write(int $offset, string $bytes): void {}
    }
}
