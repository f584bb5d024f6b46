"""Inputs: a file path, a pandas DataFrame, or a list of dicts."""

from __future__ import annotations

import datetime as _dt
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # pandas is imported when a table is given, not on import
    import pandas as pd

#: A plan, risk register or correlations table: a path (CSV; for a plan also
#: a P6 XER or MS Project XML file), a DataFrame with the file's columns, or
#: a list of dicts, one per row.
Table = Union[str, "os.PathLike[str]", "pd.DataFrame", Sequence[Mapping[str, Any]]]

#: A date: a ``datetime.date`` or ``YYYY-MM-DD``.
DateLike = Union[str, _dt.date]


def frame_of(table: Any) -> Optional[pd.DataFrame]:
    """The DataFrame of an in-memory table, or None for a path."""
    if isinstance(table, (str, bytes, os.PathLike)):
        return None
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return table
    if isinstance(table, Iterable):
        rows = list(table)
        if all(isinstance(r, Mapping) for r in rows):
            return pd.DataFrame(rows)
    raise TypeError(
        f"expected a file path, a pandas DataFrame or a list of dicts, not {type(table).__name__}"
    )


def _cell(v: Any) -> Any:
    """A DataFrame cell as the CSV reads it: lists of links joined with ';'."""
    if isinstance(v, (list, tuple, set)):
        return ";".join(str(x) for x in v)
    if isinstance(v, _dt.date):
        return v.isoformat()[:10]
    return v


def csv_text(frame: pd.DataFrame) -> str:
    """The DataFrame as slipcast's CSV: its columns, one line per row."""
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == object:
            out[c] = col.map(_cell)
        elif col.dtype.kind == "f" and (col.dropna() % 1 == 0).all():
            # A whole-number column with blanks reads in pandas as floats:
            # write 4, not 4.0 (a priority must be a whole number).
            out[c] = col.astype("Int64")
    return out.to_csv(index=False, lineterminator="\n")


class Sources:
    """Turns the arguments into what the native module reads, remembering
    which names are DataFrames (to map problems to their rows)."""

    def __init__(self) -> None:
        self.tables: Dict[str, pd.DataFrame] = {}

    def table(self, table: Any, role: str) -> Union[str, Tuple[str, str]]:
        frame = frame_of(table)
        if frame is None:
            return os.fspath(table)
        name = f"{role} (DataFrame)"
        n = 2
        while name in self.tables:
            name = f"{role} {n} (DataFrame)"
            n += 1
        self.tables[name] = frame
        return (name, csv_text(frame))

    def optional(self, table: Any, role: str) -> Union[None, str, Tuple[str, str]]:
        return None if table is None else self.table(table, role)


def path_or_none(p: Any) -> Optional[str]:
    return None if p is None else os.fspath(p)


def date_text(d: Optional[DateLike], what: str) -> Optional[str]:
    if d is None:
        return None
    if isinstance(d, _dt.datetime):
        d = d.date()
    if isinstance(d, _dt.date):
        return d.isoformat()
    if isinstance(d, str):
        return d
    raise TypeError(f"{what}: expected a datetime.date or 'YYYY-MM-DD', not {type(d).__name__}")


def holidays_arg(h: Any) -> Union[None, str, List[str]]:
    if h is None:
        return None
    if isinstance(h, (str, os.PathLike)):
        return os.fspath(h)
    return [date_text(d, "holidays") for d in h]  # type: ignore[misc]


def rules(correlate: Union[None, str, Sequence[str]]) -> List[str]:
    if correlate is None:
        return []
    if isinstance(correlate, str):
        return [correlate]
    return list(correlate)
