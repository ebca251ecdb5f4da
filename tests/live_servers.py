"""Real servers for the live-import tests, started on 127.0.0.1 with their data in a temp
folder: a free port, the binary (skip without it, except in CI, where that is a failure),
and a process that is ready before the test and stopped after it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat().replace("+00:00", "Z")


def need_binary(name: str, package: str, *, tests: str = "the live import tests") -> str:
    """The binary's path; without it a skip, or in CI (``CI=true``) a failure."""
    found = shutil.which(name)
    if found:
        return found
    why = f"{name} is not installed (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}, and CI must run {tests}: see .ci/run")
    pytest.skip(why)


@contextlib.contextmanager
def running(command: list[str], ready_url: str, log: Path, *, ok=(200, 204)) -> Iterator[None]:
    """Run ``command`` until the block ends; ready when ``ready_url`` answers."""
    with open(log, "wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(ready_url, timeout=1) as answer:
                    if answer.status in ok:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"{command[0]} did not become ready:\n{text[-2000:]}")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post(url: str, body: bytes, content_type: str = "text/plain") -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status
