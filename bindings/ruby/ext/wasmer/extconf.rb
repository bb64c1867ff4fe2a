# Builds wasmer/wasmer_native: every C file next to this one (the generated
# wasmer_native.c and glue.c, which includes the shared C glue wasmgen.c, and the
# hand-written runtime support, runtime.h), linked with libwasmer.
#
#   WASMER_DIR=/prefix ruby path/to/ext/wasmer/extconf.rb && make    # out of tree: run it in the build directory
#   gem install wasmer-*.gem -- --with-wasmer-dir=/prefix
#
# Which libwasmer: `--with-wasmer-dir` or $WASMER_DIR (a Wasmer install with include/wasm.h
# and lib/libwasmer.so; `python3 ci/wasmer.py --print-prefix` prints the one the project
# builds), else the one bundled in the source gem (vendor/libwasmer, put there by
# `nox -s package-ruby`). The extension finds it at run time by its rpath: that lib/
# directory, or `--with-wasmer-rpath=DIR` (the precompiled gem: '$ORIGIN', libwasmer.so
# next to wasmer_native.so). The glue is looked up next to this file (a packaged gem) or
# in the repository's bindings/c.
require "mkmf"

# libwasmer's shared library by the platform's name (ci/platforms.py has the same table)
libwasmer = RbConfig::CONFIG["host_os"] =~ /mswin|mingw/ ? "wasmer.dll" : "libwasmer.#{RbConfig::CONFIG['SOEXT']}"
bundled = File.expand_path("../../vendor/libwasmer", __dir__)
prefix = arg_config("--with-wasmer-dir") || ENV["WASMER_DIR"]
if (prefix.nil? || prefix.empty?) && File.file?(File.join(bundled, "lib", libwasmer))
  prefix = bundled
  message "using the libwasmer bundled with the gem (#{bundled})\n"
end
if prefix.nil? || prefix.empty?
  abort "error: set WASMER_DIR (or pass --with-wasmer-dir=) to a Wasmer install with include/wasm.h and lib/#{libwasmer} " \
        "(in the wasmgen repository: `python3 ci/wasmer.py --print-prefix`)"
end
prefix = File.expand_path(prefix)
unless File.file?(File.join(prefix, "include", "wasm.h")) && File.file?(File.join(prefix, "lib", libwasmer))
  abort "error: #{prefix} has no include/wasm.h and lib/#{libwasmer}"
end

glue = [File.join(__dir__, "glue"), File.expand_path("../../../c", __dir__)].find do |dir|
  File.file?(File.join(dir, "wasmgen.c")) && File.file?(File.join(dir, "wasmgen.h"))
end
abort "error: the shared C glue (wasmgen.c, wasmgen.h) is neither in #{__dir__}/glue nor in bindings/c" unless glue

$INCFLAGS << " -I#{glue} -I#{File.join(prefix, 'include')}"
$CFLAGS << " -std=gnu11 -fvisibility=hidden"
$LDFLAGS << " -L#{File.join(prefix, 'lib')}"
$srcs = Dir[File.join(__dir__, "*.c")].map { |f| File.basename(f) }.sort

abort "error: cannot link with libwasmer in #{prefix}/lib" unless have_library("wasmer", "wasm_engine_new", "wasm.h")

rpath = arg_config("--with-wasmer-rpath") || File.join(prefix, "lib")
# in the Makefile, `$$` is a `$`: '$ORIGIN' reaches the linker as is (Windows has no rpath: the
# DLL is found next to the extension or on PATH)
$LDFLAGS << " -Wl,-rpath,'#{rpath.gsub('$', '$$')}'" unless RbConfig::CONFIG["host_os"] =~ /mswin|mingw/

create_makefile("wasmer/wasmer_native")

# mkmf tracks the headers next to this file only: rebuild when the glue changes.
File.open("Makefile", "a") do |makefile|
  makefile.puts "", "glue.o: #{glue}/wasmgen.c #{glue}/wasmgen.h",
                "#{($srcs - ['glue.c']).map { |f| f.sub(/\.c\z/, '.o') }.join(' ')}: #{glue}/wasmgen.h"
end
