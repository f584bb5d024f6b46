"""Sharded forecasts from Python: each shard's partial file, merged by
Python or by the CLI, is the whole run to the bit, either way round."""

import json
import shutil

import numpy as np
import pytest

import slipcast

PLAN = "data/examples/checkout-v2.csv"
RISKS = "data/examples/checkout-v2-risks.csv"
START = "2027-01-04"
N = 200_000


def shards(partial, m, **kwargs):
    return [
        slipcast.forecast_shard(PLAN, shard=f"{k}/{m}", partial=partial, risks=RISKS,
                                iterations=N, **kwargs)
        for k in range(m)
    ]


def test_python_shards_merge_to_the_whole_run(cli, in_root, tmp_path):
    files = shards(tmp_path / "parts", 4, start=START)
    assert [f.name for f in files] == [f"shard-000{k}-of-0004.part" for k in range(4)]
    whole = slipcast.forecast(PLAN, risks=RISKS, start=START, iterations=N)
    merged = slipcast.merge(reversed(files))
    assert merged.to_json() == whole.to_json()
    assert np.array_equal(merged.finish_days, whole.finish_days)
    # The CLI finishes them too, to the same bytes.
    assert cli.json_text("merge", *files) == whole.to_json()


def test_cli_shards_merge_in_python(cli, in_root, tmp_path):
    parts = tmp_path / "parts"
    for k in range(3):
        cli.run("forecast", PLAN, "--risks", RISKS, "-n", "200k", "--seed", "9",
                "--target", "2027-04-20", "--shard", f"{k}/3", "--partial", parts, "--quiet")
    files = sorted(parts.iterdir())
    merged = slipcast.merge(files)
    assert merged.to_json() == cli.json_text("merge", *files)
    assert merged.summary["seed"] == 9 and merged.summary["target"]["date"] == "2027-04-20"
    # Without --start the shards settled on one start, which the merge keeps.
    assert merged.summary["start"] == json.loads(cli.json_text("merge", *files))["start"]


def test_auto_shard_reads_the_array_index(in_root, tmp_path, monkeypatch):
    monkeypatch.setenv("SLURM_ARRAY_TASK_ID", "3")
    monkeypatch.setenv("SLURM_ARRAY_TASK_MIN", "1")
    monkeypatch.setenv("SLURM_ARRAY_TASK_COUNT", "4")
    path = slipcast.forecast_shard(PLAN, shard="auto", partial=tmp_path, start=START, iterations=N)
    assert path.name == "shard-0002-of-0004.part"
    monkeypatch.delenv("SLURM_ARRAY_TASK_ID")
    with pytest.raises(ValueError, match="found no array index"):
        slipcast.forecast_shard(PLAN, shard="auto", partial=tmp_path, start=START, iterations=N)


def test_merge_refuses_what_is_not_one_whole_run(in_root, tmp_path):
    files = shards(tmp_path / "a", 3, start=START)
    with pytest.raises(ValueError, match="missing|slices"):
        slipcast.merge(files[:2])
    other = shards(tmp_path / "b", 3, start=START, seed=7)
    with pytest.raises(ValueError, match="seed"):
        slipcast.merge([files[0], files[1], other[2]])
    bad = tmp_path / "bad.part"
    bad.write_bytes(files[0].read_bytes()[:-10])
    with pytest.raises(ValueError, match="damaged|cut short"):
        slipcast.merge([bad, files[1], files[2]])
    # An input edited after the shards ran.
    plan = tmp_path / "plan.csv"
    shutil.copy(PLAN, plan)
    edited = [
        slipcast.forecast_shard(plan, shard=f"{k}/2", partial=tmp_path / "c", start=START, iterations=N)
        for k in range(2)
    ]
    plan.write_text(plan.read_text().replace("pen-test-fixes,", "pen-test-fixes-2,"))
    with pytest.raises(ValueError, match="changed since the shards read it"):
        slipcast.merge(edited)


def test_a_shard_never_writes_over_a_file_of_yours(in_root, tmp_path):
    mine = tmp_path / "shard-0000-of-0002.part"
    mine.write_text("my notes")
    with pytest.raises(ValueError, match="not a partial file"):
        slipcast.forecast_shard(PLAN, shard="0/2", partial=tmp_path, start=START, iterations=N)
    assert mine.read_text() == "my notes"


def test_a_shards_inputs_are_files(tmp_path):
    with pytest.raises(TypeError, match="files"):
        slipcast.forecast_shard([{"id": "a", "likely": 2}], shard="0/2", partial=tmp_path)
