#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for trying the Slurm recipe and
# for scripts/shard-e2e.sh. One controller (slurmctld) and one compute daemon
# (slurmd) on the same host, munge for authentication, no cgroups, no
# accounting. Meant for a disposable test machine or container, run as root.
#
# Usage: deploy/slurm/local-cluster.sh start|stop|status|env
#
#   start   install slurm and munge with apt-get if sbatch is missing, write
#           the configuration, start munged, slurmctld and slurmd, and wait
#           until the node is idle (safe to run again while it is up)
#   stop    stop the daemons this script started
#   status  show the daemons and `sinfo`
#   env     print `export SLURM_CONF=...`, for `eval "$(... env)"`
#
# Environment:
#   SLIPCAST_SLURM_DIR      state, spool, logs and slurm.conf
#                           (default /run/slipcast-slurm)
#   SLIPCAST_SLURM_TIMEOUT  seconds to wait for the node (default 60)
#   SLIPCAST_SLURM_PORTS    slurmctld and slurmd ports (default "6817 6818")
#
# The configuration is written to $SLIPCAST_SLURM_DIR/slurm.conf and copied to
# /etc/slurm/slurm.conf when that file is missing or was written by this
# script, so plain `sbatch` and `sinfo` find it. If /etc/slurm/slurm.conf
# belongs to something else it is left alone; then use `eval "$(... env)"`.
set -euo pipefail

RUN_DIR=${SLIPCAST_SLURM_DIR:-/run/slipcast-slurm}
TIMEOUT=${SLIPCAST_SLURM_TIMEOUT:-60}
read -r CTLD_PORT SLURMD_PORT <<<"${SLIPCAST_SLURM_PORTS:-6817 6818}"
CONF=$RUN_DIR/slurm.conf
SYSTEM_CONF=/etc/slurm/slurm.conf
MARKER="# written by slipcast deploy/slurm/local-cluster.sh"
NODE=$(hostname -s)
export SLURM_CONF=$CONF

log() { printf 'local-cluster: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

alive() { # alive PIDFILE: its process runs, and is the daemon the file names
  local pid
  [[ -s $1 ]] || return 1
  pid=$(cat "$1")
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$(basename "$1" .pid)" ]]
}

munge_ok() { command -v munge >/dev/null && munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

show_logs() {
  local f n
  for f in /var/log/munge/munged.log "$RUN_DIR"/log/slurmctld.log "$RUN_DIR"/log/slurmd.log; do
    [[ -f $f ]] || continue
    n=40
    [[ $f == */munged.log ]] && n=10
    printf '\n===== %s (last %d lines) =====\n' "$f" "$n" >&2
    tail -n "$n" "$f" >&2
  done
}

install_packages() {
  if command -v sbatch >/dev/null && command -v slurmctld >/dev/null &&
    command -v slurmd >/dev/null && command -v munged >/dev/null; then
    return
  fi
  command -v apt-get >/dev/null || die "slurm is not installed and there is no apt-get; install slurmctld, slurmd, slurm-client and munge"
  log "installing slurmctld slurmd slurm-client munge with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
}

start_munge() {
  if munge_ok; then return; fi
  local key=/etc/munge/munge.key
  if [[ ! -s $key ]]; then
    log "creating $key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$key" --force
    else
      dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
    fi
  fi
  local user=root
  id munge >/dev/null 2>&1 && user=munge
  chown "$user:" "$key" && chmod 0400 "$key"
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown "$user:" /run/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
  log "starting munged"
  if [[ $user == munge ]]; then
    runuser -u munge -- munged ||
      { show_logs; die "munged did not start"; }
  else
    munged --force ||
      { show_logs; die "munged did not start"; }
  fi
  touch "$RUN_DIR/munged.ours"
  for _ in $(seq 1 50); do
    munge_ok && return
    sleep 0.1
  done
  show_logs
  die "munged started but 'munge -n | unmunge' fails"
}

write_conf() {
  local cpus mem
  cpus=$(nproc)
  # Leave a little headroom: a node that reports less memory than RealMemory
  # is drained.
  mem=$(free -m | awk '/^Mem:/ { printf "%d", $2 * 0.95 }')
  cat >"$CONF.new" <<EOF
$MARKER
ClusterName=slipcast-local
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
# Keep finished jobs 5 s (not 300): \`sbatch --wait\` then polls every 2 s
# instead of backing off to 32 s.
MinJobAge=5
StateSaveLocation=$RUN_DIR/state
SlurmdSpoolDir=$RUN_DIR/spool
SlurmctldPidFile=$RUN_DIR/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurmd.pid
SlurmctldLogFile=$RUN_DIR/log/slurmctld.log
SlurmdLogFile=$RUN_DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.new" "$CONF"
  # slurmd reads cgroup.conf beside slurm.conf if there is one; keep it
  # from picking up a system one that asks for cgroups.
  echo "$MARKER (cgroups are not used)" >"$RUN_DIR/cgroup.conf"
  if [[ ! -e $SYSTEM_CONF ]] || grep -qxF "$MARKER" "$SYSTEM_CONF"; then
    mkdir -p "$(dirname "$SYSTEM_CONF")"
    cp "$CONF" "$SYSTEM_CONF"
  else
    log "$SYSTEM_CONF belongs to another setup; left alone (use: eval \"\$($0 env)\")"
  fi
}

node_state() { sinfo -h -N -n "$NODE" -o %T 2>/dev/null | head -n 1; }

wait_idle() {
  local start=$SECONDS state=""
  while ((SECONDS - start < TIMEOUT)); do
    if ! alive "$RUN_DIR/slurmctld.pid" || ! alive "$RUN_DIR/slurmd.pid"; then
      sleep 1 # let a daemon that is still forking write its pid file
      if ! alive "$RUN_DIR/slurmctld.pid" || ! alive "$RUN_DIR/slurmd.pid"; then
        show_logs
        die "a Slurm daemon exited during start (slurmctld: $(alive "$RUN_DIR/slurmctld.pid" && echo up || echo down), slurmd: $(alive "$RUN_DIR/slurmd.pid" && echo up || echo down))"
      fi
    fi
    state=$(node_state || true)
    case $state in
      idle | mixed | allocated | completing) return 0 ;;
      drain* | down* | fail*)
        scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
  done
  sinfo -N -l >&2 || true
  scontrol show node "$NODE" >&2 || true
  show_logs
  die "node $NODE not idle after ${TIMEOUT}s (state: ${state:-unknown})"
}

