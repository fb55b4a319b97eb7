"""RouterOS's error texts, worded as the router words them.

Two families exist on a real router and clients tell them apart: positional errors found
while reading a command (``bad command name x (line 1 column 5)``) and failures found while
running it (``failure: already have such address``, ``no such item``), which have no
position on the console. Inside ``/import`` every error is reported as
``Script Error: <text> (line L column C)`` and the import stops there, lines before it
staying applied; a clean import ends with ``Script file loaded and executed
successfully``. Both wordings are what RouterOS 7 users report from their routers
(e.g. ``Script Error: syntax error (line 4 column 10)`` on 7.19); giving runtime failures
the same ``Script Error`` form, with the column of the command, is our choice.
"""

from __future__ import annotations


class RosError(Exception):
    """A command was refused; ``column`` is set for errors RouterOS reports by position."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def console(self, line: int = 1) -> str:
        """The text the console prints for this error on line ``line`` of its input."""
        if self.column is None:
            return self.message
        return f"{self.message} (line {line} column {self.column})"

    def script(self, line: int, column: int) -> str:
        """The text ``/import`` prints when this error stops a script at ``line``."""
        col = self.column if self.column is not None else column
        return f"Script Error: {self.message} (line {line} column {col})"


def bad_command(word: str, column: int) -> RosError:
    return RosError(f"bad command name {word}", column)


def end_of_command(column: int) -> RosError:
    return RosError("expected end of command", column)


def syntax(column: int) -> RosError:
    return RosError("syntax error", column)


NO_SUCH_ITEM = "no such item"
