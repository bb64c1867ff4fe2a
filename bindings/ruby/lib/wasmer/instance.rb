# frozen_string_literal: true

module Wasmer
  # An instantiated module: Instance.new(module, import_object).
  #
  # #close frees the instance now; everything taken from it before (its exports,
  # functions read from its tables and globals, memory views) raises
  # Wasmer::RuntimeError ("... is closed") from then on.
  #
  # Threads: an instance may be shared by threads: their calls take turns (the
  # GVL, and the glue's per-store lock) and always compute the right result. For
  # parallel execution give each thread its own Store and instance. A memory view
  # is raw memory: reading it while another thread runs wasm in the same store is
  # a data race, as with any shared buffer.
  class Instance
    attr_reader :exports

    def self.new(module_, import_object = nil)
      raise TypeError, "expected a Wasmer::Module, not #{module_.class}" unless module_.is_a?(Wasmer::Module)

      imports = Native.imports_new
      begin
        case import_object
        when nil
          nil
        when ImportObject
          import_object.define_wasi(imports, module_) if import_object.is_a?(Wasi::ImportObject)
          import_object.each_import { |namespace, name, item| Native.imports_define(imports, namespace, name, item) }
        when Hash
          import_object.each_pair do |namespace, items|
            scratch = ImportObject.new
            scratch.register(namespace, items)
            scratch.each_import { |ns, name, item| Native.imports_define(imports, ns, name, item) }
          end
        else
          raise TypeError, "imports must be a Wasmer::ImportObject, a Hash or nil, not #{import_object.class}"
        end
        instance = Native.instance_new(module_.store, module_, imports, true) # a store of its own: see Instance
      ensure
        import_object.instantiated(!instance.nil?) if import_object.is_a?(Wasi::ImportObject)
        imports.close
      end
      items = {}
      Native.instance_export_count(instance).times do |i|
        items[Native.instance_export_name(instance, i)] = Lift.adopt(Native.instance_export(instance, i), store: module_.store)
      end
      Lift.adopt(instance, module: module_, import_object: import_object, exports: Exports.new(items))
    end

    def module
      @module
    end

    def inspect
      "#<Wasmer::Instance exports=#{exports.names.join(', ')}>"
    end
  end
end
