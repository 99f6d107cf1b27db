#!/usr/bin/python3
"""Plans the synthetic speech corpus: which text, voice, speed and pitch each utterance gets.

    /usr/bin/python3 data/speech/make_manifest.py --n 2000 --seed 1 --out data/speech/generated
    /usr/bin/python3 data/speech/make_manifest.py --extra 6400 --seed 1 --out data/speech/generated/extra

Writes OUT/manifest.jsonl, one line per utterance:
    {"wav": "wav/train/000001.wav", "text": "four two seven", "voice": "en-us+m3",
     "speed": 151, "pitch": 47, "split": "train"}
("wav" is relative to the manifest's directory), and prints the same plan as tab-separated lines
(wav, voice, speed, pitch, text) for synth.sh. Deterministic: the plan depends only on --n and
--seed (Python's random.Random, stable since Python 3.2).

With --extra N (N > 0) it plans instead a train-only corpus of N utterances (the "extra" corpus,
written by synth.sh into generated/extra/): every row has split "train" and a voice of
EXTRA_LANGS x EXTRA_FEMALE/EXTRA_MALE (espeak-ng variants that neither split uses), with wider
speed and pitch ranges. It draws from its own random stream (seeded with "extra:SEED"), so the main
corpus (--n, --seed) is exactly the same whether or not an extra corpus exists.

Speaker split: a voice is an espeak-ng language voice plus a variant. Test and dev voices are never
used in training: their language voices AND their variants are disjoint from the training ones.
"""
import argparse
import json
import os
import random

# espeak-ng 1.51 (Debian bookworm) English voices; mbrola voices are not installed.
TRAIN_LANGS = ["en-us", "en-gb", "en-gb-x-rp", "en-029"]
DEV_LANGS = ["en-gb-x-gbcwmd"]
TEST_LANGS = ["en-gb-scotland", "en-us-nyc", "en-gb-x-gbclan"]
TRAIN_VARIANTS = ["", "+m1", "+m3", "+m5", "+f1", "+f2"]
HELDOUT_VARIANTS = ["+m2", "+m4", "+f3", "+f4"]
SPLIT_FRACTIONS = [("train", 0.8), ("dev", 0.1), ("test", 0.1)]
# The extra train-only corpus. espeak-ng 1.51 ignores a variant after "en-gb" ("en-gb+m3" sounds
# exactly like "en-gb"; the main corpus has such voices), but not after "en", the same language
# voice (gmw/en), so the extra corpus writes "en". Variants: every male/female variant of
# `espeak-ng --voices=variant` except the held-out ones (HELDOUT_VARIANTS), those of the main
# training corpus (TRAIN_VARIANTS), and the whispering, robotic or effect voices (whisper,
# whisperf, croak, Demonic, announcer, fast, robosoft*, UniRobot, anikaRobot, "Mr serious").
EXTRA_LANGS = ["en-us", "en", "en-gb-x-rp", "en-029"]
EXTRA_FEMALE = ["Alicia", "Andrea", "Annie", "aunty", "belinda", "linda", "steph", "steph2",
                "steph3", "anika", "f5", "grandma"]
EXTRA_MALE = ["adam", "Alex", "Andy", "antonio", "benjamin", "boris", "caleb", "david", "Denis",
              "Diogo", "ed", "edward", "edward2", "Gene", "Gene2", "gustave", "Henrique", "Hugo",
              "iven", "iven2", "iven3", "iven4", "Jacky", "john", "kaukovalta", "Lee", "marcelo",
              "Marco", "Mario", "max", "Michael", "michel", "miguel", "Mike", "Nguyen", "pablo",
              "paul", "pedro", "quincy", "RicishayMax", "RicishayMax2", "RicishayMax3", "rob",
              "robert", "Storm", "Tweaky", "zac", "AnxiousAndy", "grandpa", "klatt", "klatt2",
              "klatt3", "klatt4", "klatt5", "klatt6", "m6", "m7", "m8", "norbert", "sandro",
              "shelby", "travis", "victor"]
