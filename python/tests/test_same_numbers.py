"""The Python package gives the command line's results, to the bit."""

import filecmp
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import slipcast

from conftest import EXAMPLES

PLAN = "data/examples/checkout-v2.csv"
RISKS = "data/examples/checkout-v2-risks.csv"
START = "2027-01-04"


@pytest.mark.parametrize(
    "plan, extra, kwargs",
    [
        (PLAN, [], {}),
        (PLAN, ["--risks", RISKS], {"risks": RISKS}),
        (
            PLAN,
            ["--risks", RISKS, "--target", "2027-04-20", "--confidence", "85", "-n", "300k", "--seed", "7"],
            {"risks": RISKS, "target": "2027-04-20", "confidence": 85, "iterations": 300_000, "seed": 7},
        ),
        (
            "data/examples/mobile-launch.csv",
            ["--holidays", "data/examples/holidays-2027.csv", "-n", "200k"],
            {"holidays": "data/examples/holidays-2027.csv", "iterations": 200_000},
        ),
        (
            "data/examples/data-platform-migration.csv",
            ["--workdays", "Mon-Sat", "--correlate", "team=0.4", "-n", "200k"],
            {"workdays": "Mon-Sat", "correlate": "team=0.4", "iterations": 200_000},
        ),
    ],
)
def test_forecast_json_is_the_clis_byte_for_byte(cli, in_root, plan, extra, kwargs):
    want = cli.json_text("forecast", plan, "--start", START, *extra)
    got = slipcast.forecast(plan, start=START, **kwargs)
    assert got.to_json() == want
    assert got.summary["finish"]["p80"] == cli.json("forecast", plan, "--start", START, *extra)["finish"]["p80"]


def test_every_thread_count_gives_the_same_bits(in_root):
    one = slipcast.forecast(PLAN, start=START, iterations=200_000, threads=1)
    two = slipcast.forecast(PLAN, start=START, iterations=200_000, threads=2)
    every = slipcast.forecast(PLAN, start=START, iterations=200_000)
    assert one.to_json() == two.to_json() == every.to_json()
    assert np.array_equal(one.finish_days, every.finish_days)


def test_cutline_and_compare_are_the_clis(cli, in_root):
    want = cli.json_text("cutline", PLAN, "--start", START, "--target", "2027-04-10", "-n", "100k")
    got = slipcast.cutline(PLAN, start=START, target="2027-04-10", iterations=100_000)
    assert got.to_json() == want
    assert got.recommended == got.summary["recommended"]
    assert len(got.positions) == len(got.summary["positions"])

    other = "data/examples/mobile-launch.csv"
    want = cli.json_text("compare", PLAN, other, "--start", START, "--target", "2027-04-20", "-n", "100k")
    got = slipcast.compare([PLAN, other], start=START, target="2027-04-20", iterations=100_000)
    assert got.to_json() == want
    assert list(got.scenarios["label"]) == ["checkout-v2.csv", "mobile-launch.csv"]
    curves = got.curves()
    assert set(curves["scenario"]) == {"checkout-v2.csv", "mobile-launch.csv"}


def test_validate_is_the_clis(cli, in_root):
    want = json.loads(cli.run("validate", PLAN, "--risks", RISKS, "--json").stdout)
    assert slipcast.validate(PLAN, risks=RISKS) == want


def _without_names(summary):
    """A summary without the names of its inputs (a table has no path)."""
    return {k: v for k, v in summary.items() if k not in ("plan", "risks")}


def test_dataframe_list_and_path_give_the_same_result(in_root):
    path = slipcast.forecast(PLAN, risks=RISKS, start=START, iterations=200_000)
    frame = pd.read_csv(PLAN, dtype=str, keep_default_na=False)
    risks = pd.read_csv(RISKS, dtype=str, keep_default_na=False)
    table = slipcast.forecast(frame, risks=risks, start=START, iterations=200_000)
    rows = slipcast.forecast(
        frame.to_dict("records"), risks=risks.to_dict("records"), start=START, iterations=200_000
    )
    assert _without_names(path.summary) == _without_names(table.summary) == _without_names(rows.summary)
    assert table.summary["plan"] == "plan (DataFrame)"
    assert table.summary["risks"] == "risks (DataFrame)"
    assert np.array_equal(path.finish_days, table.finish_days)


