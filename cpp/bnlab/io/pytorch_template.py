# %% [markdown]
# # __BNLAB_TITLE__
#
# A bnlab run in PyTorch: the same networks as torch.nn modules, from the same initial weights,
# trained by torch.optim.SGD on the same mini-batches, so its numbers can be set beside bnlab's.
# Its data, its initial weights and the arms' first layers come from bnlab (embedded at the end);
# the mini-batch order and the noise of noisy BN and dropout come from a port of bnlab's own
# random generator, so they are bnlab's draws, bit for bit.
#
# As a script (the .py file bnlab writes, here called run.py; a notebook's code cells in order
# are the same script):
#
#     python3 run.py --steps 1000 --out history.json
#
# writes the recorded series in the shape `bnlab-run --steps 1000 config.json` writes them
# (`step`, and per arm `history.trainLoss`, `history.testAccuracy`, ...; the per-layer probes are
# bnlab's only). The same configuration gives the same batches and the same first gradients (to
# float32 rounding); later the two drift apart slowly, as float32 sums in another order do.
# Needs torch and numpy (`pip install torch numpy`; matplotlib, if installed, for the plot).
# Stable APIs from PyTorch 1.13.

# %%
import argparse
import base64
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# %% [markdown]
# ## The configuration
#
# bnlab's names, as in a share link or a configuration file for bnlab-run.

# %%
CONFIG = __BNLAB_CONFIG__
STEPS = __BNLAB_STEPS__  # steps to train unless --steps says otherwise

ARM_KINDS = ["plain", "bn-before", "bn-after", "ln-before", "bn-noisy", "dropout"]

# %% [markdown]
# ## bnlab's random generator
#
# xoshiro256** seeded through splitmix64, with Lemire's unbiased integers and Fisher-Yates
# shuffles: integer arithmetic, so Python gives the very numbers bnlab's C++ gives. Each use has
# its own stream: the mini-batch order (stream 4) and each arm's training noise (9 + 16 x the
# arm's kind), so an arm draws the same noise whichever arms run beside it.

# %%
MASK64 = (1 << 64) - 1


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK64


class Rng:
    def __init__(self, seed, stream=0):
        x = (seed ^ (stream * 0xD1B54A32D192ED03)) & MASK64
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK64
            z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            self.s.append(z ^ (z >> 31))

    def next(self):
        s = self.s
        result = (_rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def uniform(self, lo=0.0, hi=1.0):
        """Uniform in [lo, hi) from 53 random bits, in double precision as bnlab computes it."""
        return lo + (hi - lo) * ((self.next() >> 11) * 2.0**-53)

    def below(self, n):
        """Uniform integer in [0, n) without modulo bias."""
        m = (self.next() >> 32) * n
        if (m & 0xFFFFFFFF) < n:
            threshold = ((-n) & 0xFFFFFFFF) % n
            while (m & 0xFFFFFFFF) < threshold:
                m = (self.next() >> 32) * n
        return m >> 32

    def shuffle(self, items):
        for i in range(len(items), 1, -1):
            j = self.below(i)
            items[i - 1], items[j] = items[j], items[i - 1]


BATCH_STREAM = 4


def noise_stream(arm):
    return 9 + 16 * ARM_KINDS.index(arm)


class Batches:
    """Shuffled epochs without replacement; an epoch's last partial batch is dropped, so every
    batch has batchSize rows. Each epoch shuffles the previous epoch's order again."""

    def __init__(self, examples, size, seed):
        self.rng = Rng(seed, BATCH_STREAM)
        self.order = list(range(examples))
        self.cursor = examples
        self.size = size

    def next(self):
        if self.cursor + self.size > len(self.order):
            self.rng.shuffle(self.order)
            self.cursor = 0
        batch = self.order[self.cursor : self.cursor + self.size]
        self.cursor += self.size
        return batch


# %% [markdown]
# ## The data
#
# The training and test examples exactly as bnlab made them (in original units), and the
# standardization bnlab computed on the training set (0 and 1 when `standardize` is off):
# model input = (raw - mean) / std, in float32, as bnlab computes it.

# %%
def _array(entry, dtype):
    """base64 of little-endian values; or a table of float32 values with one byte per entry."""
    if isinstance(entry, dict):
        values = np.frombuffer(base64.b64decode(entry["values"]), "<f4")
        return values[np.frombuffer(base64.b64decode(entry["codes"]), np.uint8)]
    return np.frombuffer(base64.b64decode(entry), dtype)


def load_data():
    features = DATA["features"]
    mean = _array(DATA["inputMean"], "<f4")
    std = _array(DATA["inputStd"], "<f4")
    data = {}
    for split in ("train", "test"):
        raw = _array(DATA[split + "Raw"], "<f4").reshape(-1, features)
        data[split + "X"] = torch.from_numpy(((raw - mean) / std).astype(np.float32))
        data[split + "Y"] = torch.from_numpy(_array(DATA[split + "Y"], np.uint8).astype(np.int64))
    return data


def initial_weights():
    """Every layer's weight matrix as bnlab drew it, (in, out); every arm starts from these."""
    sizes = [DATA["features"], *CONFIG["hidden"], outputs()]
    return [
        _array(w, "<f4").reshape(n_in, n_out)
        for w, n_in, n_out in zip(DATA["weights"], sizes[:-1], sizes[1:])
    ]


def outputs():
    """Softmax has one output per class; bce and mse on two classes one output."""
    classes = DATA["classes"]
    return classes if CONFIG["loss"] == "softmax" or classes > 2 else 1


# %% [markdown]
# ## The networks
#
# Every arm is the same multi-layer perceptron; only the normalization (or the noise) differs.
# BN before the nonlinearity replaces the Linear layer's bias (BN's beta does its job), as in
# Ioffe & Szegedy. BatchNorm1d normalizes with the batch's biased variance and keeps running
# statistics with the unbiased one, as bnlab does. Noisy BN and dropout draw their noise from
# the arm's own stream of bnlab's generator before each training step (`draw`); every other
# forward pass (evaluation) has none.

# %%
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}


