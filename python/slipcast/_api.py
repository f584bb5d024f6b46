"""slipcast's commands as functions: forecast, validate, cutline, compare."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _slipcast as _native
from ._errors import PlanError, SlipcastWarning
from ._inputs import DateLike, Sources, Table, date_text, holidays_arg, path_or_none, rules
from ._results import Comparison, Cutline, Explanation, Forecast, History

PathLike = Union[str, "os.PathLike[str]"]
Holidays = Union[PathLike, Sequence[DateLike]]


def _warn(messages: List[str]) -> None:
    for m in messages:
        warnings.warn(m, SlipcastWarning, stacklevel=3)


def _inputs(
    s: Sources,
    plan: Any,
    risks: Any = None,
    correlations: Any = None,
    correlate: Any = None,
    edges: Any = None,
    teams: Any = None,
    suffix: str = "",
    range: Any = None,
    range_dist: str = "triangular",
    ranges: Any = None,
) -> Dict[str, Any]:
    """One scenario's inputs, as the native module reads them."""
    return {
        "range": _range_text(range),
        "range_dist": range_dist,
        "ranges": path_or_none(ranges),
        "plan": s.table(plan, "plan" + suffix),
        "risks": s.optional(risks, "risks" + suffix),
        "correlations": s.optional(correlations, "correlations" + suffix),
        "correlate": rules(correlate),
        "edges": path_or_none(edges),
        "teams": path_or_none(teams),
    }


def _range_text(range: Any) -> Optional[str]:
    """A range template as ``LOW,LIKELY,HIGH`` text, from text or three numbers."""
    if range is None or isinstance(range, str):
        return range
    return ",".join(f"{float(x):g}" for x in range)


def _calendar(start: Any, workdays: Any, holidays: Any) -> Dict[str, Any]:
    """The run's calendar, as the native module reads it."""
    return {
        "start": date_text(start, "start"),
        "workdays": None if workdays in (None, "Mon-Fri") else workdays,
        "holidays": holidays_arg(holidays),
    }


def _asked(
    milestone: Optional[str],
    iterations: int,
    seed: int,
    target: Optional[DateLike],
    confidence: Optional[float],
    drivers: int,
    basic: bool,
) -> Dict[str, Any]:
    """What a forecast asks, as the native module reads it."""
    return {
        "milestone": milestone,
        "iterations": _count(iterations, "iterations"),
        "seed": _count(seed, "seed"),
        "target": date_text(target, "target"),
        "confidence": None if confidence is None else float(confidence),
        "drivers": _count(drivers, "drivers"),
        "basic": bool(basic),
    }


