# frozen_string_literal: true

# Stand-in for wasmer-ruby 1.0.0's tests/prelude.rb, loaded by `require "prelude"`
# from each upstream test file (compat/suites/ruby.py puts this folder first on the
# load path). Upstream's prelude needs bundler and minitest-reporters only to print
# a spec-style report; this one loads our `wasmer`, minitest, the same top-level
# aliases, and a reporter that writes one JSON line per test event to the file named
# by $WASMGEN_COMPAT_OUT (a "start" line before each test, so the harness can tell
# which test a crash interrupted, and a "result" line after it).
require "json"
require "wasmer"
require "minitest/autorun"

# upstream's aliases; one our binding lacks is left undefined (tests naming it fail
# with NameError, as they would against a wasmer without it)
%i[ExportType Exports Function FunctionType Global GlobalType ImportObject ImportType Instance Int16Array
   Int32Array Int8Array Memory MemoryType Module Store Table TableType Type Uint16Array Uint32Array
   Uint8Array Value Wasi].each do |name|
  if Wasmer.const_defined?(name, false)
    Object.const_set(name, Wasmer.const_get(name, false))
  else
    warn "prelude: Wasmer::#{name} is not defined"
  end
end

module Minitest
  # One JSON line per event, flushed at once (a crash loses nothing already written).
  class CompatJsonReporter < AbstractReporter
    def initialize(path)
      super()
      @out = File.open(path, "a")
      @out.sync = true
    end

    def prerecord(klass, name)
      @out.puts JSON.generate("event" => "start", "class" => klass.name, "name" => name)
    end

    def record(result)
      status = if result.skipped? then "skip" elsif result.passed? then "pass" else "fail" end
      message = result.failures.map { |f| "#{f.result_label}: #{f.message}" }.join("\n")
      @out.puts JSON.generate("event" => "result", "class" => result.klass, "name" => result.name,
                              "status" => status, "message" => message)
    end
  end

  def self.plugin_compat_json_init(_options)
    path = ENV["WASMGEN_COMPAT_OUT"]
    reporter << CompatJsonReporter.new(path) if path
  end
end
Minitest.extensions << "compat_json"
