"""Time the course: every notebook, every widget callback, and the networks.

    python course.py bench [--quick]

Prints a table and writes benchmarks/results/latest.json. Timings are medians
over repeats on this machine; run it on a quiet machine (no other heavy jobs),
since a busy second core inflates everything.
"""
import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make devtools and benchmarks importable

import nbformat  # noqa: E402

from devtools.execute import execute  # noqa: E402
from helpers.widgets import BUILDERS  # noqa: E402

NOTEBOOK_TARGET_S = 10.0
COURSE_TARGET_S = 60.0
CALLBACK_TARGET_MS = 100.0


def percentile_ms(samples, q):
    return 1000 * float(np.percentile(samples, q))


def time_notebooks():
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        start = time.perf_counter()
        execute(nbformat.read(path, as_version=4), cwd=path.parent)
        seconds = time.perf_counter() - start
        rows.append({"name": path.name, "seconds": seconds, "target": f"< {NOTEBOOK_TARGET_S:g} s", "met": seconds < NOTEBOOK_TARGET_S})
    total = sum(r["seconds"] for r in rows)
    rows.append({"name": "whole course", "seconds": total, "target": f"< {COURSE_TARGET_S:g} s", "met": total < COURSE_TARGET_S})
    return rows


def time_widgets(repeats):
    """Per explorer: compute, draw (+ PNG render) and the whole callback, over every control."""
    rows = []
    rng = np.random.default_rng(0)
    for name, build in sorted(BUILDERS.items()):
        explorer = build()
        compute, draw, total = [], [], []
        name_of = {id(c): k for k, c in explorer.controls.items()}
        for control in explorer.controls.values():
            for _ in range(repeats):
                values = {**explorer.values(), name_of[id(control)]: _random_value(control, rng)}
                t0 = time.perf_counter()
                result = explorer.compute(**values)
                t1 = time.perf_counter()
                explorer.render(result)
                t2 = time.perf_counter()
                compute.append(t1 - t0)
                draw.append(t2 - t1)
                total.append(t2 - t0)
        median = 1000 * statistics.median(total)
        rows.append(
            {
                "name": name,
                "compute_median_ms": 1000 * statistics.median(compute),
                "draw_median_ms": 1000 * statistics.median(draw),
                "median_ms": median,
                "p95_ms": percentile_ms(total, 95),
                "samples": len(total),
                "target": f"median < {CALLBACK_TARGET_MS:g} ms",
                "met": median < CALLBACK_TARGET_MS,
            }
        )
    return rows


def _random_value(control, rng):
    if hasattr(control, "options"):  # a list of values, or of (label, value) pairs
        option = control.options[rng.integers(len(control.options))]
        return option[1] if isinstance(option, tuple) else option
    if isinstance(control.value, bool):
        return bool(rng.integers(2))
    value = rng.uniform(control.min, control.max)
    if hasattr(control, "base"):
        return control.base**value
    return int(round(value)) if isinstance(control.value, int) else float(value)


def time_networks(repeats):
    try:
        from benchmarks.networks import network_benchmarks
    except ImportError as exc:  # until the network benchmarks exist
        print(f"(network benchmarks skipped: {exc})")
        return []
    return network_benchmarks(repeats)


def print_table(title, rows):
    if not rows:
        return
    print(f"\n{title}")
    keys = [k for k in rows[0] if k != "name"]
    print("  " + "name".ljust(46) + "".join(k.rjust(20) for k in keys))
    for row in rows:
        cells = [f"{row[k]:.2f}" if isinstance(row[k], float) else str(row.get(k, "")) for k in keys]
        print("  " + str(row["name"]).ljust(46) + "".join(c.rjust(20) for c in cells))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "latest.json"))
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 15
    results = {
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpu": platform.processor() or platform.machine()},
        "notebooks": time_notebooks(),
        "widgets": time_widgets(repeats),
        "networks": time_networks(repeats),
    }
    print_table("Notebooks (seconds, top to bottom in a fresh kernel)", results["notebooks"])
    print_table("Widget callbacks (ms: compute, draw with PNG render, whole)", results["widgets"])
    print_table("Networks", results["networks"])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=float))
    print(f"\nwrote {out}")
    missed = [r["name"] for section in ("notebooks", "widgets", "networks") for r in results[section] if r.get("met") is False]
    print("targets missed: " + (", ".join(missed) if missed else "none"))


if __name__ == "__main__":
    main(sys.argv[1:])
