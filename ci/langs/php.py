"""php: not implemented yet (issue 4)."""

from . import Lang

LANG = Lang("php", issue="issue 4")
