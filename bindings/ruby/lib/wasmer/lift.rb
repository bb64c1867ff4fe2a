# frozen_string_literal: true

module Wasmer
  UNBOUNDED = 0xFFFF_FFFF

  # Ruby-side helpers of the binding, not part of the API: how the public members
  # (the generated ones in wasmer/api.rb and the hand-written ones) turn Ruby
  # arguments into the forms of Wasmer::Native, and its results into Ruby values.
  module Lift
    module_function

    def max(value)
      value == UNBOUNDED ? nil : value
    end

    # A Native::ExternType handle as a FunctionType, MemoryType, GlobalType or TableType
    # (the handle is closed).
    def type(handle)
      case Native.extern_type_kind(handle)
      when Native::EXTERN_FUNC
        params = Array.new(Native.extern_type_param_count(handle)) { |i| Type.of_kind(Native.extern_type_param(handle, i)) }
        results = Array.new(Native.extern_type_result_count(handle)) { |i| Type.of_kind(Native.extern_type_result(handle, i)) }
        FunctionType.new(params, results)
      when Native::EXTERN_GLOBAL
        GlobalType.new(Type.of_kind(Native.extern_type_content(handle)), Native.extern_type_mutable(handle))
      when Native::EXTERN_TABLE
        TableType.new(Type.of_kind(Native.extern_type_content(handle)), Native.extern_type_minimum(handle),
                      max(Native.extern_type_maximum(handle)))
      when Native::EXTERN_MEMORY
        MemoryType.new(Native.extern_type_minimum(handle), max(Native.extern_type_maximum(handle)))
      else
        raise Wasmer::RuntimeError, "unknown extern kind"
      end
    ensure
      handle&.close
    end

    # A `bytes` argument: a String (binary, or WAT text where a module is expected).
    def bytes(data, what = "bytes")
      return data if data.is_a?(String) # WAT keywords of wat 1.0 (`anyfunc`, `get_local` ...): the glue renames them

      raise TypeError, "#{what} must be a String (WebAssembly bytes or WAT text), not #{data.class}"
    end

    # An unsigned LEB128 number of a binary module at byte `pos`: [value, position after it].
    def leb128(binary, pos)
      value = shift = 0
      loop do
        byte = binary.getbyte(pos) or raise Wasmer::RuntimeError, "truncated module binary"
        pos += 1
        value |= (byte & 0x7F) << shift
        return [value, pos] if byte < 0x80

        shift += 7
      end
    end

    def store(store)
      return store if store.is_a?(Store)

      raise TypeError, "expected a Wasmer::Store, not #{store.class}"
    end

    # A handle argument: an object of the public class `klass` (or nil when `nullable`).
    def handle(value, klass, what, nullable: false)
      return value if value.is_a?(klass) || (nullable && value.nil?)

      raise TypeError, "#{what} must be a #{klass.name}#{' or nil' if nullable}, not #{value.class}"
    end

    # A `compiler` argument: a Compiler class (Compiler::Cranelift) or its name
    # ("cranelift"), nil for the default; the Compiler class.
    def compiler_class(compiler)
      compiler ||= Compiler::DEFAULT
      if compiler.is_a?(String) || compiler.is_a?(Symbol)
        found = Compiler.constants.map { |c| Compiler.const_get(c) }.find { |c| c.is_a?(Class) && c::NAME == compiler.to_s }
        return found if found
      end
      return compiler if compiler.is_a?(Class) && compiler.const_defined?(:CODE, false)

      raise TypeError, "not a compiler: #{compiler.inspect} (use Wasmer::Compiler::#{Compiler::DEFAULT.name.split('::').last})"
    end

    # A `compiler` argument as the glue's code.
    def compiler(compiler)
      compiler_class(compiler)::CODE
    end

    # Sets instance variables on an object made by the C extension.
    def adopt(object, **ivars)
      ivars.each { |name, value| object.instance_variable_set(:"@#{name}", value) }
      object
    end
  end
  private_constant :Lift
end
