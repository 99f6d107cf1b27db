#!/usr/bin/python3
"""Reference log-mel features for LogMelExtractorTest, computed by torchaudio's Kaldi-compatible fbank.

    /usr/bin/python3 models/src/test/resources/io/rnnstream/models/audio/make_logmel_fixture.py

Needs Debian's python3-torch and python3-torchaudio (apt-get install -y python3-torchaudio); the
test itself only reads the committed logmel_fixture.json. The waveform is the WAV's int16 samples
divided by 32768 (what torchaudio.load returns), in float64 so the reference is double precision.
"""
import json
import os
import wave

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # name, wav, fbank options (everything not named is torchaudio's default)
    ("default", "four_two_seven.wav",
     dict(window_type="hanning", num_mel_bins=40, dither=0.0)),
    ("hamming_no_dc_no_preemphasis", "stop.wav",
     dict(window_type="hamming", num_mel_bins=23, dither=0.0, remove_dc_offset=False,
          preemphasis_coefficient=0.0, low_freq=64.0, high_freq=7600.0)),
    ("povey_negative_high_freq", "open_the_door.wav",
     dict(window_type="povey", num_mel_bins=40, dither=0.0, high_freq=-400.0)),
]


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == 16000
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def main():
    out = {"torch": torch.__version__, "torchaudio": torchaudio.__version__, "cases": []}
    for name, wav, opts in CASES:
        pcm = read_wav(os.path.join(HERE, wav))
        x = torch.from_numpy(pcm.astype(np.float64) / 32768.0).unsqueeze(0)
        feats = kaldi.fbank(x, sample_frequency=16000.0, frame_length=25.0, frame_shift=10.0, **opts)
        out["cases"].append({
            "name": name, "wav": wav, "options": opts, "samples": int(pcm.shape[0]),
            "frames": [[float("%.8g" % v) for v in row] for row in feats.tolist()],
        })
    with open(os.path.join(HERE, "logmel_fixture.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for c in out["cases"]:
        print(c["name"], len(c["frames"]), "frames x", len(c["frames"][0]))


if __name__ == "__main__":
    main()
