# frozen_string_literal: true

module Wasmer
  # A WebAssembly function: exported by an instance, or made from a Ruby callable
  # (a Proc, a lambda, a Method, or anything responding to #call):
  #
  #   Function.new(store, ->(a, b) { a + b }, FunctionType.new([Type::I32, Type::I32], [Type::I32]))
  #
  # #call (and so `.()`) returns nil, the value, or an Array of values. An exception
  # raised by a Ruby host function reaches the caller of #call as itself.
  #
  # Threads: a Function may be called from any thread; calls into one store take
  # turns (the GVL, and the glue's per-store lock) and always compute the right
  # result. A host function may call back into its own instance on the same thread.
  #
  # References: an externref is any Ruby object (nil is null) and comes back out
  # of WebAssembly as the same object; a funcref is a Function or nil (a funcref
  # coming out is a new, callable Function object). A function made from a Ruby
  # callable cannot be a funcref: Wasmer::ArgumentError.
  class Function
    def self.new(store, function, function_type)
      Lift.store(store)
      raise TypeError, "expected a Wasmer::FunctionType, not #{function_type.class}" unless function_type.is_a?(FunctionType)

      function = function.to_proc if function.is_a?(Symbol)
      params = function_type.params.map { |t| Type.kind(t) }.pack("C*")
      results = function_type.results.map { |t| Type.kind(t) }.pack("C*")
      env = Native.host_register(store, function, params, results)
      begin
        handle = Native.function_new_host(store, params, results, env)
      rescue Exception # rubocop:disable Lint/RescueException
        Native.host_unregister(env)
        raise
      end
      Native.mark_host(handle) # never a funcref (libwasmer does not support it)
      Lift.adopt(handle, store: store, type: function_type)
    end

    # #call is defined by the C extension (ext/wasmer/function_call.c).

    def type
      @type ||= Lift.type(Native.function_type(self))
    end

    def to_proc
      method(:call).to_proc
    end

    def inspect
      "#<Wasmer::Function #{closed? ? '(closed)' : type.inspect}>"
    end
  end
end
