"""What a run returns: the CLI's JSON as a dict, the tables as DataFrames,
the finishes as a NumPy array, and an HTML view for notebooks."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

import numpy as np

if TYPE_CHECKING:  # pandas is imported when a table is asked for
    import pandas as pd


def _fit(svg: str) -> str:
    """An SVG chart that shrinks to the width of a notebook cell."""
    m = re.search(r"<svg\b[^>]*>", svg)
    if not m:
        return svg
    tag = m.group(0)
    w = re.search(r'\bwidth="(\d+)"', tag)
    h = re.search(r'\bheight="(\d+)"', tag)
    new = tag
    if w and h and "viewBox" not in tag:
        new = new.replace("<svg", f'<svg viewBox="0 0 {w.group(1)} {h.group(1)}"', 1)
    new = new.replace("<svg", '<svg style="max-width:100%;height:auto"', 1)
    return svg[: m.start()] + new + svg[m.end() :]


def _arrow_available() -> bool:
    try:
        import pyarrow  # type: ignore[import-not-found, import-untyped, unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def _frame(rows: List[Dict[str, Any]], dates: List[str]) -> pd.DataFrame:
    """Rows of the JSON as a DataFrame: nested objects flattened with ``_``
    (``finish_p80``), the ``dates`` columns as dates, Arrow-backed when
    pyarrow is installed."""
    import pandas as pd

    frame = pd.json_normalize(rows, sep="_") if rows else pd.DataFrame()
    for c in frame.columns:
        if c in dates or any(c.startswith(d + "_") for d in dates):
            frame[c] = pd.to_datetime(frame[c])
    if _arrow_available() and hasattr(frame, "convert_dtypes"):
        try:
            frame = frame.convert_dtypes(dtype_backend="pyarrow")
        except TypeError:  # pandas < 2.0
            pass
    return frame


class _Result:
    """The parts every result shares."""

    _native: Any
    _summary: Optional[Dict[str, Any]]

    def _json(self) -> str:
        raise NotImplementedError

    @property
    def text(self) -> str:
        """The terminal text of the command."""
        raise NotImplementedError

    @property
    def summary(self) -> Dict[str, Any]:
        """The result as the command line's ``--json`` prints it, as a dict."""
        if self._summary is None:
            self._summary = json.loads(self.to_json())
        return self._summary

    def to_json(self) -> str:
        """The JSON, byte for byte what the command line's ``--json`` prints
        for the same inputs, options and seed (and generation time:
        ``SOURCE_DATE_EPOCH`` fixes it, as for the CLI)."""
        return self._json()

    def __str__(self) -> str:
        return self.text

    @property
    def warnings(self) -> List[str]:
        """What reads in the inputs but should be looked at."""
        return list(self._native.warnings)


class Forecast(_Result):
    """A forecast: when the plan lands, and how sure that is.

    * ``summary``: the dict of ``slipcast forecast --json``;
    * ``percentiles``, ``tasks``, ``drivers``: DataFrames;
    * ``finish_days``: the finish of every iteration in working days from
      the start (``float32``, read-only, no copy of the engine's array);
    * ``text``, ``commitment``, ``to_json()``, ``report(dir)``, and an HTML
      view in notebooks.
    """

    def __init__(self, native: Any, finishes: np.ndarray):
        self._native = native
        finishes.flags.writeable = False
        self._finishes = finishes
        self._summary: Optional[Dict[str, Any]] = None

    def _json(self) -> str:
        return self._native.json()

    @property
    def finish_days(self) -> np.ndarray:
        """The project (or milestone) finish of each iteration, in working
        days from the start, in iteration order: ``float32``, one per
        iteration, read-only. Its 80th percentile is the P80 of ``summary``
        (to the histogram bin, a hundredth of a day or finer)."""
        return self._finishes

    @property
    def percentiles(self) -> pd.DataFrame:
        """P1 to P99: ``percent``, ``duration`` (working days), ``finish``
        (date)."""
        return _frame(self.summary["percentiles"], ["finish"])

    @property
    def tasks(self) -> pd.DataFrame:
        """One row per task, in plan order: criticality, sensitivity and
        its P10/P50/P80/P90 finish dates (``finish_p80``, ...)."""
        return _frame(self.summary["tasks"], ["finish", "planned_finish"])

    @property
    def drivers(self) -> pd.DataFrame:
        """What drives the date, largest P80 effect first: working days of
        P50/P80/P90 each task or risk adds (removing it pulls the date in by
        that much)."""
        return _frame(self.summary["drivers"], [])

    @property
    def text(self) -> str:
        """The terminal text of ``slipcast forecast``."""
        return self._native.text()

    @property
    def commitment(self) -> str:
        """The commitment sentence: "We are 80% confident of delivery by ..."."""
        return self._native.commitment()

    def chart_svg(self) -> str:
        """The finish-date chart (histogram and S-curve) as SVG text."""
        return self._native.finish_svg()

    def explain(self, at: float = 80) -> "Explanation":
        """The world of this run's iteration at percentile ``at`` (``slipcast
        explain --at``): which tasks ran long, which risks fired, the
        critical path that set the date. Replayed from this run's finishes,
        without simulating again; the same as ``slipcast.explain`` with this
        forecast's inputs."""
        return Explanation(self._native.explain(self._finishes, float(at)))

    def report(
        self,
        dir: Union[str, "os.PathLike[str]"],
        *,
        force: bool = False,
        title: Optional[str] = None,
    ) -> List[Path]:
        """Writes the leadership report folder of ``slipcast report`` to
        ``dir`` (HTML page, charts, CSVs, JSON, with the P80's world),
        published as one set. It never writes into a folder slipcast did
        not write, nor over an input; ``force=True`` replaces only a folder
        slipcast wrote. Returns the files written."""
        names = self._native.report(os.fspath(dir), self._finishes, force=force, title=title)
        return [Path(dir) / n for n in names]

    def _repr_html_(self) -> str:
        s = self.summary
        rows = "".join(
            f"<tr><td>P{p}</td><td>{html.escape(s['finish'][f'p{p}'])}</td>"
            f"<td style='text-align:right'>{s['duration'][f'p{p}']:.1f}</td></tr>"
            for p in (50, 80, 90)
        )
        plan = html.escape(str(s.get("plan")))
        return (
            "<div class='slipcast-forecast'>"
            f"<p><strong>{html.escape(self.commitment)}</strong></p>"
            f"<p style='color:#555'>{plan}: {s['task_count']} tasks, "
            f"{s['iterations']:,} iterations, seed {s['seed']}, start {html.escape(s['start'])}</p>"
            "<table><tr><th>Confidence</th><th>Finish</th><th>Working days</th></tr>"
            f"{rows}</table>{_fit(self.chart_svg())}</div>"
        )

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<slipcast.Forecast {s['plan']!r}: P50 {s['finish']['p50']}, "
            f"P80 {s['finish']['p80']}, P90 {s['finish']['p90']} "
            f"({s['iterations']:,} iterations, seed {s['seed']})>"
        )


