#!/usr/bin/python3
"""Generate PyTorch reference fixtures for the rnnstream torch importer.

Run from the repository root:

    /usr/bin/python3 models/src/test/python/make_torch_fixtures.py

For every case <name> two files are written to
models/src/test/resources/torch/:

  <name>.safetensors  the model's state_dict() in safetensors format
                      (written by hand, no dependency on the safetensors package)
  <name>.json         {"config": {...}, "carry": bool, "segments": [...]}

See models/src/test/resources/torch/README.md.
"""

import json
import os
import struct
import sys

import torch
from torch import nn

OUT_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torch"))

torch.set_num_threads(1)

CELLS = {
    "rnn_tanh": lambda **kw: nn.RNN(nonlinearity="tanh", **kw),
    "rnn_relu": lambda **kw: nn.RNN(nonlinearity="relu", **kw),
    "lstm": lambda **kw: nn.LSTM(**kw),
    "gru": lambda **kw: nn.GRU(**kw),
}

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


# --------------------------------------------------------------------------
# safetensors writer / reader (hand written)
# --------------------------------------------------------------------------

def tensor_bytes(t, dtype_name):
    t = t.detach().to(DTYPES[dtype_name]).contiguous()
    if dtype_name == "F32":
        flat = t.reshape(-1).tolist()
        return struct.pack("<%df" % len(flat), *flat)
    # F16 / BF16: reinterpret the 16-bit pattern as int16 and pack little-endian
    flat = t.reshape(-1).view(torch.int16).tolist()
    return struct.pack("<%dh" % len(flat), *flat)


def write_safetensors(path, state_dict, dtype_name):
    header = {}
    blobs = []
    offset = 0
    for name, t in state_dict.items():
        b = tensor_bytes(t, dtype_name)
        header[name] = {
            "dtype": dtype_name,
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(b)],
        }
        blobs.append(b)
        offset += len(b)
    header["__metadata__"] = {"format": "pt"}
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    out = {}
    end_max = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        end_max = max(end_max, e)
        chunk = data[b:e]
        numel = 1
        for s in info["shape"]:
            numel *= s
        if info["dtype"] == "F32":
            vals = torch.tensor(struct.unpack("<%df" % numel, chunk), dtype=torch.float32)
        else:
            ints = torch.tensor(struct.unpack("<%dh" % numel, chunk), dtype=torch.int16)
            vals = ints.view(DTYPES[info["dtype"]]).to(torch.float32)
        out[name] = (info["dtype"], vals.reshape(info["shape"]))
    assert end_max == len(data), "trailing / missing data in " + path
    return header, out


# --------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------

class Net(nn.Module):
    """Optional nn.Embedding -> RNN -> optional nn.Linear head.

    The RNN is stored under a (possibly nested) attribute path so that the
    state_dict prefix can be varied, e.g. "rnn." or "encoder.lstm.".
    """

    def __init__(self, rnn, rnn_prefix, emb=None, head=None, head_act="identity"):
        super().__init__()
        if emb is not None:
            self.emb = emb
        parts = rnn_prefix.rstrip(".").split(".")
        holder = self
        for p in parts[:-1]:
            sub = nn.Module()
            holder.add_module(p, sub)
            holder = sub
        holder.add_module(parts[-1], rnn)
        self._rnn = [rnn]  # plain list: not registered twice
        if head is not None:
            self.head = head
        self.has_emb = emb is not None
        self.has_head = head is not None
        self.head_act = head_act

    def forward(self, inp):
        x = self.emb(inp) if self.has_emb else inp
        y, _ = self._rnn[0](x)
        if self.has_head:
            y = self.head(y)
            if self.head_act == "softmax":
                y = torch.softmax(y, dim=-1)
            elif self.head_act == "sigmoid":
                y = torch.sigmoid(y)
            else:
                assert self.head_act == "identity"
        return y


ACTS = {
    "identity": lambda v: v,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
}


def custom_lstm_forward(lstm, x, cand_act, cell_act):
    """Explicit single-layer unidirectional LSTM loop with nn.LSTM's params.

    Gate order i, f, g, o:  c' = f*c + i*cand(g);  h = o*cellact(c').
    x: [1, T, input_size] -> [1, T, hidden_size]
    """
    assert lstm.num_layers == 1 and not lstm.bidirectional and lstm.batch_first
    H = lstm.hidden_size
    w_ih, w_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
    b = (lstm.bias_ih_l0 + lstm.bias_hh_l0) if lstm.bias else torch.zeros(4 * H)
    h = torch.zeros(H)
    c = torch.zeros(H)
    outs = []
    for t in range(x.shape[1]):
        z = w_ih @ x[0, t] + w_hh @ h + b
        i, f, g, o = z.split(H)
        i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
        c = f * c + i * ACTS[cand_act](g)
        h = o * ACTS[cell_act](c)
        outs.append(h)
    return torch.stack(outs).unsqueeze(0)


