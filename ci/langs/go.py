"""go: not implemented yet (issue 4)."""

from . import Lang

LANG = Lang("go", issue="issue 4")
