# frozen_string_literal: true

module Wasmer
  # A table of function references: Table.new(store, TableType.new(Type::FUNC_REF, 2, 10)).
  # #size (#length), #grow, #get and #set are rendered from api.yaml (wasmer/api.rb);
  # table[i] and table[i] = f are wasmer-ruby 1.0's forms of get and set.
  class Table
    def self.new(store, table_type, initial_value = nil)
      raise TypeError, "expected a Wasmer::TableType, not #{table_type.class}" unless table_type.is_a?(TableType)

      handle = Native.table_new(Lift.store(store), Type.kind(table_type.type), table_type.minimum,
                                table_type.maximum || UNBOUNDED)
      table = Lift.adopt(handle, store: store)
      initial_value = initial_value.value if initial_value.is_a?(Value)
      table.size.times { |i| table.set(i, initial_value) } unless initial_value.nil?
      table
    end

    def type
      Lift.type(Native.table_type(self))
    end

    def [](index)
      get(index)
    end

    def []=(index, function)
      set(index, function)
    end
  end
end
