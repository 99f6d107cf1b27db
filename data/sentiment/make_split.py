#!/usr/bin/python3
"""Deterministic train/dev/test split of the vendored sentiment sentences.

    /usr/bin/python3 data/sentiment/make_split.py      # rewrites data/sentiment/{train,dev,test}.jsonl

Rule (re-implemented in SentimentSplitTest, which checks the committed files against it):
  1. Read amazon.json then imdb.json; drop the trailing {"text": "", "class": null} sentinel of each.
  2. Drop near-duplicates: key = lowercase text with every run of characters outside [a-z0-9]
     replaced by one space, stripped; the first occurrence (amazon before imdb, file order) is kept.
  3. Stratify by (source, label). In each stratum sort by sha256(f"{SEED}\t{source}\t{text}") (hex);
     the first floor(0.70 n + 0.5) go to train, the next floor(0.15 n + 0.5) to dev, the rest to test.
  4. Each split file lists its rows sorted by that same hash (sources and labels interleaved), one JSON
     object per line: {"text": ..., "label": 0|1, "source": "amazon"|"imdb"} (ASCII-escaped, as
     json.dumps does by default), "\n" line ends.
No randomness beyond the hash: the output depends only on the input files and SEED.
"""
import hashlib
import json
import os
import re

SEED = 20150810  # documented in data/README.md; changing it changes every split
TRAIN, DEV = 0.70, 0.15
SOURCES = ("amazon", "imdb")

HERE = os.path.dirname(os.path.abspath(__file__))


def norm_key(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def hash_key(source, text):
    return hashlib.sha256(f"{SEED}\t{source}\t{text}".encode("utf-8")).hexdigest()


def main():
    seen = set()
    strata = {}
    dropped = 0
    for source in SOURCES:
        with open(os.path.join(HERE, source + ".json"), encoding="utf-8") as f:
            rows = json.load(f)
        for r in rows:
            if r["class"] is None:
                assert r["text"] == "", r
                continue
            k = norm_key(r["text"])
            if k in seen:
                dropped += 1
                continue
            seen.add(k)
            strata.setdefault((source, r["class"]), []).append(r["text"])

    splits = {"train": [], "dev": [], "test": []}
    for (source, label), texts in sorted(strata.items()):
        texts = sorted(texts, key=lambda t: hash_key(source, t))
        n = len(texts)
        n_train = int(TRAIN * n + 0.5)
        n_dev = int(DEV * n + 0.5)
        for i, t in enumerate(texts):
            name = "train" if i < n_train else "dev" if i < n_train + n_dev else "test"
            splits[name].append((hash_key(source, t), {"text": t, "label": label, "source": source}))

    for name, rows in splits.items():
        rows.sort(key=lambda x: x[0])
        with open(os.path.join(HERE, name + ".jsonl"), "w", encoding="utf-8", newline="\n") as f:
            for _, row in rows:
                f.write(json.dumps(row) + "\n")
        counts = {}
        for _, row in rows:
            counts[(row["source"], row["label"])] = counts.get((row["source"], row["label"]), 0) + 1
        print(name, len(rows), dict(sorted(counts.items())))
    print("near-duplicates dropped:", dropped)


if __name__ == "__main__":
    main()