def _call(sources: Sources, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except _native.InputProblems as e:
        raise PlanError._from_native(e, sources.tables) from None


def forecast(
    plan: Table,
    *,
    start: Optional[DateLike] = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    milestone: Optional[str] = None,
    risks: Optional[Table] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    correlations: Optional[Table] = None,
    holidays: Optional[Holidays] = None,
    workdays: Optional[str] = "Mon-Fri",
    target: Optional[DateLike] = None,
    confidence: Optional[float] = None,
    threads: Optional[int] = None,
    edges: Optional[PathLike] = None,
    teams: Optional[PathLike] = None,
    range: Union[None, str, Sequence[float]] = None,
    range_dist: str = "triangular",
    ranges: Optional[PathLike] = None,
    drivers: int = 15,
    basic: bool = False,
) -> Forecast:
    """Forecasts when ``plan`` lands: ``slipcast forecast``, from Python.

    ``plan`` is a file (plan CSV, P6 XER, MS Project XML), a DataFrame with
    the plan's columns (``id``, ``name``, ``low``, ``likely``, ``high``,
    ``depends_on`` ...; a list in ``depends_on`` is joined with ``;``) or a
    list of dicts; ``risks`` and ``correlations`` likewise. ``start`` is
    the first working day (default: today); ``workdays`` and ``holidays``
    (a file or a list of dates) make the calendar. ``target`` asks the
    chance of a date; ``confidence`` (a percentage, e.g. 85) the date at
    that confidence. ``threads`` sizes the worker pool (default: every
    core); the result is the same, to the bit, on any number of threads.
    A P6 XER or MS Project plan carries single durations: ``range`` gives
    every remaining duration a range in percent (``(90, 100, 130)``, with
    ``range_dist`` triangular, pert or uniform), and ``ranges`` a file of
    ranges per activity id or WBS prefix, as ``--range`` and ``--ranges``.

    The GIL is released while simulating, and Ctrl-C stops the run.

    >>> import slipcast
    >>> f = slipcast.forecast("data/examples/checkout-v2.csv", start="2027-01-04")
    >>> f.summary["finish"]["p80"]
    '2027-04-21'
    >>> f.finish_days.shape, f.finish_days.dtype
    ((1000000,), dtype('float32'))

    Raises :class:`PlanError` with every problem of the inputs, and
    ``ValueError`` for an option that cannot be used.
    """
    s = Sources()
    native, finishes = _call(
        s,
        _native.forecast,
        _inputs(
            s, plan, risks, correlations, correlate, edges, teams,
            range=range, range_dist=range_dist, ranges=ranges,
        ),
        _calendar(start, workdays, holidays),
        _asked(milestone, iterations, seed, target, confidence, drivers, basic),
        threads=threads,
    )
    _warn(native.warnings)
    return Forecast(native, finishes)


def validate(
    plan: Table,
    *,
    risks: Optional[Table] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    correlations: Optional[Table] = None,
    holidays: Optional[Holidays] = None,
    workdays: Optional[str] = "Mon-Fri",
    milestone: Optional[str] = None,
    edges: Optional[PathLike] = None,
    teams: Optional[PathLike] = None,
    range: Union[None, str, Sequence[float]] = None,
    range_dist: str = "triangular",
    ranges: Optional[PathLike] = None,
) -> Dict[str, Any]:
    """Checks ``plan`` with its files: ``slipcast validate --json``.

    Returns the dict the command prints for a plan that loads (``valid``,
    ``plan``, the counts of tasks, links, risks and correlated tasks, and
    ``warnings``); raises :class:`PlanError` with every problem otherwise.
    """
    s = Sources()
    text = _call(
        s,
        _native.validate,
        _inputs(
            s, plan, risks, correlations, correlate, edges, teams,
            range=range, range_dist=range_dist, ranges=ranges,
        ),
        _calendar(None, workdays, holidays),
        milestone=milestone,
    )
    return json.loads(text)


def cutline(
    plan: Table,
    *,
    target: DateLike,
    confidence: float = 80,
    start: Optional[DateLike] = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    milestone: Optional[str] = None,
    risks: Optional[Table] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    correlations: Optional[Table] = None,
    holidays: Optional[Holidays] = None,
    workdays: Optional[str] = "Mon-Fri",
    threads: Optional[int] = None,
    edges: Optional[PathLike] = None,
    teams: Optional[PathLike] = None,
    range: Union[None, str, Sequence[float]] = None,
    range_dist: str = "triangular",
    ranges: Optional[PathLike] = None,
) -> Cutline:
    """Which optional scope to cut to make ``target`` at ``confidence``
    percent: ``slipcast cutline``, from Python. Tasks carry a ``priority``
    (1 = must have); the cut line drops the lowest priorities first, with
    what depends on them."""
    s = Sources()
    native = _call(
        s,
        _native.cutline_run,
        _inputs(
            s, plan, risks, correlations, correlate, edges, teams,
            range=range, range_dist=range_dist, ranges=ranges,
        ),
        _calendar(start, workdays, holidays),
        target=date_text(target, "target"),
        confidence=float(confidence),
        milestone=milestone,
        iterations=_count(iterations, "iterations"),
        seed=_count(seed, "seed"),
        threads=threads,
    )
    _warn(native.warnings)
    return Cutline(native)


def compare(
    scenarios: Union[Mapping[str, Any], Sequence[Any]],
    *,
    target: Optional[DateLike] = None,
    start: Optional[DateLike] = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    milestone: Optional[str] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    holidays: Optional[Holidays] = None,
    workdays: Optional[str] = "Mon-Fri",
    threads: Optional[int] = None,
) -> Comparison:
    """Compares scenarios, paired by iteration: ``slipcast compare``.

    ``scenarios`` maps a label to a plan (a path, DataFrame or list of
    dicts), or to ``{"plan": ..., "risks": ...}``; a list of plans is
    labelled by file name (``scenario N`` for a table). The first is the
    baseline every other is measured against."""
    items = list(scenarios.items()) if isinstance(scenarios, Mapping) else [
        (None, v) for v in scenarios
    ]
    s = Sources()
    pairs = [
        (label, _inputs(s, plan, risks, correlate=correlate, suffix=f" {k + 1}"))
        for k, (label, plan, risks) in enumerate(_labelled(items))
    ]
    native = _call(
        s,
        _native.compare,
        pairs,
        _calendar(start, workdays, holidays),
        target=date_text(target, "target"),
        milestone=milestone,
        iterations=_count(iterations, "iterations"),
        seed=_count(seed, "seed"),
        threads=threads,
    )
    _warn(native.warnings)
    return Comparison(native)


def forecast_shard(
    plan: PathLike,
    *,
    shard: str,
    partial: PathLike = "partials",
    start: Optional[DateLike] = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    milestone: Optional[str] = None,
    risks: Optional[PathLike] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    correlations: Optional[PathLike] = None,
    holidays: Optional[PathLike] = None,
    workdays: Optional[str] = "Mon-Fri",
    target: Optional[DateLike] = None,
    confidence: Optional[float] = None,
    threads: Optional[int] = None,
    edges: Optional[PathLike] = None,
    teams: Optional[PathLike] = None,
    range: Union[None, str, Sequence[float]] = None,
    range_dist: str = "triangular",
    ranges: Optional[PathLike] = None,
    drivers: int = 15,
    basic: bool = False,
) -> Path:
    """One shard of a forecast: ``slipcast forecast --shard K/M --partial
    DIR``, from Python. ``shard`` is ``"K/M"`` (shard K of M, from 0), or
    ``"auto"``/``"auto/M"`` to read the index from a Slurm array, a
    Kubernetes Indexed Job or an AWS Batch array job. Writes the shard's
    partial file into ``partial`` and returns its path; ``slipcast merge``
    (or :func:`merge`) of every shard's file is the whole run's forecast, to
    the bit. The inputs are files (their SHA-256 is recorded, and the merge
    checks them), and the partial records the equivalent ``slipcast
    forecast`` command, so the CLI can finish it as well."""
    for name, value in (
        ("plan", plan), ("risks", risks), ("correlations", correlations), ("holidays", holidays)
    ):
        if value is not None and not isinstance(value, (str, os.PathLike)):
            raise TypeError(
                f"{name}: a shard's inputs are files, which the merge finds again and checks; "
                "write the table to a CSV and give its path"
            )
    words = ["forecast", os.fspath(plan)]

    def flag(name: str, value: Any) -> None:
        if value is not None:
            words.extend([name, os.fspath(value) if isinstance(value, os.PathLike) else str(value)])

    flag("--start", date_text(start, "start"))
    flag("--workdays", None if workdays in (None, "Mon-Fri") else workdays)
    flag("--holidays", holidays)
    flag("--risks", risks)
    flag("--correlations", correlations)
    for rule in rules(correlate):
        flag("--correlate", rule)
    flag("--edges", edges)
    flag("--teams", teams)
    flag("--range", _range_text(range))
    if range is not None:
        flag("--range-dist", range_dist)
    flag("--ranges", ranges)
    flag("--milestone", milestone)
    flag("--iterations", _count(iterations, "iterations"))
    flag("--seed", _count(seed, "seed"))
    flag("--target", date_text(target, "target"))
    flag("--confidence", None if confidence is None else float(confidence))
    flag("--drivers", _count(drivers, "drivers"))
    if basic:
        words.append("--basic")
    s = Sources()
    path = _call(
        s,
        _native.forecast_shard,
        _inputs(
            s, plan, risks, correlations, correlate, edges, teams,
            range=range, range_dist=range_dist, ranges=ranges,
        ),
        _calendar(start, workdays, holidays),
        _asked(milestone, iterations, seed, target, confidence, drivers, basic),
        shard=str(shard),
        partial=os.fspath(partial),
        command=words,
        threads=threads,
    )
    return Path(path)


#: The flags of a recorded ``slipcast forecast`` command that :func:`merge`
#: reads, with their keyword; ``-n``/``--iterations`` and ``--seed`` come
#: from the partials themselves.
_MERGE_FLAGS = {
    "--start": "start",
    "--workdays": "workdays",
    "--holidays": "holidays",
    "--risks": "risks",
    "--correlations": "correlations",
    "--correlate": "correlate",
    "--edges": "edges",
    "--teams": "teams",
    "--range": "range",
    "--range-dist": "range_dist",
    "--ranges": "ranges",
    "--milestone": "milestone",
    "--target": "target",
    "--confidence": "confidence",
    "--drivers": "drivers",
    "-n": None,
    "--iterations": None,
    "--seed": None,
}


def merge(partials: Sequence[PathLike], *, threads: Optional[int] = None) -> Forecast:
    """Finishes a sharded forecast: ``slipcast merge``, from Python. Reads
    every shard's partial file (written by :func:`forecast_shard` or by
    ``slipcast forecast --shard``), checks that they are every slice of one
    run and that its input files are unchanged, and returns the forecast of
    the whole run, to the bit, without simulating again."""
    files = [os.fspath(p) for p in partials]
    words, settled, header_iterations, header_seed = _native.partials_run(files)
    if not words or words[0] != "forecast":
        raise ValueError(
            f"the partials are of `slipcast {' '.join(words[:1])}`; finish them with `slipcast merge`"
        )
    kwargs: Dict[str, Any] = {"correlate": []}
    plan = None
    rest = list(words[1:])
    while rest:
        w = rest.pop(0)
        name, eq, value = w.partition("=")
        if not name.startswith("-"):
            if plan is not None:
                raise ValueError(f"the partials' command has two plans, {plan} and {w}")
            plan = w
            continue
        if name == "--basic":
            kwargs["basic"] = True
            continue
        if name not in _MERGE_FLAGS:
            raise ValueError(
                f"the partials' command uses {name}, which slipcast.merge does not read; "
                "finish them with `slipcast merge`"
            )
        if not eq:
            value = rest.pop(0)
        key = _MERGE_FLAGS[name]
        if key == "correlate":
            kwargs["correlate"].append(value)
        elif key == "confidence":
            kwargs[key] = float(value.rstrip("%"))
        elif key == "drivers":
            kwargs[key] = int(value)
        elif key is not None:
            kwargs[key] = value
    if plan is None:
        raise ValueError("the partials' command names no plan")
    if "start" not in kwargs and settled is not None:
        kwargs["start"] = settled
    s = Sources()
    native, finishes = _call(
        s,
        _native.forecast,
        _inputs(
            s, plan, kwargs.get("risks"), kwargs.get("correlations"), kwargs["correlate"],
            kwargs.get("edges"), kwargs.get("teams"), range=kwargs.get("range"),
            range_dist=kwargs.get("range_dist", "triangular"), ranges=kwargs.get("ranges"),
        ),
        _calendar(kwargs.get("start"), kwargs.get("workdays"), kwargs.get("holidays")),
        _asked(kwargs.get("milestone"), header_iterations, header_seed, kwargs.get("target"),
               kwargs.get("confidence"), kwargs.get("drivers", 15), kwargs.get("basic", False)),
        threads=threads,
        partials=files,
    )
    _warn(native.warnings)
    return Forecast(native, finishes)


def explain(
    plan: Table,
    *,
    at: float = 80,
    start: Optional[DateLike] = None,
    iterations: int = 1_000_000,
    seed: int = 42,
    milestone: Optional[str] = None,
    risks: Optional[Table] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    correlations: Optional[Table] = None,
    holidays: Optional[Holidays] = None,
    workdays: Optional[str] = "Mon-Fri",
    threads: Optional[int] = None,
    edges: Optional[PathLike] = None,
    teams: Optional[PathLike] = None,
    range: Union[None, str, Sequence[float]] = None,
    range_dist: str = "triangular",
    ranges: Optional[PathLike] = None,
) -> Explanation:
    """The world of the iteration at percentile ``at``: ``slipcast
    explain``, from Python. ``forecast(...).explain(at)`` gives the same
    without simulating again."""
    s = Sources()
    native = _call(
        s,
        _native.explain,
        _inputs(
            s, plan, risks, correlations, correlate, edges, teams,
            range=range, range_dist=range_dist, ranges=ranges,
        ),
        _calendar(start, workdays, holidays),
        at=float(at),
        milestone=milestone,
        iterations=_count(iterations, "iterations"),
        seed=_count(seed, "seed"),
        threads=threads,
    )
    _warn(native.warnings)
    return Explanation(native)


def history(
    snapshots: Union[Sequence[Any], Mapping[str, Any]],
    *,
    as_of: Optional[Sequence[Optional[DateLike]]] = None,
    target: Optional[DateLike] = None,
    watermelon: float = 5.0,
    iterations: int = 1_000_000,
    seed: int = 42,
    milestone: Optional[str] = None,
    correlate: Union[None, str, Sequence[str]] = None,
    holidays: Optional[Holidays] = None,
    workdays: Optional[str] = "Mon-Fri",
    threads: Optional[int] = None,
) -> History:
    """Snapshots of one plan, oldest first, each forecast from its data
    date, and why the date moved between them: ``slipcast history``.

    ``snapshots`` is a list of plans (paths, DataFrames or lists of dicts;
    or ``{"plan": ..., "risks": ...}``), or a dict of label to plan. Each
    snapshot's data date is its ``as_of`` entry (one per snapshot, ``None``
    to take it from the file), else its P6 or MS Project file's data date,
    else a date in its file name (``plan-2027-01-18.csv``); a table needs
    its ``as_of``. ``watermelon`` flags a P80 slip of more than that many
    days while the plan date stands still."""
    items = list(snapshots.items()) if isinstance(snapshots, Mapping) else [
        (None, v) for v in snapshots
    ]
    dates = list(as_of) if as_of is not None else [None] * len(items)
    if len(dates) != len(items):
        raise ValueError(
            f"as_of has {len(dates)} dates for {len(items)} snapshots; give one per snapshot, "
            "in order (None for a snapshot whose file carries its data date)"
        )
    s = Sources()
    triples = [
        (label, _inputs(s, plan, risks, correlate=correlate, suffix=f" {k + 1}"), date_text(d, "as_of"))
        for k, ((label, plan, risks), d) in enumerate(zip(_labelled(items), dates))
    ]
    native = _call(
        s,
        _native.history,
        triples,
        _calendar(None, workdays, holidays),
        target=date_text(target, "target"),
        watermelon=float(watermelon),
        milestone=milestone,
        iterations=_count(iterations, "iterations"),
        seed=_count(seed, "seed"),
        threads=threads,
    )
    _warn(native.warnings)
    return History(native)


def _labelled(items: List[Any]) -> List[Any]:
    """(label, plan, risks) of each scenario or snapshot: its label, else
    its file's name (``scenario N`` for a table), numbered when two share
    one."""
    out = []
    for k, (label, value) in enumerate(items):
        plan, risks = (value.get("plan"), value.get("risks")) if isinstance(value, Mapping) else (value, None)
        if label is None:
            label = (
                os.path.basename(os.fspath(plan))
                if isinstance(plan, (str, os.PathLike))
                else f"scenario {k + 1}"
            )
        out.append((str(label), plan, risks))
    labels = [o[0] for o in out]
    return [(f"{o[0]} #{k + 1}" if labels.count(o[0]) > 1 else o[0], o[1], o[2]) for k, o in enumerate(out)]


def _count(v: Any, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        try:
            import numpy as np

            if isinstance(v, np.integer):
                return int(v)
        except ImportError:  # pragma: no cover
            pass
        raise TypeError(f"{what}: expected a whole number, not {v!r}")
    if v < 0:
        raise ValueError(f"{what}={v}: give a number 0 or above")
    return v
