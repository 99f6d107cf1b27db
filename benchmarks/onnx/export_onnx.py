#!/usr/bin/python3
"""Export one-step LSTM/GRU graphs to ONNX for the ONNX Runtime comparison (BENCHMARKS.md).

Run from the repository root with Debian's PyTorch (python3-torch 1.13; the `onnx` Python
package is not needed: torch 1.13's TorchScript-based exporter writes the protobuf itself):

    /usr/bin/python3 benchmarks/onnx/export_onnx.py                 # -> benchmarks/target/onnx/
    /usr/bin/python3 benchmarks/onnx/export_onnx.py --out DIR       # somewhere else
    /usr/bin/python3 benchmarks/onnx/export_onnx.py --fixtures      # the tiny committed test
                                                # fixtures -> benchmarks/src/test/resources/onnx/

Models (weights from torch.manual_seed, PyTorch's default uniform(-1/sqrt(H), 1/sqrt(H)) init):

  <cell>_h<H>_d<D>     cell in {lstm, gru}, H in {64, 128, 256, 512}, D = 64; plus lstm H=512
                       D=300. A 1-layer nn.LSTM / nn.GRU run for one step, which the exporter
                       turns into Unsqueeze -> ONNX LSTM/GRU op -> Squeeze (ORT's fused kernels).
  sentiment_h128_d64   the shape OperatorThroughput streams: LSTM H=128, D=64, nn.Linear(128, 2)
                       and softmax on the new h.

For each model <name> three files are written:

  <name>.onnx          one step, batch axis dynamic ("batch"):
                         inputs  x (B, D) float32, h (B, H) [, c (B, H) for the LSTM]
                         outputs [probs (B, 2) for sentiment,] h_next (B, H) [, c_next (B, H)]
  <name>.safetensors   the same weights under the names TorchImporter reads with
                       rnn_prefix "rnn." (rnn.weight_ih_l0, ...; head.weight, head.bias),
                       written by hand (no dependency on the safetensors package)
  <name>.json          {"config": <TorchImporter config>, "steps": [...]}: a reference for two
                       consecutive steps of B=3 sequences from a random non-zero state; each step
                       holds its inputs (x, h[, c]) and PyTorch's outputs, all as nested lists.
                       Step 2 starts from step 1's outputs (state in, state out).
"""

import argparse
import json
import os
import sys
import warnings

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "models", "src", "test", "python"))
import make_torch_fixtures as _fixtures  # noqa: E402  (its safetensors writer)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "benchmarks", "target", "onnx")
FIXTURE_OUT = os.path.join(ROOT, "benchmarks", "src", "test", "resources", "onnx")
OPSET = 14
REF_BATCH = 3

torch.set_num_threads(1)


class Step(nn.Module):
    """One time step of a 1-layer LSTM/GRU with the state passed in and out.

    x (B, D), h (B, H)[, c (B, H)] -> [probs (B, K),] h_next (B, H)[, c_next (B, H)].
    The RNN is stored as `rnn` so its state_dict keys are rnn.weight_ih_l0 etc., exactly what
    TorchImporter reads with rnn_prefix "rnn.".
    """

    def __init__(self, cell, d, h, classes=0):
        super().__init__()
        self.cell = cell
        self.rnn = nn.LSTM(d, h) if cell == "lstm" else nn.GRU(d, h)
        self.head = nn.Linear(h, classes) if classes else None

    def forward(self, x, h, c=None):
        # (B, D) -> (1, B, D): a sequence of length 1; the state gets its layer axis.
        if self.cell == "lstm":
            _, (hn, cn) = self.rnn(x.unsqueeze(0), (h.unsqueeze(0), c.unsqueeze(0)))
            state = (hn.squeeze(0), cn.squeeze(0))
        else:
            _, hn = self.rnn(x.unsqueeze(0), h.unsqueeze(0))
            state = (hn.squeeze(0),)
        if self.head is None:
            return state
        return (torch.softmax(self.head(state[0]), dim=-1),) + state


def write_safetensors(path, tensors):
    """float32 safetensors, written by the parity-fixture generator's writer (one format, one writer)."""
    _fixtures.write_safetensors(path, tensors, "F32")


def export(out_dir, name, cell, d, h, classes=0, seed=0):
    torch.manual_seed(seed)
    model = Step(cell, d, h, classes).eval()
    state_names = ["h", "c"] if cell == "lstm" else ["h"]
    input_names = ["x"] + state_names
    output_names = (["probs"] if classes else []) + [s + "_next" for s in state_names]

    # Reference: two chained steps from a random non-zero state.
    gen = torch.Generator().manual_seed(seed + 1)
    xs = [torch.rand(REF_BATCH, d, generator=gen) * 2 - 1 for _ in range(2)]
    state = [torch.rand(REF_BATCH, h, generator=gen) * 2 - 1 for _ in state_names]
    steps = []
    with torch.no_grad():
        for x in xs:
            outs = model(x, *state)
            step = {"x": x.tolist()}
            step.update({n: s.tolist() for n, s in zip(state_names, state)})
            step.update({n: o.tolist() for n, o in zip(output_names, outs)})
            steps.append(step)
            state = list(outs[-len(state_names):])

    dynamic = {n: {0: "batch"} for n in input_names + output_names}
    # The exporter warns that the RNN op's unused sequence_lens input (a prim::Constant) has no
    # shape inference, and that a GRU exported with batch > 1 may fail at other batch sizes
    # unless the initial state is a graph input. It is an input here, so both are harmless.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, tuple([xs[0]] + state), os.path.join(out_dir, name + ".onnx"),
                          input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)

    config = {"cell": cell, "input_size": d, "hidden_size": h, "rnn_prefix": "rnn."}
    if classes:
        config["head"] = {"prefix": "head.", "activation": "softmax"}
    write_safetensors(os.path.join(out_dir, name + ".safetensors"), model.state_dict())
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump({"config": config, "inputs": input_names, "outputs": output_names,
                   "steps": steps}, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.join(out_dir, name) + ".{onnx,safetensors,json}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default=None, help="output directory (default %s)" % DEFAULT_OUT)
    p.add_argument("--fixtures", action="store_true",
                   help="write the tiny H=8 test fixtures instead of the benchmark models")
    args = p.parse_args()
    out = args.out or (FIXTURE_OUT if args.fixtures else DEFAULT_OUT)
    os.makedirs(out, exist_ok=True)
    if args.fixtures:
        for cell in ("lstm", "gru"):
            export(out, "%s_h8_d4" % cell, cell, 4, 8)
        export(out, "sentiment_h8_d4", "lstm", 4, 8, classes=2)
        return
    for cell in ("lstm", "gru"):
        for h in (64, 128, 256, 512):
            export(out, "%s_h%d_d64" % (cell, h), cell, 64, h)
    export(out, "lstm_h512_d300", "lstm", 300, 512)
    export(out, "sentiment_h128_d64", "lstm", 64, 128, classes=2)


if __name__ == "__main__":
    main()
