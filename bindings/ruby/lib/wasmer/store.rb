# frozen_string_literal: true

module Wasmer
  # Owns every runtime object; objects made from it keep it alive.
  #
  # Threads: a store may be used from any thread; calls into it (its instances,
  # functions, memories, globals, tables) take turns (the GVL, and the glue's
  # per-store lock). For parallel execution give each thread its own Store.
  class Store
    attr_reader :engine

    def self.new(engine = nil)
      engine ||= Engine::Universal.new
      raise TypeError, "expected a Wasmer::Engine::Universal, not #{engine.class}" unless engine.is_a?(Engine::Universal)

      Lift.adopt(Native.store_new(engine.handle), engine: engine)
    end

    def compiler_name
      engine.compiler::NAME
    end

    def engine_name
      "universal"
    end

    def inspect
      "#<Wasmer::Store compiler=#{compiler_name}#{closed? ? ' closed' : ''}>"
    end
  end
end
