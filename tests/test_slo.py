"""SLOs and error budgets: the `slo` list read (positioned errors), the budget, what an
incident burned and its burn rate against hand-computed numbers, `validate --metrics`'s rows
and JSON, the Metrics panel's texts and the budget-burn lane's room and instances."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from replay_viewer.analysis import burn_page, metrics_table, slo_rows, slo_summaries
from replay_viewer.analysis.headline import headline_metrics
from replay_viewer.analysis.slo import format_percent
from replay_viewer.loader import IncidentLoadError, parse_incident
from replay_viewer.model import Slo
from replay_viewer.render.burn_lane import burn_columns, burn_lane, burn_rule_instances
from replay_viewer.render.layout import BURN_PAD_PT, BURN_ROW_PT, compute_layout
from replay_viewer.render.style import BURN
from replay_viewer.render.uniforms import RULE_AFTER_PLAYHEAD

from .conftest import REPO, load_incident
from .test_cli import run_cli

CHECKOUT = REPO / "incidents" / "checkout-flag.yaml"
# p99 over 250 ms from T+01:00 to T+11:00: ten minutes of bad time.
TEN_MINUTES = """title: t
series:
  - {id: p99, label: p99 latency, unit: ms, samples: [[0, 100], [60, 300], [660, 100], [1200, 100]]}
  - {id: ok, samples: [[0, 1], [1200, 1]]}
