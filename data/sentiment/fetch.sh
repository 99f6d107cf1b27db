#!/usr/bin/env bash
# Reproduces the vendored sentiment files byte for byte from the npm package sentiment@5.0.2.
#
#   data/sentiment/fetch.sh              # re-fetch and verify against data/sentiment/SHA256SUMS
#   data/sentiment/fetch.sh --reference  # also regenerate the AFINN parity fixture (needs node)
#
# What it writes (all checked against SHA256SUMS, the script fails on any difference):
#   data/sentiment/amazon.json, data/sentiment/imdb.json           (test/fixtures/ of the package)
#   training/src/main/resources/io/rnnstream/training/data/afinn/afinn-165.json   (languages/en/labels.json)
#   training/src/main/resources/io/rnnstream/training/data/afinn/negators.json    (languages/en/negators.json)
#
# The package's third fixture file (yelp) is reserved for an external check: it is excluded at
# extraction time, so it never lands on disk here. Do not change that.
set -euo pipefail

VERSION=5.0.2
TARBALL_SHA256=89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
afinn_dir="$repo/training/src/main/resources/io/rnnstream/training/data/afinn"

reference=false
[[ "${1:-}" == "--reference" ]] && reference=true

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack "sentiment@$VERSION" --silent >/dev/null)
tgz="$tmp/sentiment-$VERSION.tgz"
echo "$TARBALL_SHA256  $tgz" | sha256sum -c --quiet -

# Only the members we need; yelp.json is never extracted.
members=(package/test/fixtures/amazon.json package/test/fixtures/imdb.json
         package/languages/en/labels.json package/languages/en/negators.json)
if $reference; then
  members+=(package/lib package/languages package/build/emoji.json package/package.json)
fi
tar -xzf "$tgz" -C "$tmp" --exclude='package/test/fixtures/yelp.json' "${members[@]}"
if [[ -e "$tmp/package/test/fixtures/yelp.json" ]]; then
  echo "refusing: yelp.json was extracted" >&2; exit 1
fi

mkdir -p "$afinn_dir"
cp "$tmp/package/test/fixtures/amazon.json" "$here/amazon.json"
cp "$tmp/package/test/fixtures/imdb.json" "$here/imdb.json"
cp "$tmp/package/languages/en/labels.json" "$afinn_dir/afinn-165.json"
cp "$tmp/package/languages/en/negators.json" "$afinn_dir/negators.json"

(cd "$repo" && sha256sum -c data/sentiment/SHA256SUMS)

if $reference; then
  # Scores of the package's own analyzer for every sentence of amazon.json and imdb.json.
  node "$here/afinn_reference.js" "$tmp/package" "$here" \
    > "$repo/training/src/test/resources/io/rnnstream/training/data/afinn_reference_scores.json"
  echo "wrote training/src/test/resources/io/rnnstream/training/data/afinn_reference_scores.json"
fi
