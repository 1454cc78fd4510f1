"""The gradient-health dashboard of notebook 07: vanishing and exploding gradients, live."""
import html

import ipywidgets as widgets

from ..deep import ACTIVATION_NAMES, INITS, describe_health, gradient_health
from ..deep_plots import HealthDashboard
from .explorer import Explorer, builder, panel_drawer, slider

CLIP_CHOICES = (("off", 0.0), ("0.1", 0.1), ("1", 1.0), ("10", 10.0))
"""The clipping thresholds the dashboard offers (global norm); 0 means off.

Not None for off: a Dropdown whose value is None shows no selection at all in the browser.
"""


def _describe_health(health):
    return "".join(f"<p>{html.escape(line)}</p>" for line in describe_health(health))


@builder
def gradient_health_dashboard(depth=20, activation="sigmoid", init="xavier", batchnorm=False, residual=False, clip=0.0):
    """Depth, activation, init, batch norm, residual, clipping → per-layer ‖dW‖, activation health, a short training run.

    The net is kept small (width 32, batch 64, 12 SGD steps) so a redraw stays quick.
    """
    controls = {
        "depth": slider("depth", depth, 2, 30, 1, integer=True),
        "activation": widgets.Dropdown(options=list(ACTIVATION_NAMES), value=activation, description="activation"),
        "init": widgets.Dropdown(options=list(INITS), value=init, description="init"),
        "batchnorm": widgets.Checkbox(value=batchnorm, description="batch norm"),
        "residual": widgets.Checkbox(value=residual, description="residual"),
        "clip": widgets.Dropdown(options=list(CLIP_CHOICES), value=clip, description="clip at"),
    }

    def compute(clip, **values):
        return gradient_health(**values, clip=clip or None, width=32, batch=64, steps=12, lr=0.02)

    return Explorer(controls, compute, panel_drawer(HealthDashboard, 3), _describe_health, figsize=(12, 3.6), persistent=True)
