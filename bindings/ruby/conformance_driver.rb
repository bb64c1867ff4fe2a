# Conformance driver for the Ruby binding (conformance/protocol.md).
#
# Reads one JSON request per line on stdin, answers one JSON line on stdout.
# Uses only the public Wasmer API.
#
#   ruby -I build/ruby/lib -I bindings/ruby/lib bindings/ruby/conformance_driver.rb
require "json"
require "wasmer"
require_relative "conformance_support"

KINDS = [*ConformanceModel::KINDS, [TypeError, "argument"]].freeze
TYPES = ConformanceModel::VALKINDS
NAMES = TYPES.invert.freeze

# A bad request: unknown module or export, no current module.
class ProtocolError < StandardError; end

# The host object standing for the spec tests' `ref.extern N` (any Ruby object can
# be an externref: it comes back out of WebAssembly as the same object).
ExternToken = Struct.new(:n)

# A protocol value (unsigned decimal of the bits) as the binding's Ruby value.
def to_ruby(type, value)
  return nil if value == "null"

  bits = Integer(value, 10)
  case type
  when "externref" then ExternToken.new(bits)
  when "funcref" then raise ProtocolError, "a non-null funcref argument cannot cross the protocol"
  when "i32" then bits >= 2**31 ? bits - 2**32 : bits
  when "i64" then bits >= 2**63 ? bits - 2**64 : bits
  when "f32", "f64" then [bits].pack("Q<").unpack1("E") # an f32 comes as "f64": the Float the binding takes
  else raise ProtocolError, "unsupported value type #{type}"
  end
end

# A Ruby value as a protocol value; an f32 goes as "f64", the bits of its Float (the runner narrows it).
def from_ruby(type, value)
  name = NAMES.fetch(type)
  return { "type" => name, "f64" => [value].pack("E").unpack1("Q<").to_s } if name == "f32"

  text = case name
         when "i32" then (value & 0xFFFF_FFFF).to_s
         when "i64" then (value & 0xFFFF_FFFF_FFFF_FFFF).to_s
         when "f64" then [value].pack("E").unpack1("Q<").to_s
         when "externref" then value.nil? ? "null" : value.n.to_s
         # a non-null funcref is a Wasmer::Function: its identity cannot cross the protocol
         else value.nil? ? "null" : "1"
         end
  { "type" => name, "value" => text }
end

# The driver's state: one store, the host module env, the instances by the id of their `module` request.
class Driver
  def initialize
    @store = Wasmer::Store.new
    @instances = {}
    @registered = {}
    t = Wasmer::Type
    sum = ->(a, b) { ((a + b + 2**31) % 2**32) - 2**31 }
    @host = { "env" => { "sum" => Wasmer::Function.new(@store, sum, Wasmer::FunctionType.new([t::I32, t::I32], [t::I32])) } }
  end

  def instance(id)
    @instances.fetch(id) { raise ProtocolError, "no instance #{id}" }
  end

  def export(instance, name)
    raise ProtocolError, "no export named #{name}" unless instance.exports.key?(name)

    instance.exports[name]
  end

  def imports
    imports = Wasmer::ImportObject.new
    @host.merge(@registered).each { |namespace, items| imports.register(namespace, items) }
    imports
  end

  def handle(req)
    case req["op"]
    when "module"
      mod = Wasmer::Module.new(@store, File.binread(req.fetch("path")))
      @instances[req.fetch("id")] = Wasmer::Instance.new(mod, imports)
      { "ok" => true }
    when "compile"
      Wasmer::Module.new(@store, File.binread(req.fetch("path")))
      { "ok" => true }
    when "register"
      @registered[req.fetch("as")] = instance(req["instance"]).exports.to_h
      { "ok" => true }
    when "invoke"
      func = export(instance(req["instance"]), req.fetch("field"))
      raise ProtocolError, "#{req['field']} is not a function" unless func.is_a?(Wasmer::Function)

      args = req.fetch("args", []).map { |a| to_ruby(a.fetch("type"), a.fetch("f64", a.fetch("value"))) }
      out = func.call(*args)
      results = func.type.results
      values = results.empty? ? [] : results.length == 1 ? [out] : out
      { "ok" => true, "results" => results.zip(values).map { |type, value| from_ruby(type, value) } }
    when "get"
      glob = export(instance(req["instance"]), req.fetch("field"))
      raise ProtocolError, "#{req['field']} is not a global" unless glob.is_a?(Wasmer::Global)

      { "ok" => true, "results" => [from_ruby(glob.type.type, glob.value)] }
    when "read_cstring"
      memory = export(instance(req["instance"]), req.fetch("memory", "memory"))
      raise ProtocolError, "#{req['memory']} is not a memory" unless memory.is_a?(Wasmer::Memory)

      view = memory.uint8_view(Integer(req.fetch("offset")))
      data = +""
      data << view[data.bytesize] while view[data.bytesize] != 0
      { "ok" => true, "value" => data.force_encoding("UTF-8") }
    when "example"
      ConformanceSupport.run_example(@store, imports, req)
    when "wasi"
      run_wasi(req)
    when "quit"
      nil
    else
      { "ok" => false, "error" => "protocol", "message" => "unknown op #{req['op'].inspect}" }
    end
  end
end

# Runs a WASI program's _start in a store of its own (Wasmer::Wasi, the public API).
def run_wasi(req)
  store = Wasmer::Store.new
  mod = Wasmer::Module.new(store, File.binread(req.fetch("path")))
  builder = Wasmer::Wasi::StateBuilder.new(req.fetch("program"))
  req.fetch("args").each { |arg| builder.argument(arg) }
  req.fetch("env").each { |key, value| builder.environment(key, value) }
  builder.stdin(req["stdin"].unpack1("m0")) unless req["stdin"].nil?
  req.fetch("preopens").each { |dir| builder.preopen_directory(dir) }
  req.fetch("maps").each { |alias_, dir| builder.map_directory(alias_, dir) }
  capture = req.fetch("capture")
  builder.capture_stdout if capture.include?("stdout")
  builder.capture_stderr if capture.include?("stderr")
  env = builder.finalize
  version = Wasmer::Wasi.get_version(mod, false)
  raise ProtocolError, "not a WASI module" if version.nil?

  instance = Wasmer::Instance.new(mod, env.generate_import_object(store, version))
  code = begin
    instance.exports._start.()
    nil
  rescue Wasmer::ExitError => e
    e.code
  end
  stream = ->(name, data) { capture.include?(name) ? [data].pack("m0") : nil }
  { "ok" => true, "exit" => code, "stdout" => stream.("stdout", env.read_stdout),
    "stderr" => stream.("stderr", env.read_stderr) }
end

def error_kind(exc)
  return "protocol" if exc.is_a?(ProtocolError) || exc.is_a?(KeyError) || exc.is_a?(JSON::ParserError)

  KINDS.each { |klass, kind| return kind if exc.is_a?(klass) }
  "runtime"
end

def main
  driver = Driver.new
  $stdin.each_line do |line|
    next if line.strip.empty?

    req = nil
    resp = begin
      req = JSON.parse(line)
      driver.handle(req)
    rescue StandardError => e
      { "ok" => false, "error" => error_kind(e), "message" => "#{e.class}: #{e.message}" }
    end
    break if resp.nil?

    # a request's integer "id" comes back in its response
    resp["id"] = req["id"] if req.is_a?(Hash) && req["id"].is_a?(Integer)

    $stdout.write(JSON.generate(resp), "\n")
    $stdout.flush
  end
  0
end

exit(main) if $PROGRAM_NAME == __FILE__
