#!/usr/bin/env bash
# Submits an rnnstream job to the Flink session cluster; run by the `submit` service of
# docker/compose.yaml:
#
#   submit.sh -c io.rnnstream.jobs.Main /opt/rnnstream/rnnstream-jobs.jar sentiment ...
#
# The arguments are those of `flink run` after `-d -m HOST:PORT [-s PATH]`. The script
#   1. waits for the JobManager's REST endpoint and for at least one TaskManager;
#   2. exits 0 without submitting when a job named $JOB_NAME is already running (or restarting,
#      or being scheduled), so `docker compose up` can be repeated safely;
#   3. resumes from RESTORE: `latest` (default) = the newest retained checkpoint under
#      $CHECKPOINTS if there is one, `none` = start fresh (the Kafka source then resumes from the
#      consumer group's committed offsets), or an explicit checkpoint/savepoint path;
#   4. submits detached.
set -euo pipefail

JOBMANAGER="${JOBMANAGER:-jobmanager:8081}"
JOB_NAME="${JOB_NAME:-rnnstream sentiment}"
RESTORE="${RESTORE:-latest}"
CHECKPOINTS="${CHECKPOINTS:-/flink-checkpoints/checkpoints}"
WAIT_SECONDS="${WAIT_SECONDS:-300}"
MIN_TASKMANAGERS="${MIN_TASKMANAGERS:-1}"
FLINK="${FLINK_HOME:-/opt/flink}/bin/flink"

log() { echo "submit: $*" >&2; }

if (($# == 0)); then
  log "usage: submit.sh [flink run options] JAR [program arguments]"
  exit 2
fi

# The jar is the first argument that ends in .jar; fail early with a hint when it is missing.
for arg in "$@"; do
  if [[ "$arg" == *.jar ]]; then
    if [[ ! -f "$arg" ]]; then
      log "$arg is missing or not a file: build it first (./rnnstream --help, or"
      log "mvn -B -q -pl jobs -am package -DskipTests) so that jobs/target/rnnstream-jobs.jar exists"
      exit 2
    fi
    break
  fi
done

http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 5 "$1"
  else
    wget -q -T 5 -O - "$1"
  fi
}

# 1. Wait for the REST endpoint and the TaskManagers.
deadline=$((SECONDS + WAIT_SECONDS))
log "waiting for the JobManager at http://$JOBMANAGER (up to ${WAIT_SECONDS}s)"
while :; do
  overview="$(http_get "http://$JOBMANAGER/overview" 2>/dev/null || true)"
  tms="$(sed -n 's/.*"taskmanagers":\([0-9][0-9]*\).*/\1/p' <<<"$overview")"
  if [[ -n "$tms" ]] && ((tms >= MIN_TASKMANAGERS)); then
    log "JobManager is up with $tms TaskManager(s)"
    break
  fi
  if ((SECONDS >= deadline)); then
    log "gave up after ${WAIT_SECONDS}s: JobManager not reachable or fewer than" \
      "$MIN_TASKMANAGERS TaskManager(s) registered (last answer: ${overview:-none})"
    exit 1
  fi
  sleep 2
done

# 2. Idempotence: one copy of the job only. `flink list` prints
#    "<date> : <job id> : <job name> (<STATE>)"; -r lists running/restarting, -s scheduled jobs.
if ! jobs="$("$FLINK" list -r -s -m "$JOBMANAGER" 2>&1)"; then
  log "could not list the cluster's jobs:"
  echo "$jobs" >&2
  exit 1
fi
existing="$(grep -F " : $JOB_NAME (" <<<"$jobs" || true)"
if [[ -n "$existing" ]]; then
  log "not submitting: a job named '$JOB_NAME' is already there:"
  echo "$existing" >&2
  exit 0
fi

# 3. Where to resume from.
restore_args=()
case "$RESTORE" in
  none | "")
    ;;
  latest)
    # Retained checkpoints are <dir>/<job id>/chk-<n>/_metadata; take the newest one.
    # shellcheck disable=SC2012  # job ids and chk-<n> are plain names; ls -t sorts by time
    latest="$(ls -1t "$CHECKPOINTS"/*/chk-*/_metadata 2>/dev/null | head -n 1 || true)"
    if [[ -n "$latest" ]]; then
      restore_args=(-s "$(dirname "$latest")")
      log "resuming from the latest retained checkpoint $(dirname "$latest")"
      log "(set RESTORE=none to start fresh)"
    else
      log "no retained checkpoint under $CHECKPOINTS: starting fresh"
    fi
    ;;
  *)
    restore_args=(-s "$RESTORE")
    log "resuming from $RESTORE"
    ;;
esac

# 4. Submit, detached: the job keeps running after this container exits.
log "submitting '$JOB_NAME': flink run -d -m $JOBMANAGER ${restore_args[*]+${restore_args[*]} }$*"
exec "$FLINK" run -d -m "$JOBMANAGER" ${restore_args[@]+"${restore_args[@]}"} "$@"
