"""Table support: Table(store, TableType, initial_value=None)."""

from __future__ import annotations

from typing import Any

from . import _handles, _low
from ._type import code
from ._types import TableType, glue_maximum


class TableSupport(_handles.Handle):
    def __init__(self, store: Any, table_type: TableType, initial_value: Any = None) -> None:
        store_h = _handles.unwrap(store, "Store")
        h = _low.table_new(store_h, code(table_type.type), table_type.minimum, glue_maximum(table_type.maximum))
        self._adopt(h, store)
        if initial_value is not None:
            for i in range(_low.table_size(h)):
                _low.table_set(h, i, _handles.unwrap(initial_value, "Function", nullable=True))
