"""Best-effort writes into `.cache/`: a cache file is complete or absent, and never fails a build.

The chart SVGs (playbook.charts), the brief builder's data (playbook.brief.builder_data) and the
post-build scan (playbook.linkcheck.scan_cache) are kept on disk only to save time: a temporary
file in the same folder is renamed over the old one, so a reader never sees half a file, and a
folder that cannot be written (a read-only checkout, a full disk) only costs the next build time.
Generated outputs that must exist use playbook.safe_output.atomic_write instead.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_cache_file(path: Path, text: str) -> bool:
    """Replace `path` with `text` whole; False (and nothing left behind) when it cannot be written."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
