"""Run a notebook in a fresh kernel of this very environment, as the tests do."""
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager
from traitlets import default


class CurrentEnvKernelManager(KernelManager):
    """Starts ``sys.executable``'s own IPython kernel, whatever kernelspecs are installed."""

    @default("kernel_spec_manager")
    def _current_env_spec_manager(self):
        return NbvalKernelspecManager()


def execute(nb, cwd, timeout=600):
    """Execute ``nb`` in place with ``cwd`` as its working directory; returns it.

    Raises ``nbclient.exceptions.CellExecutionError`` naming the failing cell.
    Records no timing metadata and merges split stream outputs, so an unchanged
    notebook re-executes identically.
    """
    client = NotebookClient(
        nb,
        kernel_manager_class=CurrentEnvKernelManager,
        kernel_name=CURRENT_ENV_KERNEL_NAME,
        timeout=timeout,
        record_timing=False,
        coalesce_streams=True,  # one print stored as one output, however the kernel split it
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return nb
