#!/usr/bin/env bash
# Creates the rnnstream topics on a single-broker Kafka; run by the one-shot `topics` service of
# docker/compose.yaml (apache/kafka image). Idempotent: existing topics are left as they are
# (change their settings with kafka-configs.sh). Names are the jobs' defaults
# (SentimentJob.Topics.defaults(), `run --input-topic ...`); DockerComposeTest checks them.
set -euo pipefail

BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
TOPICS_SH="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"
SIXTEEN_MIB=16777216

# The broker is healthy before this runs (depends_on), but wait a little anyway.
for attempt in $(seq 1 30); do
  if "$TOPICS_SH" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1; then
    break
  fi
  if ((attempt == 30)); then
    echo "topics: Kafka at $BOOTSTRAP is not reachable" >&2
    exit 1
  fi
  sleep 2
done

# create NAME PARTITIONS [--config k=v ...]
create() {
  local name="$1" partitions="$2"
  shift 2
  "$TOPICS_SH" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor 1 "$@"
}

# Chat messages in: keyed by conversation, so one conversation stays in order on one partition.
create chat-messages 3
# Model snapshots: compacted (the latest snapshot per model name survives), one partition so every
# instance sees versions in publication order, records up to 16 MiB (inline tensors).
create model-snapshots 1 --config cleanup.policy=compact --config max.message.bytes=$SIXTEEN_MIB
# Predictions out (Avro Prediction), written transactionally (read with read_committed).
create sentiment-predictions 3
# Dead letters (Avro DeadLetter): a rejected snapshot is carried whole, so allow 16 MiB too.
create dead-letters 1 --config max.message.bytes=$SIXTEEN_MIB
# Slot filling (`run slots`): utterances in (Avro ChatMessage or JSON), Avro SlotResult out.
create utterances 3
create slot-results 3
# Captions (`run captions`): Avro AudioChunk in (PCM16, keyed by stream), Avro Caption out.
create audio-chunks 3
create captions 3
# Optional caption input (`run captions --frames-topic`): Avro FeatureFrames computed by clients
# (40 log-mel bands every 10 ms), keyed by stream; read beside audio-chunks.
create feature-frames 3

"$TOPICS_SH" --bootstrap-server "$BOOTSTRAP" --describe --topic \
  'chat-messages|model-snapshots|sentiment-predictions|dead-letters|utterances|slot-results|audio-chunks|captions|feature-frames' \
  || true
echo "topics: ready" >&2
