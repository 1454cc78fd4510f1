"""Reading an explorer's figure and controls, for the headless widget tests."""
import numpy as np
import ipywidgets as widgets


def figure_data(figure):
    """Every array the figure draws: line data, images, bars and other patches (in data units), collections' paths."""
    arrays = []
    for ax in figure.axes:
        arrays += [np.asarray(line.get_xydata(), dtype=float) for line in ax.lines]
        arrays += [np.asarray(patch.get_patch_transform().transform(patch.get_path().vertices), dtype=float) for patch in ax.patches]
        arrays += [np.asarray(image.get_array(), dtype=float) for image in ax.images]
        for collection in ax.collections:
            arrays += [np.asarray(path.vertices, dtype=float) for path in collection.get_paths()]
    return arrays


def fingerprint(figure):
    """A comparable summary of what the figure shows."""
    return [a.round(9).tobytes() for a in figure_data(figure)]


def control_values(control):
    """A control's options, or its two ends (for a checkbox: both states, the other first)."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)):
        return [value for _, value in control.options] if isinstance(control.options[0], tuple) else list(control.options)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [not control.value, control.value]
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base**control.min, control.base**control.max]
    return [control.min, control.max]


def random_value(control, rng, p_end=0.25):
    """A random valid value: uniform over the slider (log-uniform for a log slider), or
    one of its ends with probability ``p_end``, where the trouble usually is; a random
    option or state for the other controls."""
    if not isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)) or rng.random() < p_end:
        choices = control_values(control)
        return choices[rng.integers(len(choices))]
    if isinstance(control, widgets.IntSlider):
        return int(rng.integers(control.min, control.max + 1))
    position = rng.uniform(control.min, control.max)  # for a log slider, the exponent
    return float(control.base**position if isinstance(control, widgets.FloatLogSlider) else position)


def set_together(explorer, values):
    """Set several controls (in the explorer's order) and recompute once, as after the
    last of a student's moves; ``values`` maps names to values or to ``f(control)``."""
    for control in explorer.controls.values():
        control.unobserve(explorer.update, names="value")
    try:
        for name, control in explorer.controls.items():
            if name in values:  # a callable is drawn now: a control's range may follow another's value
                control.value = values[name](control) if callable(values[name]) else values[name]
    finally:
        for control in explorer.controls.values():
            control.observe(explorer.update, names="value")
    explorer.update()


def other_value(control):
    """A valid value different from the control's current one."""
    for value in control_values(control):
        if value != control.value:
            return value
    raise AssertionError(f"control {control.description!r} has only one value")