slo:
"""


def incident_with(*slos: str, series: str = TEN_MINUTES):
    return parse_incident(series + "".join(f"  - {slo}\n" for slo in slos))


def errors_of(*slos: str) -> list[str]:
    with pytest.raises(IncidentLoadError) as caught:
        incident_with(*slos)
    return [str(d) for d in caught.value.diagnostics]


# -- the format --------------------------------------------------------------------------


def test_an_slo_read_with_its_defaults_and_every_key():
    incident = incident_with(
        "{series: p99, objective: 99.9, good: below 250}",
        "{series: p99, objective: '99.5%', good: '> 99', window: 7d, label: success,"
        " budget_spent_before: 40, burn_window: 1h}",
    )
    first, second = incident.slos
    assert first == Slo("p99", 99.9, "below", 250.0)  # inclusive, 30 days, 5 min, "", 0
    assert (first.window, first.burn_window, first.inclusive) == (30 * 86400, 300, True)
    assert second == Slo("p99", 99.5, "above", 99.0, inclusive=False, window=7 * 86400,
                         label="success", budget_spent_before=40, burn_window=3600)  # fmt: skip
    assert (first.rule, second.rule) == ("≤ 250", "> 99")


@pytest.mark.parametrize(
    ("good", "rule"),
    [("below 250", ("below", True, 250.0)), ("above 99", ("above", True, 99.0)),
     ("'<= 250'", ("below", True, 250.0)), ("'< 250'", ("below", False, 250.0)),
     ("'>= 99.5'", ("above", True, 99.5)), ("'> 1e3'", ("above", False, 1000.0)),
     ("above -3", ("above", True, -3.0))],
)  # fmt: skip
def test_the_good_rule_forms(good, rule):
    (slo,) = incident_with(f"{{series: p99, objective: 99, good: {good}}}").slos
    assert (slo.good, slo.inclusive, slo.bound) == rule


@pytest.mark.parametrize(
    ("objective", "got"),
    [("0", "got 0"), ("100", "got 100 (an objective of 100 % leaves no error budget)"),
     ("101", "got 101"), ("-1", "got -1"), ("'100%'", "got 100%"),
     ("abc", "got the text 'abc'"), ("'99.9'", "got the text '99.9'"), ("true", "boolean")],
)  # fmt: skip
def test_an_objective_outside_0_to_100_is_a_positioned_error(objective, got):
    (error,) = errors_of(f"{{series: p99, objective: {objective}, good: below 250}}")
    assert error.startswith("<string>:6:30: error: slo 1 'objective' must be a percentage ")
    assert "strictly between 0 and 100" in error and got in error


def test_an_unknown_series_names_the_known_ones():
    (error,) = errors_of("{series: p90, objective: 99.9, good: below 250}")
    assert error == ("<string>:6:14: error: slo 1 'series' refers to unknown series 'p90' "
                     "(did you mean 'p99'?); the series are: p99, ok")  # fmt: skip


@pytest.mark.parametrize("good", ["beneath 250", "below", "250", "below 250 ms", "'below x'"])
def test_a_bad_good_rule_is_a_positioned_error(good):
    (error,) = errors_of(f"{{series: p99, objective: 99.9, good: {good}}}")
    assert error.startswith("<string>:6:42: error: slo 1 'good' must be 'below N' or 'above N'")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("window", "0", "'window' must be a duration longer than 0, like 30d or 5m"),
     ("window", "-7d", "'window' must be a duration longer than 0"),
     ("window", "a month", "'window': "),
     ("burn_window", "0s", "'burn_window' must be a duration longer than 0"),
     ("budget_spent_before", "-5", "'budget_spent_before' must be a percentage of 0 or more"),
     ("budget_spent_before", "lots", "'budget_spent_before' must be a percentage of 0 or more")],
)  # fmt: skip
def test_bad_windows_and_spent_budget_are_positioned_errors(key, value, message):
    (error,) = errors_of(f"{{series: p99, objective: 99.9, good: below 250, {key}: {value}}}")
    assert error.startswith("<string>:6:") and message in error


def test_a_window_under_an_hour_is_said():
    incident = incident_with("{series: p99, objective: 99.9, good: below 250, window: 30}")
    (warning,) = incident.warnings
    assert warning.endswith(
        "warning: slo 1 'window' 30s is shorter than an hour: an SLO's "
        "window is days (30d, 28d, 7d), and a bare number is seconds"
    )
    assert slo_summaries(incident)[0].slo.window == 30.0  # allowed: said, not refused
    assert not incident_with("{series: p99, objective: 99.9, good: below 250, window: 1h}").warnings


def test_missing_and_unknown_keys():
    errors = errors_of("{series: p99, good: below 250, windw: 7d}")
    assert errors == [
        "<string>:6:5: error: slo 1 is missing the required key 'objective'",
        "<string>:6:36: error: unknown key 'windw' in slo 1 (did you mean 'window'?)",
    ]


# -- the numbers -------------------------------------------------------------------------


def test_budget_and_burn_by_hand():
    (s,) = slo_summaries(incident_with("{series: p99, objective: 99.9, good: below 250}"))
    assert s.budget == pytest.approx(2592.0)  # 0.1 % of 30 days: 43m 12s
    assert s.bad_time == 600.0 and s.known_time == 1200.0
    assert s.burned == pytest.approx(600 / 2592 * 100)  # 23.1 %
    assert s.left == pytest.approx(100 - 600 / 2592 * 100) and not s.over_budget
    assert s.achieved == pytest.approx(50.0)
    assert s.line == ("p99 latency 99.9 % / 30 d: burned 23.1 % of the budget "
                      "(10m of 43m 12s)")  # fmt: skip
    # The burn rate over 5 minutes: the bad share of the known time, over 0.1 %.
    ends = np.array([0, 30, 90, 360, 700, 960, 1200, 1300])
    expected = [np.nan, 0, 30 / 90 * 1000, 1000, 260 / 300 * 1000, 0, 0, np.nan]
    np.testing.assert_allclose(s.burn_rate(ends), expected, rtol=1e-9)
    np.testing.assert_allclose(s.burn_rate(np.array([700.0]), 600.0), [560 / 600 * 1000])
    # The peak: the first moment the whole window is bad; a budget lasts 30 d / 1000 there.
    assert s.peak_rate == pytest.approx(1000) and s.peak_at == 360.0
    assert s.exhausts_budget == pytest.approx(2592.0)
    assert s.left_at_peak == pytest.approx(100 - 300 / 2592 * 100)
    assert s.exhausts_left == pytest.approx(2592.0 - 300)
    assert s.burned_until(360) == pytest.approx(300 / 2592 * 100)
    assert s.so_far(360) == "p99 latency: burned 11.6 % so far"  # the lane's text at T+06:00


def test_spent_before_and_over_budget():
    (s,) = slo_summaries(incident_with(
        "{series: p99, objective: 99, good: below 250, window: 1h, budget_spent_before: 50,"
        " label: checkout latency}"))  # fmt: skip
    assert s.budget == pytest.approx(36.0) and s.burned == pytest.approx(600 / 36 * 100)
    assert s.over_budget and s.left == pytest.approx(50 - 600 / 36 * 100)
    assert s.left_at_peak < 0 and s.exhausts_left == 0.0
    assert s.line.startswith("checkout latency 99 % / 60 min: burned 1666.7 % of the budget")
    assert s.line.endswith("; 50.0 % spent before, -1616.7 % left")
    assert s.so_far(0) == "checkout latency: burned 0 % so far, 50.0 % left"
    assert s.so_far(78) == "checkout latency: burned 50.0 % so far, 0 % left"
    assert s.left_at(78) == pytest.approx(0, abs=1e-9) and s.left_at(100) < 0


def test_gaps_pause_the_clock():
    gappy = TEN_MINUTES.replace(
        "[[0, 100], [60, 300], [660, 100], [1200, 100]]",
        "[[0, 100], [60, 300], [120, null], [300, 300], [360, 100], [400, 100]]",
    )
    (s,) = slo_summaries(incident_with("{series: p99, objective: 99.9, good: below 250}",
                                       series=gappy))  # fmt: skip
    assert (s.bad_time, s.known_time) == (120.0, 220.0)
    # [60, 360]: 60 s bad, a gap, 60 s bad: nothing but bad in the known time.
    assert s.burn_rate(np.array([360.0]))[0] == pytest.approx(1000)
    assert s.burn_rate(np.array([200.0]))[0] == pytest.approx(60 / 120 * 1000)


def test_the_bound_itself_and_ratios():
    at_bound = TEN_MINUTES.replace("[60, 300]", "[60, 250]")
    inclusive, strict = slo_summaries(incident_with(
        "{series: p99, objective: 99.9, good: below 250}",
        "{series: p99, objective: 99.9, good: '< 250'}", series=at_bound))  # fmt: skip
    assert (inclusive.bad_time, strict.bad_time) == (0.0, 600.0)
    ratio = TEN_MINUTES.replace("[[0, 100], [60, 300], [660, 100], [1200, 100]]",
                                "[[0, 99.95], [60, 98], [120, 99.5], [180, 99.5]]")  # fmt: skip
    (s,) = slo_summaries(incident_with("{series: p99, objective: 99, good: above 99}",
                                       series=ratio))  # fmt: skip
    assert s.bad_time == 60.0 and s.known_time == 180.0  # time-based, not request-weighted


def test_an_slo_on_a_group_member_reads_the_worst_member():
    group = """title: t
