# Builds wasmer/wasmer_native: every C file next to this one (the generated
# wasmer_native.c and glue.c, which includes the shared C glue wasmgen.c, and the
# hand-written runtime support, runtime.h), linked with libwasmer.
#
#   WASMER_DIR=/prefix ruby path/to/ext/wasmer/extconf.rb && make    # out of tree: run it in the build directory
#   gem install wasmer-*.gem -- --with-wasmer-dir=/prefix
#
# The Wasmer install (`--with-wasmer-dir` or $WASMER_DIR) has include/wasm.h and
# lib/libwasmer.so; `python3 ci/wasmer.py --print-prefix` prints the one the
# project builds. The glue is looked up next to this file (a packaged gem) or in
# the repository's bindings/c.
require "mkmf"

prefix = arg_config("--with-wasmer-dir") || ENV["WASMER_DIR"]
if prefix.nil? || prefix.empty?
  abort "error: set WASMER_DIR (or pass --with-wasmer-dir=) to a Wasmer install with include/wasm.h and lib/libwasmer.so " \
        "(in the wasmgen repository: `python3 ci/wasmer.py --print-prefix`)"
end
prefix = File.expand_path(prefix)
unless File.file?(File.join(prefix, "include", "wasm.h")) && File.file?(File.join(prefix, "lib", "libwasmer.so"))
  abort "error: #{prefix} has no include/wasm.h and lib/libwasmer.so"
end

glue = [File.join(__dir__, "glue"), File.expand_path("../../../c", __dir__)].find do |dir|
  File.file?(File.join(dir, "wasmgen.c")) && File.file?(File.join(dir, "wasmgen.h"))
end
abort "error: the shared C glue (wasmgen.c, wasmgen.h) is neither in #{__dir__}/glue nor in bindings/c" unless glue

$INCFLAGS << " -I#{glue} -I#{File.join(prefix, 'include')}"
$CFLAGS << " -std=gnu11 -fvisibility=hidden"
$LDFLAGS << " -L#{File.join(prefix, 'lib')} -Wl,-rpath,#{File.join(prefix, 'lib')}"
$srcs = Dir[File.join(__dir__, "*.c")].map { |f| File.basename(f) }.sort

abort "error: cannot link with libwasmer in #{prefix}/lib" unless have_library("wasmer", "wasm_engine_new", "wasm.h")

create_makefile("wasmer/wasmer_native")

# mkmf tracks the headers next to this file only: rebuild when the glue changes.
File.open("Makefile", "a") do |makefile|
  makefile.puts "", "glue.o: #{glue}/wasmgen.c #{glue}/wasmgen.h",
                "#{($srcs - ['glue.c']).map { |f| f.sub(/\.c\z/, '.o') }.join(' ')}: #{glue}/wasmgen.h"
end