def test_dataframe_with_numbers_and_lists_reads_as_the_csv(in_root):
    """pandas' own dtypes (floats, NaN for blanks, lists of links) read as
    the same plan."""
    text = pd.read_csv(PLAN, dtype=str, keep_default_na=False)
    typed = pd.read_csv(PLAN)
    typed["depends_on"] = [
        [] if pd.isna(d) else d.split(";") for d in typed["depends_on"]
    ]
    a = slipcast.forecast(text, start=START, iterations=100_000)
    b = slipcast.forecast(typed, start=START, iterations=100_000)
    assert a.to_json() == b.to_json()


def test_dates_and_paths_as_python_objects(in_root):
    import datetime as dt

    a = slipcast.forecast(Path(PLAN), start=dt.date(2027, 1, 4), target=dt.date(2027, 4, 20), iterations=100_000)
    b = slipcast.forecast(PLAN, start=START, target="2027-04-20", iterations=100_000)
    assert a.to_json() == b.to_json()
    c = slipcast.forecast(PLAN, start=START, holidays=[dt.date(2027, 1, 18), "2027-02-15"], iterations=100_000)
    assert c.summary["calendar"]["holidays"] == ["2027-01-18", "2027-02-15"]


def test_report_folder_is_the_clis(cli, in_root, tmp_path):
    cli.run("report", PLAN, "--start", START, "--risks", RISKS, "--out", tmp_path / "cli", "--quiet")
    f = slipcast.forecast(PLAN, start=START, risks=RISKS)
    written = f.report(tmp_path / "py")
    assert written and all(p.exists() for p in written)
    names = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "py").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "cli", tmp_path / "py", names, shallow=False)
    assert mismatch == [] and errors == []