series:
  - {id: a, group: pods, samples: [[0, 100], [100, 100]]}
  - {id: b, group: pods, samples: [[0, 100], [50, 400], [80, 100], [100, 100]]}
slo:
"""
    (s,) = slo_summaries(incident_with("{series: a, objective: 99.9, good: below 250}",
                                       series=group))  # fmt: skip
    assert s.bad_time == 30.0 and s.group == "pods" and s.name == "pods"


def test_no_slos_no_summaries():
    assert slo_summaries(parse_incident(TEN_MINUTES.replace("slo:\n", ""))) == ()


# -- validate --metrics ------------------------------------------------------------------


def test_validate_metrics_rows_and_json(tmp_path):
    path = tmp_path / "ten.yaml"
    slo = "{series: p99, objective: 99.9, good: below 250, label: checkout latency, "
    path.write_text(f"{TEN_MINUTES}  - {slo}budget_spent_before: 20}}\n", encoding="utf-8")
    incident = load_incident(path)
    (row,) = slo_rows(incident)
    assert row.name == "SLO checkout latency" and row.value == "23.1 % burned"
    assert row.note == ("99.9 % of the time ≤ 250 ms over 30 d: budget 43m 12s, burned 10m; "
                        "peak burn ×1000 at T+06:00; 20.0 % spent before; 56.9 % left; a "
                        "fast-burn page (14.4× over 1 h and 5 min) would have fired at T+01:52 "
                        "(no detection declared)")  # fmt: skip
    assert row.at == 360.0 and not row.warn
    table = run_cli("validate", "--metrics", str(path))
    assert table.stdout.rstrip("\n").endswith(metrics_table(incident))
    assert "SLO checkout latency" in table.stdout
    (entry,) = json.loads(run_cli("validate", "--metrics", "--json", str(path)).stdout)
    (slo,) = entry["metrics"]["slos"]
    assert slo == pytest.approx({
        "series": "p99", "group": None, "label": "checkout latency", "objective_pct": 99.9,
        "good": "below", "bound": 250.0, "bound_is_good": True, "window_s": 2592000.0,
        "burn_window_s": 300.0, "budget_s": 2592.0, "burned_s": 600.0,
        "burned_pct": 600 / 2592 * 100, "spent_before_pct": 20.0,
        "left_pct": 80 - 600 / 2592 * 100, "over_budget": False, "known_s": 1200.0,
        "achieved_pct": 50.0, "peak_burn_rate": 1000.0, "peak_at": 360.0,
        "exhausts_budget_s": 2592.0, "left_at_peak_pct": 80 - 300 / 2592 * 100,
        "exhausts_left_s": (80 - 300 / 2592 * 100) / 100 * 2592,
        "page_at": 60 + 0.001 * 14.4 * 3600, "page_rule": "14.4× over 1 h and 5 min",
        "line": "checkout latency 99.9 % / 30 d: burned 23.1 % of the budget (10m of 43m 12s);"
                " 20.0 % spent before, 56.9 % left",
    })  # fmt: skip


def test_the_bundled_incidents_slos():
    (stampede,) = slo_summaries(load_incident(REPO / "incidents" / "cache-stampede.yaml"))
    assert stampede.budget == pytest.approx(7776.0)  # 2h 09m 36s of a 90-day quarter
    assert stampede.bad_time == 645.0  # T+00:15 to T+11:00
    # "15 minutes of error budget left for the quarter": about four after the incident.
    assert stampede.left / 100 * stampede.budget == pytest.approx(900 - 645, abs=3)
    availability, latency = slo_summaries(load_incident(CHECKOUT))
    assert availability.name == "checkout availability" and latency.slo.window == 7 * 86400


# -- the lane ----------------------------------------------------------------------------


def test_the_burn_lane_takes_room_only_with_slos():
    with_slo = incident_with("{series: p99, objective: 99.9, good: below 250}")
    plain = parse_incident(TEN_MINUTES.replace("slo:\n", ""))
    layout, bare = compute_layout(with_slo, 1280, 720), compute_layout(plain, 1280, 720)
    assert bare.burn_lane is None and burn_lane(plain, bare) is None
    assert len(burn_rule_instances(plain, bare)) == 0
    top, bottom = layout.burn_lane
    assert bottom - top == BURN_PAD_PT + BURN_ROW_PT
    assert top > layout.event_lane_y and bottom <= 720
    assert bare.chart.y1 - layout.chart.y1 == BURN_PAD_PT + BURN_ROW_PT
    four = incident_with(*["{series: p99, objective: 99.9, good: below 250}"] * 4)
    lane = burn_lane(four, compute_layout(four, 1280, 720))
    assert len(lane.rows) == 3  # the fourth is in the Metrics panel only


def test_burn_lane_bars_marks_and_veil():
    incident = incident_with("{series: p99, objective: 99.9, good: below 250}")
    layout = compute_layout(incident, 1280, 720)
    (row,) = burn_lane(incident, layout).rows
    lefts, rates = burn_columns(row, layout)
    assert np.all(np.diff(lefts) == 2) and len(lefts) == layout.chart.width // 2
    middle = np.searchsorted(lefts, layout.to_x(500))
    assert rates[middle] == pytest.approx(1000)  # all bad in the 5 minutes before
    assert rates[0] == 0 and not np.isnan(rates).any()  # good from the start, to the end
    rules = burn_rule_instances(incident, layout)
    veil = rules[-1]
    assert veil["flags"] == RULE_AFTER_PLAYHEAD and veil["width"] >= BURN_ROW_PT
    bars = rules[(rules["flags"] == 0) & (rules["p0"][:, 0] == rules["p1"][:, 0])]
    hot = bars[np.all(np.isclose(bars["color"], BURN.hot), axis=1)]
    assert len(hot) >= 1  # ×14.4 and over
    top = hot["p1"][:, 1].min()
    assert top == pytest.approx(row.top, abs=1)  # ×1000 reaches the row's top
    x0 = (hot["p0"][:, 0] - hot["width"] / 2).min()
    x1 = (hot["p0"][:, 0] + hot["width"] / 2).max()
    assert layout.to_t(x0) == pytest.approx(60 / (1 - 14.4 / 1000), abs=5)  # 14.4× reached
    assert layout.to_t(x1) == pytest.approx(660 + 300 * (1 - 14.4 / 1000), abs=5)
    marks = rules[rules["dash"][:, 0] > 0]
    assert len(marks) == 2  # 1× and 14.4×
    # The tick where the fast-burn page would have fired (T+01:51.84), in the text colour.
    ticks = rules[np.all(np.isclose(rules["color"], (*layout.palette.text[:3], 1.0)), axis=1)]
    assert len(ticks) == 1
    assert layout.to_t(ticks[0]["p0"][0]) == pytest.approx(60 + 51.84, abs=1)
    assert ticks[0]["p1"][1] < row.top < row.baseline < ticks[0]["p0"][1]


# -- the Metrics panel -------------------------------------------------------------------


def test_the_metrics_panel_shows_each_slo_and_jumps_to_its_peak():
    from replay_viewer.app.state import AppState

    from .gui_driver import GuiDriver, RecordingActions
    from .test_panels import whole_window

    state = AppState(clock=lambda: 50.0)
    state.set_incident(load_incident(CHECKOUT), CHECKOUT, keep_time=False)
    for name in ("Timeline", "What I did", "What I learned", "Outcomes"):
        state.panels[name] = False  # Metrics at the top of the panel, inside its view
    gui = GuiDriver(size=(1440, 1400))
    try:
        draw = whole_window(state, gui, RecordingActions())
        gui.frame(draw)
        gui.frame(draw)
        texts = {key: line for key, line in gui.ui.texts.items() if key.startswith("slo")}
        assert texts == {
            "slo0-title": "checkout availability",
            "slo0-objective": "99.9 % of the time ≤ 1 req/s",
            "slo0-budget": "budget 43m 12s over 30 d",
            "slo0-burned": "burned by the incident 3m 20s = 7.7 %",
            "slo0-peak": "peak burn ×741 at T+04:30 (a whole budget lasts 58m 19s)",
            "slo0-page": "a fast-burn page (14.4× over 1 h and 5 min) would have fired at "
            "T+01:32, 42s after the declared detection",
            "slo0-left": "92.3 % left",
            "slo1-title": "checkout latency",
            "slo1-objective": "99.5 % of the time ≤ 300 ms",
            "slo1-budget": "budget 50m 24s over 7 d",
            "slo1-burned": "burned by the incident 3m 20s = 6.6 %",
            "slo1-peak": "peak burn ×148 at T+04:20 (a whole budget lasts 1h 08m)",
            "slo1-page": "no burn-rate page (14.4× over 1 h and 5 min, or 6× over 6 h and 30 "
            "min) would have fired",
            "slo1-left": "35.0 % spent before · 58.4 % left",
        }
        state.seek(0)
        gui.click(draw, gui.center("slo0-peak"))
        assert state.t == slo_summaries(state.incident)[0].peak_at
        gui.click(draw, gui.center("slo0-page"))
        assert state.t == pytest.approx(burn_page(slo_summaries(state.incident)[0]).at)
    finally:
        gui.destroy()


# -- the lane on the GPU -----------------------------------------------------------------


@pytest.mark.gpu
def test_the_burn_lane_in_a_rendered_frame(gpu_adapter):
    """The lane's rect holds the hot bars up to the playhead and, after it, the same bars
    under the veil (darker); without SLOs the same place is the frame's background."""
    from replay_viewer.render.boot import Boot
    from replay_viewer.render.geometry import RenderOptions

    def render(incident, t):
        boot = Boot(incident, 960, 540, 1.0, start_time=t, frame_options=RenderOptions())
        boot.run()
        return boot.renderer.layout, boot.frame0[..., :3].astype(int)

    with_slo = incident_with("{series: p99, objective: 99.9, good: below 250}")
    layout, pixels = render(with_slo, 500.0)
    (row,) = burn_lane(with_slo, layout).rows
    band = pixels[round(row.top) + 2 : round(row.baseline) - 1]
    hot = np.array(BURN.hot[:3]) * 255

    def hot_share(t0, t1):
        x0, x1 = round(layout.to_x(t0)), round(layout.to_x(t1))
        return (np.abs(band[:, x0:x1] - hot).max(axis=-1) < 40).mean()

    assert hot_share(180, 480) > 0.9  # before the playhead (after the "page" label): the bars
    assert hot_share(520, 900) < 0.05  # after it: veiled
    veiled = band[:, round(layout.to_x(520)) : round(layout.to_x(900))].mean(axis=(0, 1))
    assert veiled[0] > 30 and veiled[0] > 1.5 * veiled[1]  # still a dim red
    assert hot_share(1000, 1190) < 0.05  # nothing burns after 955 s
    plain_layout, plain = render(parse_incident(TEN_MINUTES.replace("slo:\n", "")), 500.0)
    assert plain_layout.burn_lane is None
    below = plain[plain_layout.milestone_lane[1] if plain_layout.milestone_lane else
                  plain_layout.event_lane_y + 20 :]  # fmt: skip
    assert (np.abs(below - hot).max(axis=-1) < 40).sum() == 0


