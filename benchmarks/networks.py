"""Benchmarks of helpers.network: our numpy MLP beside PyTorch eager and numpy's own matmul.

Run ``python -m benchmarks.networks [repeats]`` from the repository root. Measured:

- the source text's network (1 → Dense(10, sigmoid) → Dense(1), MSE, Adam lr 0.01),
  one training step (forward, loss, backward, update) at batch 1 and batch 32;
- a deep ReLU net (width 128, depth 20, batch 256, float64), forward, MSE and backward
  (``Sequential.gradients``), in GFLOP/s of its matrix products, beside numpy
  multiplying the same matrices alone;
- an LSTM over a sequence (input and hidden 64, length 100, batch 32, float64), forward and
  backward through time (``helpers.recurrent``'s fast path, upstream gradient on every step),
  beside ``torch.nn.LSTM`` with the same weights;
- where PyTorch can be imported (optional, never required), the same networks in PyTorch
  eager with the same weights, timed in the same run, interleaved with ours.

How it is timed: ``time.perf_counter``, a warm-up, then ``repeats`` samples per
measurement and their median. A sample of a small network's step is the mean of 20
steps in a row, so the code runs warm as in a training loop; ours, PyTorch's and
numpy's runs take turns sample by sample, so a change in the machine's load hits them
alike. Both sides start from the same weights and are checked to compute the same
numbers. The matrix products are timed twice: on the same operands every time (hot in
the CPU's cache: numpy's best rate, the one the target refers to) and, as the network
does them, on a new array per layer (read back, colder, by the backward pass).

One thread everywhere, for a fair and repeatable comparison: before it imports numpy,
this module sets ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` and ``OMP_NUM_THREADS``
to 1 where they are unset, and it calls ``torch.set_num_threads(1)``. The variables only
act if they are set before numpy is first imported. When this process cannot have one
BLAS thread (a caller imported numpy first, as ``benchmarks/run.py`` does, or set a
variable to another value), ``BLAS_PINNED`` is False and :func:`network_benchmarks`
measures in a fresh Python process with the variables at 1: numpy's BLAS on two
threads beside PyTorch made the deep net forty times slower here.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
_unset = "1" if "numpy" not in sys.modules else None  # once numpy is loaded, setting them is too late
BLAS_PINNED = all(os.environ.get(v, _unset) == "1" for v in _THREAD_VARIABLES)
"""Whether numpy's BLAS runs on one thread in this process."""
for _variable in _THREAD_VARIABLES:
    os.environ.setdefault(_variable, "1")

import time  # noqa: E402  (the thread variables must be set before numpy is imported)

import numpy as np  # noqa: E402

from helpers.datasets import regression_1d  # noqa: E402
from helpers.losses import mse  # noqa: E402
from helpers.network import Dense, Sequential  # noqa: E402
from helpers.optimizers import Adam  # noqa: E402
from helpers.recurrent import init_lstm, lstm_backward_fast, lstm_forward_fast  # noqa: E402

DEEP_WIDTH, DEEP_DEPTH, DEEP_BATCH = 128, 20, 256
SEED_TARGET, DEEP_TARGET, MATMUL_TARGET = 0.15, 1.0, 0.70
LSTM_D, LSTM_H, LSTM_T, LSTM_BATCH, LSTM_TARGET = 64, 64, 100, 32, 1.5


def network_benchmarks(repeats=200):
    """Time the networks; return one dict per row of the table.

    Each row has ``name``, ``median_us`` and ``gflops`` (ours), ``torch_median_us``
    and ``torch_gflops`` (None without PyTorch), ``ratio``, ``target`` (which says
    what ``ratio`` divides) and ``met`` (None when it cannot be judged).
    ``repeats`` is the number of timed samples of each measurement.
    """
    if not BLAS_PINNED:
        return _in_fresh_process(repeats)
    torch = _import_torch()
    return [_seed_step_row(batch, repeats, torch) for batch in (1, 32)] + _deep_rows(repeats, torch) + [_lstm_row(repeats, torch)]