class NoisyBatchNorm1d(nn.BatchNorm1d):
    """BN, then Santurkar et al.'s noise: u = s * BN(z) + m with, per unit and per step,
    s ~ U(1 - scale, 1 + scale) and m ~ U(-shift, shift), the same for every example."""

    def __init__(self, width, eps, momentum, shift, scale):
        super().__init__(width, eps=eps, momentum=momentum)
        self.shift, self.scale = shift, scale
        self.s = self.m = None

    def draw(self, rng, rows):
        s, m = [], []
        for _ in range(self.num_features):
            s.append(rng.uniform(1.0 - self.scale, 1.0 + self.scale))
            m.append(rng.uniform(-self.shift, self.shift))
        self.s = torch.tensor(s, dtype=torch.float32)
        self.m = torch.tensor(m, dtype=torch.float32)

    def clear(self):
        self.s = self.m = None

    def forward(self, z):
        u = super().forward(z)
        return u if self.s is None else u * self.s + self.m


class Dropout(nn.Module):
    """Inverted dropout at rate p, as nn.Dropout(p), with bnlab's masks: each unit of each
    example is 0 with probability p, else 1 / (1 - p). (nn.Dropout(p) in its place draws torch's
    own masks: the run then agrees with bnlab's only on average.)"""

    def __init__(self, width, p):
        super().__init__()
        self.width, self.p = width, p
        self.mask = None

    def draw(self, rng, rows):
        keep = 1.0 / (1.0 - self.p)
        values = [0.0 if rng.uniform() < self.p else keep for _ in range(rows * self.width)]
        self.mask = torch.tensor(values, dtype=torch.float32).reshape(rows, self.width)

    def clear(self):
        self.mask = None

    def forward(self, a):
        return a if self.mask is None else a * self.mask


