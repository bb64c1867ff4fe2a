# frozen_string_literal: true

module Wasmer
  # A compiled WebAssembly module, from bytes or WAT text (.validate, .deserialize
  # and #serialize are rendered from api.yaml in wasmer/api.rb).
  class Module
    # Compiles a module from binary bytes or WAT text. The module keeps its source
    # (a frozen copy: it shares the caller's buffer until the caller changes it)
    # for #custom_sections, which libwasmer's C API does not expose.
    def self.new(store, bytes)
      bytes = Lift.bytes(bytes, "bytes")
      source = bytes.frozen? ? bytes : bytes.dup.freeze
      Lift.adopt(Native.module_new(Lift.handle(store, Store, "store"), bytes), source: source)
    end

    # The contents of the custom sections named `name`, in module order (binary
    # Strings; [] when there is none), read from the module's binary.
    def custom_sections(name)
      name = String(name).b
      found = []
      binary = custom_section_binary
      pos = 8 # after the magic and the version; the module compiled, so the binary is well formed
      while pos < binary.bytesize
        id = binary.getbyte(pos)
        size, pos = Lift.leb128(binary, pos + 1)
        if id.zero?
          length, at = Lift.leb128(binary, pos)
          found << binary.byteslice(at + length, pos + size - at - length) if binary.byteslice(at, length) == name
        end
        pos += size
      end
      found
    end

    private

    def custom_section_binary
      raise Wasmer::RuntimeError, "the module is closed" if closed?

      source = @source
      unless source
        raise Wasmer::RuntimeError, "Module#custom_sections: the custom sections of a deserialized module are not " \
                                    "known (libwasmer's C API does not expose them); use the module compiled from its bytes"
      end
      @custom_section_binary ||= source.b.start_with?("\0asm".b) ? source.b : Native.wat2wasm(source).b
    end

    public

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