class _Rendered(_Result):
    """A cut line or comparison: JSON, text and a chart from the engine."""

    def __init__(self, native: Any):
        self._native = native
        self._summary: Optional[Dict[str, Any]] = None

    def _json(self) -> str:
        return self._native.json

    @property
    def text(self) -> str:
        """The terminal text of the command."""
        return self._native.text

    def chart_svg(self) -> str:
        """The chart as SVG text."""
        return self._native.svg

    def _repr_html_(self) -> str:
        first = html.escape(self.text.strip().splitlines()[0]) if self.text.strip() else ""
        return f"<div class='slipcast'><p><strong>{first}</strong></p>{_fit(self.chart_svg())}</div>"


class Cutline(_Rendered):
    """Which optional scope to cut to make a date: ``positions`` (one row per
    cut position, deepest last), ``recommended`` (the smallest cut that
    makes the date at the confidence, or None), ``summary``."""

    @property
    def positions(self) -> pd.DataFrame:
        """Each cut position: what is cut, the work it removes, P50/P80/P90."""
        return _frame(self.summary["positions"], ["p50", "p80", "p90", "at_confidence"])

    @property
    def recommended(self) -> Any:
        """The recommended position (a dict), or None when no cut makes it."""
        return self.summary.get("recommended")

    def __repr__(self) -> str:
        s = self.summary
        return f"<slipcast.Cutline target {s['target']} at P{s['confidence']}: {len(s['positions'])} positions>"


class Comparison(_Rendered):
    """Scenarios side by side, paired by iteration: ``scenarios`` (one row
    per scenario: P50/P80/P90, the chance of the target, the difference
    from the first with its 95% interval), ``summary``."""

    @property
    def scenarios(self) -> pd.DataFrame:
        rows = [
            {k: v for k, v in r.items() if k != "finish_days"} for r in self.summary["scenarios"]
        ]
        return _frame(rows, ["finish"])

    def curves(self) -> pd.DataFrame:
        """Each scenario's S-curve: ``scenario``, ``date``, ``share``,
        ``cumulative`` (the chance of finishing by that date)."""
        rows = [
            {"scenario": r["label"], **d}
            for r in self.summary["scenarios"]
            for d in r["finish_days"]
        ]
        return _frame(rows, ["date"])

    def __repr__(self) -> str:
        labels = [r["label"] for r in self.summary["scenarios"]]
        return f"<slipcast.Comparison of {labels}>"


class Explanation(_Rendered):
    """One percentile's world: the iteration whose finish is that percentile,
    replayed. ``tasks`` (each task's duration in that world, how far over its
    likely, its risk delay, start and finish), ``critical_path``, ``risks``
    (those that fired), ``summary``; in a notebook, its Gantt chart."""

    @property
    def tasks(self) -> pd.DataFrame:
        return _frame(self.summary["tasks"], ["start_date", "finish_date"])

    @property
    def critical_path(self) -> pd.DataFrame:
        """The chain of tasks (and the links between them) that set the date."""
        return _frame(self.summary["critical_path"], [])

    @property
    def risks(self) -> pd.DataFrame:
        return _frame(self.summary["risks"], [])

    def __repr__(self) -> str:
        s = self.summary
        return f"<slipcast.Explanation P{s['percentile']:g}: {s['percentile_date']}, iteration {s['iteration']}>"


class History(_Rendered):
    """Snapshots of one plan over time, and why the date moved between them:
    ``snapshots`` (one row per snapshot: data date, P50/P80/P90, the plan
    date, the chance of the target), ``moves`` (one row per cause of each
    move: time passing, progress, re-estimates, scope, risks, links, with its
    days of P50/P80 and their 95% intervals), ``summary``; in a notebook, the
    trend chart."""

    @property
    def snapshots(self) -> pd.DataFrame:
        return _frame(self.summary["snapshots"], ["data_date"])

    @property
    def moves(self) -> pd.DataFrame:
        rows = [
            {"from": m["from"], "to": m["to"], **part}
            for m in self.summary["moves"]
            for part in m["parts"]
        ]
        return _frame(rows, [])

    def __repr__(self) -> str:
        labels = [r["label"] for r in self.summary["snapshots"]]
        return f"<slipcast.History of {labels}>"
