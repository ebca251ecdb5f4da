"""How a long command ends early, and shows how far it got: SIGTERM handled like Ctrl+C, and
the progress bar of exports.

A signal handler's exception can be lost: raised while Python runs a finaliser (a wgpu
object's ``__del__``), it is printed as "Exception ignored" and the command runs on. So the
handler also notes the signal, and loops that run for long ask :func:`raise_if_terminated`
before each step.
"""

from __future__ import annotations

import signal
import sys

__all__ = ["progress_bar", "raise_if_terminated", "terminate_as_interrupt"]

_received: list[int] = []  # the SIGTERMs this process got


def terminate_as_interrupt() -> None:
    """SIGTERM (a CI timeout, a killed job) ends a command like Ctrl+C does: the partial PNG
    is removed and a sequence's frames.json still lists the finished frames."""

    def interrupt(signum, frame):
        _received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def raise_if_terminated() -> None:
    """KeyboardInterrupt if a SIGTERM came, even one whose own exception was lost."""
    if _received:
        raise KeyboardInterrupt


def progress_bar(label: str, total: int, initial: int = 0):
    """A tqdm bar on stderr (frames/s, ETA), silent when stderr is not a terminal.
    Returns ``on_progress(done, total)`` and a ``close()``."""
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        initial=initial,
        desc=label,
        unit="frame",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        dynamic_ncols=True,
        leave=True,
    )

    def update(done: int, total: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close
