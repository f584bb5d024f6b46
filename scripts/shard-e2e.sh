#!/usr/bin/env bash
# End-to-end check of sharded runs: the bundled checkout plan forecast as an
# 8-task Slurm job array (deploy/slurm/forecast.sbatch on a single-node
# cluster started by deploy/slurm/local-cluster.sh), merged, and compared byte
# for byte with the single run. Then the same partials merged in two stages;
# the same shards indexed as a Kubernetes Indexed Job and an AWS Batch array
# job would (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX); and merges that
# must be refused (a missing, repeated, overlapping, truncated or foreign
# partial, and a plan edited after its shards ran). Exits non-zero on any
# difference.
#
# If the local cluster cannot start, the same 8 shards run through xargs with
# the Slurm array variables set by hand (what --shard auto reads), and the
# byte comparisons still run.
#
# Usage: scripts/shard-e2e.sh [path/to/slipcast]   (default target/release/slipcast)
#
# Environment: SHARD_E2E_KEEP=1 keeps the work folder; SHARD_E2E_NO_SLURM=1
# skips Slurm and runs the xargs path.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

SHARDS=8
ITERATIONS=200000
SEED=7
PLAN=data/examples/checkout-v2.csv
FLAGS=(--start 2027-01-04 --risks data/examples/checkout-v2-risks.csv)
export SOURCE_DATE_EPOCH=1790000000

say() { printf 'shard-e2e: %s\n' "$*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

bin=${1:-target/release/slipcast}
[[ -x $bin ]] || fail "no slipcast binary at $bin (cargo build --release, or pass its path)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") # jobs need an absolute path
help=$("$bin" forecast --help) || fail "$bin forecast --help failed"
grep -q -- '--shard' <<<"$help" || fail "$bin has no 'forecast --shard'"
"$bin" merge --help >/dev/null || fail "$bin has no 'merge'"

dir=$(mktemp -d "${TMPDIR:-/tmp}/shard-e2e.XXXXXX")
mkdir -p "$dir/logs"
cluster_started=0
cleanup() {
  local rc=$?
  if ((cluster_started)); then deploy/slurm/local-cluster.sh stop 2>/dev/null || true; fi
  if ((rc == 0)) && [[ ${SHARD_E2E_KEEP:-0} != 1 ]]; then
    rm -rf "$dir"
  else
    say "work folder kept: $dir"
  fi
}
trap cleanup EXIT

# --- the shards -------------------------------------------------------------
mode=slurm
label="slurm"
t=$(now)
if [[ ${SHARD_E2E_NO_SLURM:-0} == 1 ]]; then
  mode="xargs"
  label="xargs, SHARD_E2E_NO_SLURM=1"
  say "SHARD_E2E_NO_SLURM=1: not using Slurm"
else
  was_running=0
  deploy/slurm/local-cluster.sh status >/dev/null 2>&1 && was_running=1
  if deploy/slurm/local-cluster.sh start 2>"$dir/cluster.log"; then
    ((was_running)) || cluster_started=1
    cluster_time=$(since "$t")
    eval "$(deploy/slurm/local-cluster.sh env)"
  else
    mode="xargs"
    cat "$dir/cluster.log" >&2
    label="xargs, SLURM NOT AVAILABLE"
    say "################################################################"
    say "SLURM IS NOT AVAILABLE: the local cluster did not start (above)."
    say "Running the same $SHARDS shards with xargs and the Slurm array"
    say "variables set by hand instead."
    say "################################################################"
  fi
fi

