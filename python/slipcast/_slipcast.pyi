"""Type stubs for the native module ``slipcast._slipcast`` (``python/src/lib.rs``).

The public API is in ``slipcast`` (``_api.py``, ``_results.py``); these are
the engine's calls it makes. Dates are ``YYYY-MM-DD`` text here.
"""

import os
from typing import Sequence, TypedDict, Union, final

import numpy as np
import numpy.typing as npt

# A file path.
_Path = Union[str, os.PathLike[str]]
# An input: a file path, or ``(name, csv_text)`` of a table held in memory.
_Source = Union[str, os.PathLike[str], tuple[str, str]]
# Holidays: a file path, or the dates themselves (``YYYY-MM-DD``).
_Holidays = Union[str, os.PathLike[str], Sequence[str]]

class _Inputs(TypedDict):
    """One scenario's inputs (every key given)."""

    plan: _Source
    risks: _Source | None
    correlations: _Source | None
    correlate: Sequence[str]
    edges: _Path | None
    teams: _Path | None
    range: str | None
    range_dist: str
    ranges: _Path | None

class _Calendar(TypedDict):
    """The run's calendar (every key given): ``start`` (default today) and
    ``workdays`` (default ``Mon-Fri``) as text."""

    start: str | None
    workdays: str | None
    holidays: _Holidays | None

__all__ = [
    "__version__",
    "InputProblems",
    "NativeForecast",
    "NativeResult",
    "forecast",
    "validate",
    "cutline_run",
    "compare",
    "explain",
    "forecast_shard",
    "history",
    "partials_run",
]

__version__: str

class InputProblems(ValueError):
    """Inputs that do not load: ``args`` are ``(message, problems_json)``,
    the message as the CLI prints it and every problem as
    ``slipcast validate --json`` lists them."""

@final
class NativeForecast:
    """A forecast, as the Python ``Forecast`` wraps it. Made by
    :func:`forecast` only."""

    def json(self) -> str:
        """The forecast's JSON, as ``slipcast forecast --json`` prints it."""
    def text(self) -> str:
        """The terminal text, as ``slipcast forecast`` prints it."""
    def commitment(self) -> str:
        """The commitment sentence."""
    def finish_svg(self) -> str:
        """The finish-date chart (histogram and S-curve) as SVG."""
    @property
    def warnings(self) -> list[str]:
        """What reads but should be looked at, from every input."""
    def explain(self, finishes: npt.NDArray[np.float32], at: float) -> NativeResult:
        """The world of this run's iteration at percentile ``at``, replayed
        from ``finishes`` (this run's) without simulating again."""
    def report(
        self,
        dir: _Path,
        finishes: npt.NDArray[np.float32],
        *,
        force: bool = False,
        title: str | None = None,
    ) -> list[str]:
        """Writes the report folder of ``slipcast report`` to ``dir``, with the
        P80's world replayed from ``finishes`` (this run's); never over a
        folder slipcast did not write, or over an input. Returns the names of
        the files written."""

@final
class NativeResult:
    """A cut line or a comparison: its JSON, terminal text and chart. Made by
    :func:`cutline_run` and :func:`compare` only."""

    @property
    def json(self) -> str:
        """The JSON, as the command's ``--json`` prints it."""
    @property
    def text(self) -> str:
        """The terminal text of the command."""
    @property
    def svg(self) -> str:
        """The chart as SVG."""
    @property
    def warnings(self) -> list[str]:
        """What reads but should be looked at, from every input."""

class _Asked(TypedDict):
    """What a forecast asks (every key given)."""

    milestone: str | None
    iterations: int
    seed: int
    target: str | None
    confidence: float | None
    drivers: int
    basic: bool

def forecast(
    inputs: _Inputs,
    calendar: _Calendar,
    asked: _Asked,
    *,
    threads: int | None = None,
    partials: Sequence[_Path] | None = None,
) -> tuple[NativeForecast, npt.NDArray[np.float32]]:
    """``slipcast forecast``: the forecast and the finish of every iteration,
    in working days from the start (1-D ``float32``). ``threads`` defaults
    to every core. With ``partials`` (every shard's file of this run):
    ``slipcast merge`` of them, without simulating again.

    Raises :class:`InputProblems` for inputs that do not load, ``ValueError``
    for an option that cannot be used, ``KeyboardInterrupt`` on Ctrl-C."""

def forecast_shard(
    inputs: _Inputs,
    calendar: _Calendar,
    asked: _Asked,
    *,
    shard: str,
    partial: _Path,
    command: Sequence[str],
    threads: int | None = None,
) -> str:
    """``slipcast forecast --shard K/M --partial DIR``: the shard's slice,
    written as its partial file (``command`` recorded for the merge).
    Returns the file's path."""

def partials_run(files: Sequence[_Path]) -> tuple[list[str], str | None, int, int]:
    """The recorded command, settled start, iterations and seed of a whole
    run's partial files (checked to merge, with their inputs unchanged)."""

def validate(
    inputs: _Inputs,
    calendar: _Calendar,
    *,
    milestone: str | None = None,
) -> str:
    """``slipcast validate --json``: the outcome as JSON text when the plan
    loads; raises :class:`InputProblems` when it does not."""

def cutline_run(
    inputs: _Inputs,
    calendar: _Calendar,
    *,
    target: str,
    confidence: float = 80.0,
    milestone: str | None = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    threads: int | None = None,
) -> NativeResult:
    """``slipcast cutline``: which optional scope to cut to make ``target``
    at ``confidence`` percent."""

def compare(
    scenarios: Sequence[tuple[str, _Inputs]],
    calendar: _Calendar,
    *,
    target: str | None = None,
    milestone: str | None = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    threads: int | None = None,
) -> NativeResult:
    """``slipcast compare``: (label, inputs) pairs, two or more, paired by
    iteration; the first is the baseline."""

def explain(
    inputs: _Inputs,
    calendar: _Calendar,
    *,
    at: float = 80.0,
    milestone: str | None = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    threads: int | None = None,
) -> NativeResult:
    """``slipcast explain``: the iteration at percentile ``at``, replayed."""

def history(
    snapshots: Sequence[tuple[str, _Inputs, str | None]],
    calendar: _Calendar,
    *,
    target: str | None = None,
    watermelon: float = ...,
    milestone: str | None = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    threads: int | None = None,
) -> NativeResult:
    """``slipcast history``: (label, inputs, data date or None) snapshots,
    oldest first, and why the date moved between them. ``watermelon``
    defaults to 5 days."""
