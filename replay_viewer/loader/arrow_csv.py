"""The optional fast CSV parse through pyarrow (the ``data`` extra).

pyarrow's reader is multi-threaded and about four times faster than ``numpy.loadtxt`` on a
10-million-row file (docs/performance.md), so it is used when installed. It only ever
*accepts* files: on any refusal :func:`parse` returns None and numpy's reader reads the file
again, so what is accepted, and every error message, stay the same with or without pyarrow.
"""

from __future__ import annotations

import functools
import io
import os

import numpy as np

__all__ = ["available", "parse"]


@functools.cache
def available() -> bool:
    """pyarrow is importable, and not switched off (REPLAY_VIEWER_NO_PYARROW=1, for tests
    and benchmarks of the numpy path)."""
    if os.environ.get("REPLAY_VIEWER_NO_PYARROW"):
        return False
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def parse(
    data: bytes, start: int, width: int, time_col: int, value_col: int, *, text_time: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """The time column (float64, or str for text times) and the value column (float64,
    NaN for empty fields) of the data after the header; None if pyarrow refuses them."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [f"c{index}" for index in range(width)]
    time_name, value_name = names[time_col], names[value_col]
    read = pa_csv.ReadOptions(column_names=names, use_threads=True)
    convert = pa_csv.ConvertOptions(
        include_columns=[time_name, value_name],
        column_types={
            time_name: pa.string() if text_time else pa.float64(),
            value_name: pa.float64(),
        },
        null_values=[""],  # only an empty field is a gap, as with numpy
        strings_can_be_null=True,
    )
    try:
        # memoryview: no copy of the data after the header.
        table = pa_csv.read_csv(
            io.BytesIO(memoryview(data)[start:]), read_options=read, convert_options=convert
        )
    except (pa.ArrowException, ValueError):
        return None
    times = table.column(time_name)
    if text_time and times.null_count:
        return None  # an empty time: numpy's reader reports it at its row
    values = table.column(value_name).to_numpy()  # nulls become NaN
    if text_time:
        return np.asarray(times.to_numpy(zero_copy_only=False), dtype=str), values
    return times.to_numpy(), values
