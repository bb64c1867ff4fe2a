# frozen_string_literal: true

module Wasmer
  # A global: Global.new(store, Value.i32(42), true), or of a reference type:
  # Global.new(store, Value.new(Type::EXTERN_REF, any_object), true). Its value is
  # read and written by the global's own kind (ext/wasmer/globals.c).
  class Global
    def self.new(store, value, mutable = false)
      raise TypeError, "expected a Wasmer::Value, not #{value.class}" unless value.is_a?(Value)

      handle = Native.global_create(Lift.store(store), Type.kind(value.type), mutable ? true : false, value.value)
      Lift.adopt(handle, store: store)
    end

    def type
      @type ||= Lift.type(Native.global_type(self))
    end

    def mutable?
      type.mutable?
    end

    # The value: a number, an externref's object (the same one that went in) or
    # nil, a funcref's Function or nil.
    def value
      Native.global_read(self)
    end

    def value=(value)
      value = value.value if value.is_a?(Value)
      raise Wasmer::RuntimeError, "the global is immutable" unless mutable?

      Native.global_write(self, value)
    end

    def set_value(value)
      self.value = value
      nil
    end

    def inspect
      "#<Wasmer::Global #{closed? ? '(closed)' : "#{type.inspect} value=#{value.inspect}"}>"
    end
  end
end
