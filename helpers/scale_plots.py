"""Figures of notebook 09: checkpointing's memory and work, and attribution maps of digits."""
import matplotlib.pyplot as plt
import numpy as np

MB = 2**20


class CheckpointPanels:
    """Three panels built once and then only updated: memory bars, work bars, predicted memory against ``k``.

    Memory is in MiB: predicted activations with the gradients stacked on top, and
    the measured peak beside them (height 0 when not measured).
    """

    def __init__(self, axes, legend=True):
        self.memory, self.work, self.curve = axes
        self.activations = self.memory.bar([0, 1], [0, 0], width=0.4, color="tab:blue", label="activations (predicted)")
        self.gradients = self.memory.bar([0, 1], [0, 0], width=0.4, color="tab:gray", label="gradients")
        self.measured = self.memory.bar([0.42, 1.42], [0, 0], width=0.3, color="tab:orange", label="measured peak")
        self.memory.set_ylabel("MiB")
        self.memory.set_title("memory of forward + backward")
        if legend:
            self.memory.legend(loc="upper right", fontsize=7)
        self.passes = self.work.bar([0, 1], [0, 0], width=0.5, color=["tab:blue", "tab:green"])
        self.work.set_ylabel("layer forward passes")
        self.work.set_title("work (predicted)")
        (self.line,) = self.curve.plot([], [], color="tab:blue")
        self.plain = self.curve.axhline(0, color="gray", linestyle="--", linewidth=1)
        (self.point,) = self.curve.plot([], [], "o", color="tab:green")
        self.root = self.curve.axvline(1, color="tab:red", linewidth=1)
        self.curve.set_xlabel("segment length k")
        self.curve.set_ylabel("activations, MiB")
        self.memory.set_xticks([0, 1], ["plain", "k"])
        self.work.set_xticks([0, 1], ["plain", "k"])
        self.labels = None

    def update(self, costs):
        """Show ``costs`` (a ``helpers.checkpointing.CheckpointCosts``)."""
        labels = ["plain", f"k = {costs.segment}"]
        if labels != self.labels:  # new tick labels only when k changed: each costs a text layout
            self.memory.set_xticklabels(labels)
            self.work.set_xticklabels(labels)
            self.labels = labels
        activations = np.array([costs.predicted_plain, costs.predicted_checkpointed]) / MB
        grads = costs.gradient_bytes / MB
        measured = [0.0, 0.0] if costs.measured_plain is None else np.array([costs.measured_plain, costs.measured_checkpointed]) / MB
        for bar, a, m in zip(self.activations, activations, measured):
            bar.set_height(a)
        for bar, a in zip(self.gradients, activations):
            bar.set_y(a)
            bar.set_height(grads)
        for bar, m in zip(self.measured, measured):
            bar.set_height(m)
        top = max(activations[0] + grads, *measured)
        self.memory.set_ylim(0, 1.35 * top)
        for bar, p in zip(self.passes, [costs.passes_plain, costs.passes_checkpointed]):
            bar.set_height(p)
        self.work.set_ylim(0, 1.15 * costs.passes_checkpointed)
        ks = np.arange(1, costs.depth + 1)
        self.line.set_data(ks, costs.curve / MB)
        self.plain.set_ydata([costs.predicted_plain / MB] * 2)
        self.point.set_data([costs.segment], [costs.predicted_checkpointed / MB])
        self.root.set_xdata([np.sqrt(costs.depth)] * 2)
        self.curve.set_xlim(0.5, costs.depth + 0.5)
        self.curve.set_ylim(0, 1.1 * max(costs.curve.max(), costs.predicted_plain) / MB)
        self.curve.set_title(f"depth {costs.depth}: red line at √depth")


def plot_checkpoint_costs(costs, axes=None):
    """The three panels of :class:`CheckpointPanels` for ``costs``, on new axes or on three given ones."""
    if axes is None:
        axes = plt.subplots(1, 3, figsize=(12, 3.4), layout="constrained")[1]
    CheckpointPanels(axes).update(costs)
    return axes


def plot_attribution_maps(images, maps, titles, axes=None, signed=False):
    """Digit images (8×8) in the first row, one row of maps per method below; ``maps`` is a list of (N, 64)."""
    rows = 1 + len(maps)
    n = len(images)
    if axes is None:
        axes = plt.subplots(rows, n, figsize=(1.5 * n, 1.6 * rows), layout="constrained", squeeze=False)[1]
    for j in range(n):
        axes[0][j].imshow(np.reshape(images[j], (8, 8)), cmap="gray_r")
        for i, (m, title) in enumerate(zip(maps, titles), start=1):
            values = np.reshape(m[j], (8, 8))
            bound = max(np.max(np.abs(values)), 1e-12)
            if signed:
                axes[i][j].imshow(values, cmap="RdBu_r", vmin=-bound, vmax=bound)
            else:
                axes[i][j].imshow(np.abs(values), cmap="magma", vmin=0, vmax=bound)
            if j == 0:
                axes[i][j].set_ylabel(title, fontsize=8)
    for ax in np.ravel(axes):
        ax.set_xticks([])
        ax.set_yticks([])
    return axes
