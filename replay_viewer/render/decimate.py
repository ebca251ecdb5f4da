"""Which samples to draw: all of them, or a few per pixel column (M4).

M4 (Jugel et al., VLDB 2014) keeps the first, lowest, highest and last sample of each pixel
column; a line through them covers the same pixels as a line through every sample, so a
10-million-sample series draws like a 1,000-sample one. The binning runs in tsdownsample
(Rust, SIMD, multi-threaded): about 5 ms for 10M samples on this project's 2-core CI
machine; see docs/performance.md for the measurement against numpy.

One bin per pixel column, as in the paper. Finer bins were measured (two, four and eight
per column) and bought almost nothing for the 2-px anti-aliased line (which reaches into
the next column, so M4 is not pixel-exact for it anyway) while doubling to quadrupling the
points drawn and the frame time; tests/test_decimation.py states how close the picture is.
A spike is always the extreme of its own bin, so it is never dropped. Series with gaps use
the NaN-aware M4, which keeps a bin's NaN so gaps stay gaps.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BINS_PER_COLUMN", "DECIMATE_ABOVE", "drawn_indices"]

BINS_PER_COLUMN = 1
# Samples per pixel column above which a series is decimated: M4 draws up to 4 per bin.
DECIMATE_ABOVE = 4 * BINS_PER_COLUMN


def drawn_indices(
    times: np.ndarray,
    values: np.ndarray,
    t_start: float,
    t_end: float,
    columns: int,
    *,
    has_gaps: bool,
) -> np.ndarray | None:
    """Sorted indices of the samples to draw for ``columns`` pixel columns over
    [``t_start``, ``t_end``]; None when every sample should be drawn (few enough)."""
    count = len(times)
    if count <= DECIMATE_ABOVE * max(columns, 1):
        return None
    # The visible samples, and one more on each side so the line reaches the edges.
    first = max(int(np.searchsorted(times, t_start, side="left")) - 1, 0)
    last = min(int(np.searchsorted(times, t_end, side="right")) + 1, count)
    if last - first <= DECIMATE_ABOVE * max(columns, 1):
        return np.arange(first, last)
    from tsdownsample import M4Downsampler, NaNM4Downsampler

    span = times[last - 1] - times[first]
    spanned = max(1, math.ceil(span / (t_end - t_start) * columns))
    bins = BINS_PER_COLUMN * spanned
    sampler = NaNM4Downsampler() if has_gaps else M4Downsampler()
    picked = sampler.downsample(times[first:last], values[first:last], n_out=4 * bins)
    picked = np.asarray(picked, dtype=np.int64) + first
    return np.union1d(picked, (first, last - 1))
