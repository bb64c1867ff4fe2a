# frozen_string_literal: true

module Wasmer
  # A linear memory: Memory.new(store, MemoryType.new(1, 2)). #uint8_view(offset)
  # and the other typed views (Uint8Array, ..., Int32Array, ext/wasmer/memory_views.c)
  # read and write it in place; their offset counts elements, as in wasmer-ruby 1.0.
  # #size, #data_size and #grow are rendered from api.yaml (wasmer/api.rb).
  class Memory
    def self.new(store, memory_type)
      raise TypeError, "expected a Wasmer::MemoryType, not #{memory_type.class}" unless memory_type.is_a?(MemoryType)
      raise ArgumentError, "shared memories are not supported" if memory_type.shared?

      handle = Native.memory_new(Lift.store(store), memory_type.minimum, memory_type.maximum || UNBOUNDED)
      Lift.adopt(handle, store: store)
    end

    def type
      Lift.type(Native.memory_type(self))
    end

    def inspect
      "#<Wasmer::Memory #{closed? ? '(closed)' : "size=#{size}"}>"
    end
  end
end
