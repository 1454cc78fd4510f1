"""Tools for the course's authors: running, regenerating and converting notebooks.

Not imported by the notebooks; the course itself lives in ``helpers``.
"""
