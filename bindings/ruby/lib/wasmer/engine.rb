# frozen_string_literal: true

module Wasmer
  # Engines (wasmer-ruby 1.0 had only the default one: Store.new). The spec's
  # Engine is the handle Wasmer::Native::Engine; Universal holds one.
  module Engine
    # An engine compiling with a Compiler class (default: Compiler::DEFAULT).
    class Universal
      attr_reader :compiler

      def initialize(compiler = nil)
        @compiler = Lift.compiler_class(compiler)
        @handle = ::Wasmer::Native.engine_new(@compiler::CODE)
      end

      # The engine's handle (Wasmer::Native::Engine).
      attr_reader :handle

      def inspect
        "#<Wasmer::Engine::Universal compiler=#{compiler::NAME}>"
      end
    end
    JIT = Universal
  end
end
