# frozen_string_literal: true

module Wasmer
  # WebAssembly value types, numbered as in wasmer-ruby 1.0 (the constants come
  # from api.yaml, in wasmer.rb).
  module Type
    # 128-bit vectors: known to wasmer-ruby, not supported here.
    V128 = 5

    # The glue kind of a Type constant.
    def self.kind(type)
      KINDS.fetch(type) do
        raise ArgumentError, "v128 values are not supported" if type == V128

        raise TypeError, "not a Wasmer::Type: #{type.inspect}"
      end
    end

    # The Type constant of a glue kind.
    def self.of_kind(kind)
      TYPES.fetch(kind) { raise Wasmer::RuntimeError, "unknown value kind #{kind}" }
    end

    def self.check(type)
      kind(type)
      type
    end
  end

  # A typed value: Value.i32(42), Value.f64(1.5), Value.externref(any_object)
  # (one constructor per value type, from api.yaml, in wasmer.rb).
  class Value
    attr_reader :type, :value

    def initialize(type, value)
      @type = Type.check(type)
      @value = value
      Native.to_bits(Type.kind(type), value) # checks the value against the type
    end

    def ==(other)
      other.is_a?(Value) && other.type == type && other.value.eql?(value)
    end
    alias eql? ==

    def hash
      [type, value].hash
    end

    def inspect
      "Wasmer::Value.#{Type::NAMES.fetch(type)}(#{value.inspect})"
    end
    alias to_s inspect
  end

  # The type of a function: FunctionType.new([Type::I32, Type::I32], [Type::I32]).
  class FunctionType
    attr_reader :params, :results

    def initialize(params, results)
      @params = Array(params).map { |t| Type.check(t) }.freeze
      @results = Array(results).map { |t| Type.check(t) }.freeze
    end

    def ==(other)
      other.is_a?(FunctionType) && other.params == params && other.results == results
    end
    alias eql? ==

    def hash
      [params, results].hash
    end

    def inspect
      "#<Wasmer::FunctionType params=#{params.map { |t| Type::NAMES[t] }} results=#{results.map { |t| Type::NAMES[t] }}>"
    end
  end

  # The type of a memory, in 64 KiB pages (maximum nil: unbounded).
  class MemoryType
    attr_reader :minimum, :maximum

    def initialize(minimum, maximum = nil, shared = false)
      @minimum = Integer(minimum)
      @maximum = maximum.nil? ? nil : Integer(maximum)
      @shared = shared ? true : false
    end

    def shared?
      @shared
    end
    alias shared shared?

    def ==(other)
      other.is_a?(MemoryType) && [other.minimum, other.maximum, other.shared?] == [minimum, maximum, shared?]
    end
    alias eql? ==

    def hash
      [minimum, maximum, shared?].hash
    end

    def inspect
      "#<Wasmer::MemoryType minimum=#{minimum} maximum=#{maximum.inspect} shared=#{shared?}>"
    end
  end

  # The type of a global.
  class GlobalType
    attr_reader :type

    def initialize(type, mutable)
      @type = Type.check(type)
      @mutable = mutable ? true : false
    end

    def mutable?
      @mutable
    end
    alias mutable mutable?

    def ==(other)
      other.is_a?(GlobalType) && other.type == type && other.mutable? == mutable?
    end
    alias eql? ==

    def hash
      [type, mutable?].hash
    end

    def inspect
      "#<Wasmer::GlobalType type=#{Type::NAMES[type]} mutable=#{mutable?}>"
    end
  end

  # The type of a table (maximum nil: unbounded).
  class TableType
    attr_reader :type, :minimum, :maximum

    def initialize(type, minimum, maximum = nil)
      @type = Type.check(type)
      @minimum = Integer(minimum)
      @maximum = maximum.nil? ? nil : Integer(maximum)
    end

    def ==(other)
      other.is_a?(TableType) && [other.type, other.minimum, other.maximum] == [type, minimum, maximum]
    end
    alias eql? ==

    def hash
      [type, minimum, maximum].hash
    end

    def inspect
      "#<Wasmer::TableType type=#{Type::NAMES[type]} minimum=#{minimum} maximum=#{maximum.inspect}>"
    end
  end

  EXTERN_TYPES = [FunctionType, MemoryType, GlobalType, TableType].freeze

  # An export of a module: its name and type.
  class ExportType
    attr_reader :name, :type

    def initialize(name, type)
      raise TypeError, "the type of an export must be one of #{EXTERN_TYPES.join(', ')}" unless EXTERN_TYPES.any? { |t| type.is_a?(t) }

      @name = String(name)
      @type = type
    end

    def inspect
      "#<Wasmer::ExportType name=#{name.inspect} type=#{type.inspect}>"
    end
  end

  # An import of a module: its module, name and type.
  class ImportType
    attr_reader :module, :name, :type

    def initialize(module_name, name, type)
      raise TypeError, "the type of an import must be one of #{EXTERN_TYPES.join(', ')}" unless EXTERN_TYPES.any? { |t| type.is_a?(t) }

      @module = String(module_name)
      @name = String(name)
      @type = type
    end

    def inspect
      "#<Wasmer::ImportType module=#{self.module.inspect} name=#{name.inspect} type=#{type.inspect}>"
    end
  end
end