cmd_start() {
  [[ $(id -u) == 0 ]] || die "run as root (the test cluster runs its daemons as root)"
  local t0=$SECONDS
  install_packages
  mkdir -p "$RUN_DIR"/{state,spool,log} 2>/dev/null || die "cannot create $RUN_DIR (set SLIPCAST_SLURM_DIR)"
  start_munge
  if alive "$RUN_DIR/slurmctld.pid" && alive "$RUN_DIR/slurmd.pid" && scontrol ping >/dev/null 2>&1; then
    log "already running"
  else
    write_conf
    if ! alive "$RUN_DIR/slurmctld.pid"; then
      [[ -f $RUN_DIR/log/slurmctld.log ]] && mv "$RUN_DIR/log/slurmctld.log" "$RUN_DIR/log/slurmctld.log.old"
      log "starting slurmctld"
      # -c: start clean, without the jobs and node state of an earlier run
      slurmctld -c -f "$CONF" || { show_logs; die "slurmctld did not start"; }
    fi
    if ! alive "$RUN_DIR/slurmd.pid"; then
      [[ -f $RUN_DIR/log/slurmd.log ]] && mv "$RUN_DIR/log/slurmd.log" "$RUN_DIR/log/slurmd.log.old"
      log "starting slurmd"
      slurmd -N "$NODE" -f "$CONF" || { show_logs; die "slurmd did not start"; }
    fi
  fi
  wait_idle
  log "node $NODE idle after $((SECONDS - t0))s ($(nproc) CPUs); config $CONF"
}

stop_pidfile() { # stop_pidfile NAME PIDFILE
  local pid
  alive "$2" || return 0
  pid=$(cat "$2")
  log "stopping $1 (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

cmd_stop() {
  stop_pidfile slurmd "$RUN_DIR/slurmd.pid"
  stop_pidfile slurmctld "$RUN_DIR/slurmctld.pid"
  if [[ -e $RUN_DIR/munged.ours ]]; then
    local pidfile
    for pidfile in /run/munge/munged.pid /var/run/munge/munged.pid; do
      [[ -e $pidfile ]] && { stop_pidfile munged "$pidfile"; break; }
    done
    rm -f "$RUN_DIR/munged.ours"
  fi
}

cmd_status() {
  local name
  for name in slurmctld slurmd; do
    if alive "$RUN_DIR/$name.pid"; then
      echo "$name: running (pid $(cat "$RUN_DIR/$name.pid"))"
    else
      echo "$name: stopped"
    fi
  done
  if munge_ok; then echo "munge: working"; else echo "munge: not working"; fi
  alive "$RUN_DIR/slurmctld.pid" || return 1
  sinfo -N -l 2>&1 || true
  alive "$RUN_DIR/slurmd.pid"
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) echo "export SLURM_CONF=$(printf '%q' "$CONF")" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
