#!/usr/bin/env bash
# Regenerates the small vendored utterance set that `./rnnstream demo captions` streams (and its
# smoke test reads), with the same espeak-ng + sox pipeline as synth.sh, into data/speech/demo/:
# twelve 16 kHz mono PCM16 WAVs and a manifest.jsonl in synth.sh's format (split "test").
#   data/speech/demo.sh
# Voices are the TEST voices of make_manifest.py (language voices en-gb-scotland, en-us-nyc,
# en-gb-x-gbclan; variants +m2 +m4 +f3 +f4): the shipped caption model never heard them in
# training. Texts come from make_manifest.py's digit words and phrase list. Committed so that the
# demo runs on a machine without espeak-ng; deterministic with espeak-ng 1.51 / sox 14.4.2.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dst="$here/demo"
mkdir -p "$dst/wav"
rm -f "$dst"/wav/*.wav
tmp="$(mktemp --suffix=.wav)"
trap 'rm -f "$tmp"' EXIT
manifest="$dst/manifest.jsonl"
: > "$manifest"
i=0
while IFS='|' read -r voice speed pitch text; do
  i=$((i + 1))
  name="$(printf 'wav/%02d.wav' "$i")"
  espeak-ng -v "$voice" -s "$speed" -p "$pitch" -w "$tmp" "$text"
  sox -D -R "$tmp" -c 1 -b 16 -e signed-integer "$dst/$name" gain -1 rate 16000
  printf '{"wav": "%s", "text": "%s", "voice": "%s", "speed": %d, "pitch": %d, "split": "test"}\n' \
    "$name" "$text" "$voice" "$speed" "$pitch" >> "$manifest"
done <<'LIST'
en-gb-scotland+m2|175|45|three one four
en-us-nyc+f3|170|55|turn on the light
en-gb-x-gbclan+m4|180|40|nine eight
en-gb-scotland+f4|170|60|what time is it
en-us-nyc+m2|185|50|five zero six two
en-gb-x-gbclan+f3|175|50|play some music
en-us-nyc+m4|170|45|seven
en-gb-scotland+m4|175|40|good morning
en-gb-x-gbclan+f4|180|65|two six one
en-us-nyc+f4|170|55|call my mother
en-gb-scotland+f3|185|50|eight three
en-gb-x-gbclan+m2|170|42|open the window
LIST
(cd "$dst" && du -cb wav/*.wav | tail -1 && cat manifest.jsonl wav/*.wav | sha256sum | cut -c1-16)
