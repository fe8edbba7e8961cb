"""One build at a time on a build folder: a second build stops with a clear message instead of writing the
same files. The lock is the operating system's (flock), so a build that is killed releases it at once."""
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "build.lock"


class BuildLocked(Exception):
    """Another build holds the lock on this build folder."""


@contextmanager
def build_lock(build_dir: Path):
    path = Path(build_dir) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise BuildLocked(f"another build is running in {build_dir} (process {holder}); wait for it to finish, "
                          "or build into another folder with --build-dir") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
