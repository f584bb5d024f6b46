#!/usr/bin/env bash
# Submits one slipcast forecast as an AWS Batch array job (one child per
# shard, --shard auto/N reads AWS_BATCH_JOB_ARRAY_INDEX) and a merge job that
# starts when every child has succeeded.
#
# Usage: deploy/aws-batch/submit.sh QUEUE PLAN [FORECAST FLAGS...]
#
#   deploy/aws-batch/submit.sh my-queue /efs/forecast/plan.csv \
#     --start 2027-01-04 --risks /efs/forecast/risks.csv
#
# PLAN and every file named in the flags are paths inside the container, on
# the EFS volume of job-definition.json (mounted at /efs): the merge re-reads
# them at the same paths and checks their hashes. Register the definition
# once, with your image and file system:
#
#   aws batch register-job-definition --cli-input-json file://deploy/aws-batch/job-definition.json
#
# Environment:
#   SHARDS      array size (default 64)
#   ITERATIONS  iterations of the whole run (default 100M)
#   SEED        the seed (default 42)
#   THREADS     --threads of each shard; match the definition's VCPU (default 2)
#   WORKDIR     where parts/ and report/ go (default: the plan's folder)
#   DEFINITION  job definition name (default slipcast-forecast)
#   DRY_RUN=1   print the aws commands instead of running them
set -euo pipefail

if (($# < 2)); then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
queue=$1
plan=$2
shift 2
SHARDS=${SHARDS:-64}
ITERATIONS=${ITERATIONS:-100M}
SEED=${SEED:-42}
THREADS=${THREADS:-2}
WORKDIR=${WORKDIR:-$(dirname "$plan")}
DEFINITION=${DEFINITION:-slipcast-forecast}
name=slipcast-$(date +%Y%m%d-%H%M%S)

json_str() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
json_array() {
  local out="" a
  for a in "$@"; do out+="${out:+,}$(json_str "$a")"; done
  printf '[%s]' "$out"
}
sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

aws_batch() {
  if [[ ${DRY_RUN:-0} == 1 ]]; then
    printf 'aws batch' >&2
    printf ' %q' "$@" >&2
    printf '\n' >&2
    echo "<jobId>"
  else
    aws batch "$@" --query jobId --output text
  fi
}

shard_cmd=(slipcast forecast "$plan" -n "$ITERATIONS" --seed "$SEED" --threads "$THREADS"
  --shard "auto/$SHARDS" --partial "$WORKDIR/parts" "$@")
array_id=$(aws_batch submit-job \
  --job-name "$name" --job-queue "$queue" --job-definition "$DEFINITION" \
  --array-properties "size=$SHARDS" \
  --container-overrides "{\"command\":$(json_array "${shard_cmd[@]}")}")
echo "forecast: $array_id ($SHARDS shards)"

# The merge needs a shell for the glob. It holds every iteration's result in
# memory, like the single run: raise MEMORY for runs of many iterations.
merge_sh="slipcast merge $(sh_quote "$WORKDIR")/parts/*.part --report $(sh_quote "$WORKDIR/report") && cat $(sh_quote "$WORKDIR/report/summary.md")"
merge_id=$(aws_batch submit-job \
  --job-name "$name-merge" --job-queue "$queue" --job-definition "$DEFINITION" \
  --depends-on "jobId=$array_id" \
  --container-overrides "{\"command\":$(json_array sh -c "$merge_sh"),\"resourceRequirements\":[{\"type\":\"MEMORY\",\"value\":\"4096\"}]}")
echo "merge:    $merge_id (starts when every shard has succeeded; report in $WORKDIR/report)"
echo "watch:    aws batch describe-jobs --jobs $array_id $merge_id --query 'jobs[].[jobName,status]'"
