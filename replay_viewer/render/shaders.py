"""WGSL sources: read from ``shaders/``, composed, compiled with positioned errors.

Every chart shader is the declarations generated from Python (the structs and constants of
``uniforms.py``, the marker shapes and sizes of ``style.py``), then ``common.wgsl`` (bindings
and shared functions), then its own file. Composition is plain concatenation (no
template variables), so a composed module is testable without a GPU and a compile error can
be mapped back to ``shaders/FILE.wgsl:LINE:COL``.
Set ``REPLAY_VIEWER_PRINT_WGSL=1`` to print the composed source when compilation fails.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._resources import resource_dir
from .style import wgsl_constants
from .uniforms import wgsl_declarations

if TYPE_CHECKING:
    import wgpu

__all__ = ["GENERATED_PART", "ComposedShader", "ShaderCompileError", "compile_shader", "compose"]

COMMON = "common.wgsl"
GENERATED_PART = "uniforms.py + style.py (generated)"


class ShaderCompileError(RuntimeError):
    """A WGSL module failed to compile; the message names the file and line."""


@dataclass(frozen=True)
class ComposedShader:
    name: str
    code: str
    # (first composed line, file name, line count) for each concatenated part
    parts: tuple[tuple[int, str, int], ...]

    def locate(self, composed_line: int) -> tuple[str, int]:
        """Map a 1-based line of the composed code to (file, line in that file)."""
        for first, name, count in self.parts:
            if first <= composed_line < first + count:
                return name, composed_line - first + 1
        return self.name, composed_line


@functools.cache
def read_source(name: str) -> str:
    return (resource_dir("shaders") / name).read_text(encoding="utf-8")


def generated_wgsl() -> str:
    """What Python declares for the shaders: structs, shared constants, the look's
    constants."""
    return wgsl_declarations() + wgsl_constants()


@functools.cache
def compose(name: str) -> ComposedShader:
    """Generated declarations + ``common.wgsl`` + ``name``, with a map from composed lines
    back to files."""
    parts = []
    chunks = []
    line = 1
    for part in (GENERATED_PART, COMMON, name):
        text = generated_wgsl() if part == GENERATED_PART else read_source(part)
        if not text.endswith("\n"):
            text += "\n"
        count = text.count("\n")
        parts.append((line, part, count))
        chunks.append(text)
        line += count
    return ComposedShader(name, "".join(chunks), tuple(parts))


_LOCATION_RE = re.compile(r"wgsl:(\d+):(\d+)")


def compile_shader(device: wgpu.GPUDevice, name: str) -> wgpu.GPUShaderModule:
    """Compile ``shaders/name`` (with common.wgsl); errors name the real file and line."""
    import wgpu

    shader = compose(name)
    try:
        return device.create_shader_module(label=name, code=shader.code)
    except wgpu.GPUError as exc:
        message = str(exc)
        match = _LOCATION_RE.search(message)
        where = f"shaders/{name}"
        if match:
            file, line = shader.locate(int(match.group(1)))
            where = f"shaders/{file}:{line}:{match.group(2)}"
        detail = next(
            (ln.strip() for ln in message.splitlines() if "error" in ln.lower() and "Shader" in ln),
            message.strip().splitlines()[-1] if message.strip() else "compile error",
        )
        if os.environ.get("REPLAY_VIEWER_PRINT_WGSL"):
            print(shader.code, file=sys.stderr)
        raise ShaderCompileError(f"{where}: error: {detail}") from exc
