"""Run the docstring Examples of every module in helpers, so the normal test run checks them."""
import doctest
import importlib
import pkgutil

import pytest

import helpers

MODULES = sorted(m.name[len("helpers."):] for m in pkgutil.walk_packages(helpers.__path__, "helpers."))


def test_the_math_modules_are_found():
    assert {"activations", "gradcheck", "layers", "losses", "neuron", "validation"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"helpers.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in helpers.{name}"
