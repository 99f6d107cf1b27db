#!/usr/bin/python3
"""Generate PyTorch reference fixtures for io.rnnstream.models.ctc.CtcLoss.

Run from the repository root:

    /usr/bin/python3 models/src/test/python/make_ctc_fixtures.py

Writes models/src/test/resources/ctc/ctc_loss.json: a list of cases, each

  {"name", "blank", "labels": [int], "logits": [[f]] (T, C), "logp": [[f]] (T, C),
   "loss": f (Infinity when impossible),
   "grad_logits":     [[f]]  d loss / d logits through log_softmax (autograd),
   "torch_grad_logp": [[f]]  what nn.CTCLoss reports as d loss / d log_probs,
   "torch_grad_nan":  bool   (impossible cases: PyTorch's gradient is NaN, not written)}

Everything in float64 (nn.CTCLoss, reduction="sum" over a batch of one, zero_infinity=False).
Deterministic: torch.manual_seed(2000 + case_index).
"""

import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "resources", "ctc", "ctc_loss.json"))

torch.set_num_threads(1)

# (name, T, C, blank, labels)
CASES = [
    ("basic", 6, 4, 0, [1, 2, 3]),
    ("repeated_labels", 7, 3, 0, [1, 1, 2, 2]),
    ("repeats_minimal_length", 5, 3, 0, [2, 2, 2]),  # needs exactly 3 + 2 frames
    ("empty_labels", 5, 4, 0, []),
    ("single_frame", 1, 3, 0, [2]),
    ("blank_last", 6, 4, 3, [0, 2, 2, 1]),
    ("blank_middle", 8, 5, 2, [0, 1, 3, 4, 3]),
    ("long", 40, 6, 0, [1, 2, 3, 3, 4, 5, 1, 1, 2, 5, 4, 3]),
    ("peaky", 12, 5, 0, [4, 3, 3, 1]),  # large logits: near-deterministic frames
    ("impossible_too_short", 2, 3, 0, [1, 1]),
    ("impossible_t_less_than_labels", 2, 5, 0, [1, 2, 3]),
]


def run_case(index, name, t, c, blank, labels):
    torch.manual_seed(2000 + index)
    scale = 6.0 if name == "peaky" else 1.5
    logits = (torch.randn(t, 1, c, dtype=torch.float64) * scale).requires_grad_(True)
    logp = F.log_softmax(logits, dim=-1)
    targets = torch.tensor([labels], dtype=torch.long) if labels else torch.zeros(1, 0, dtype=torch.long)
    args = dict(input_lengths=torch.tensor([t]), target_lengths=torch.tensor([len(labels)]),
                blank=blank, reduction="sum", zero_infinity=False)
    loss = F.ctc_loss(logp, targets, **args)
    loss.backward()
    grad_logits = logits.grad[:, 0].tolist()

    # nn.CTCLoss's own gradient with respect to log_probs, as a leaf
    lp_leaf = logp.detach().clone().requires_grad_(True)
    F.ctc_loss(lp_leaf, targets, **args).backward()
    torch_grad_logp = lp_leaf.grad[:, 0]

    case = {
        "name": name,
        "blank": blank,
        "labels": labels,
        "logits": logits.detach()[:, 0].tolist(),
        "logp": logp.detach()[:, 0].tolist(),
        "loss": loss.item(),
    }
    impossible = math.isinf(loss.item())
    case["torch_grad_nan"] = bool(torch.isnan(torch_grad_logp).any().item())
    if not impossible:
        case["grad_logits"] = grad_logits
        case["torch_grad_logp"] = torch_grad_logp.tolist()
    return case


def main():
    cases = [run_case(i, *spec) for i, spec in enumerate(CASES)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        # allow_nan: the impossible cases' loss is written as the token Infinity
        json.dump({"torch": torch.__version__, "cases": cases}, f, allow_nan=True)
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
