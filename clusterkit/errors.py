"""Exceptions raised by clusterkit.

Every error a user can fix names what is wrong and how to fix it. The CLI turns
:class:`ClusterkitInputError` subclasses into a one-line message and exit code 2.
"""

from __future__ import annotations

__all__ = ["ClusterkitInputError", "ConfigError", "DataError", "UnknownStageError", "did_you_mean"]


class ClusterkitInputError(ValueError):
    """Base class of errors caused by bad input or configuration (CLI exit code 2)."""


class DataError(ClusterkitInputError):
    """An input table breaks the data contract.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    file : str, optional
        The file the problem was found in.
    column : str, optional
        The column concerned.
    rows : list of int, optional
        1-based data row numbers (header excluded) of the first offending rows.

    Examples
    --------
    >>> err = DataError("missing required column 'action'", file="events.csv", column="action")
    >>> str(err)
    "events.csv: missing required column 'action'"
    """

    def __init__(self, message, *, file=None, column=None, rows=None):
        self.file = None if file is None else str(file)
        self.column = column
        self.rows = list(rows) if rows is not None else None
        prefix = f"{self.file}: " if self.file else ""
        super().__init__(prefix + message)


class ConfigError(ClusterkitInputError):
    """A configuration value or key is invalid."""


class UnknownStageError(ConfigError, KeyError):
    """A stage name is not registered.

    ``KeyError`` quotes its message; this class keeps the plain text.
    """

    def __str__(self) -> str:  # KeyError.__str__ would add quotes
        return str(self.args[0]) if self.args else ""


def did_you_mean(value, choices) -> str:
    """`` Did you mean 'x'?`` for the closest of ``choices`` to ``value``, or ``""``.

    Examples
    --------
    >>> did_you_mean("featurs", ["features", "roles"])
    " Did you mean 'features'?"
    >>> did_you_mean("zzz", ["features"])
    ''
    """
    import difflib

    hint = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    return f" Did you mean {hint[0]!r}?" if hint else ""
