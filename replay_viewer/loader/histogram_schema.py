"""The format's ``histograms`` list: latency histograms drawn as heatmaps, and the quantile
series (p50, p90, p99) derived from their buckets.

Each histogram reads a data file (:mod:`.histogram_files`); problems inside it are
positioned in the data file and name the ``file:`` key, as for series. Its quantiles are
ordinary series (``ID_p50``, ``ID_p99``…, marked with the histogram's id), so the legend,
the readings, thresholds and milestones treat them as any other line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..analysis.histograms import DEFAULT_QUANTILES, histogram_quantile, quantile_name
from ..model import Histogram, Series, hex_to_rgb
from .datafiles import (
    TIME_MODES,
    DataFileError,
    PathRefusedError,
    check_regular_file,
    resolve_data_path,
)
from .diagnostics import Diagnostic, shorten
from .histogram_files import BoundsError, HistogramRead, parse_bound, read_histogram_file
from .series_files import _Place, _resolved
from .series_schema import read_zone
from .yaml_nodes import Field, Invalid

if TYPE_CHECKING:
    import yaml

    from .series_files import DataContext
    from .series_schema import SeriesSchema
    from .yaml_nodes import NodeReader

__all__ = ["QUANTILE_COLORS", "HistogramSchema"]

# The quantile lines over a heatmap: warm colours, apart from the heatmap's cool ramp
# (render/heatmap_colors.py): amber p50, orange p90, rose p99.
QUANTILE_COLORS = ("#fbbf24", "#fb923c", "#f43f5e", "#e879f9")
_ID_RE = re.compile(r"[a-z0-9_-]+")
_SUFFIXES = (".csv", ".npy")


class HistogramSchema:
    """Reads the ``histograms`` list of one incident file (after its ``series``)."""

    def __init__(self, reader: NodeReader, data: DataContext, series: SeriesSchema) -> None:
        r = self.reader = reader
        self.data = data
        self.series = series
        self.fields = {
            "id": Field(r.text, required=True),
            "label": Field(r.text),
            "unit": Field(r.optional_text, default=""),
            "counts": Field(r.optional_text, default=""),
            "file": Field(lambda node, what: node, required=True),
            "buckets": Field(self.buckets),
            "cumulative": Field(r.boolean, default=True),
            "quantiles": Field(self.quantiles, default=DEFAULT_QUANTILES),
            "time": Field(lambda node, what: r.choice(node, what, TIME_MODES), default="auto"),
            "timezone": Field(lambda node, what: read_zone(r, node, what)),
        }

    def histogram_list(self, node: yaml.Node, what: str) -> tuple[tuple, tuple]:
        """``(histograms, their quantile series)``."""
        histograms: list[Histogram] = []
        derived: list[Series] = []
        for index, item in enumerate(self.reader.sequence(node, what) or []):
            found = self.reader.mapping(item, self.fields, f"histogram {index + 1}")
            if found is None:
                continue
            read = self.one_histogram(found, index)
            if read is not None:
                histograms.append(read[0])
                derived += read[1]
        return tuple(histograms), tuple(derived)

    def one_histogram(self, found: dict, index: int) -> tuple[Histogram, list[Series]] | None:
        r = self.reader
        what = f"histogram {index + 1}"
        histogram_id = self.histogram_id(found["id"], what) if "id" in found else None
        what = f"histogram '{histogram_id}'" if histogram_id else what
        rest = {key: value for key, value in self.fields.items() if key != "id"}
        values = r.fields(found, rest, what)
        if histogram_id is None or "file" not in found:
            return None
        if any(values[key] is None for key in ("cumulative", "quantiles", "time")):
            return None
        if "timezone" in found and values["timezone"] is None:
            return None
        # Its quantiles' ids count as read before its file: a threshold on the p99 of a
        # histogram whose file is broken is not a second error.
        lines = self.quantile_ids(histogram_id, values["quantiles"], found)
        contents = self.data_file(found, values, what)
        if contents is None:
            return None
        times, bounds, counts = contents
        histogram = Histogram(histogram_id, values["label"] or histogram_id, values["unit"],
                              values["counts"], times, bounds, counts)  # fmt: skip
        return histogram, self.quantile_series(histogram, lines)

    def histogram_id(self, node: yaml.Node, what: str) -> str | None:
        try:
            histogram_id = self.reader.text(node, f"{what} 'id'")
        except Invalid:
            return None
        if not _ID_RE.fullmatch(histogram_id):
            self.reader.error(
                node, f"histogram id {shorten(histogram_id)!r} may only use a-z, 0-9, '_' and '-'"
            )
            return None
        if histogram_id in self.series.ids:
            self.reader.error(
                node, f"histogram id '{histogram_id}' is already a series' (or histogram's) id"
            )
            return None
        self.series.ids.append(histogram_id)
        return histogram_id

    def quantile_ids(self, histogram_id: str, percents: tuple, found: dict) -> list:
        """(number, percent, series id) of each quantile line (``ID_p50``…); an id a series
        already has is an error at the histogram's ``id``."""
        lines = []
        for number, percent in enumerate(percents):
            name = quantile_name(percent)
            series_id = f"{histogram_id}_{name}"
            if series_id in self.series.ids:
                self.reader.error(
                    found["id"],
                    f"histogram '{histogram_id}' draws its {name} as series '{series_id}', "
                    "and a series already has that id; rename one",
                )
                continue
            self.series.ids.append(series_id)
            lines.append((number, percent, series_id))
        return lines

    def quantile_series(self, histogram: Histogram, lines: list) -> list[Series]:
        """The quantile lines: ordinary series marked with the histogram's id."""
        series = []
        for number, percent, series_id in lines:
            color = hex_to_rgb(QUANTILE_COLORS[number % len(QUANTILE_COLORS)])
            values = histogram_quantile(histogram, percent)
            label = f"{histogram.label} p{percent:g}"
            series.append(Series(series_id, label, histogram.unit, color, "left", None,
                                 histogram.times, values, histogram=histogram.id))  # fmt: skip
        return series

    def buckets(self, node: yaml.Node, what: str) -> tuple[tuple[float, ...], list]:
        """``[0.005, 0.01, …, +Inf]``: the bounds (and their nodes, to position errors)."""
        items = self.reader.sequence(node, what)
        if not items:
            if items is not None:
                self.reader.error(node, f"{what} must list at least one bucket bound")
            raise Invalid
        bounds = []
        for item in items:
            bound = parse_bound(str(self.reader.scalar(item, what)))
            if bound is None:
                self.reader.error(item, f"{what}: {shorten(str(item.value))!r} is not a bound "
                                  "(a number, or +Inf)")  # fmt: skip
                raise Invalid
            bounds.append(bound)
        return tuple(bounds), items

    def quantiles(self, node: yaml.Node, what: str) -> tuple[float, ...]:
        """Percents strictly between 0 and 100 (``[50, 90, 99, 99.9]``); ``[]`` for none."""
        percents = []
        for item in self.reader.sequence(node, what) or []:
            percent = self.reader.number(item, what)
            if not 0 < percent < 100:
                self.reader.error(item, f"{what}: {percent:g} is not a percent between 0 and 100")
                raise Invalid
            percents.append(percent)
        return tuple(dict.fromkeys(percents))

    # -- the data file ---------------------------------------------------------------------

    def data_file(self, found: dict, values: dict[str, Any], what: str):
        """(times, bounds, counts) of the histogram's file, or None (reported)."""
        r, node = self.reader, found["file"]
        try:
            name = r.text(node, f"{what} 'file'")
        except Invalid:
            return None
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        if suffix not in _SUFFIXES:
            r.error(node, f"{what} 'file' {shorten(name)!r} must end in .csv (a time column and "
                    "a column per bucket) or .npy (an (N, 1 + buckets) array)")  # fmt: skip
            return None
        buckets = values["buckets"]
        if (suffix == ".npy") != ("buckets" in found):
            message = (
                "a .npy file needs 'buckets' (its bounds)"
                if suffix == ".npy"
                else "'buckets' applies to .npy files: a CSV's header names its buckets"
            )
            r.error(found.get("buckets", node), f"{what}: {message}")
            return None
        if "buckets" in found and buckets is None:
            return None
        try:
            path = resolve_data_path(name, self.data.base, allow_outside=self.data.allow_outside)
            check_regular_file(path)
        except PathRefusedError as exc:
            r.error(node, f"{what} 'file': {exc}")
            return None
        except DataFileError as exc:
            r.error(node, f"{what} 'file': {exc.message}")
            return None
        self.data.files.append(_resolved(path))
        mark = node.start_mark
        shown = str(self.data.base / name) if self.data.base is not None else name
        place = _Place(path, suffix, shown,
                       f"{what} 'file' at {r.path}:{mark.line + 1}:{mark.column + 1}")  # fmt: skip
        read = HistogramRead(suffix, buckets[0] if buckets else None, values["cumulative"],
                             values["time"], self.data.started_at,
                             values["timezone"] or self.data.zone)  # fmt: skip
        return self.read_file(path, read, place, buckets, what)

    def read_file(self, path, read: HistogramRead, place: _Place, buckets, what: str):
        r = self.reader
        try:
            contents = read_histogram_file(path, read)
        except BoundsError as exc:
            if buckets is not None:  # .npy: the bounds are the YAML's
                r.error(buckets[1][exc.column], f"{what} 'buckets': {exc.message}")
            else:
                r.diagnostics.append(_header_diagnostic(path, exc, place))
            return None
        except DataFileError as exc:
            r.diagnostics.append(place.diagnostic(exc, "error"))
            return None
        except (OSError, MemoryError) as exc:
            problem = DataFileError(f"cannot read the file: {getattr(exc, 'strerror', exc)}")
            r.diagnostics.append(place.diagnostic(problem, "error"))
            return None
        for row, message in contents.notes:
            note = DataFileError(message, row=row, column=0)
            r.warnings.append(place.diagnostic(note, "warning"))
        return contents.times, contents.bounds, contents.counts


def _header_diagnostic(path, problem: BoundsError, place: _Place) -> Diagnostic:
    """A bound's problem at its field of the CSV's header row (line 1)."""
    with open(path, "rb") as file:
        header = file.readline().decode("utf-8-sig", errors="replace").rstrip("\r\n")
    column, offset = problem.column + 1, 0  # bound k is the header's field k + 1
    for _ in range(column):
        comma = header.find(",", offset)
        offset = len(header) if comma < 0 else comma + 1
    message = f"{problem.message} ({place.where})"
    return Diagnostic(1, offset + 1, message, place.shown, "error")
