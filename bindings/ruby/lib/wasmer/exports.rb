# frozen_string_literal: true

module Wasmer
  # An instance's exports, by name: exports.sum (method), exports["sum"], each, length.
  class Exports
    def initialize(items)
      @items = items.freeze
      items.each do |name, item|
        next unless name.match?(/\A[a-z_][A-Za-z0-9_]*\z/)
        next if Exports.method_defined?(name) # public methods win; exports[name] still reaches the export

        define_singleton_method(name) { |*args| args.empty? ? item : Exports.call(name, item, args) }
      end
    end

    def [](name)
      @items.fetch(name.to_s) { raise KeyError, "no export named #{name.to_s.inspect} (exports: #{names.join(', ')})" }
    end

    def key?(name)
      @items.key?(name.to_s)
    end
    alias include? key?

    def names
      @items.keys
    end

    def each(&block)
      return enum_for(:each) unless block

      @items.each(&block)
      self
    end

    def length
      @items.length
    end
    alias size length

    def to_h
      @items.dup
    end

    def method_missing(name, *args)
      return super unless @items.key?(name.to_s)

      item = @items[name.to_s]
      args.empty? ? item : Exports.call(name, item, args)
    end

    # exports.sum(1, 2): a shorthand of exports.sum.(1, 2).
    def self.call(name, item, args)
      raise ArgumentError, "export #{name} is a #{item.class}, not a function: it takes no arguments" unless item.is_a?(Function)

      item.call(*args)
    end

    def respond_to_missing?(name, include_private = false)
      @items.key?(name.to_s) || super
    end

    def inspect
      "#<Wasmer::Exports #{names.join(', ')}>"
    end
  end
end