def test_report_never_writes_over_a_users_folder(in_root, tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("mine")
    f = slipcast.forecast(PLAN, start=START, iterations=50_000)
    with pytest.raises(RuntimeError, match="notes"):
        f.report(mine)
    with pytest.raises(RuntimeError):
        f.report(mine, force=True)
    assert [p.name for p in mine.iterdir()] == ["todo.txt"]
    f.report(tmp_path / "out")
    f.report(tmp_path / "out")  # its own earlier set: replaced, as the CLI does
    (tmp_path / "out" / "summary.md").write_text("edited")
    with pytest.raises(RuntimeError, match="summary.md"):
        f.report(tmp_path / "out")  # an edit of yours: refused
    assert (tmp_path / "out" / "summary.md").read_text() == "edited"
    f.report(tmp_path / "out", force=True)  # force replaces it


def test_finish_days_are_the_engines_array(in_root):
    f = slipcast.forecast(PLAN, start=START, iterations=123_456)
    a = f.finish_days
    assert a.shape == (123_456,)
    assert a.dtype == np.float32
    assert not a.flags.owndata and a.base is not None  # the engine's buffer, not a copy
    assert not a.flags.writeable
    assert f.finish_days is a
    # Its percentiles are the forecast's: the P80 is a sorted finish.
    s = np.sort(a)
    p80 = f.summary["duration"]["p80"]
    k = int(np.searchsorted(s, np.float32(p80)))
    assert s[k] == np.float32(p80) or abs(s[k] - p80) < 1e-3
    assert abs(float(a.mean()) - f.summary["duration"]["mean"]) < 1e-3
    assert f.summary["duration"]["min"] == float(a.min())
    assert f.summary["duration"]["max"] == float(a.max())


def test_tables(in_root):
    f = slipcast.forecast(PLAN, risks=RISKS, start=START, iterations=100_000)
    p = f.percentiles
    assert list(p["percent"]) == list(range(1, 100))
    assert str(p.loc[p["percent"] == 80, "finish"].iloc[0])[:10] == f.summary["finish"]["p80"]
    t = f.tasks
    assert len(t) == f.summary["task_count"]
    assert {"id", "criticality", "finish_p80"} <= set(t.columns)
    d = f.drivers
    assert list(d["id"]) == [r["id"] for r in f.summary["drivers"]]
    assert (d["p80_days"].diff().dropna() <= 0).all() or len(d) < 2


def test_html_view_has_the_commitment_and_the_chart(in_root):
    f = slipcast.forecast(PLAN, start=START, iterations=100_000)
    page = f._repr_html_()
    assert f.commitment.startswith("We are 80% confident of delivery by")
    assert f.commitment in page
    assert "<svg" in page and "</svg>" in page
    assert "P80" in page
    assert "<svg" in slipcast.compare([PLAN, EXAMPLES / "mobile-launch.csv"], start=START, iterations=20_000)._repr_html_()


def test_plan_text_is_inert_in_html(tmp_path):
    plan = tmp_path / "p.csv"
    plan.write_text('id,name,low,likely,high\na,"<script>alert(1)</script>",1,2,4\n')
    page = slipcast.forecast(plan, start=START, iterations=20_000)._repr_html_()
    assert "<script>" not in page


def test_explain_is_the_clis(cli, in_root):
    want = cli.json_text("explain", PLAN, "--start", START, "--risks", RISKS, "--at", "85", "-n", "300k")
    got = slipcast.explain(PLAN, start=START, risks=RISKS, at=85, iterations=300_000)
    assert got.to_json() == want
    # From a forecast's own finishes, without simulating again: the same.
    f = slipcast.forecast(PLAN, start=START, risks=RISKS, iterations=300_000)
    assert f.explain(85).to_json() == want
    assert len(got.tasks) == got.summary["task_count"]
    assert list(got.critical_path["id"]) == [s["id"] for s in got.summary["critical_path"]]
    assert "<svg" in got._repr_html_()


def test_history_is_the_clis(cli, in_root):
    snaps = sorted(str(p.relative_to(in_root)) for p in (EXAMPLES / "history").glob("*.csv"))
    want = cli.json_text("history", *snaps, "--target", "2027-04-30", "-n", "100k")
    got = slipcast.history(snaps, target="2027-04-30", iterations=100_000)
    assert got.to_json() == want
    assert list(got.snapshots["label"]) == [Path(s).name for s in snaps]
    assert set(got.moves["from"]) == {0, 1}
    # Tables with their data dates give the same numbers.
    frames = [pd.read_csv(s, dtype=str, keep_default_na=False) for s in snaps]
    dates = [s.rsplit("-", 3)[-3:] for s in snaps]
    as_of = ["-".join(d).removesuffix(".csv") for d in dates]
    tables = slipcast.history(dict(zip([Path(s).name for s in snaps], frames)), as_of=as_of,
                              target="2027-04-30", iterations=100_000)
    assert tables.summary["moves"] == got.summary["moves"]
    assert [s["p80"] for s in tables.summary["snapshots"]] == [s["p80"] for s in got.summary["snapshots"]]


def test_history_of_tables_needs_their_dates():
    plan = [{"id": "a", "low": 1, "likely": 2, "high": 4}]
    with pytest.raises(ValueError, match="no data date"):
        slipcast.history([plan, plan], iterations=1000)
    with pytest.raises(ValueError, match="one per snapshot"):
        slipcast.history([plan, plan], as_of=["2027-01-04"], iterations=1000)


@pytest.mark.parametrize(
    "plan, extra, kwargs",
    [
        (
            "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer",
            ["--range", "90,100,130", "--range-dist", "pert"],
            {"range": (90, 100, 130), "range_dist": "pert"},
        ),
        (
            "tests/data/mspdi/task-links-project2019.xml",
            ["--range", "80,100,150"],
            {"range": "80,100,150"},
        ),
    ],
)
def test_p6_and_ms_project_plans_are_the_clis(cli, in_root, plan, extra, kwargs):
    want = cli.json_text("forecast", plan, *extra, "-n", "100k")
    got = slipcast.forecast(plan, iterations=100_000, **kwargs)
    assert got.to_json() == want
    assert got.summary["calendar"].get("task_calendars")  # on the file's own calendars
    with pytest.raises(ValueError, match="own calendars"):
        slipcast.forecast(plan, iterations=1000, workdays="Mon-Sat", **kwargs)
    with pytest.raises(ValueError, match="must rise"):
        slipcast.forecast(plan, iterations=1000, range=(130, 100, 90))


def test_tables_are_arrow_backed_when_pyarrow_is_installed(in_root):
    pytest.importorskip("pyarrow")
    f = slipcast.forecast(PLAN, start=START, iterations=50_000)
    tasks = f.tasks
    assert str(tasks["id"].dtype).endswith("[pyarrow]")
    assert str(tasks["criticality"].dtype) == "double[pyarrow]"
    assert "timestamp" in str(f.percentiles["finish"].dtype)
