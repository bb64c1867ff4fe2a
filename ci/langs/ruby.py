"""ruby: not implemented yet (issue 5)."""

from . import Lang

LANG = Lang("ruby", issue="issue 5")
