"""Explorers of notebook 09: checkpointing's memory and work, and saliency maps of a trained digits classifier."""
import functools
import html
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from ..attribution import METHODS, randomized_like, rank_correlation
from ..checkpointing import checkpoint_costs
from ..digits_classifier import digits_classifier
from ..scale_plots import MB, CheckpointPanels
from .explorer import Explorer, builder, panel_drawer, slider


def describe_costs(costs):
    """The numbers a student reads off the checkpointing explorer, and what happened at the ends."""
    ratio = costs.predicted_plain / costs.predicted_checkpointed
    lines = [
        f"depth {costs.depth}, segments of k = {costs.segment} layers ({-(-costs.depth // costs.segment)} checkpoints): "
        f"activations {costs.predicted_checkpointed / MB:.2f} MiB instead of {costs.predicted_plain / MB:.2f} MiB "
        f"(÷ {ratio:.1f}), for {costs.passes_checkpointed} layer passes instead of {costs.passes_plain}.",
        f"The fewest bytes for this depth: k = {costs.best} (√{costs.depth} ≈ {np.sqrt(costs.depth):.1f}). "
        "Left, blue: activations (predicted), grey: gradients, orange: measured peak; right: activations against k.",
    ]
    if costs.segment == 1 and costs.depth > 2:
        lines.append("At k = 1 every layer's input is a checkpoint: one array per layer instead of two, about half of plain backprop.")
    elif costs.segment == costs.depth and costs.depth > 2:
        lines.append("At k = depth the one segment is the whole net: recomputing it holds every cache again, as much memory as plain backprop, for one extra forward pass.")
    if costs.measured_plain is not None:
        lines.append(
            f"Measured with tracemalloc (gradients included): {costs.measured_plain / MB:.2f} MiB plain, "
            f"{costs.measured_checkpointed / MB:.2f} MiB checkpointed."
        )
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


@builder
def checkpoint_explorer(depth=32, segment=6, measured=False):
    """Depth and segment length → predicted (and, on request, measured) memory, work, and memory against k."""
    controls = {
        "depth": slider("depth L", depth, 2, 64, 1, integer=True),
        "segment": slider("segment k", segment, 1, 64, 1, integer=True),
        "measured": widgets.Checkbox(value=measured, description="also measure (tracemalloc)"),
    }
    return Explorer(controls, lambda depth, segment, measured: checkpoint_costs(depth, segment, measured=measured), panel_drawer(functools.partial(CheckpointPanels, legend=False), 3), describe_costs, figsize=(12, 3.6), persistent=True)


class SaliencyProbe(NamedTuple):
    """One digit, one method, trained or random weights: the map and how it compares with the other weights' map."""

    image: np.ndarray
    label: int
    predicted: int
    method: str
    randomized: bool
    attribution: np.ndarray
    correlation: float


@functools.lru_cache(maxsize=1)
def _random_params():
    return randomized_like(digits_classifier().params, np.random.default_rng(1))


def saliency_probe(index, method, randomized):
    """The map of ``method`` for test digit ``index`` (class: its true label), with trained or random weights."""
    model = digits_classifier()
    x, label = model.x_test[index : index + 1], int(model.y_test[index])
    maps = {}
    for random in (False, True):
        params = _random_params() if random else model.params
        maps[random] = METHODS[method](x, params, model.activation, np.array([label]))[0]
    logits = x @ model.params["W1"] + model.params["b1"]
    predicted = int(np.argmax(np.maximum(logits, 0) @ model.params["W2"] + model.params["b2"]))
    correlation = rank_correlation(np.abs(maps[False]), np.abs(maps[True]))
    return SaliencyProbe(x[0], label, predicted, method, bool(randomized), maps[bool(randomized)], correlation)


def describe_saliency(probe):
    weights = "random weights (the sanity check)" if probe.randomized else "the trained weights"
    verdict = "passes" if probe.correlation < 0.5 else "fails"
    line = (
        f"test digit {probe.label} (the network says {probe.predicted}); {probe.method} of the score of class {probe.label} "
        f"with {weights}. Rank correlation of the trained and the random map: {probe.correlation:.2f}, "
        f"so this map {verdict} the sanity check for this digit (below 0.5: it depends on the weights)."
    )
    return f"<p>{html.escape(line)}</p>"


def _saliency_drawer():
    artists = {}

    def draw(probe, figure):
        values = np.abs(probe.attribution).reshape(8, 8)
        top = max(float(values.max()), 1e-12)
        if not figure.axes:
            left, right = figure.subplots(1, 2)
            artists["image"] = left.imshow(probe.image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
            artists["map"] = right.imshow(values, cmap="magma", vmin=0, vmax=top)
            for ax in (left, right):
                ax.set_xticks([])
                ax.set_yticks([])
            artists["left"], artists["right"] = left, right
        artists["image"].set_data(probe.image.reshape(8, 8))
        artists["map"].set_data(values)
        artists["map"].set_clim(0, top)
        artists["left"].set_title(f"input (label {probe.label})")
        artists["right"].set_title(f"|{probe.method}|, {'random' if probe.randomized else 'trained'} weights")

    return draw


@builder
def saliency_explorer(index=0, method="saliency", randomized=False):
    """Test digit, attribution method, random weights on/off → the input and its attribution map."""
    n_test = len(digits_classifier().y_test)
    controls = {
        "index": slider("test digit #", index, 0, n_test - 1, 1, integer=True),
        "method": widgets.Dropdown(options=list(METHODS), value=method, description="method"),
        "randomized": widgets.Checkbox(value=randomized, description="randomized weights"),
    }
    return Explorer(controls, saliency_probe, _saliency_drawer(), describe_saliency, figsize=(6, 3.2), persistent=True)
