"""Writing job outputs safely: into a fresh staging name, then renamed into place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_output(final: Path) -> Iterator[Path]:
    """A fresh path to write to; renamed to `final` when the block succeeds, removed if not.

    A run that is cut short and resumed writes to another staging name, so a stray thread of
    the first run can never overwrite the second run's result.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(f".{final.stem}-{secrets.token_hex(6)}{final.suffix}")
    try:
        yield staging
        os.replace(staging, final)
    finally:
        staging.unlink(missing_ok=True)