EXTRA_FEMALE_P = 0.5  # dev and test voices are half female (+f3, +f4)
EXTRA_SPEED = (120, 200)
EXTRA_PITCH = (20, 80)
SPEED = (130, 190)  # espeak-ng -s, words per minute
PITCH = (30, 70)    # espeak-ng -p, 0..99

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
PHRASES = [
    "turn on the light", "turn off the light", "open the door", "close the door",
    "call my mother", "call home", "play some music", "stop the music", "next song",
    "volume up", "volume down", "what time is it", "set an alarm", "good morning",
    "good night", "hello there", "thank you", "yes please", "no thanks", "go left",
    "go right", "move forward", "move back", "start", "stop", "pause", "read my messages",
    "send a message", "where are you", "i am here", "come back soon", "it is cold outside",
    "it is hot today", "the red car is fast", "the blue door is open", "open the window",
    "turn up the heat", "what is the weather", "see you later", "please wait here",
]
DIGIT_FRACTION = 0.6
DIGIT_LEN = (1, 6)


def plan(n, seed):
    rnd = random.Random(seed)
    rows = []
    counts = {s: round(f * n) for s, f in SPLIT_FRACTIONS}
    counts["train"] = n - counts["dev"] - counts["test"]
    splits = [s for s, _ in SPLIT_FRACTIONS for _ in range(counts[s])]
    rnd.shuffle(splits)
    for i, split in enumerate(splits, start=1):
        langs = {"train": TRAIN_LANGS, "dev": DEV_LANGS, "test": TEST_LANGS}[split]
        variants = TRAIN_VARIANTS if split == "train" else HELDOUT_VARIANTS
        voice = rnd.choice(langs) + rnd.choice(variants)
        speed = rnd.randint(*SPEED)
        pitch = rnd.randint(*PITCH)
        if rnd.random() < DIGIT_FRACTION:
            text = " ".join(rnd.choice(DIGITS) for _ in range(rnd.randint(*DIGIT_LEN)))
        else:
            text = rnd.choice(PHRASES)
        rows.append({"wav": f"wav/{split}/{i:06d}.wav", "text": text, "voice": voice,
                     "speed": speed, "pitch": pitch, "split": split})
    return rows


def text_of(rnd):
    if rnd.random() < DIGIT_FRACTION:
        return " ".join(rnd.choice(DIGITS) for _ in range(rnd.randint(*DIGIT_LEN)))
    return rnd.choice(PHRASES)


def plan_extra(n, seed):
    """N train-only utterances of voices that the main corpus does not use (see EXTRA_*)."""
    rnd = random.Random(f"extra:{seed}")
    heldout_langs = set(DEV_LANGS + TEST_LANGS)
    heldout_variants = {v.lstrip("+") for v in HELDOUT_VARIANTS}
    assert not heldout_langs & set(EXTRA_LANGS)
    assert not heldout_variants & set(EXTRA_FEMALE + EXTRA_MALE)
    rows = []
    for i in range(1, n + 1):
        variants = EXTRA_FEMALE if rnd.random() < EXTRA_FEMALE_P else EXTRA_MALE
        voice = rnd.choice(EXTRA_LANGS) + "+" + rnd.choice(variants)
        speed = rnd.randint(*EXTRA_SPEED)
        pitch = rnd.randint(*EXTRA_PITCH)
        rows.append({"wav": f"wav/train/{i:06d}.wav", "text": text_of(rnd), "voice": voice,
                     "speed": speed, "pitch": pitch, "split": "train"})
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--extra", type=int, default=0,
                    help="plan N train-only utterances of extra voices instead (see plan_extra)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated"))
    a = ap.parse_args()
    rows = plan_extra(a.extra, a.seed) if a.extra > 0 else plan(a.n, a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "manifest.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    for r in rows:
        print("\t".join([r["wav"], r["voice"], str(r["speed"]), str(r["pitch"]), r["text"]]))


if __name__ == "__main__":
    main()
