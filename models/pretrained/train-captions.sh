#!/usr/bin/env bash
# Reproduces models/pretrained/captions.rnn in two deterministic steps (about 2 h 40 min on the
# 2-core build machine; see models/pretrained/README.md):
#   1. the plain-CTC model: `train captions` from scratch without the blank lead and with
#      selection on the plain dev CER (24 epochs, 8000 utterances: the defaults otherwise);
#   2. the blank-lead fine-tune: 8 epochs of fine-tuning the plain-CTC model with the blank lead
#      and selection on the mean of the plain and the 0.3 s-lead dev CER, learning rate 0.001 (held for 4 epochs, then the cosine to 0.05x).
# Needs the corpus with the 6400-utterance extra part (data/speech/synth.sh, run here if missing).
#
#   models/pretrained/train-captions.sh [OUT]   # default: models/pretrained/captions.rnn
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/models/pretrained/captions.rnn}"
extra="$root/data/speech/generated/extra/manifest.jsonl"
cd "$root"

if [[ ! -f "$extra" ]] || (($(wc -l < "$extra") < 6400)); then
  data/speech/synth.sh
fi
first="$(mktemp -d)/captions-plain-ctc.rnn"
./rnnstream train captions --no-blank-lead --no-select-lead --no-test --threads 2 --out "$first"
./rnnstream train captions --init "$first" --epochs 8 --lr 0.001 --threads 2 --out "$out"
