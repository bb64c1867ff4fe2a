# The conformance driver's `example` request (conformance/protocol.md): the setup around a call of a
# public member (compile and instantiate the example's module through the public API, resolve the
# receiver and handle arguments, convert arguments and results by their spec type). The call itself
# is in conformance_model.rb, rendered from the model.
require_relative "conformance_model"

module ConformanceSupport
  SCALARS = %w[bool u32 u64 str compiler].freeze

  # The answer to an `example` request, run in the driver's store with its imports.
  def self.run_example(store, imports, req)
    call, param_types, result_type = ConformanceModel::MEMBERS.fetch(req.fetch("method")) do
      return { "ok" => false, "error" => "protocol", "message" => "no public member #{req['method']} with examples" }
    end
    objects = { "Store" => store, "Engine" => store.engine }
    if req["module"]
      objects["Module"] = Wasmer::Module.new(store, File.binread(req["module"]))
      objects["Instance"] = Wasmer::Instance.new(objects["Module"], imports)
    end
    args = req.fetch("args")
    unless args.length == param_types.length
      raise ArgumentError, "#{req['method']} takes #{param_types.length} argument(s), the example gives #{args.length}"
    end

    args = param_types.zip(args).map { |type, value| argument(type, value, objects) }
    receiver = req["self"] && reference(req["self"], objects)
    begin
      result = call.(receiver, args)
    rescue NoMethodError, ArgumentError => e
      raise if e.is_a?(Wasmer::Error) # Wasmer::ArgumentError is an ::ArgumentError too

      # the public form is not the one the model says
      return { "ok" => false, "error" => "runtime", "message" => "#{req['method']}: #{e.class}: #{e.message.lines.first.chomp}" }
    end
    { "ok" => true, "result" => encode(result_type, result) }
  end

  # {export: NAME} (of the example's instance) or {object: Store|Engine|Module|Instance}.
  def self.reference(ref, objects)
    return objects.fetch("Instance").exports[ref["export"]] if ref.key?("export")

    objects.fetch(ref.fetch("object"))
  end

  def self.argument(type, value, objects)
    return value if SCALARS.include?(type)
    return [value.fetch("hex")].pack("H*") if type == "bytes"
    return ConformanceModel::VALKINDS.fetch(value) if type == "valkind"

    value && reference(value, objects) # a handle
  end

  def self.encode(type, value)
    return nil if type == "void" || value.nil?

    case type
    when "bool", "u32", "u64", "str" then value
    when "bytes" then { "hex" => value.unpack1("H*") }
    when "valkind" then ConformanceModel::VALKINDS.key(value) || "<unknown valkind #{value.inspect}>"
    when "externkind"
      value.is_a?(Integer) ? ConformanceModel::EXTERNKINDS.key(value) : value.to_s.downcase
    when "compiler" then value.to_s
    else { "class" => type } # a handle of that spec class
    end
  end
end
