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


def control_values(control, rng, n_random=3):
    """The values a fuzzer tries for one control: its ends and a few random ones."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)):
        return [value for _, value in control.options] if isinstance(control.options[0], tuple) else list(control.options)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [not control.value, control.value]
    lo, hi = control.min, control.max
    values = [lo, hi] + list(rng.uniform(lo, hi, size=n_random))
    if isinstance(control, widgets.IntSlider):
        return [int(round(v)) for v in values]
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base**v for v in values]
    return [float(v) for v in values]


def other_value(control):
    """A valid value different from the control's current one."""
    for value in control_values(control, np.random.default_rng(0)):
        if value != control.value:
            return value
    raise AssertionError(f"control {control.description!r} has only one value")
