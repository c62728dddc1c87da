"""The folder where the web processes of one ``mimamori serve --workers N`` share metrics.

prometheus_client's multiprocess mode: each process writes its counters to files
there, and the one answering /metrics sums them. The library picks the mode when
it is first imported, from PROMETHEUS_MULTIPROC_DIR, so the variable is set here
before uvicorn starts the processes (they inherit the environment). Files left by
an earlier run would be summed into this one's, so the folder starts empty.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def shared_metrics_dir(configured: Path | None) -> Iterator[Path]:
    """MIMAMORI_METRICS_DIR emptied of metrics files, or a fresh temporary folder removed
    afterwards; exported to the web processes for the duration of the block."""
    folder = (
        configured if configured is not None else Path(tempfile.mkdtemp(prefix="mimamori-metrics-"))
    )
    try:
        if configured is not None:
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob("*.db"):  # only the library's files: the folder may be shared
                stale.unlink()
        os.environ[MULTIPROC_VARIABLE] = str(folder)
        os.environ["MIMAMORI_METRICS_DIR"] = str(folder)
        yield folder
    finally:
        if configured is None:
            shutil.rmtree(folder, ignore_errors=True)
