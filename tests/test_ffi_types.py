"""wgpu's C types parse the same with the boot's faster type parsing (render/ffi_types.py)."""

from __future__ import annotations

import pytest

from replay_viewer.render.ffi_types import speed_up_type_parsing


def describe(ffi, name: str):
    ctype = ffi.typeof(name)
    fields = (
        [(f, t.type.cname, t.offset) for f, t in ctype.fields] if ctype.kind == "struct" else []
    )
    return ffi.sizeof(ctype), ctype.kind, ctype.cname, fields


def test_patched_parser_gives_the_same_types_and_still_rejects_unknown_ones():
    from cffi import FFI
    from wgpu.backends.wgpu_native._ffi import ffi, get_wgpu_header

    assert speed_up_type_parsing() and speed_up_type_parsing(), "idempotent"
    reference = FFI()
    reference.cdef(get_wgpu_header())
    typedefs = sorted(n[8:] for n in ffi._parser._declarations if n.startswith("typedef WGPU"))
    names = typedefs[::12]
    assert len(names) > 20
    for name in names:
        assert describe(ffi, name) == describe(reference, name), name
    pointer = ffi.new("WGPUTextureDescriptor *")
    assert ffi.typeof(pointer) is ffi.typeof("WGPUTextureDescriptor *")
    with pytest.raises(Exception, match="NotAWgpuType"):
        ffi.typeof("NotAWgpuType *")
