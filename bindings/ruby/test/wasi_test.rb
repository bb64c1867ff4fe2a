require "test_helper"
require "open3"
require "rbconfig"
require "tmpdir"

# WASI (lib/wasmer/wasi.rb) with real programs: conformance/wasi/*.c compiled to
# wasm32-wasi into build/wasi (ci/langs/ruby.py compiles them before `rake test`).
# Outputs are checked exactly, as bindings/c/tests/test_wasi.c does for the glue.
class WasiTest < Minitest::Test
  include WasmerTestHelpers

  PROGRAMS = File.join(ROOT, "build", "wasi")

  def program(name)
    path = File.join(PROGRAMS, "#{name}.wasm")
    flunk "#{path} missing: run `nox -s test-ruby` (it compiles conformance/wasi/*.c)" unless File.file?(path)
    File.binread(path)
  end

  # Runs `name` with the builder's environment: [exit code (nil: returned), stdout, stderr].
  def run_program(name, builder)
    store = Store.new
    module_ = Wasmer::Module.new(store, program(name))
    assert_equal Wasi::Version::SNAPSHOT1, Wasi.get_version(module_, true)
    env = builder.finalize
    instance = Instance.new(module_, env.generate_import_object(store, Wasi.get_version(module_, true)))
    code = begin
      instance.exports._start.()
      nil
    rescue Wasmer::ExitError => e
      e.code
    end
    [code, env.read_stdout, env.read_stderr]
  end

  def test_version_constants_and_detection
    assert_equal [1, 2, 3], [Wasi::Version::LATEST, Wasi::Version::SNAPSHOT0, Wasi::Version::SNAPSHOT1]
    store = Store.new
    assert_nil Wasi.get_version(Wasmer::Module.new(store, SUM_WAT), false)
    unstable = Wasmer::Module.new(store, '(module (import "wasi_unstable" "proc_exit" (func (param i32))))')
    assert_equal Wasi::Version::SNAPSHOT0, Wasi.get_version(unstable, true)
    mixed = Wasmer::Module.new(store, <<~WAT)
      (module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (import "env" "f" (func)))
    WAT
    assert_equal Wasi::Version::SNAPSHOT1, Wasi.get_version(mixed, false)
    assert_nil Wasi.get_version(mixed, true)
  end

  def test_arguments_and_environment_arrive_and_nothing_else
    ENV["WASMGEN_HOST_SECRET"] = "leak"
    builder = Wasi::StateBuilder.new("echo").argument("a b").arguments(["c"]).environment("FOO", "bar=baz").capture_stdout
    code, out, err = run_program("echo", builder)
    assert_nil code
    assert_equal "arg 0: echo\narg 1: a b\narg 2: c\nenv: FOO=bar=baz\n", out
    assert_equal Encoding::BINARY, out.encoding
    assert_equal "", err
    assert_equal "", Wasi::StateBuilder.new("x").finalize.read_stdout # never run
  ensure
    ENV.delete("WASMGEN_HOST_SECRET")
  end

  def test_environments_hash_in_order
    builder = Wasi::StateBuilder.new("echo").environments({ "ABC" => "DEF", "X" => "YZ" }).capture_stdout
    assert_equal [nil, "arg 0: echo\nenv: ABC=DEF\nenv: X=YZ\n", ""], run_program("echo", builder)
  end

  def test_exit_codes_are_exit_errors_with_streams_captured_apart
    %w[7 0 255].each do |code|
      builder = Wasi::StateBuilder.new("streams").arguments(["to stdout", "to stderr", code]).capture_stdout.capture_stderr
      assert_equal [Integer(code), "to stdout", "to stderr"], run_program("streams", builder)
      assert_equal Integer(code), Wasmer.exit_code
    end
    error = assert_raises(Wasmer::RuntimeError) do
      store = Store.new
      module_ = Wasmer::Module.new(store, program("streams"))
      env = Wasi::StateBuilder.new("streams").arguments(%w[x y 42]).finalize
      Instance.new(module_, env.generate_import_object(store, Wasi::Version::LATEST)).exports._start.()
    end
    assert_instance_of Wasmer::ExitError, error
    assert_equal 42, error.code
    assert_match(/42/, error.message)
  end

  def test_streams_not_captured_are_discarded
    builder = Wasi::StateBuilder.new("streams").arguments(%w[x y 3])
    assert_equal [3, "", ""], run_program("streams", builder)
  end

  def test_stdin_bytes_and_none
    builder = Wasi::StateBuilder.new("cat").stdin("line one\nline two\n").capture_stdout
    assert_equal [nil, "line one\nline two\n", ""], run_program("cat", builder)
    assert_equal [nil, "", ""], run_program("cat", Wasi::StateBuilder.new("cat").capture_stdout)
  end

  # A child Ruby process with its own stdin/stdout/stderr: what the host gives a
  # program, and what it gets from it, only when asked.
  def child(name, script, stdin_data)
    lib = $LOAD_PATH.select { |d| File.exist?(File.join(d, "wasmer.rb")) || File.exist?(File.join(d, "wasmer", "wasmer_native.so")) }
    code = "require 'wasmer'; include Wasmer; store = Store.new; " \
           "m = Wasmer::Module.new(store, File.binread(#{File.join(PROGRAMS, "#{name}.wasm").inspect})); #{script}"
    Open3.capture3(RbConfig.ruby, *lib.flat_map { |d| ["-I", d] }, "-e", code, stdin_data: stdin_data)
  end

  def run_in_child(name, builder_code, stdin_data: "host input")
    child(name, <<~RUBY, stdin_data)
      env = #{builder_code}.finalize
      i = Instance.new(m, env.generate_import_object(store, Wasi::Version::LATEST))
      begin
        i.exports._start.()
      rescue Wasmer::ExitError => e
        $stdout.write("[exit \#{e.code}]")
      end
      $stdout.write("[captured \#{env.read_stdout.inspect}]")
    RUBY
  end

  def test_nothing_inherited_unless_asked
    out, err, status = run_in_child("streams", 'Wasi::StateBuilder.new("streams").arguments(["o", "e", "0"])')
    assert status.success?, err
    assert_equal ["[exit 0][captured \"\"]", ""], [out, err]
    out, err, status = run_in_child("streams", 'Wasi::StateBuilder.new("streams").arguments(["o", "e", "0"]).inherit_stdout.inherit_stderr')
    assert status.success?, err
    assert_equal ["o[exit 0][captured \"\"]", "e"], [out, err]
    out, err, status = run_in_child("cat", 'Wasi::StateBuilder.new("cat").capture_stdout')
    assert status.success?, err
    assert_equal "[captured \"\"]", out
    out, err, status = run_in_child("cat", 'Wasi::StateBuilder.new("cat").inherit_stdin.capture_stdout')
    assert status.success?, err
    assert_equal "[captured \"host input\"]", out
  end

  # root/in (with a.txt) and root/out in a temporary root.
  def with_dirs
    Dir.mktmpdir("wasmgen-wasi-ruby") do |root|
      input = File.join(root, "in")
      output = File.join(root, "out")
      Dir.mkdir(input)
      Dir.mkdir(output)
      File.write(File.join(input, "a.txt"), "contents of a\n")
      yield root, input, output
    end
  end

  def test_files_between_mapped_directories_and_the_sandbox
    with_dirs do |root, input, output|
      File.write(File.join(root, "secret.txt"), "outside\n")
      File.symlink("../secret.txt", File.join(input, "escape"))
      copy = lambda do |from, to|
        builder = Wasi::StateBuilder.new("copy").map_directories({ "/in" => input }).map_directory("/out", output)
                                    .arguments([from, to]).capture_stdout.capture_stderr
        run_program("copy", builder)
      end

      assert_equal [nil, "copied /in/a.txt to /out/b.txt\n", ""], copy.("/in/a.txt", "/out/b.txt")
      assert_equal "contents of a\n", File.read(File.join(output, "b.txt"))
      [
        ["/in/../secret.txt", "/out/c.txt"], # `..` out of the mapping
        ["/in/escape", "/out/d.txt"], # a symlink out of it
        ["/etc/passwd", "/out/e.txt"], # an absolute path of the host
        ["/in/a.txt", "/elsewhere.txt"], # outside every mapping
      ].each do |from, to|
        code, out, err = copy.(from, to)
        assert_equal 1, code, "#{from} -> #{to} was not refused: #{out} #{err}"
        assert_equal "", out
        assert_match(/\Acannot (open|create) #{Regexp.escape(from.start_with?("/in/a") ? to : from)}: /, err)
      end
      assert_equal %w[b.txt], Dir.children(output)
      refute File.exist?(File.join(root, "elsewhere.txt"))
    end
  end

  def test_preopened_directory_keeps_its_host_path
    Dir.mktmpdir("wasmgen-wasi-ruby") do |dir|
      File.write(File.join(dir, "a.txt"), "a file\n")
      builder = Wasi::StateBuilder.new("copy").preopen_directories([dir])
                                  .arguments([File.join(dir, "a.txt"), File.join(dir, "f.txt")]).capture_stdout
      code, out, = run_program("copy", builder)
      assert_nil code
      assert_equal "copied #{dir}/a.txt to #{dir}/f.txt\n", out
      assert_equal "a file\n", File.read(File.join(dir, "f.txt"))
      # a directory beside it is not given
      builder = Wasi::StateBuilder.new("copy").preopen_directory(dir).capture_stderr
                                  .arguments([File.join(dir, "a.txt"), File.join(File.dirname(dir), "g.txt")])
      assert_equal 1, run_program("copy", builder).first
    end
  end

  # Reading from a read-only directory works; creating or overwriting in one fails
  # with EROFS (bindings/c/tests/test_wasi.c checks it call by call).
  def test_read_only_directories
    with_dirs do |_root, input, output|
      builder = Wasi::StateBuilder.new("copy").map_directory_read_only("/in", input).map_directory("/out", output)
                                  .arguments(["/in/a.txt", "/out/b.txt"]).capture_stderr
      assert_equal [nil, "", ""], run_program("copy", builder)
      assert_equal "contents of a\n", File.read(File.join(output, "b.txt"))
      %w[/ro/new.txt /ro/a.txt].each do |target|
        builder = Wasi::StateBuilder.new("copy").map_directory("/in", input).map_directory_read_only("/ro", input)
                                    .arguments(["/in/a.txt", target]).capture_stderr
        assert_equal [1, "", "cannot create #{target}: Read-only file system\n"], run_program("copy", builder)
      end
      builder = Wasi::StateBuilder.new("copy").preopen_directory_read_only(output).capture_stderr
                                  .arguments([File.join(output, "b.txt"), File.join(output, "c.txt")])
      assert_equal [1, "", "cannot create #{output}/c.txt: Read-only file system\n"], run_program("copy", builder)
      assert_equal %w[a.txt], Dir.children(input)
      assert_equal "contents of a\n", File.read(File.join(input, "a.txt"))
      assert_equal %w[b.txt], Dir.children(output)
    end
  end

  def test_builder_argument_errors
    assert_raises(Wasmer::RuntimeError) { Wasi::StateBuilder.new("x").preopen_directory("/no/such/dir") }
    assert_raises(Wasmer::RuntimeError) { Wasi::StateBuilder.new("x").map_directory("/d", "/no/such/dir") }
    assert_raises(TypeError) { Wasi::StateBuilder.new("x").arguments("not an array") }
    assert_raises(TypeError) { Wasi::StateBuilder.new("x").argument(1) }
    assert_raises(TypeError) { Wasi::StateBuilder.new("x").environments([1]) }
    assert_raises(TypeError) { Wasi::StateBuilder.new("x").finalize.generate_import_object(Store.new, 4) }
  end

  def test_finalize_takes_a_snapshot_and_an_environment_runs_one_instance
    store = Store.new
    module_ = Wasmer::Module.new(store, program("echo"))
    builder = Wasi::StateBuilder.new("echo").argument("one").capture_stdout
    env = builder.finalize
    builder.argument("two")
    import_object = env.generate_import_object(store, Wasi::Version::LATEST)
    assert_kind_of ImportObject, import_object
    assert import_object.contains_namespace?("wasi_snapshot_preview1")
    Instance.new(module_, import_object).exports._start.()
    assert_equal "arg 0: echo\narg 1: one\n", env.read_stdout
    assert_equal "", env.read_stdout # taken
    assert_raises(Wasmer::LinkError) { Instance.new(module_, env.generate_import_object(store, Wasi::Version::LATEST)) }
    assert_raises(Wasmer::RuntimeError) { env.generate_import_object(Store.new, Wasi::Version::LATEST) }
    # another environment from the same builder: its own state
    other = builder.finalize
    Instance.new(module_, other.generate_imports(store, Wasi::Version::SNAPSHOT1)).exports._start.()
    assert_equal "arg 0: echo\narg 1: one\narg 2: two\n", other.read_stdout
  end

  def test_wrong_version_is_a_link_error_and_other_namespaces_still_link
    store = Store.new
    module_ = Wasmer::Module.new(store, program("echo"))
    env = Wasi::StateBuilder.new("echo").finalize
    error = assert_raises(Wasmer::LinkError) { Instance.new(module_, env.generate_import_object(store, Wasi::Version::SNAPSHOT0)) }
    assert_match(/wasi_snapshot_preview1/, error.message)

    mixed = Wasmer::Module.new(store, <<~WAT)
      (module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (import "env" "code" (func $code (result i32)))
        (memory (export "memory") 1)
        (func (export "_start") call $code call $exit))
    WAT
    import_object = Wasi::StateBuilder.new("mixed").finalize.generate_import_object(store, Wasi::Version::LATEST)
    import_object.register("env", { "code" => Function.new(store, -> { 9 }, FunctionType.new([], [Type::I32])) })
    error = assert_raises(Wasmer::ExitError) { Instance.new(mixed, import_object).exports._start.() }
    assert_equal 9, error.code
  end

  def test_made_on_one_thread_run_on_another
    store = Store.new
    module_ = Wasmer::Module.new(store, program("echo"))
    env = Wasi::StateBuilder.new("echo").argument("x").capture_stdout.finalize
    instance = Thread.new { Instance.new(module_, env.generate_import_object(store, Wasi::Version::LATEST)) }.value
    Thread.new { instance.exports._start.() }.join
    assert_equal "arg 0: echo\narg 1: x\n", env.read_stdout
    instance.close
    GC.start
    assert_equal "", env.read_stdout
  end
end