def _lstm_row(repeats, torch):
    """LSTM forward + backward through time; a sample is one call (about 0.1 s), so a tenth of the repeats (at least 5)."""
    rng = np.random.default_rng(0)
    params = init_lstm(LSTM_D, LSTM_H, rng)
    x, dh = rng.normal(size=(LSTM_BATCH, LSTM_T, LSTM_D)), rng.normal(size=(LSTM_BATCH, LSTM_T, LSTM_H))

    def ours():
        _, cache = lstm_forward_fast(x, params)
        return lstm_backward_fast(dh, cache)[2]

    runs = {"ours": ours}
    if torch is not None:
        lstm = torch.nn.LSTM(LSTM_D, LSTM_H, batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            lstm.weight_ih_l0.copy_(torch.from_numpy(params["W_x"].T.copy()))
            lstm.weight_hh_l0.copy_(torch.from_numpy(params["W_h"].T.copy()))
            lstm.bias_ih_l0.copy_(torch.from_numpy(params["b"]))
            lstm.bias_hh_l0.zero_()
        tx, tdh = torch.from_numpy(x), torch.from_numpy(dh)

        def torch_run():
            lstm.zero_grad(set_to_none=True)
            (lstm(tx)[0] * tdh).sum().backward()

        torch_run()
        _check_same("LSTM dW_h", ours()["W_h"], lstm.weight_hh_l0.grad.numpy().T)
        runs["torch"] = torch_run
    times = _median_us(runs, max(5, repeats // 10))
    name = f"LSTM fwd+bwd (H={LSTM_H}, T={LSTM_T}, N={LSTM_BATCH})" + ("" if torch is not None else ", torch absent")
    return _row(name, times, None, LSTM_TARGET, f"ours/torch ≤ {LSTM_TARGET}" + ("" if torch is not None else " (skipped: no torch)"))


def _in_fresh_process(repeats):
    """The rows, measured by ``python -m benchmarks.networks --json`` with one BLAS thread."""
    env = dict(os.environ, **{v: "1" for v in _THREAD_VARIABLES})
    command = [sys.executable, "-m", "benchmarks.networks", str(repeats), "--json"]
    done = subprocess.run(command, cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the network benchmarks failed in their own process:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _seed_step_row(batch, repeats, torch):
    rng = np.random.default_rng(0)
    model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    x, y = regression_1d(batch, rng)
    optimizer = Adam(0.01)
    steps = {"ours": lambda: model.train_step(x, y, mse, optimizer)}
    if torch is not None:
        net = _torch_mlp(torch, model.params, model.activations)
        torch_optimizer = torch.optim.Adam(net.parameters(), lr=0.01, eps=optimizer.eps)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)

        def torch_step():
            torch_optimizer.zero_grad()
            loss = _torch_mse(net(tx), ty)
            loss.backward()
            torch_optimizer.step()
            return loss.item()

        steps["torch"] = torch_step
        _check_same(f"seed-net losses, batch {batch}", [steps["ours"]() for _ in range(3)], [torch_step() for _ in range(3)])
    times = _median_us(steps, repeats, block=20)
    return _row(f"seed net train step, batch {batch}", times, None, SEED_TARGET, f"ours/torch ≤ {SEED_TARGET}")


def _deep_rows(repeats, torch):
    rng = np.random.default_rng(0)
    layers = [Dense(DEEP_WIDTH, "relu")] * (DEEP_DEPTH - 1) + [Dense(DEEP_WIDTH)]
    model = Sequential(layers, input_dim=DEEP_WIDTH, rng=rng, scale="he")
    x, y = rng.normal(size=(2, DEEP_BATCH, DEEP_WIDTH))
    # 2·N·D_in·D_out per product; 3 per layer (z = xW, dW = xᵀdz, dx = dz Wᵀ), minus the first layer's dx.
    flops = 2 * DEEP_BATCH * DEEP_WIDTH * DEEP_WIDTH * (3 * DEEP_DEPTH - 1)

    def ours():
        return model.gradients(x, y, mse)[1]

    weights = [model.params[f"W{l}"] for l in range(1, DEEP_DEPTH + 1)]
    runs = {"ours": ours, "hot": _hot_matmuls(weights, x, y), "spread": _network_matmuls(weights, x, y)}
    if torch is not None:
        net = _torch_mlp(torch, model.params, model.activations)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)

        def torch_run():
            net.zero_grad(set_to_none=True)
            _torch_mse(net(tx), ty).backward()

        torch_run()
        _check_same("deep-net dW1", ours()["W1"], net[0].weight.grad.numpy().T)
        runs["torch"] = torch_run
    times = _median_us(runs, repeats)
    deep = _row("deep net forward+loss+backward (128×20, N=256)", times, flops, DEEP_TARGET, f"ours/torch ≤ {DEEP_TARGET}")
    hot = _reference_row("numpy matmul alone, same operands (hot)", times["hot"], flops, deep["gflops"], MATMUL_TARGET)
    spread = _reference_row("numpy matmul alone, a new array per layer", times["spread"], flops, deep["gflops"], None)
    return [deep, hot, spread]


def _hot_matmuls(weights, x, dout):
    """The deep net's matrix products on the same operands every time, which stay in the
    CPU's cache: numpy's best rate at these shapes."""
    z, dW = np.empty_like(x), np.empty_like(weights[0])

    def run():
        for l, W in enumerate(weights):
            np.matmul(x, W, out=z)
            np.matmul(x.T, dout, out=dW)
            if l:
                np.matmul(dout, W.T, out=z)

    return run


def _network_matmuls(weights, x, dout):
    """The deep net's matrix products as the network does them (all layers 128 wide): each
    layer writes a new array that the backward pass reads back later."""
    zs, dWs = [np.empty_like(x) for _ in weights], [np.empty_like(W) for W in weights]
    ds = [np.empty_like(dout) for _ in range(2)]

    def run():
        a = x
        for W, z in zip(weights, zs):
            a = np.matmul(a, W, out=z)
        d = dout
        for l in range(len(weights) - 1, -1, -1):
            np.matmul((zs[l - 1] if l else x).T, d, out=dWs[l])
            if l:
                d = np.matmul(d, weights[l].T, out=ds[l % 2])

    return run


def _reference_row(name, time_us, flops, ours_gflops, target):
    rate = flops / time_us / 1e3
    return {
        "name": name,
        "median_us": time_us,
        "gflops": rate,
        "torch_median_us": None,
        "torch_gflops": None,
        "ratio": ours_gflops / rate,
        "target": f"ours/matmul GFLOP/s ≥ {target}" if target else "ours/matmul GFLOP/s, for reference",
        "met": ours_gflops / rate >= target if target else None,
    }


def _row(name, times, flops, target, target_text):
    torch_us = times.get("torch")
    ratio = times["ours"] / torch_us if torch_us else None
    return {
        "name": name,
        "median_us": times["ours"],
        "gflops": flops / times["ours"] / 1e3 if flops else None,
        "torch_median_us": torch_us,
        "torch_gflops": flops / torch_us / 1e3 if flops and torch_us else None,
        "ratio": ratio,
        "target": target_text,
        "met": None if ratio is None else ratio <= target,
    }


def _median_us(fns, repeats, block=1):
    """Median time of one call of each function in µs; a sample is the mean of ``block`` calls in a row."""
    samples = {name: [] for name in fns}
    for i in range(-max(3, repeats // 10), repeats):  # negative i: warm-up
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(block):
                fn()
            if i >= 0:
                samples[name].append((time.perf_counter() - start) / block)
    return {name: float(np.median(s)) * 1e6 for name, s in samples.items()}


def _import_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def _torch_mlp(torch, params, activations):
    """The same network in PyTorch, float64, starting from our weights."""
    modules = []
    for l, activation in enumerate(activations, start=1):
        W = params[f"W{l}"]
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))
            linear.bias.copy_(torch.from_numpy(params[f"b{l}"]))
        modules.append(linear)
        if activation:
            modules.append({"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}[activation]())
    return torch.nn.Sequential(*modules)


def _torch_mse(out, y):
    """helpers.losses.mse in PyTorch: ½ Σ (out − y)² / N."""
    return 0.5 * ((out - y) ** 2).sum() / out.shape[0]


def _check_same(what, ours, theirs):
    """Both sides must compute the same numbers, or the timings compare different work."""
    if not np.allclose(ours, theirs, rtol=1e-9, atol=1e-12):
        raise RuntimeError(f"{what} differ between ours and torch: {ours} vs {theirs}")


def _format(rows):
    def cell(value, spec):
        return "—" if value is None else format(value, spec)

    lines = [
        f"{'benchmark':44} {'ours µs':>10} {'GFLOP/s':>8} {'torch µs':>10} {'GFLOP/s':>8} {'ratio':>7}  target",
    ]
    for r in rows:
        met = {True: "met", False: "MISSED", None: "n/a"}[r["met"]]
        lines.append(
            f"{r['name']:44} {cell(r['median_us'], '10.1f')} {cell(r['gflops'], '8.1f')} "
            f"{cell(r['torch_median_us'], '10.1f')} {cell(r['torch_gflops'], '8.1f')} {cell(r['ratio'], '7.3f')}  "
            f"{r['target']}: {met}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Time helpers.network beside PyTorch and numpy's matmul.")
    parser.add_argument("repeats", nargs="?", type=int, default=200, help="timed samples per measurement")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    args = parser.parse_args()
    rows = network_benchmarks(args.repeats)
    if args.json:
        print(json.dumps(rows))
    else:
        torch = _import_torch()
        print(
            f"numpy {np.__version__}, torch {torch.__version__ if torch else 'not installed'}, one BLAS thread, "
            f"{args.repeats} repeats, medians, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print(_format(rows))