def make_network(arm):
    """[Linear -> (norm) -> activation (-> BN) (-> dropout)] x hidden layers -> Linear."""
    c = CONFIG
    norm_first = arm in ("bn-before", "ln-before", "bn-noisy")
    layers, n_in = [], DATA["features"]
    for width in c["hidden"]:
        layers.append(nn.Linear(n_in, width, bias=not norm_first))
        if arm == "bn-before":
            layers.append(nn.BatchNorm1d(width, eps=c["bnEps"], momentum=c["bnMomentum"]))
        elif arm == "bn-noisy":
            layers.append(
                NoisyBatchNorm1d(
                    width, c["bnEps"], c["bnMomentum"], c["bnNoiseShift"], c["bnNoiseScale"]
                )
            )
        elif arm == "ln-before":
            layers.append(nn.LayerNorm(width, eps=c["bnEps"]))
        layers.append(ACTIVATIONS[c["activation"]]())
        if arm == "bn-after":
            layers.append(nn.BatchNorm1d(width, eps=c["bnEps"], momentum=c["bnMomentum"]))
        elif arm == "dropout" and c["dropout"] > 0:
            layers.append(Dropout(width, c["dropout"]))
        n_in = width
    layers.append(nn.Linear(n_in, outputs()))
    net = nn.Sequential(*layers)
    linears = [m for m in net if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for linear, w in zip(linears, initial_weights()):
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
            if linear.bias is not None:
                linear.bias.zero_()
    return net


def noisy(net):
    return [m for m in net if isinstance(m, (NoisyBatchNorm1d, Dropout))]


# %% [markdown]
# ## The loss
#
# On the network's raw outputs, averaged over the batch: softmax cross-entropy; binary
# cross-entropy on a sigmoid of one output; or 1/2 (y - y_hat)^2 summed over the outputs
# (a 0/1 target for one output, one-hot otherwise).

# %%
def loss_fn(logits, y):
    if CONFIG["loss"] == "softmax":
        return F.cross_entropy(logits, y)
    if CONFIG["loss"] == "bce":
        return F.binary_cross_entropy_with_logits(logits[:, 0], y.float())
    target = y.float()[:, None] if logits.shape[1] == 1 else F.one_hot(y, logits.shape[1]).float()
    return 0.5 * ((logits - target) ** 2).sum(1).mean()


def predict(logits):
    if logits.shape[1] == 1:
        return (logits[:, 0] > (0.0 if CONFIG["loss"] == "bce" else 0.5)).long()
    return logits.argmax(1)


# %% [markdown]
# ## Evaluation
#
# In inference mode (`net.eval()`: BN uses its running statistics), and with batch statistics:
# the set in mini-batches of batchSize, each normalized with its own statistics as in training
# (a last single example joins the batch before it), the running statistics put back after.

# %%
def evaluate(net, x, y, batch_stats=False):
    with torch.no_grad():
        if not batch_stats:
            net.eval()
            logits = net(x)
        else:
            bns = [m for m in net if isinstance(m, nn.BatchNorm1d)]
            saved = [(m.running_mean.clone(), m.running_var.clone()) for m in bns]
            net.train()
            chunks, start, size = [], 0, CONFIG["batchSize"]
            while start < len(y):
                rows = min(size, len(y) - start)
                if len(y) - start - rows == 1:
                    rows += 1
                chunks.append(net(x[start : start + rows]))
                start += rows
            logits = torch.cat(chunks)
            for m, (mean, var) in zip(bns, saved):
                m.running_mean.copy_(mean)
                m.running_var.copy_(var)
        net.train()
        loss = loss_fn(logits, y).item()
        accuracy = (predict(logits) == y).sum().item() / len(y)
    return {"loss": loss, "accuracy": accuracy}


# %% [markdown]
# ## Training
#
# Every arm steps on the same mini-batch: its noise for the step, forward, loss, backward, SGD
# (v = momentum v + g; p -= learningRate v). An arm whose loss is not finite stops there, as in
# bnlab. Every recordEvery steps the series are recorded; like bnlab's history, at most 2048
# rows are kept: when full, every other row goes and records come half as often.

# %%
SERIES = [
    "batchLoss",
    "trainLoss",
    "trainAccuracy",
    "testLoss",
    "testAccuracy",
    "testLossBatchStats",
    "testAccuracyBatchStats",
]
HISTORY_ROWS = 2048


class Arm:
    def __init__(self, name):
        c = CONFIG
        self.name = name
        self.net = make_network(name)
        self.sgd = torch.optim.SGD(self.net.parameters(), lr=c["learningRate"], momentum=c["momentum"])
        self.noise = Rng(c["seed"], noise_stream(name)) if noisy(self.net) else None
        self.diverged_at = None
        self.loss_sum, self.loss_count = 0.0, 0

    def step(self, x, y, step):
        self.net.train()
        for m in noisy(self.net):
            m.draw(self.noise, len(y))
        loss = loss_fn(self.net(x), y)
        for m in noisy(self.net):
            m.clear()
        if not math.isfinite(loss.item()):
            self.diverged_at = step
            return
        self.sgd.zero_grad()
        loss.backward()
        self.sgd.step()
        self.loss_sum += loss.item()
        self.loss_count += 1

    def record(self, data):
        batch_loss = self.loss_sum / self.loss_count if self.loss_count else math.nan
        self.loss_sum, self.loss_count = 0.0, 0
        train = evaluate(self.net, data["trainX"], data["trainY"])
        test = evaluate(self.net, data["testX"], data["testY"])
        batch = evaluate(self.net, data["testX"], data["testY"], batch_stats=True)
        return [batch_loss, train["loss"], train["accuracy"], test["loss"], test["accuracy"],
                batch["loss"], batch["accuracy"]]


def train(steps, progress=None):
    """Trains every arm for `steps` steps; returns the run in bnlab-run's shape."""
    c = CONFIG
    data = load_data()
    arms = [Arm(name) for name in c["arms"]]
    batches = Batches(len(data["trainY"]), c["batchSize"], c["seed"])
    rows, stride = [], 1

    def record(step):
        nonlocal rows, stride
        if (step // c["recordEvery"]) % stride:
            return
        if len(rows) == HISTORY_ROWS:
            rows, stride = rows[::2], stride * 2
        rows.append([step, [arm.record(data) for arm in arms]])
        if progress:
            progress(step, arms, rows[-1][1])

    record(0)
    for step in range(1, steps + 1):
        batch = torch.tensor(batches.next())
        x, y = data["trainX"][batch], data["trainY"][batch]
        for arm in arms:
            if arm.diverged_at is None:
                arm.step(x, y, step)
        if step % c["recordEvery"] == 0:
            record(step)

    def number(v):
        return v if math.isfinite(v) else None

    return {
        "config": c,
        "steps": steps,
        "step": [row[0] for row in rows],
        "arms": [
            {
                "name": arm.name,
                "diverged": arm.diverged_at is not None,
                "divergedAt": arm.diverged_at,
                "final": {
                    "train": evaluate(arm.net, data["trainX"], data["trainY"]),
                    "test": evaluate(arm.net, data["testX"], data["testY"]),
                    "testBatchStats": evaluate(arm.net, data["testX"], data["testY"], batch_stats=True),
                },
                "history": {
                    name: [number(row[1][a][k]) for row in rows] for k, name in enumerate(SERIES)
                },
            }
            for a, arm in enumerate(arms)
        ],
    }


def summary(result):
    print(f"{'arm':<10} {'train loss':>10} {'test loss':>10} {'test accuracy':>14}")
    for arm in result["arms"]:
        f = arm["final"]
        state = f"  diverged at step {arm['divergedAt']}" if arm["diverged"] else ""
        print(
            f"{arm['name']:<10} {f['train']['loss']:>10.4f} {f['test']['loss']:>10.4f} "
            f"{100 * f['test']['accuracy']:>13.1f}%{state}"
        )


def plot(result):
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (the numbers are above).")
        return
    fig, (loss, accuracy) = plt.subplots(1, 2, figsize=(11, 4))
    for arm in result["arms"]:
        loss.plot(result["step"], arm["history"]["trainLoss"], label=arm["name"])
        accuracy.plot(result["step"], arm["history"]["testAccuracy"], label=arm["name"])
    loss.set(xlabel="step", ylabel="training loss", yscale="log")
    accuracy.set(xlabel="step", ylabel="test accuracy")
    loss.legend()
    plt.show()


# %% [markdown]
# ## The data and the initial weights, as bnlab made them
#
# base64 of little-endian float32 (labels: one byte each).

# %%
DATA = __BNLAB_DATA__

# %% [script]
def main():
    parser = argparse.ArgumentParser(description=__doc__ or "A bnlab run in PyTorch.")
    parser.add_argument("--steps", type=int, default=STEPS, help=f"steps to train (default {STEPS})")
    parser.add_argument("--out", help="write the recorded series to this file, as bnlab-run's JSON")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    result = train(args.steps)
    summary(result)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()

# %% [notebook]
result = train(STEPS)
summary(result)
plot(result)
