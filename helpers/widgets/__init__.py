"""Interactive explorers: controls → compute (pure) → draw → a status line.

Each builder returns an :class:`Explorer`; a notebook cell is one call, e.g.
``neuron_explorer()``. Tests drive an explorer without a browser: set a
control's ``.value`` and read ``.result``, ``.status.value``, ``.figure`` and
``.image.value`` (the PNG the student sees). Every builder registers itself in
:data:`BUILDERS`, so the tests find new ones by themselves. One module per
notebook topic; each is imported here.
"""
from .explorer import BUILDERS, Explorer, builder, fmt, reuse_axes, slider
from .neuron import NeuronProbe, descent_explorer, neuron_explorer, sigmoid_explorer
from .graphs import backward_explorer
from .losses import activation_explorer, loss_race_explorer
from .optimizers import OptimizerProbe, optimizer_explorer
from .playground import playground_explorer
from .deep import gradient_health_dashboard
from .keras import keras_explorer
from .recurrent import gradient_through_time_explorer
from .scale import checkpoint_explorer, saliency_explorer

__all__ = [
    "BUILDERS", "Explorer", "builder", "fmt", "reuse_axes", "slider",
    "NeuronProbe", "descent_explorer", "neuron_explorer", "sigmoid_explorer",
    "backward_explorer",
    "activation_explorer", "loss_race_explorer",
    "OptimizerProbe", "optimizer_explorer",
    "playground_explorer",
    "gradient_health_dashboard",
    "keras_explorer",
    "gradient_through_time_explorer",
    "checkpoint_explorer", "saliency_explorer",
]
