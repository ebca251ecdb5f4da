"""Baselines without a GPU: the loader (inline, mapping and data-file baselines, their
positioned errors, the overlap warning, ``baseline_shift`` alone), the worse side and the
"vs baseline" numbers, the importers' writer, and the baseline's records for the GPU (its
style slot, dashed desaturated line, the worse band's columns)."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from replay_viewer.analysis.baselines import (
    baseline_delta,
    format_ratio,
    format_vs_baseline,
    worse_side,
)
from replay_viewer.importers.common import ImportedSeries
from replay_viewer.importers.writer import INLINE_SAMPLES, IncidentDraft, render_incident
from replay_viewer.loader import IncidentLoadError, load_incident, parse_incident
from replay_viewer.model import Baseline, Incident, Series, Threshold
from replay_viewer.timecode import TimecodeError, format_shift, parse_shift

from .conftest import REPO


def incident_text(series: str, rest: str = "") -> str:
    return "format: incident-replay/1\ntitle: t\nseries:\n" + textwrap.dedent(series) + rest


def parsed(series: str, rest: str = "", **options) -> Incident:
    return parse_incident(incident_text(series, rest), path="i.yaml", **options)


def problems(series: str, rest: str = "") -> list[str]:
    with pytest.raises(IncidentLoadError) as info:
        parsed(series, rest)
    return [str(d) for d in info.value.diagnostics]


P99 = """\
  - id: p99
    unit: ms
    samples: [[0, 80], [10, 400], [20, 900], [30, 120]]
