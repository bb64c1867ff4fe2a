# frozen_string_literal: true

module Wasmer
  # A WASI program exited: proc_exit(n) or exit(n) in the program, 0 included.
  # #code is n. It is a Wasmer::RuntimeError, as every trap of wasmer-ruby 1.0.
  class ExitError
    # The program's exit code (Integer, 0..2**32-1).
    attr_reader :code
  end

  # WASI (the WebAssembly System Interface), as wasmer-ruby 1.0 had it:
  #
  #   store = Wasmer::Store.new
  #   module_ = Wasmer::Module.new(store, File.binread("program.wasm"))
  #   version = Wasmer::Wasi.get_version(module_, true)
  #   wasi_env = Wasmer::Wasi::StateBuilder.new("program")
  #                .argument("--foo")
  #                .environment("KEY", "value")
  #                .map_directory("/data", "./host/data")
  #                .capture_stdout
  #                .finalize
  #   import_object = wasi_env.generate_import_object(store, version)
  #   instance = Wasmer::Instance.new(module_, import_object)
  #   instance.exports._start.()   # Wasmer::ExitError (#code) if the program calls exit(n)
  #   wasi_env.read_stdout          # => what it printed (a binary String)
  #
  # The sandbox: a program is given only what the builder gives it. No directory
  # (only those preopened or mapped, and nothing outside them: `..`, absolute
  # paths and symlinks out of them are refused), no environment variable, stdin
  # empty, and stdout/stderr discarded unless captured (capture_stdout,
  # capture_stderr, read back with Environment#read_stdout/#read_stderr) or
  # inherited from the host process (inherit_stdout, inherit_stderr,
  # inherit_stdin). wasmer-ruby 1.0 inherited the three streams by default.
  #
  # Built on the glue's WasiConfig and WasiEnv (the handles Wasmer::Native::WasiConfig
  # and Wasmer::Native::WasiEnv).
  module Wasi
    # WASI versions, numbered as in wasmer-ruby 1.0.
    module Version
      # Whichever version the module imports (wasi_snapshot_preview1 or wasi_unstable).
      LATEST = 1
      # wasi_unstable
      SNAPSHOT0 = 2
      # wasi_snapshot_preview1
      SNAPSHOT1 = 3

      # The import namespace of each version.
      NAMESPACES = { SNAPSHOT0 => "wasi_unstable", SNAPSHOT1 => "wasi_snapshot_preview1" }.freeze
      # The glue's numbering (Module.wasi_version: 1 wasi_unstable, 2 wasi_snapshot_preview1) => ours.
      OF_GLUE = { 1 => SNAPSHOT0, 2 => SNAPSHOT1 }.freeze

      # `version` checked: one of LATEST, SNAPSHOT0, SNAPSHOT1 (else a TypeError, as wasmer-ruby 1.0).
      def self.check(version)
        raise TypeError, "Unrecognized WASI version #{version.inspect}" unless [LATEST, SNAPSHOT0, SNAPSHOT1].include?(version)

        version
      end
    end

    # The WASI version `module_` imports: Version::SNAPSHOT0 or Version::SNAPSHOT1,
    # nil when it is not a WASI module. With `strict`, also nil when it imports
    # anything but WASI functions.
    def self.get_version(module_, strict)
      Version::OF_GLUE[Native.module_wasi_version(Lift.handle(module_, Wasmer::Module, "module"), strict ? true : false)]
    end

    # What a WASI program is given: StateBuilder.new(program_name), then the
    # chainable methods below (each returns the builder), then #finalize.
    class StateBuilder
      def initialize(program_name)
        @program = Wasi.string(program_name, "program name")
        @steps = []
      end

      # Appends an argument (argv[1], argv[2], ...).
      def argument(argument)
        step(:wasi_config_argument, Wasi.string(argument, "argument"))
      end

      # Appends each argument of an Array.
      def arguments(arguments)
        Wasi.array(arguments, "arguments").each { |a| argument(a) }
        self
      end

      # Sets an environment variable.
      def environment(key, value)
        step(:wasi_config_environment, Wasi.string(key, "environment key"), Wasi.string(value, "environment value"))
      end

      # Sets each variable of a Hash (key => value).
      def environments(environments)
        Wasi.hash(environments, "environments").each_pair { |k, v| environment(k, v) }
        self
      end

      # Gives the program a host directory under its own path. A Wasmer::RuntimeError
      # if it is not a directory.
      def preopen_directory(directory)
        step(:wasi_config_preopen_directory, Wasi.directory(directory))
      end

      # Gives the program each host directory of an Array.
      def preopen_directories(directories)
        Wasi.array(directories, "preopen directories").each { |d| preopen_directory(d) }
        self
      end

      # Gives the program the host directory `directory` as `alias_` (a path
      # of the program: "/data", or "data"). A Wasmer::RuntimeError if it is not a directory.
      def map_directory(alias_, directory)
        step(:wasi_config_map_directory, Wasi.string(alias_, "alias"), Wasi.directory(directory))
      end

      # Gives the program each directory of a Hash (alias => host directory).
      def map_directories(map_directories)
        Wasi.hash(map_directories, "map directories").each_pair { |a, d| map_directory(a, d) }
        self
      end

      # Extra: gives the program a host directory under its own path, to read
      # only: creating, writing, renaming or deleting anything in it fails (EROFS).
      def preopen_directory_read_only(directory)
        step(:wasi_config_preopen_directory_read_only, Wasi.directory(directory))
      end

      # Extra: gives the program the host directory `directory` as `alias_`, to read
      # only: creating, writing, renaming or deleting anything in it fails (EROFS).
      def map_directory_read_only(alias_, directory)
        step(:wasi_config_map_directory_read_only, Wasi.string(alias_, "alias"), Wasi.directory(directory))
      end

      # Extra: the bytes the program reads from its stdin (default: none).
      def stdin(data)
        step(:wasi_config_stdin, Lift.bytes(data, "stdin"))
      end

      # Extra: the program reads the host process's stdin.
      def inherit_stdin
        step(:wasi_config_inherit_stdin)
      end

      # Extra: the program writes to the host process's stdout.
      def inherit_stdout
        step(:wasi_config_inherit_stdout)
      end

      # Extra: the program writes to the host process's stderr.
      def inherit_stderr
        step(:wasi_config_inherit_stderr)
      end

      # Extra: what the program writes to stdout is kept, for Environment#read_stdout.
      def capture_stdout
        step(:wasi_config_capture_stdout)
      end

      # Extra: what the program writes to stderr is kept, for Environment#read_stderr.
      def capture_stderr
        step(:wasi_config_capture_stderr)
      end

      # The program's environment, as configured so far (later changes to the
      # builder do not change it).
      def finalize
        Environment.send(:new, @program, @steps.dup.freeze)
      end

      def inspect
        "#<Wasmer::Wasi::StateBuilder #{@program.inspect}>"
      end

      private

      def step(native, *args)
        @steps << [native, *args].freeze
        self
      end
    end

    # A WASI program's state (files, arguments, captured output), made by
    # StateBuilder#finalize. It runs one instance: its state
    # (Wasmer::Native::WasiEnv) is made in the store of its import object when
    # Instance.new instantiates a module that imports WASI functions.
    class Environment
      private_class_method :new

      def initialize(program, steps)
        @program = program
        @steps = steps
        @store = nil
        @env = nil
        @running = false
      end

      # An ImportObject with the WASI functions of `version` (Version::LATEST: the
      # module's own), for Instance.new. The instance it makes is this program.
      def generate_import_object(store, version)
        Version.check(version)
        Lift.handle(store, Store, "store")
        @store ||= store
        unless @store.equal?(store)
          raise Wasmer::RuntimeError, "this WASI environment lives in the store of its first import object: " \
                                      "give the same store, or finalize the builder again for another"
        end
        ImportObject.send(:new, self, version)
      end
      alias generate_imports generate_import_object

      # Extra: takes what the program wrote to its captured stdout so far (a binary String).
      def read_stdout
        @env ? Native.wasi_env_read_stdout(@env) : "".b
      end

      # Extra: takes what the program wrote to its captured stderr so far (a binary String).
      def read_stderr
        @env ? Native.wasi_env_read_stderr(@env) : "".b
      end

      def inspect
        "#<Wasmer::Wasi::Environment #{@program.inspect}#{@running ? ' running' : ''}>"
      end

      # Instance.new, through ImportObject#define_wasi: defines the WASI functions
      # of `module_` into the native imports when it imports this version's.
      def define_wasi(imports, module_, version) # :nodoc:
        glue = Native.module_wasi_version(module_, false)
        return if glue.zero? || !(version == Version::LATEST || Version::OF_GLUE[glue] == version)

        if @env.nil?
          config = Native.wasi_config_new(@program)
          begin
            @steps.each { |native, *args| Native.public_send(native, config, *args) }
            @env = Native.wasi_env_new(@store, config)
          ensure
            config.close
          end
        end
        Native.wasi_env_define_imports(@env, module_, imports)
      end

      # Instance.new: whether the instance was made. A state that never ran an
      # instance is closed, and the next Instance.new makes a new one.
      def instantiated(made) # :nodoc:
        if made
          @running ||= !@env.nil?
        elsif @env && !@running
          Native.close(@env)
          @env = nil
        end
      end
    end

    # The import object of a WASI environment: its WASI functions, defined for
    # the module at Instance.new (libwasmer makes them for a module), and any
    # other namespace registered as in a Wasmer::ImportObject (which win).
    class ImportObject < Wasmer::ImportObject
      private_class_method :new

      attr_reader :environment, :version

      def initialize(environment, version)
        super()
        @environment = environment
        @version = version
      end

      # The WASI namespace counts: the version's, or both for Version::LATEST.
      def contains_namespace(namespace_name)
        wasi = @version == Version::LATEST ? Version::NAMESPACES.values : [Version::NAMESPACES[@version]]
        wasi.include?(namespace_name.to_s) || super
      end
      alias contains_namespace? contains_namespace

      def define_wasi(imports, module_) # :nodoc:
        @environment.define_wasi(imports, module_, @version)
      end

      def instantiated(made) # :nodoc:
        @environment.instantiated(made)
      end
    end

    # Argument checks of the builder.
    def self.string(value, what)
      raise TypeError, "#{what} must be a String, not #{value.class}" unless value.is_a?(String) || value.is_a?(Symbol)

      value.to_s
    end

    def self.array(value, what)
      raise TypeError, "#{what} must be an Array, not #{value.class}" unless value.is_a?(Array)

      value
    end

    def self.hash(value, what)
      raise TypeError, "#{what} must be a Hash, not #{value.class}" unless value.respond_to?(:each_pair)

      value
    end

    # wasmer-ruby 1.0 refused a missing directory when it was given (a RuntimeError).
    def self.directory(value)
      path = string(value, "directory")
      raise Wasmer::RuntimeError, "#{path} is not a directory of the host: cannot give it to the program" unless File.directory?(path)

      path
    end
  end
end