def test_the_documented_slo_examples_load():
    doc = (REPO / "docs" / "incident-format.md").read_text(encoding="utf-8")
    small = parse_incident(doc.split("```yaml\n", 1)[1].split("```", 1)[0])
    assert small.slos == (Slo("p95", 99.9, "below", 300.0),)
    section = doc.split("## SLOs and error budgets", 1)[1]
    slo_list = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    series = "title: t\nseries: [{id: errors, samples: [[0, 0], [60, 2], [120, 0]]}]\n"
    (slo,) = parse_incident(series + slo_list).slos
    assert slo == Slo("errors", 99.9, "below", 1.0, label="checkout availability",
                      budget_spent_before=35.0)  # fmt: skip


def test_an_event_edit_keeps_the_slos(tmp_path, monkeypatch):
    import shutil

    from replay_viewer.edit import EditSession, EventFields

    monkeypatch.setenv("REPLAY_VIEWER_STATE_DIR", str(tmp_path / "state"))  # the journal
    path = tmp_path / "checkout.yaml"
    shutil.copy(CHECKOUT, path)
    session = EditSession.open(path)
    before = session.incident.slos
    session.add(EventFields(at=100, title="mine"))  # only the events are read again
    assert len(before) == 2 and session.incident.slos == before
    session.undo()
    assert session.incident.slos == before


def test_the_headline_strip_gives_the_most_burned_slos_budget_and_names_it():
    incident = load_incident(REPO / "incidents" / "checkout-flag.yaml")
    budget = headline_metrics(incident)[-1]
    availability, latency = slo_summaries(incident)
    assert availability.burned > latency.burned, "else this test proves nothing new"
    assert budget.name == "error budget burned (most of 2 SLOs)"
    assert budget.value == format_percent(availability.burned)
    assert budget.note == "checkout availability, of 43m 12s (99.9 % / 30 d)"  # 0.1 % of 30 d
    assert not budget.warn
    only_latency = dataclasses.replace(incident, slos=incident.slos[1:])
    budget = headline_metrics(only_latency)[-1]
    assert (budget.name, budget.value) == ("error budget burned", format_percent(latency.burned))
    assert budget.note.startswith("of ")  # one SLO: no name needed
    swapped = dataclasses.replace(incident, slos=incident.slos[::-1])
    assert headline_metrics(swapped)[-1].value == format_percent(availability.burned)