# --------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------

def case(name, cell, layers, bi, bias, *, inp=4, hid=5, head=None, head_bias=True,
         emb_vocab=None, dtype="F32", prefix="rnn.", custom=None, lens=None, init=0.8):
    return dict(name=name, cell=cell, layers=layers, bi=bi, bias=bias, inp=inp, hid=hid,
                head=head, head_bias=head_bias, emb_vocab=emb_vocab, dtype=dtype,
                prefix=prefix, custom=custom, lens=lens, init=init)


CASES = [
    # ---- structural coverage per cell: layers {1,2,3} x bi {T,F} x bias {T,F}
    case("rnn_tanh_l1_bias_uni", "rnn_tanh", 1, False, True, inp=3, hid=4),
    case("rnn_tanh_l2_nobias_uni", "rnn_tanh", 2, False, False),
    case("rnn_tanh_l3_bias_bi", "rnn_tanh", 3, True, True),
    case("rnn_tanh_l1_nobias_bi", "rnn_tanh", 1, True, False, inp=5, hid=4),

    case("rnn_relu_l1_bias_uni", "rnn_relu", 1, False, True),
    case("rnn_relu_l2_nobias_uni", "rnn_relu", 2, False, False, inp=3, hid=6),
    # smaller init: 3 stacked relu layers otherwise blow up / die
    case("rnn_relu_l3_bias_bi", "rnn_relu", 3, True, True, init=0.5),
    case("rnn_relu_l1_nobias_bi", "rnn_relu", 1, True, False),

    case("lstm_l1_bias_uni", "lstm", 1, False, True),
    # larger init: bias-free stacked LSTMs otherwise give outputs ~0.05
    case("lstm_l2_nobias_uni", "lstm", 2, False, False, inp=5, hid=4, init=1.5),
    case("lstm_l3_bias_bi", "lstm", 3, True, True, inp=3),
    case("lstm_l1_nobias_bi", "lstm", 1, True, False, hid=6),
    case("lstm_l3_nobias_uni", "lstm", 3, False, False, init=1.5),

    case("gru_l1_bias_uni", "gru", 1, False, True, inp=3, hid=6),
    case("gru_l2_nobias_uni", "gru", 2, False, False),
    case("gru_l3_bias_bi", "gru", 3, True, True, hid=4),
    case("gru_l1_nobias_bi", "gru", 1, True, False, inp=5),
    case("gru_l2_bias_bi", "gru", 2, True, True),

    # ---- heads
    case("lstm_l1_uni_head_identity", "lstm", 1, False, True, head=("identity", 3)),
    case("gru_l2_uni_head_softmax", "gru", 2, False, True, head=("softmax", 4)),
    case("rnn_tanh_l1_bi_head_sigmoid", "rnn_tanh", 1, True, True, head=("sigmoid", 3)),
    case("lstm_l2_bi_head_softmax", "lstm", 2, True, True, head=("softmax", 5)),
    case("gru_l1_uni_head_sigmoid_nobias", "gru", 1, False, True, head=("sigmoid", 2),
         head_bias=False),

    # ---- embedding front (ids input)
    case("lstm_l1_uni_emb", "lstm", 1, False, True, emb_vocab=10),
    case("gru_l1_bi_emb", "gru", 1, True, True, emb_vocab=10, inp=3),
    case("lstm_l2_uni_emb_head_softmax", "lstm", 2, False, True, emb_vocab=10,
         head=("softmax", 10)),

    # ---- nested prefix
    case("lstm_l2_uni_prefix_nested", "lstm", 2, False, True, prefix="encoder.lstm."),

    # ---- reduced-precision storage
    case("lstm_l2_uni_f16", "lstm", 2, False, True, dtype="F16"),
    case("gru_l2_uni_bf16", "gru", 2, False, True, dtype="BF16"),
    case("gru_l1_bi_head_identity_bf16", "gru", 1, True, True, head=("identity", 3),
         dtype="BF16"),

    # ---- custom activations (explicit loop, Java must honour config override)
    case("lstm_custom_cand_identity_cell_relu", "lstm", 1, False, True,
         custom=("identity", "relu")),
]

# segment lengths; sum 5-8 for carry cases, each 5-8 for independent ones
CARRY_LENS = [[3, 1, 4], [2, 5], [4, 2, 1], [1, 3, 2], [5, 2]]
INDEP_LENS = [[5, 7, 6], [8, 5], [6, 8, 5], [7, 5]]


