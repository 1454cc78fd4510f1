"""Figures for notebook 08: the unrolled recurrent net, and gradient norms per time lag."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch


def plot_unrolled_rnn(T=4, ax=None):
    """Draw a tanh RNN unrolled over ``T`` steps: x_t → h_t → h_{t+1} forwards (black), the gradient backwards (red).

    The same ``W_xh`` and ``W_hh`` label every step: one set of weights, used T times.
    Returns the axes.
    """
    ax = ax or plt.gca()
    boxes = {}
    for t in range(1, T + 1):
        boxes[f"x{t}"] = (2.2 * t, 0.0, f"$x_{t}$", "#dbe9f6")
        boxes[f"h{t}"] = (2.2 * t, 1.6, f"$h_{t}$", "#eeeeee")
    boxes["h0"] = (0.0, 1.6, "$h_0$", "#eeeeee")
    boxes["L"] = (2.2 * T, 3.2, r"$\mathcal{L}$", "#f6dbdb")
    for x, y, text, colour in boxes.values():
        ax.add_patch(FancyBboxPatch((x - 0.45, y - 0.3), 0.9, 0.6, boxstyle="round,pad=0,rounding_size=0.1", facecolor=colour, edgecolor="0.3"))
        ax.text(x, y, text, ha="center", va="center", fontsize=12)

    def arrow(a, b, label, colour="0.2", offset=(0.0, 0.0), rad=0.0, where=0.5):
        (x0, y0), (x1, y1) = boxes[a][:2], boxes[b][:2]
        d = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
        start, end = np.array([x0, y0]) + d * 0.5 + offset, np.array([x1, y1]) - d * 0.5 + offset
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.4, "connectionstyle": f"arc3,rad={rad}"})
        if label:
            mid = start + where * (end - start)
            below = colour != "0.2"
            ax.text(mid[0], mid[1] + (-0.12 if below else 0.1), label, ha="center", va="top" if below else "bottom", fontsize=8, color=colour)

    for t in range(1, T + 1):
        arrow(f"x{t}", f"h{t}", "")
        ax.text(2.2 * t + 0.1, 0.8, "$W_{xh}$", fontsize=9, ha="left", va="center")
        arrow(f"h{t - 1}", f"h{t}", "$W_{hh}$", offset=(0.0, 0.1))
        arrow(f"h{t}", f"h{t - 1}", r"$\mathrm{diag}(1-h_{%d}^2)\,W_{hh}^\top$" % t, colour="tab:red", offset=(0.0, -0.12))
    arrow(f"h{T}", "L", "")
    ax.text(2.2 * T - 0.15, 2.4, r"$\partial\mathcal{L}/\partial h_{%d}$" % T, color="tab:red", ha="right", fontsize=10)
    ax.set_xlim(-0.8, 2.2 * T + 0.9)
    ax.set_ylim(-0.6, 3.8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("A tanh RNN unrolled: the same weights at every step; the gradient flows back (red)")
    return ax


def plot_lag_norms(norms_by_name, ax=None, title=None):
    """``norms_by_name``: name → ‖∂L/∂h_t‖ over t (T,), drawn against the lag T − t on a log scale. Returns the axes."""
    ax = ax or plt.gca()
    for name, norms in norms_by_name.items():
        norms = np.asarray(norms, dtype=float)
        ax.semilogy(np.arange(len(norms))[::-1], np.maximum(norms, 1e-300), label=name)
    ax.set(xlabel="lag T − t (steps back from the loss)", ylabel="‖∂L/∂h_t‖")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax
