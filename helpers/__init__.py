"""Backprop Lab: the tested code the course notebooks import.

The math modules (``activations``, ``losses``, ``layers``, ``network``,
``optimizers``, ``neuron``, ``gradcheck``, ``datasets`` and the rest that import
neither) need only numpy; the drawing modules (``plotting`` and the ``*_plots`` /
``*_drawing`` modules) add matplotlib, and ``widgets`` adds ipywidgets. Importing any of them prints nothing, seeds
nothing and changes no global setting.
"""

__version__ = "0.1.0"
