"""The errors and warnings slipcast raises."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional


class PlanError(ValueError):
    """Inputs that do not load: every problem at once, never a crash.

    ``str(error)`` is the message the command line prints (after
    ``Error:``). ``error.problems`` lists each problem as a dict, as
    ``slipcast validate --json`` does: ``file``, ``line`` (as an editor
    shows it, the header is line 1), ``task`` (the id, when known) and
    ``message`` (what is wrong and how to fix it), ``cycle`` for a
    dependency cycle, and ``row``: for an input given as a DataFrame or a
    list of dicts, the index label of the row at fault (else ``None``).

    >>> import slipcast
    >>> try:
    ...     slipcast.validate([{"id": "a", "likely": 3}, {"id": "a", "likely": 2}])
    ... except slipcast.PlanError as e:
    ...     print(e.problems[0]["row"], e.problems[0]["message"])
    1 id is used again; it was first used on line 2. Ids must be unique
    """

    problems: List[Dict[str, Any]]

    def __init__(self, message: str, problems: List[Dict[str, Any]]):
        super().__init__(message)
        self.problems = problems

    @classmethod
    def _from_native(
        cls, error: BaseException, tables: Mapping[str, Any]
    ) -> "PlanError":
        message, problems_json = error.args
        problems = json.loads(problems_json)
        for p in problems:
            p["row"] = _row_of(tables.get(p.get("file") or ""), p.get("line"))
        return cls(message, problems)


def _row_of(frame: Any, line: Optional[int]) -> Any:
    """The index label of the row of ``frame`` on CSV line ``line``."""
    if frame is None or line is None:
        return None
    k = line - 2
    if 0 <= k < len(frame.index):
        label = frame.index[k]
        return label.item() if hasattr(label, "item") else label
    return None


class SlipcastWarning(UserWarning):
    """Something in the inputs reads but should be looked at (a column
    slipcast does not read, a task with no range, ...)."""
