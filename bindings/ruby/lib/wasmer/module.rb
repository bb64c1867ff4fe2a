# frozen_string_literal: true

module Wasmer
  # A compiled WebAssembly module, from bytes or WAT text (Module.new, .validate,
  # .deserialize and #serialize are rendered from api.yaml in wasmer/api.rb).
  class Module
    # The Store the module was compiled in.
    def store
      Native.owner(self)
    end

    # The module's name, nil when it has none.
    def name
      name = Native.module_name(self)
      name.empty? ? nil : name
    end

    def name=(name)
      return if Native.module_set_name(self, String(name))

      raise Wasmer::RuntimeError, "cannot rename a module that is already shared (instantiated)"
    end

    def exports
      Array.new(Native.module_export_count(self)) do |i|
        handle = Native.module_export_type(self, i)
        ExportType.new(Native.extern_type_name(handle), Lift.type(handle))
      end
    end

    def imports
      Array.new(Native.module_import_count(self)) do |i|
        handle = Native.module_import_type(self, i)
        ImportType.new(Native.extern_type_module(handle), Native.extern_type_name(handle), Lift.type(handle))
      end
    end

    def inspect
      "#<Wasmer::Module name=#{closed? ? '(closed)' : name.inspect}>"
    end
  end
end
