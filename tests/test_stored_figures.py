"""Every stored figure is the figure the notebook draws now.

nbval compares text outputs only, so a figure could change while the prose beside it
still describes the old one. Here each notebook is re-executed in a fresh kernel (the
shared run of ``notebook_runs``, as regeneration executes it) and every stored
``image/png`` is compared with the fresh one by matplotlib's image comparison. On a
mismatch the stored, fresh and difference images are saved under ``tests/artifacts/``.
Cells tagged ``nbval-ignore-output`` are stored without outputs and are skipped.
"""
import base64
import io
import shutil
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from matplotlib.testing.exceptions import ImageComparisonFailure
from notebook_runs import NOTEBOOKS, strict_run

ARTIFACTS = Path(__file__).parent / "artifacts"
IGNORE_TAG = "nbval-ignore-output"

RMS_TOLERANCE = 0.5
"""Root-mean-square pixel difference allowed, on matplotlib's 0–255 scale.

This machine and CI reproduce every figure byte for byte (RMS 0). On another CPU,
numpy's SIMD ``exp`` and BLAS change the last bits of the plotted numbers, which moves
nothing by a visible fraction of a pixel: measured on a sigmoid plot, a relative change
of 1e-6 gives RMS 0 and one of 1e-4 gives 0.19, so 0.5 covers other CPUs. A real change
is far above it: a curve moved by a third of a pixel gives RMS 5, a 1 % change 14. A
matplotlib built from source (another FreeType) draws text differently and needs about
RMS 10; there regenerate the notebooks rather than loosen this.
"""


def figures(cells):
    """``{(cell number, output number): PNG bytes}`` of every compared figure."""
    found = {}
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or IGNORE_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for k, out in enumerate(cell.get("outputs", [])):
            if "image/png" in out.get("data", {}):
                found[i, k] = base64.b64decode(out["data"]["image/png"])
    return found


def figure_problems(stored_cells, fresh_cells, name, artifacts, workdir, tol=RMS_TOLERANCE):
    """What differs between the stored and the fresh figures, one line each (empty when
    none); for each differing figure its stored, fresh and diff PNGs go to ``artifacts``."""
    stored, fresh = figures(stored_cells), figures(fresh_cells)
    problems = []
    if stored.keys() != fresh.keys():
        problems.append(f"{name}: figures stored at (cell, output) {sorted(stored)}, drawn now at {sorted(fresh)}")
    for (i, k) in sorted(stored.keys() & fresh.keys()):
        stem = f"{name}-cell{i}-out{k}"
        paths = {which: Path(workdir) / f"{stem}-{which}.png" for which in ("stored", "fresh")}
        paths["stored"].write_bytes(stored[i, k])
        paths["fresh"].write_bytes(fresh[i, k])
        try:
            result = compare_images(paths["stored"], paths["fresh"], tol, in_decorator=True)
            message = None if result is None else f"RMS {result['rms']:.2f} > {tol}"
        except ImageComparisonFailure as error:  # different sizes: no diff image possible
            result, message = None, str(error)
        if message is None:
            continue
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copy(paths["stored"], artifacts / paths["stored"].name)
        shutil.copy(paths["fresh"], artifacts / paths["fresh"].name)
        if result is not None:
            shutil.copy(result["diff"], artifacts / f"{stem}-diff.png")
        problems.append(f"{name} cell {i} output {k}: {message}; see {artifacts / stem}-*.png")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_stored_figure_is_the_one_drawn_now(path, tmp_path):
    stored = nbformat.read(path, as_version=4).cells
    assert figure_problems(stored, strict_run(path).first_pass, path.stem, ARTIFACTS / path.stem, tmp_path) == []


def test_the_notebooks_store_figures_to_compare():
    assert sum(len(figures(nbformat.read(p, as_version=4).cells)) for p in NOTEBOOKS) >= 20


# --- negative controls ------------------------------------------------------------------------


def figure_cell(scale=1.0, size=(6.4, 4.8)):
    """A code cell holding one PNG as the inline backend stores it: a sigmoid, times ``scale``."""
    figure = Figure(figsize=size)
    ax = figure.subplots()
    z = np.linspace(-6, 6, 200)
    ax.plot(z, scale / (1 + np.exp(-z)))
    ax.set_title("σ(z)")
    png = io.BytesIO()
    with matplotlib.rc_context({"savefig.bbox": "tight"}):
        figure.savefig(png, format="png")
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png.getvalue()).decode()})]
    return cell


def test_the_same_figure_passes(tmp_path):
    assert figure_problems([figure_cell()], [figure_cell()], "same", tmp_path / "artifacts", tmp_path) == []


def test_a_one_percent_change_fails_and_saves_stored_fresh_and_diff(tmp_path):
    problems = figure_problems([figure_cell()], [figure_cell(scale=1.01)], "nb", tmp_path / "artifacts", tmp_path)
    assert len(problems) == 1 and problems[0].startswith("nb cell 0 output 0: RMS ")
    assert sorted(p.name for p in (tmp_path / "artifacts").iterdir()) == [
        "nb-cell0-out0-diff.png", "nb-cell0-out0-fresh.png", "nb-cell0-out0-stored.png"]


def test_a_resized_figure_fails(tmp_path):
    problems = figure_problems([figure_cell()], [figure_cell(size=(6, 4))], "nb", tmp_path / "artifacts", tmp_path)
    assert len(problems) == 1 and "size" in problems[0]
    assert len(list((tmp_path / "artifacts").iterdir())) == 2


def test_a_missing_or_extra_figure_fails(tmp_path):
    assert figure_problems([figure_cell()], [nbformat.v4.new_code_cell("plot()")], "nb", tmp_path, tmp_path) == [
        "nb: figures stored at (cell, output) [(0, 0)], drawn now at []"]
    assert len(figure_problems([], [figure_cell()], "nb", tmp_path, tmp_path)) == 1


def test_an_ignored_cell_is_not_compared(tmp_path):
    stored, fresh = figure_cell(), figure_cell(scale=2.0)
    stored.metadata["tags"] = fresh.metadata["tags"] = [IGNORE_TAG]
    assert figure_problems([stored], [fresh], "nb", tmp_path, tmp_path) == []


def test_a_notebook_figure_swapped_for_another_fails(tmp_path):
    """On a real run: the stored notebook with two of its figures exchanged must fail."""
    path = next(p for p in NOTEBOOKS if len(figures(nbformat.read(p, as_version=4).cells)) >= 2)
    stored = nbformat.read(path, as_version=4).cells
    (i, k), (j, m) = list(figures(stored))[:2]
    a, b = stored[i].outputs[k].data, stored[j].outputs[m].data
    a["image/png"], b["image/png"] = b["image/png"], a["image/png"]
    problems = figure_problems(stored, strict_run(path).first_pass, path.stem, tmp_path / "artifacts", tmp_path)
    assert len(problems) == 2, problems
