"""Backprop Lab: the tested code the course notebooks import.

The math modules (``activations``, ``losses``, ``layers``, ``neuron``,
``gradcheck``, ``datasets``) need only numpy; ``plotting`` adds matplotlib and
``widgets`` adds ipywidgets. Importing any of them prints nothing, seeds
nothing and changes no global setting.
"""

__version__ = "0.1.0"
