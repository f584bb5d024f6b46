"""Input problems raise PlanError with the command line's messages and line
numbers, every problem at once; never a crash."""

import json
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import slipcast

from conftest import INVALID

CASES = sorted(p for p in INVALID.iterdir() if p.is_dir() and not p.name.startswith("valid-"))
VALID = sorted(p for p in INVALID.iterdir() if p.is_dir() and p.name.startswith("valid-"))
FLAGS = {"--edges": "edges", "--risks": "risks", "--correlations": "correlations"}


def kwargs_of(case):
    args = json.loads((case / "args.json").read_text())
    return {FLAGS[args[k]]: args[k + 1] for k in range(0, len(args), 2)}, args


def test_the_cases_are_there():
    assert len(CASES) >= 40 and len(VALID) >= 3


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_plan_error_is_the_clis(cli, case, monkeypatch):
    kwargs, args = kwargs_of(case)
    out = cli.run("validate", "plan.csv", *args, "--json", cwd=case, check=False)
    assert out.returncode == 1
    want = json.loads(out.stdout)
    message = out.stderr.decode().strip()
    assert message.startswith("Error: ")
    monkeypatch.chdir(case)
    with pytest.raises(slipcast.PlanError) as raised:
        slipcast.validate("plan.csv", **kwargs)
    e = raised.value
    assert str(e) == message[len("Error: "):]
    assert [{k: v for k, v in p.items() if k != "row"} for p in e.problems] == want["problems"]
    assert all(p["row"] is None for p in e.problems)  # files, not tables
    # A forecast raises the same.
    with pytest.raises(slipcast.PlanError) as raised:
        slipcast.forecast("plan.csv", start="2027-01-04", iterations=1000, **kwargs)
    assert raised.value.problems == e.problems


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_plans_validate_as_in_the_cli(cli, case, monkeypatch):
    kwargs, args = kwargs_of(case)
    want = json.loads(cli.run("validate", "plan.csv", *args, "--json", cwd=case).stdout)
    monkeypatch.chdir(case)
    assert slipcast.validate("plan.csv", **kwargs) == want


def test_dataframe_problems_name_their_rows():
    frame = pd.DataFrame(
        {"id": ["a", "b", "a", "c"], "likely": ["3", "x", "2", "4"], "depends_on": ["", "a", "", "zz"]},
        index=["r1", "r2", "r3", "r4"],
    )
    with pytest.raises(slipcast.PlanError) as raised:
        slipcast.forecast(frame, start="2027-01-04")
    problems = raised.value.problems
    assert [(p["row"], p["line"], p["task"]) for p in problems] == [
        ("r2", 3, "b"),
        ("r3", 4, "a"),
        ("r4", 5, "c"),
    ]
    assert all(p["file"] == "plan (DataFrame)" for p in problems)
    assert "likely \"x\" is not a number" in problems[0]["message"]
    assert "the plan has 3 problems" in str(raised.value)


def test_risk_table_problems_name_their_rows():
    plan = [{"id": "a", "likely": 3}, {"id": "b", "likely": 2, "depends_on": "a"}]
    risks = [
        {"id": "r1", "probability": 0.3, "likely": 2, "affects": "a"},
        {"id": "r2", "probability": 1.7, "likely": 2, "affects": "nope"},
    ]
    with pytest.raises(slipcast.PlanError) as raised:
        slipcast.forecast(plan, risks=risks, start="2027-01-04")
    rows = {p["row"] for p in raised.value.problems}
    assert rows == {1}
    assert {p["file"] for p in raised.value.problems} == {"risks (DataFrame)"}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"start": "4 Jan"}, "start=.*is not a date"),
        ({"confidence": 0.8}, "did you mean confidence=80"),
        ({"workdays": "Mon-Funday"}, "workdays"),
        ({"iterations": 0}, "iterations=0"),
        ({"milestone": "nope"}, "is not a task id"),
        ({"target": "2026-01-01"}, "before the start date"),
        ({"threads": 0}, "threads=0"),
    ],
)
def test_bad_options_say_what_to_give(kwargs, match):
    plan = [{"id": "a", "likely": 3, "low": 2, "high": 5}]
    with pytest.raises(ValueError, match=match):
        slipcast.forecast(plan, **{"start": "2027-01-04", "iterations": 1000, **kwargs})


def test_not_a_table():
    with pytest.raises(TypeError, match="DataFrame"):
        slipcast.forecast(42)


def test_missing_file_is_a_plan_error(tmp_path):
    with pytest.raises(slipcast.PlanError) as raised:
        slipcast.forecast(tmp_path / "nope.csv")
    assert raised.value.problems[0]["file"] == str(tmp_path / "nope.csv")


def _big_plan(path, tasks=3000):
    rows = ["id,low,likely,high,depends_on"]
    for k in range(tasks):
        dep = f"t{k - 1}" if k % 50 else ""
        rows.append(f"t{k},1,2,6,{dep}")
    path.write_text("\n".join(rows) + "\n")


def test_ctrl_c_stops_a_long_run_cleanly(tmp_path):
    """SIGINT during a run that would take minutes: KeyboardInterrupt within
    seconds, and the interpreter goes on (the next call works)."""
    plan = tmp_path / "big.csv"
    _big_plan(plan)
    script = textwrap.dedent(
        f"""
        import time, slipcast
        print("ready", flush=True)
        t = time.time()
        try:
            slipcast.forecast({str(plan)!r}, start="2027-01-04", iterations=200_000_000, basic=True)
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted after %.1f s" % (time.time() - t), flush=True)
        f = slipcast.forecast({str(plan)!r}, start="2027-01-04", iterations=20_000, basic=True)
        print("next run", f.summary["iterations"], flush=True)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    time.sleep(2.0)
    p.send_signal(signal.SIGINT)
    try:
        out, _ = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        raise AssertionError("the run did not stop on Ctrl-C")
    assert "interrupted after" in out, out
    assert "next run 20000" in out, out


def test_the_gil_is_released_while_simulating(tmp_path):
    import threading

    plan = tmp_path / "big.csv"
    _big_plan(plan, 2000)
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    start = time.time()
    slipcast.forecast(plan, start="2027-01-04", iterations=400_000, basic=True)
    took = time.time() - start
    done.set()
    t.join()
    # A thread holding the GIL for the whole run would leave the other
    # almost no ticks; released, it ticks all along (at most 1 per ms).
    assert took > 0.2
    assert len(ticks) > 0.3 * took * 1000 * 0.5
