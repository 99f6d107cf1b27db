#!/usr/bin/env bash
# Synthesizes the speech corpus with Debian's espeak-ng: 16 kHz, mono, 16-bit PCM WAV.
#
#   data/speech/synth.sh [N] [SEED] [OUT] [EXTRA]  # defaults: 2000 1 data/speech/generated 6400
#
# OUT/manifest.jsonl lists every utterance (see make_manifest.py); OUT/wav/{train,dev,test}/*.wav
# hold the audio. EXTRA > 0 also makes a train-only corpus of EXTRA utterances of other voices in
# OUT/extra/ (manifest.jsonl, wav/train/*.wav; make_manifest.py --extra); it does not change the
# main corpus, whose digest is printed on its own (EXTRA 0 skips it). OUT is git-ignored when it is data/speech/generated. Deterministic: the same N, SEED
# and espeak-ng/sox versions give byte-identical files (the script prints a digest of the corpus).
# espeak-ng writes 22050 Hz; sox lowers the level by 1 dB (resampling would otherwise clip a few
# samples) and resamples to 16 kHz with dither off (-D) and repeatable mode (-R).
set -euo pipefail

n="${1:-2000}"
seed="${2:-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${3:-$here/generated}"
extra="${4:-6400}"

missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing ${missing[*]}: sudo apt-get install -y ${missing[*]}" >&2; exit 1
  fi
fi

mkdir -p "$out"
rm -rf "$out/wav" "$out/extra"
mkdir -p "$out/wav/train" "$out/wav/dev" "$out/wav/test"
plan="$(mktemp)"
trap 'rm -f "$plan"' EXIT

synth_one() { # wav voice speed pitch text
  local dst="$OUT/$1" tmp
  tmp="$(mktemp --suffix=.wav)"
  espeak-ng -v "$2" -s "$3" -p "$4" -w "$tmp" "$5"
  sox -D -R "$tmp" -c 1 -b 16 -e signed-integer "$dst" gain -1 rate 16000
  rm -f "$tmp"
}
export -f synth_one

synth_corpus() { # dir label: synthesizes the plan into dir, prints count, time and digest
  export OUT="$1"
  local start end count digest
  start=$EPOCHREALTIME
  # one utterance per job, as many jobs as cores; each file depends only on its own plan line
  tr '\t\n' '\0\0' < "$plan" | xargs -0 -n 5 -P "$(nproc)" bash -c 'synth_one "$@"' _
  end=$EPOCHREALTIME
  count=$(find "$1/wav" -name '*.wav' | wc -l)
  digest=$( (cd "$1" && cat manifest.jsonl && find wav -name '*.wav' | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16)
  printf 'synthesized %d utterances in %.1f s into %s (%s digest %s)\n' \
    "$count" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" "$1" "$2" "$digest"
}

/usr/bin/python3 "$here/make_manifest.py" --n "$n" --seed "$seed" --out "$out" > "$plan"
synth_corpus "$out" corpus
if ((extra > 0)); then
  mkdir -p "$out/extra/wav/train"
  /usr/bin/python3 "$here/make_manifest.py" --extra "$extra" --seed "$seed" --out "$out/extra" > "$plan"
  synth_corpus "$out/extra" "extra corpus"
fi
