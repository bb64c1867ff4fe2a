# frozen_string_literal: true

module Wasmer
  # Imports by namespace: ImportObject.new.register("env", {"sum" => function}).
  class ImportObject
    def initialize
      @namespaces = {}
    end

    # Adds (or replaces) the items of a namespace; names are Strings or Symbols,
    # items Function, Memory, Global or Table.
    def register(namespace_name, namespace)
      raise TypeError, "a namespace must be a Hash of name => extern, not #{namespace.class}" unless namespace.respond_to?(:each_pair)

      items = {}
      namespace.each_pair do |name, item|
        unless name.is_a?(String) || name.is_a?(Symbol)
          raise TypeError, "ImportObject cannot register the name #{name.inspect}: expects a String or a Symbol"
        end
        unless EXTERN_CLASSES.any? { |k| item.is_a?(k) }
          raise TypeError, "ImportObject cannot register #{item.class} as #{namespace_name}.#{name}: " \
                           "expects a Wasmer::Function, Memory, Global or Table"
        end

        items[name.to_s] = item
      end
      (@namespaces[namespace_name.to_s] ||= {}).update(items)
      nil
    end

    def contains_namespace(namespace_name)
      @namespaces.key?(namespace_name.to_s)
    end
    alias contains_namespace? contains_namespace

    def to_h
      @namespaces.transform_values(&:dup)
    end

    # Yields namespace, name, extern for every import.
    def each_import
      @namespaces.each { |namespace, items| items.each { |name, item| yield namespace, name, item } }
    end
  end
end
