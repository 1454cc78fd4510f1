"""Run the docstring Examples of every module in helpers, so the normal test run checks them.

A module without examples would pass doctest vacuously, so it is not collected: it must
be listed in NO_EXAMPLES, and a collected module must hold examples that pass.
"""
import doctest
import importlib
import pkgutil
import types

import pytest

import helpers

NO_EXAMPLES = {
    "digits_classifier": "trains notebook 05's classifier once and caches it: test_attribution",
    "deep_plots": "drawing functions: tested on their figures' data in test_widgets_deep",
    "envcheck": "reports on the installed environment, which differs between machines: test_envcheck",
    "exercises": "the package of checkers; its modules are tested in test_exercises*",
    "exercises.deep": "checkers: tested in test_exercises*",
    "exercises.recurrent": "checkers: tested in test_exercises_recurrent",
    "exercises.scale": "checkers: tested in test_exercises_scale",
    "exercises.graphs": "checkers: tested in test_exercises*",
    "exercises.keras": "checkers: tested in test_exercises*",
    "exercises.layers": "checkers: tested in test_exercises*",
    "frameworks": "needs the optional PyTorch: test_keras_example",
    "optimizer_plots": "drawing functions: tested on their figures' data in test_widgets_optimizers",
    "recurrent_plots": "drawing functions: run by notebook 08 (strict nbval, stored figures compared)",
    "scale_plots": "drawing functions: tested on their figures' data in test_widgets_scale and notebook 09",
    "plotting": "drawing functions: tested on their figures' data in test_plotting*",
    "widgets": "explorers: driven headless in test_widgets* and test_widget_fuzz",
    "widgets.deep": "an explorer: driven headless in test_widgets_deep",
    "widgets.explorer": "the explorer class: driven headless in test_widgets*",
    "widgets.keras": "an explorer: driven headless in test_widgets_keras",
    "widgets.scale": "explorers: driven headless in test_widgets_scale",
    "widgets.graphs": "an explorer: driven headless in test_backward_explorer",
    "widgets.losses": "explorers: driven headless in test_widgets_losses",
    "widgets.neuron": "explorers: driven headless in test_widgets",
    "widgets.optimizers": "an explorer: driven headless in test_widgets_optimizers",
    "widgets.playground": "an explorer: driven headless in test_playground",
}
"""Modules left out of doctest collection, each with where it is tested instead."""

MODULES = sorted(m.name[len("helpers."):] for m in pkgutil.walk_packages(helpers.__path__, "helpers."))


def example_problem(module):
    """Why ``module``'s examples do not count as a pass, or None."""
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    if result.attempted == 0:
        return f"{module.__name__} has no examples: give it some, or list it in NO_EXAMPLES with the reason"
    if result.failed:
        return f"{result.failed} of {result.attempted} examples failed in {module.__name__}"
    return None


def test_the_math_modules_are_collected():
    collected = set(MODULES) - set(NO_EXAMPLES)
    assert {"activations", "gradcheck", "layers", "losses", "network", "neuron", "validation", "autograd"} <= collected


@pytest.mark.parametrize("name", [m for m in MODULES if m not in NO_EXAMPLES])
def test_docstring_examples(name):
    assert example_problem(importlib.import_module(f"helpers.{name}")) is None


@pytest.mark.parametrize("name", sorted(NO_EXAMPLES))
def test_a_module_left_out_has_no_examples_to_lose(name):
    assert name in MODULES, f"helpers.{name} no longer exists: take it off NO_EXAMPLES"
    found = doctest.DocTestFinder().find(importlib.import_module(f"helpers.{name}"))
    assert not any(test.examples for test in found), f"helpers.{name} has examples now: take it off NO_EXAMPLES"


def test_a_module_without_examples_does_not_pass():
    empty = types.ModuleType("empty", "A module whose docstring shows nothing to run.")
    assert example_problem(empty) == "empty has no examples: give it some, or list it in NO_EXAMPLES with the reason"


def test_a_wrong_example_fails():
    wrong = types.ModuleType("wrong", ">>> 1 + 1\n3\n")
    assert example_problem(wrong) == "1 of 1 examples failed in wrong"