def build(c):
    kw = dict(input_size=c["inp"], hidden_size=c["hid"], num_layers=c["layers"],
              bias=c["bias"], batch_first=True, bidirectional=c["bi"])
    rnn = CELLS[c["cell"]](**kw)
    emb = nn.Embedding(c["emb_vocab"], c["inp"]) if c["emb_vocab"] else None
    head = None
    head_act = "identity"
    if c["head"]:
        head_act, out = c["head"]
        head = nn.Linear(c["hid"] * (2 if c["bi"] else 1), out, bias=c["head_bias"])
    m = Net(rnn, c["prefix"], emb=emb, head=head, head_act=head_act)
    with torch.no_grad():
        for p in m.parameters():
            nn.init.uniform_(p, -c["init"], c["init"])
        if c["dtype"] != "F32":
            for p in m.parameters():
                p.data = p.data.to(DTYPES[c["dtype"]]).to(torch.float32)
    m.eval()
    return m, rnn


def config_of(c):
    cfg = {
        "cell": c["cell"],
        "input_size": c["inp"],
        "hidden_size": c["hid"],
        "num_layers": c["layers"],
        "bidirectional": c["bi"],
        "rnn_prefix": c["prefix"],
    }
    if c["head"]:
        cfg["head"] = {"prefix": "head.", "activation": c["head"][0]}
    if c["emb_vocab"]:
        cfg["embedding"] = {"prefix": "emb."}
    if c["custom"]:
        cfg["activations"] = {"candidate": c["custom"][0], "cell": c["custom"][1]}
    return cfg


def make_input(c, T):
    if c["emb_vocab"]:
        return torch.randint(0, c["emb_vocab"], (1, T))
    return torch.rand(1, T, c["inp"]) * 2 - 1


def rows(t):
    return [[float(v) for v in r] for r in t[0].tolist()]


def run(c, m, rnn, inp):
    with torch.no_grad():
        if c["custom"]:
            # sanity check: the explicit loop with standard activations == nn.LSTM
            ref = m(inp)
            chk = custom_lstm_forward(rnn, inp, "tanh", "tanh")
            assert torch.allclose(ref, chk, atol=1e-5), c["name"]
            return custom_lstm_forward(rnn, inp, *c["custom"])
        return m(inp)


def seg_entry(c, inp, y):
    e = {}
    if c["emb_vocab"]:
        e["ids"] = [int(v) for v in inp[0].tolist()]
    else:
        e["x"] = rows(inp)
    e["y"] = rows(y)
    return e


def generate(idx, c):
    torch.manual_seed(1000 + idx)
    m, rnn = build(c)
    carry = not c["bi"]
    segments = []
    if carry:
        lens = c["lens"] or CARRY_LENS[idx % len(CARRY_LENS)]
        inp = make_input(c, sum(lens))
        y = run(c, m, rnn, inp)
        start = 0
        for n in lens:
            segments.append(seg_entry(c, inp[:, start:start + n], y[:, start:start + n]))
            start += n
    else:
        lens = c["lens"] or INDEP_LENS[idx % len(INDEP_LENS)]
        for n in lens:
            inp = make_input(c, n)
            segments.append(seg_entry(c, inp, run(c, m, rnn, inp)))

    sd = m.state_dict()
    st_path = os.path.join(OUT_DIR, c["name"] + ".safetensors")
    write_safetensors(st_path, sd, c["dtype"])
    with open(os.path.join(OUT_DIR, c["name"] + ".json"), "w") as f:
        json.dump({"config": config_of(c), "carry": carry, "segments": segments}, f)
        f.write("\n")

    # verify the file round-trips exactly (params were pre-rounded for F16/BF16)
    header, back = read_safetensors(st_path)
    assert header["__metadata__"] == {"format": "pt"}
    assert list(back.keys()) == list(sd.keys()), (c["name"], list(back.keys()))
    for k, t in sd.items():
        dt, v = back[k]
        assert dt == c["dtype"]
        assert torch.equal(v, t.float()), (c["name"], k)
    return sd


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names)
    for idx, c in enumerate(CASES):
        sd = generate(idx, c)
        print("%-40s %s" % (c["name"], ", ".join(sd.keys())))
    # sanity: every axis value present per cell
    for cell in CELLS:
        cs = [c for c in CASES if c["cell"] == cell]
        assert {c["layers"] for c in cs} >= {1, 2, 3}, cell
        assert {c["bi"] for c in cs} == {True, False}, cell
        assert {c["bias"] for c in cs} == {True, False}, cell
    print("torch", torch.__version__, "->", OUT_DIR, file=sys.stderr)


if __name__ == "__main__":
    main()