"""

# -- the loader ------------------------------------------------------------------------------


def test_inline_baseline_and_its_shift():
    incident = parsed(P99 + "    baseline_shift: 1w\n    baseline: [[0, 80], [10, 90], "
                      "[20, 100], [30, 100]]\n")  # fmt: skip
    baseline = incident.series[0].baseline
    assert baseline.shift == 7 * 86400
    assert baseline.times.tolist() == [0, 10, 20, 30]
    assert baseline.values.tolist() == [80, 90, 100, 100]
    assert not baseline.values.flags.writeable
    assert incident.warnings == ()


def test_baseline_as_a_mapping_of_samples_with_gaps_and_repairs():
    incident = parsed(P99 + "    baseline:\n      samples: [[0, 80], [20, null], [10, 90], "
                      "[30, 70]]\n")  # fmt: skip
    baseline = incident.series[0].baseline
    assert baseline.times.tolist() == [0, 10, 20, 30]
    assert np.isnan(baseline.values[2]) and baseline.shift is None
    (warning,) = incident.warnings
    assert warning.startswith("i.yaml:8:37: warning: series 'p99' 'baseline' 'samples': 1 sample")


@pytest.mark.parametrize("suffix", ["csv", "npy"])
def test_baseline_from_a_data_file(tmp_path, suffix):
    data = tmp_path / f"last-week.{suffix}"
    if suffix == "csv":
        data.write_text("t,v\n0,80\n10,85\n20,90\n30,95\n", encoding="utf-8")
    else:
        np.save(data, np.array([[0, 80], [10, 85], [20, 90], [30, 95]], dtype=np.float64))
    path = tmp_path / "i.yaml"
    path.write_text(incident_text(P99 + f"    baseline: {{file: last-week.{suffix}}}\n"),
                    encoding="utf-8")  # fmt: skip
    incident = load_incident(path)
    assert incident.series[0].baseline.values.tolist() == [80, 85, 90, 95]
    assert data.resolve() in incident.data_files  # a window reloads when it changes


def test_baseline_errors_are_positioned(tmp_path):
    assert problems(P99 + "    baseline: [[0, 80], [10, fast]]\n") == [
        "i.yaml:7:28: error: series 'p99' 'baseline' sample 2 value must be a number, got "
        "the text 'fast'"
    ]
    assert problems(P99 + "    baseline: {samples: [[0, 1]], colour: red}\n") == [
        "i.yaml:7:33: error: unknown key 'colour' in series 'p99' 'baseline' (did you mean "
        "'columns'?)"
    ]
    assert problems(P99 + "    baseline: {file: b.csv, samples: [[0, 1]]}\n") == [
        "i.yaml:7:20: error: series 'p99' 'baseline' gives both 'samples' and 'file'; keep one"
    ]
    assert problems(P99 + "    baseline: 12\n") == [
        "i.yaml:7:13: error: series 'p99' 'baseline' must be [time, value] pairs or a mapping "
        "with 'samples' or 'file', got a number (12)"
    ]
    assert problems(P99 + "    baseline_shift: last week\n") == [
        "i.yaml:7:19: error: series 'p99' 'baseline_shift': invalid duration 'last week'; use "
        "weeks, days, hours, minutes or seconds, like 1w, 2w 1d, 1d, 6h, 90m or 3600"
    ]
    assert problems(P99 + "    bad: higher\n")[0].startswith(
        "i.yaml:7:8: error: series 'p99' 'bad' must be one of above, below, got 'higher'"
    )


def test_a_baseline_data_file_error_is_positioned_in_the_data_file(tmp_path):
    (tmp_path / "b.csv").write_text("t,v\n0,1\n10,slow\n", encoding="utf-8")
    path = tmp_path / "i.yaml"
    path.write_text(incident_text(P99 + "    baseline: {file: b.csv}\n"), encoding="utf-8")
    with pytest.raises(IncidentLoadError) as info:
        load_incident(path)
    (error,) = (str(d) for d in info.value.diagnostics)
    assert error == (f"{tmp_path}/b.csv:3:4: error: value 'slow' is not a number "
                     f"(series 'p99' 'baseline' 'file' at {path}:7:20)")  # fmt: skip


def test_a_shorter_or_longer_baseline_is_drawn_where_it_overlaps_with_a_warning():
    shorter = parsed(P99 + "    baseline: [[20, 90], [25, 95]]\n")
    assert shorter.warnings == (
        "i.yaml:7:13: warning: series 'p99' 'baseline' covers T+00:20 to T+00:25 and the "
        "series T+00:00 to T+00:30: the baseline is drawn where both have data (T+00:20 to "
        "T+00:25)",
    )
    pairs = ", ".join(f"[{t}, {t + 100}]" for t in range(-60, 91, 10))
    longer = parsed(P99 + f"    baseline: [{pairs}]\n")
    assert "covers T-01:00 to T+01:30" in longer.warnings[0]
    assert longer.series[0].baseline.times.tolist() == [0, 10, 20, 30]  # cut to the series
    apart = parsed(P99 + "    baseline: [[100, 1], [110, 2]]\n")
    assert "they do not overlap, so the baseline is not drawn" in apart.warnings[0]
    assert len(apart.series[0].baseline.times) == 0
    slack = parsed(P99 + "    baseline: [[5, 80], [35, 95]]\n")  # within a sample interval
    assert slack.warnings == ()


def test_baseline_shift_alone_compares_with_the_series_own_earlier_samples():
    series = "  - id: p99\n    samples: [[-60, 10], [-30, 20], [0, 50], [30, 60]]\n"
    incident = parsed(series + "    baseline_shift: 1m\n")
    baseline = incident.series[0].baseline
    assert baseline.times.tolist() == [0, 30] and baseline.values.tolist() == [10, 20]
    assert baseline.shift == 60 and incident.warnings == ()
    too_short = parsed(series + "    baseline_shift: 1h\n")
    assert "spans less than that: nothing to compare" in too_short.warnings[0]


def test_bundled_incidents_carry_baselines():
    checkout = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    p95 = checkout.series_by_id("p95")
    assert p95.baseline.shift == 7 * 86400 and len(p95.baseline.times) == len(p95.times)
    assert checkout.series_by_id("errors").baseline is None


def test_shifts_read_and_write_as_people_say_them():
    assert [parse_shift(text) for text in ("1w", "2w 1d", "1d", "6h", "90m", "3600")] == [
        604800,
        1296000,
        86400,
        21600,
        5400,
        3600,
    ]
    assert [format_shift(s) for s in (604800, 86400, 21600, 5400, 45)] == [
        "1w",
        "1d",
        "6h",
        "90m",
        "45s",
    ]
    for bad in ("0", "-1h", "soon"):
        with pytest.raises(TimecodeError):
            parse_shift(bad)


# -- the numbers -----------------------------------------------------------------------------


def series(values, baseline, *, unit="ms", bad=None, sid="p99") -> Series:
    times = np.arange(len(values)) * 10.0
    return Series(sid, sid, unit, (1, 0, 0), "left", None, times, values,
                  baseline=Baseline(times, baseline), bad=bad)  # fmt: skip


def one(*members, thresholds=()) -> Incident:
    return Incident(id="i", title="t", series=members, start=0, end=60, thresholds=thresholds)


def test_vs_baseline_numbers():
    incident = one(series([80, 412, 900, np.nan], [80, 100, 100, 100]))
    delta = baseline_delta(incident, 0, 12)  # latest samples: 412 against 100
    assert (delta.value, delta.baseline, delta.difference, delta.worse) == (412, 100, 312, True)
    assert delta.ratio == pytest.approx(4.12)
    assert format_vs_baseline(incident.series[0], delta) == "vs baseline: +312 ms (×4.1)"
    assert format_vs_baseline(incident.series[0], delta, prefix=False) == "+312 ms (×4.1)"
    assert baseline_delta(incident, 0, 35) is None  # a gap in the series
    assert baseline_delta(incident, 0, -5) is None  # before both
    same = baseline_delta(incident, 0, 0)
    assert format_vs_baseline(incident.series[0], same) == "vs baseline: +0.0 ms (×1.0)"
    assert not same.worse


def test_ratio_and_sign_rules():
    zero = one(series([5.0, 0.5], [0.0, 2.0], unit="req/s"))
    assert format_vs_baseline(zero.series[0], baseline_delta(zero, 0, 0)) == (
        "vs baseline: +5.00 req/s"  # no ratio against 0
    )
    assert format_vs_baseline(zero.series[0], baseline_delta(zero, 0, 10)) == (
        "vs baseline: -1.50 req/s (×0.25)"
    )
    assert [format_ratio(r) for r in (41.2, 4.12, 0.441)] == ["×41", "×4.1", "×0.44"]


def test_worse_side_from_the_series_its_threshold_or_above():
    hits = series([40.0, 90.0], [90.0, 90.0], unit="%", sid="hits")
    latency = series([400.0], [100.0])
    stated = series([40.0], [90.0], sid="avail", bad="below")
    incident = one(hits, latency, stated, thresholds=(Threshold("hits", 70, "gate", "below"),))
    assert [worse_side(incident, i) for i in range(3)] == ["below", "above", "below"]
    assert baseline_delta(incident, 0, 0).worse  # 40 % against 90 %: worse, below
    assert not baseline_delta(incident, 0, 10).worse


# -- the importers' writer -------------------------------------------------------------------


def test_writer_puts_a_baseline_inline_or_beside_a_long_series():
    t0 = 1_750_000_000.0
    short = ImportedSeries("p99", t0 + np.arange(4) * 15.0, [1, 2, np.nan, 4], unit="ms",
                           baseline=(t0 + np.arange(4) * 15.0, [1, 1, 1, 1]),
                           baseline_shift=604800)  # fmt: skip
    long_times = t0 + np.arange(INLINE_SAMPLES + 1) * 1.0
    long = ImportedSeries("rate", long_times, np.ones(len(long_times)),
                          baseline=(long_times, np.zeros(len(long_times))),
                          baseline_shift=3600)  # fmt: skip
    rendered = render_incident(IncidentDraft("t", [short, long], start=t0))
    assert "    baseline_shift: 1w\n    baseline:\n      - [0, 1]\n      - [15, 1]\n" in (
        rendered.text
    )
    assert "    baseline_shift: 1h\n    baseline: {file: \"@@replay-viewer-data-dir@@/rate-" \
        "baseline.npy\", time: seconds}" in rendered.text  # fmt: skip
    assert set(rendered.files) == {"rate.npy", "rate-baseline.npy"}
    assert rendered.files["rate-baseline.npy"][:2].tolist() == [[0, 0], [1, 0]]
    back = parse_incident(rendered.text.split("  - id: rate")[0])  # the inline one reads back
    assert back.series[0].baseline.values.tolist() == [1, 1, 1, 1]
    assert back.series[0].baseline.shift == 604800


# -- the GPU records (pure) ------------------------------------------------------------------


def test_baseline_records_a_slot_a_dashed_faded_line_and_the_worse_columns():
    from replay_viewer.render.baseline_geometry import baseline_color, worse_band
    from replay_viewer.render.columns import Drawn
    from replay_viewer.render.layout import compute_layout
    from replay_viewer.render.series_geometry import series_colors

    incident = one(series([80.0, 400.0, 900.0, 100.0, 80.0, 80.0, 80.0],
                          [80.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0]),
                   series([1.0] * 7, [2.0] * 7, sid="flat"))  # fmt: skip
    layout = compute_layout(incident, 800, 400)
    from replay_viewer.render.baseline_geometry import baseline_slots, baseline_styles
    from replay_viewer.render.series_geometry import normalisation, series_styles

    slots = baseline_slots(incident)
    assert slots == {0: 2, 1: 3}  # after the series' own records
    axes = [layout.axis_for(s.id) for s in incident.series]
    norms = [normalisation(s) for s in incident.series]
    colors = series_colors(incident)
    styles = baseline_styles(series_styles(incident, layout, axes, norms, colors), incident,
                             layout, slots, colors)  # fmt: skip
    assert len(styles) == 4 and styles[2]["dash_on"] > 0 and styles[2]["width"] < styles[0]["width"]
    assert (styles[2]["to_pixel"] == styles[0]["to_pixel"]).all()
    faded = baseline_color((1.0, 0.0, 0.0), layout.palette.background)
    assert max(faded) - min(faded) < 0.6  # desaturated and faded toward the background
    line = Drawn(incident.series[0].times, incident.series[0].values)
    base = Drawn(incident.series[0].times, incident.series[0].baseline.values)
    t, low, high = worse_band(line, base, "above", layout)
    # Every vertex of either line, and the crossing at T+30 (900 → 100 meets 100 there).
    assert t.tolist() == [0, 10, 20, 30, 40, 50, 60]
    assert (high - low).tolist() == [0, 300, 800, 0, 0, 0, 0]
    t, low, high = worse_band(line, base, "below", layout)
    assert (high - low).tolist() == [0, 0, 0, 0, 20, 20, 20]  # under its baseline after T+30
    crossing = Drawn(np.array([0.0, 10.0]), np.array([0.0, 10.0]))
    flat = Drawn(np.array([0.0, 10.0]), np.array([5.0, 5.0]))
    t, low, high = worse_band(crossing, flat, "above", layout)
    assert t.tolist() == [0, 5, 10] and (high - low).tolist() == [0, 0, 5]
    gap = Drawn(np.array([0.0, 10.0, 20.0]), np.array([9.0, np.nan, 9.0]))
    assert np.isnan(worse_band(gap, flat, "above", layout)[2][1])
