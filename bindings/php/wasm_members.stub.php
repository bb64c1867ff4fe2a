<?php
/**
 * The hand-written members of the `wasm` extension's public classes: the forms of
 * the old embedding that are not one of the generic shapes of api.yaml (variadic
 * calls, optional and nullable parameters, values of a kind given elsewhere, lists
 * of types). Each `XSupport` class here is never registered: it is the `support` of
 * the public class X in public/php.yaml, and the generated MINIT (wasm.c) adds its
 * methods to X, next to the members rendered from api.yaml (wasm.stub.php). Their C
 * bodies are in wasm_*.c. php-dev's gen_stub.php makes wasm_members_arginfo.h of it.
 * @generate-function-entries
 */

namespace Wasm {
    final class EngineSupport
    {
        /** An engine with the given compiler backend. */
        public function __construct(Compiler $compiler = Compiler::Cranelift) {}

        public function compiler(): Compiler {}
    }

    final class StoreSupport
    {
        /** A store on `$engine`, or on a new engine with the default compiler. */
        public function __construct(?Engine $engine = null) {}

        public function engine(): Engine {}
    }

    final class ModuleSupport
    {
        /**
         * Compiles `$bytes` (binary or WAT text) in `$store`; or, php-ext-wasm 0.5.1's form,
         * `new Module($path, $persistence = Module::VOLATILE)`: the file `$path` compiled in the
         * default store, once per process when `$persistence` is Module::PERSISTENT (wasm_legacy.c).
         */
        public function __construct(Store|string $store, string|bool $bytes = false) {}

        /**
         * Sets the module's name; false when the module is shared and cannot be renamed, which a
         * persistent module always is (every request of the process uses it: wasm_legacy.c).
         */
        public function setName(string $name): bool {}

        /** A new instance of the module, without imports (0.5.1). */
        public function instantiate(): Instance {}

        /**
         * The module as a `wasm_module` resource of the 0.5.1 wasm_* functions.
         * @return resource
         */
        public function intoResource() {}

        /** Replaces this module by a deserialized one (\Serializable, 0.5.1). */
        public function unserialize(string $data): void {}

        public function __serialize(): array {}

        public function __unserialize(array $data): void {}

        /** The module's name, or null when it has none. */
        public function name(): ?string {}

        /** @return list<Type\ImportType> The imports, in module order. */
        public function imports(): array {}

        /** @return list<Type\ExportType> The exports, in module order. */
        public function exports(): array {}

        public function store(): Store {}
    }

    final class Function_Support
    {
        /** A host function calling `$callable` with the parameters of `$type`. */
        public function __construct(Store $store, callable $callable, Type\FunctionType $type) {}

        /** Calls the function. One result is returned as is, several as an array. */
        public function __invoke(mixed ...$args): mixed {}

        /**
         * The same as calling the function.
         * @implementation-alias Wasm\Function_Support::__invoke
         */
        public function call(mixed ...$args): mixed {}
    }

    final class MemorySupport
    {
        /** A memory of `$minimum` pages of 64 KiB, growable up to `$maximum` pages (null: unbounded). */
        public function __construct(Store $store, int $minimum, ?int $maximum = null) {}

        /** `$length` bytes from byte `$offset`, copied into a string. */
        public function read(int $offset, int $length): string {}

        /** Copies `$data` into the memory at byte `$offset`. */
        public function write(int $offset, string $data): void {}

        /** The 32-bit integer at byte `$offset` (little-endian). */
        public function getI32(int $offset): int {}

        /** Writes a 32-bit integer at byte `$offset` (little-endian). */
        public function setI32(int $offset, int $value): void {}

        /** The 64-bit integer at byte `$offset` (little-endian). */
        public function getI64(int $offset): int {}

        /** Writes a 64-bit integer at byte `$offset` (little-endian). */
        public function setI64(int $offset, int $value): void {}

        /** The 32-bit IEEE 754 float at byte `$offset` (little-endian). */
        public function getF32(int $offset): float {}

        /** Writes a 32-bit IEEE 754 float at byte `$offset` (little-endian). */
        public function setF32(int $offset, float $value): void {}

        /** The 64-bit IEEE 754 float at byte `$offset` (little-endian). */
        public function getF64(int $offset): float {}

        /** Writes a 64-bit IEEE 754 float at byte `$offset` (little-endian). */
        public function setF64(int $offset, float $value): void {}
    }

    final class Global_Support
    {
        /** Makes a global of a value type with an initial value. */
        public function __construct(Store $store, ValueType $type, mixed $value, bool $mutable = false) {}

        /** The current value. */
        public function get(): mixed {}

        /** Sets the value; an ArgumentError for an immutable global. */
        public function set(mixed $value): void {}

        public function isMutable(): bool {}
    }

    final class TableSupport
    {
        /** A table of `$minimum` null references of kind `$type`, up to `$maximum` (null: unbounded). */
        public function __construct(Store $store, ValueType $type, int $minimum, ?int $maximum = null) {}
    }

    final class InstanceSupport
    {
        /**
         * Instantiates `$module` (a Module, or the path of a .wasm/.wat file compiled in a
         * default store) with `$imports`: `['env' => ['sum' => $function]]`, where each
         * import is a Function, Memory, Global or Table, or a PHP callable typed by the
         * module's import.
         */
        public function __construct(Module|string $module, array $imports = []) {}

        /** Calls the exported function `$name`. */
        public function __call(string $name, array $arguments): mixed {}

        public function module(): Module {}

        /** The instance's (first exported) memory as a WasmArrayBuffer of the 0.5.1 API, or null (wasm_legacy.c). */
        public function getMemoryBuffer(): ?\WasmArrayBuffer {}
    }

    final class WasiEnvSupport
    {
        /**
         * `$imports` (['module' => ['name' => import]]) with each WASI import of `$module` set
         * to this environment: given to `new Wasm\Instance($module, ...)`, those entries are the
         * program's WASI functions (one instance per environment). Other entries may be added
         * or replace some.
         * @return array<string, array<string, mixed>>
         */
        public function defineImports(Module $module, array $imports = []): array {}
    }
}
