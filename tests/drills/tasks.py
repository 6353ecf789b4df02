"""A long task for the worker-kill drill, until the office app's report build is there.

It writes a line per attempt (with the pool process id, so the drill knows whom to kill) and, at the
end, claims its result exactly once: an O_EXCL file stands in for a delivery row with a unique key."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.drills.long_build", acks_late=True, time_limit=120, soft_time_limit=110)
def long_build(folder: str, seconds: float = 6.0) -> str:
    path = Path(folder)
    with open(path / "attempts", "a", encoding="utf-8") as f:
        f.write(f"start {os.getpid()}\n")
    done = path / "done"
    if done.exists():  # already built by an earlier attempt: nothing to do
        return "already done"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        fd = os.open(done, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return "already done"
    with os.fdopen(fd, "w") as f:
        f.write(f"built by {os.getpid()}\n")
    with open(path / "attempts", "a", encoding="utf-8") as f:
        f.write(f"done {os.getpid()}\n")
    return "built"
