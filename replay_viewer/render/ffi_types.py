"""Make wgpu-py's first use of each C struct type cheap (about 0.9 s of a 1.6 s boot).

wgpu-py (0.32) talks to wgpu-native through cffi in ABI mode: ``import wgpu`` parses the
whole C header once (~170 ms), and then every ``ffi.new("WGPUFoo *")`` with a type string
not seen before parses that string with pycparser. cffi (``cparser.Parser._parse``)
prefixes each such parse with ``typedef int NAME;`` for *every* typedef the header
declared, so pycparser knows which identifiers are types: ~440 declarations re-parsed
for a one-word type, ~13 ms each, and a boot touches ~70 struct types.

Only the typedef names that occur in the parsed text can change how it parses, so the
parse of a type string gets exactly those: the same result, ~0.3 ms. The change is to the
one parser instance of wgpu's FFI (no other cffi user is touched), applied once, and only
when cffi looks as expected; otherwise nothing changes. wgpu-py offers no compiled
(out-of-line) FFI module that would avoid this, nor a cache of parsed types.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

__all__ = ["speed_up_type_parsing"]

_WORD = re.compile(r"[A-Za-z_]\w*")
_TYPE_PARSE_PREFIX = "void __dummy(\n"  # cffi's parse_type_and_quals wraps a type so


def speed_up_type_parsing() -> bool:
    """Patch wgpu's FFI parser (once); True when the patch is in place."""
    try:
        from wgpu.backends.wgpu_native._ffi import ffi
    except ImportError:  # pragma: no cover - wgpu is a dependency
        return False
    parser = getattr(ffi, "_parser", None)
    if parser is None or not hasattr(parser, "_declarations") or not hasattr(parser, "_parse"):
        return False
    if getattr(parser, "_replay_viewer_fast_types", False):
        return True
    original = type(parser)._parse

    def parse(csource: str):
        if not csource.startswith(_TYPE_PARSE_PREFIX):
            return original(parser, csource)  # cdef() of new declarations: as before
        declared = parser._declarations
        names = {f"typedef {word}" for word in _WORD.findall(csource)}
        view = SimpleNamespace(
            _declarations={name: declared[name] for name in names if name in declared},
            convert_pycparser_error=parser.convert_pycparser_error,
        )
        return original(view, csource)

    parser._parse = parse
    parser._replay_viewer_fast_types = True
    return True