t=$(now)
if [[ $mode == slurm ]]; then
  say "sbatch --array=0-$((SHARDS - 1)) --wait deploy/slurm/forecast.sbatch"
  if ! sbatch --array=0-$((SHARDS - 1)) --wait --quiet \
    --chdir="$root" --cpus-per-task=1 --output="$dir/logs/%A_%a.out" \
    --export="ALL,PLAN=$PLAN,ITERATIONS=$ITERATIONS,SEED=$SEED,PARTIALS=$dir/parts,SLIPCAST=$bin" \
    deploy/slurm/forecast.sbatch "${FLAGS[@]}"; then
    tail -n 20 "$dir"/logs/* >&2 || true
    fail "the array job failed"
  fi
else
  cluster_time=-
  export PLAN ITERATIONS SEED PARTIALS=$dir/parts SLIPCAST=$bin
  export SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=$SHARDS
  # shellcheck disable=SC2016 # expanded by the inner sh
  if ! seq 0 $((SHARDS - 1)) | xargs -P "$(nproc)" -I{} \
    sh -c 'SLURM_ARRAY_TASK_ID=$1; export SLURM_ARRAY_TASK_ID; shift
           exec bash deploy/slurm/forecast.sbatch "$@" >"$0/logs/$SLURM_ARRAY_TASK_ID.out" 2>&1' \
    "$dir" {} "${FLAGS[@]}"; then
    tail -n 20 "$dir"/logs/* >&2 || true
    fail "a shard failed"
  fi
fi
array_time=$(since "$t")

expected=$(for ((k = 0; k < SHARDS; k++)); do printf 'shard-%04d-of-%04d.part\n' "$k" "$SHARDS"; done)
actual=$(cd "$dir/parts" && ls)
[[ $actual == "$expected" ]] || fail "partial files are not the $SHARDS expected ones:
$actual"

# --- merge and compare --------------------------------------------------------
t=$(now)
"$bin" merge "$dir"/parts/*.part --json >"$dir/merged.json" || fail "merge failed"
merge_time=$(since "$t")

t=$(now)
"$bin" forecast "$PLAN" -n "$ITERATIONS" --seed "$SEED" "${FLAGS[@]}" --json >"$dir/single.json" ||
  fail "the single run failed"
single_time=$(since "$t")

cmp "$dir/merged.json" "$dir/single.json" || {
  diff <(tr , '\n' <"$dir/merged.json") <(tr , '\n' <"$dir/single.json") | head -n 20 >&2 || true
  fail "merged JSON differs from the single run"
}

parts=("$dir"/parts/*.part)
half=$((SHARDS / 2))
t=$(now)
"$bin" merge "${parts[@]:0:half}" --partial "$dir/stage/a" --quiet || fail "staged merge of the first half failed"
"$bin" merge "${parts[@]:half}" --partial "$dir/stage/b" --quiet || fail "staged merge of the second half failed"
"$bin" merge "$dir"/stage/a/*.part "$dir"/stage/b/*.part --json >"$dir/staged.json" ||
  fail "merge of the two stages failed"
staged_time=$(since "$t")
cmp "$dir/staged.json" "$dir/single.json" || fail "two-stage merge differs from the single run"

# --- a sweep of scenarios -----------------------------------------------------
# Four scenarios from a manifest (plain, with risks, cut from priority 4, one
# more person in a team) as one 6-task array of `compare --shard auto`.
mkdir -p "$dir/sweep"
cp data/examples/checkout-v2.csv data/examples/checkout-v2-risks.csv \
  data/examples/checkout-v2-teams.csv "$dir/sweep/"
cat >"$dir/sweep/sweep.csv" <<'CSV'
scenario,plan,risks,teams,add,cut
baseline,checkout-v2.csv,,,,
with risks,checkout-v2.csv,checkout-v2-risks.csv,,,
cut from 4,checkout-v2.csv,,,,4
teams +1 payments,checkout-v2.csv,,checkout-v2-teams.csv,payments=+1,
CSV
sweep=(compare --manifest sweep.csv -n 100000 --seed "$SEED" --start 2027-01-04 --target 2027-04-30)
t=$(now)
if [[ $mode == slurm ]]; then
  sbatch --array=0-5 --wait --quiet --chdir="$dir/sweep" --cpus-per-task=1 \
    --output="$dir/logs/sweep_%A_%a.out" \
    --wrap "$(printf '%q ' "$bin" "${sweep[@]}") --threads 1 --shard auto --partial parts" ||
    fail "the sweep's array job failed"
else
  (cd "$dir/sweep" && seq 0 5 | xargs -P "$(nproc)" -I{} \
    env SLURM_ARRAY_TASK_ID={} SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=6 \
    "$bin" "${sweep[@]}" --threads 1 --quiet --shard auto --partial parts) ||
    fail "a shard of the sweep failed"
fi
sweep_time=$(since "$t")
(cd "$dir/sweep" && "$bin" merge parts/*.part --json >merged.json && "$bin" "${sweep[@]}" --json >single.json) ||
  fail "the sweep's merge or single run failed"
cmp "$dir/sweep/merged.json" "$dir/sweep/single.json" || fail "the merged sweep differs from the single compare"

# --- the other schedulers' variables -----------------------------------------
# The same shards with the index from a Kubernetes Indexed Job and from an AWS
# Batch array job (the count from the flag), run here by xargs.
for var in JOB_COMPLETION_INDEX AWS_BATCH_JOB_ARRAY_INDEX; do
  seq 0 $((SHARDS - 1)) | xargs -P "$(nproc)" -I{} \
    env -u SLURM_ARRAY_TASK_ID -u SLURM_ARRAY_TASK_MIN -u SLURM_ARRAY_TASK_COUNT "$var={}" \
    "$bin" forecast "$PLAN" -n "$ITERATIONS" --seed "$SEED" "${FLAGS[@]}" --threads 1 --quiet \
    --shard "auto/$SHARDS" --partial "$dir/$var" || fail "a shard with $var failed"
  "$bin" merge "$dir/$var"/*.part --json >"$dir/$var.json" || fail "merge of the $var shards failed"
  cmp "$dir/$var.json" "$dir/single.json" || fail "merge of the $var shards differs from the single run"
done

# --- merges that must be refused ---------------------------------------------
refused() { # refused WHAT PARTIAL...
  local what=$1
  shift
  if "$bin" merge "$@" --json >"$dir/refused.json" 2>"$dir/refused.err"; then
    fail "merge of $what was not refused"
  fi
  say "refused $what: $(tr -s ' \n' ' ' <"$dir/refused.err" | cut -c1-300)"
}
refused "a missing shard" "${parts[@]:1}"
refused "a repeated shard" "${parts[@]}" "${parts[0]}"
refused "overlapping partials" "${parts[@]}" "$dir"/stage/a/*.part
mkdir -p "$dir/bad"
head -c "$(($(wc -c <"${parts[0]}") / 2))" "${parts[0]}" >"$dir/bad/$(basename "${parts[0]}")"
refused "a truncated partial" "$dir/bad/$(basename "${parts[0]}")" "${parts[@]:1}"
SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=$SHARDS \
  "$bin" forecast "$PLAN" -n "$ITERATIONS" --seed $((SEED + 1)) "${FLAGS[@]}" \
  --quiet --shard auto --partial "$dir/other-seed" || fail "shard with another seed failed"
refused "a shard of another seed" "$dir"/other-seed/*.part "${parts[@]:1}"
# An input file that changed between the shards and the merge.
cp "$PLAN" "$dir/plan.csv"
for k in 0 1; do
  "$bin" forecast "$dir/plan.csv" -n "$ITERATIONS" --seed "$SEED" "${FLAGS[@]}" \
    --quiet --shard "$k/2" --partial "$dir/edited" || fail "shard $k/2 of the copied plan failed"
done
echo >>"$dir/plan.csv"
refused "a plan edited after its shards ran" "$dir"/edited/*.part

say "OK ($label): $ITERATIONS iterations in $SHARDS shards merged == single run ($(wc -c <"$dir/single.json") bytes), two-stage merge, a 4-scenario sweep in 6 shards (array $sweep_time) and Kubernetes/AWS Batch indices too; cluster start $cluster_time, array $array_time, merge $merge_time, staged merge $staged_time, single run $single_time"
