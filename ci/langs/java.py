"""java: not implemented yet (issue 5)."""

from . import Lang

LANG = Lang("java", issue="issue 5")
