#!/usr/bin/env bash
# Entry point of the Flink containers: merges docker/flink/config.yaml (mounted at
# /opt/rnnstream/flink) into the official image's configuration through its FLINK_PROPERTIES
# mechanism, then runs the official entry point (jobmanager, taskmanager, or a command).
# A FLINK_PROPERTIES set on the service is applied after the file, so it wins.
set -euo pipefail
conf="${RNNSTREAM_FLINK_CONF:-/opt/rnnstream/flink/config.yaml}"
if [[ ! -r "$conf" ]]; then
  echo "entrypoint: $conf is missing (mount docker/flink at /opt/rnnstream/flink)" >&2
  exit 2
fi
# The image reads FLINK_PROPERTIES line by line as key:value and passes each pair through a
# word-splitting shell, so: drop comments and blank lines, write `key:value` with no blanks
# around the colon (some image versions keep a blank before the value, which then empties it).
props="$(grep -Ev '^[[:space:]]*(#|$)' "$conf" || true)"
if [[ -n "${FLINK_PROPERTIES:-}" ]]; then
  props+=$'\n'"$FLINK_PROPERTIES"
fi
FLINK_PROPERTIES="$(sed -E 's/^[[:space:]]*([^:[:space:]]+)[[:space:]]*:[[:space:]]*/\1:/; s/[[:space:]]+$//' \
  <<<"$props")"
export FLINK_PROPERTIES
exec /docker-entrypoint.sh "$@"
