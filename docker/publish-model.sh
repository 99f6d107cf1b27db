#!/usr/bin/env bash
# Publishes a model snapshot to the model topic with the rnnstream CLI; run by the one-shot
# `publish-model` service of docker/compose.yaml (working directory /opt/rnnstream, where the
# repository's models/ directory is mounted read-only):
#
#   docker compose -f docker/compose.yaml run --rm publish-model
#   docker compose -f docker/compose.yaml run --rm -e MODEL=models/pretrained/v2.rnn publish-model
#   docker compose -f docker/compose.yaml run --rm -e VERSION=7 publish-model    # rollback
#
# Environment: MODEL (snapshot file, default models/pretrained/sentiment.rnn), BOOTSTRAP
# (kafka:9092), TOPIC (model-snapshots), VERSION (publish under this version instead of the
# snapshot's own). Extra arguments are passed to `rnnstream publish`.
set -euo pipefail

JAR="${JAR:-/opt/rnnstream/rnnstream.jar}"
MODEL="${MODEL:-models/pretrained/sentiment.rnn}"
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
TOPIC="${TOPIC:-model-snapshots}"
VERSION="${VERSION:-}"

log() { echo "publish-model: $*" >&2; }

if [[ ! -f "$JAR" ]]; then
  log "$JAR is missing or not a file: build it first (./rnnstream --help, or"
  log "mvn -B -q -pl cli -am package -DskipTests) so that cli/target/rnnstream.jar exists"
  exit 2
fi
if [[ ! -f "$MODEL" ]]; then
  log "no model snapshot at $MODEL (relative paths are relative to the repository root;"
  log "only files under models/ are mounted)"
  exit 2
fi

args=(publish --model "$MODEL" --bootstrap "$BOOTSTRAP" --topic "$TOPIC")
if [[ -n "$VERSION" ]]; then
  args+=(--version "$VERSION")
fi
log "java -jar $JAR ${args[*]} $*"
# shellcheck disable=SC2086  # JAVA_OPTS holds several JVM options
exec java ${JAVA_OPTS:-} -jar "$JAR" "${args[@]}" "$@"
