# frozen_string_literal: true

module Wasmer
  # The libwasmer version (Wasmer.version, rendered from api.yaml).
  CORE_VERSION = version

  # WebAssembly binary to text, with wabt's wasm2wat (Debian package `wabt`),
  # without the newline wabt ends its output with: "(module)" for an empty module,
  # as wasmer-ruby 1.0 returned. A program, not a library: libwasmer has no
  # binary-to-text printer and Debian's libwabt.a is not position-independent code
  # (it cannot be linked into the extension).
  # Wasmer.wat2wasm, text to binary, is rendered from api.yaml (wasmer/api.rb).
  def self.wasm2wat(bytes)
    require "open3"
    require "tmpdir"
    Dir.mktmpdir do |dir|
      path = File.join(dir, "module.wasm")
      File.binwrite(path, Lift.bytes(bytes))
      out, err, status = Open3.capture3("wasm2wat", path)
      raise CompileError, err.strip unless status.success?

      out.chomp
    end
  rescue Errno::ENOENT
    raise Wasmer::RuntimeError, "wasm2wat needs wabt's `wasm2wat` on PATH (Debian/Ubuntu: apt-get install wabt)"
  end
end
