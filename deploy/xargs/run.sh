#!/usr/bin/env bash
# One slipcast forecast split into shards run side by side by xargs on this
# machine, then merged: the plainest form of a sharded run, and a template for
# any scheduler that can start N commands.
#
# Usage: deploy/xargs/run.sh PLAN [FORECAST FLAGS...]
#
#   SHARDS=16 ITERATIONS=10M deploy/xargs/run.sh data/examples/checkout-v2.csv --start 2027-01-04
#
# Run it from the directory the plan's paths are relative to: the merge
# re-reads the input files at the same paths and checks their hashes.
#
# Environment:
#   SHARDS      number of shards (default 16)
#   JOBS        shards run at once (default: the number of CPUs)
#   ITERATIONS  iterations of the whole run (default 1M)
#   SEED        the seed (default 42)
#   PARTIALS    folder for the partial files (default parts); emptied first
#   SLIPCAST    the slipcast binary (default slipcast)
#   MERGE_ARGS  merge flags, e.g. "--json" or "--report out" (default: none,
#               print the summary as `slipcast forecast` does)
set -euo pipefail

if (($# < 1)); then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
SHARDS=${SHARDS:-16}
JOBS=${JOBS:-$(nproc)}
ITERATIONS=${ITERATIONS:-1M}
SEED=${SEED:-42}
PARTIALS=${PARTIALS:-parts}
SLIPCAST=${SLIPCAST:-slipcast}
read -r -a merge_args <<<"${MERGE_ARGS:-}"

# Partials of an earlier run would be refused by the merge (or merged, if they
# are of this run): start from an empty folder.
rm -f "$PARTIALS"/shard-*.part

# Each shard: --shard K/SHARDS, one thread (JOBS of them run at once).
seq 0 $((SHARDS - 1)) | xargs -P "$JOBS" -I{} \
  "$SLIPCAST" forecast "$@" -n "$ITERATIONS" --seed "$SEED" --threads 1 \
  --shard "{}/$SHARDS" --partial "$PARTIALS"

"$SLIPCAST" merge "$PARTIALS"/shard-*.part "${merge_args[@]}"
