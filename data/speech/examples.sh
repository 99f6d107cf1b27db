#!/usr/bin/env bash
# Regenerates the three small example WAVs that the models tests read (WavReaderTest,
# LogMelExtractorTest), with the same espeak-ng + sox pipeline as synth.sh.
#   data/speech/examples.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dst="$here/../../models/src/test/resources/io/rnnstream/models/audio"
mkdir -p "$dst"
tmp="$(mktemp --suffix=.wav)"
trap 'rm -f "$tmp"' EXIT
while IFS='|' read -r name voice speed pitch text; do
  espeak-ng -v "$voice" -s "$speed" -p "$pitch" -w "$tmp" "$text"
  sox -D -R "$tmp" -c 1 -b 16 -e signed-integer "$dst/$name.wav" gain -1 rate 16000
done <<'LIST'
four_two_seven|en-us|175|50|four two seven
stop|en-gb-scotland+f3|180|60|stop
open_the_door|en-gb-x-rp+m3|170|40|open the door
LIST
(cd "$dst" && sha256sum four_two_seven.wav stop.wav open_the_door.wav)
