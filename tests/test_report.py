"""The postmortem report (``export --report DIR``): its content for the bundled incidents
(numbers checked by hand against the data), escaping of users' words, a report.html that
needs nothing but itself, and the folder rules (other files refused without --overwrite,
an earlier report of ours replaced, nothing written when refused or unwritable). The
figures come from a fake (tests/report_fakes.py); the GPU's are in the last tests."""

from __future__ import annotations

import base64
import json
import os
import re
import sys

import pytest

from replay_viewer.errors import OutputError, UsageError
from replay_viewer.export import REPORT_INDEX, ReportExport
from replay_viewer.loader import parse_incident
from replay_viewer.postmortem import (
    build_report,
    escape_markdown,
    render_html,
    render_markdown,
    stylesheet,
)
from replay_viewer.story import story_moments

from .conftest import REPO, load_incident
from .report_fakes import FakeImages, markdown_tables, read_page
from .test_export_commands import cli

CHECKOUT = REPO / "incidents" / "checkout-flag.yaml"
STAMPEDE = REPO / "incidents" / "cache-stampede.yaml"
IMAGES = {"storyboard.png": (1200, 600), "chart.png": (640, 360)}
PNGS = {"storyboard.png": b"\x89PNG storyboard", "chart.png": b"\x89PNG chart"}


def report(path, images=IMAGES):
    incident = load_incident(path)
    return build_report(incident, story_moments(incident), images=images)


def table_rows(markdown: str, first_header: str) -> dict[str, list[str]]:
    """The Markdown table whose first header is ``first_header``, by its rows' first cell."""
    table = next(t for t in markdown_tables(markdown) if t[0][0] == first_header)
    return {row[0].replace("**", ""): row for row in table[2:]}


def test_checkout_numbers_checked_by_hand():
    # Flag pushed at T+00:00; p95 (SLO 300 ms) first over at T+00:30 (325 ms) and stays over
    # past the 60 s sustain; the flag is reverted at T+03:10: mitigated 2m 40s after the
    # breach. Detected at T+00:50 (20 s), declared recovered at T+06:00, 90 s after the
    # last threshold (errors over 1 req/s) is back inside from T+04:30.
    text = render_markdown(report(CHECKOUT))
    gaps = table_rows(text, "Gap")
    assert gaps["Mitigation"][1:] == ["T+00:30 — first breach",
                                      "T+03:10 — mitigate “Flag reverted”",
                                      "+02:40 — mitigated after 2m 40s"]  # fmt: skip
    assert gaps["Detection"][3] == "+00:20 — detected after 20s"
    assert gaps["Recovery"][3] == "+01:30 — declared 1m 30s after the data"
    thresholds = table_rows(text, "Threshold")
    # breach, worst (the 946 ms sample at T+03:10), recovery, time over (T+00:30 to T+04:20
    # less the 30 s scrape gap that pauses the clock: 3m 20s)
    assert thresholds["p95 SLO 300 ms — p95 latency above 300 ms"][1:] == [
        "T+00:30 — 09:41:30", "946 ms — at T+03:10", "T+04:20 — 09:45:20", "03:20"]  # fmt: skip
    key = next(t for t in markdown_tables(text) if t[0][0] == "Detection")
    assert key[2] == ["00:50", "03:10", "04:30", "09:00"]
    outcomes = table_rows(text, "Outcome")
    assert outcomes["Time to recovery"][3] == "⚠ disagrees — computed time to recovery: 04:30"
    assert "outcome 'Time to recovery' says 9 min, but the computed time to recovery is 04:30" in (
        text
    )
    assert "- **Started:** Tue 3 Jun 2025 09:41 UTC" in text


def test_checkout_error_budgets():
    # 99.9 % over 30 d allows 43m 12s of bad time; the 5xx rate is over 1 req/s for 3m 20s
    # (T+00:40 to T+04:30 less the 30 s gap): 7.7 % of the budget.
    budgets = table_rows(render_markdown(report(CHECKOUT)), "SLO")
    row = budgets["99.9 % over 30 d — checkout availability: good ≤ 1 req/s"]
    assert row[1:3] == ["43m 12s", "7.7 % — 3m 20s bad"]
    assert len(budgets) == 2


def test_cache_stampede_numbers_and_sections():
    # Detected at T+00:12, the first sample over 200 ms is T+00:15: 3 s before the breach
    # (within the 5 s scrape: no warning); declared recovered as the data recovers.
    doc = report(STAMPEDE)
    assert [s.heading for s in doc.sections] == ["Summary", "Storyboard", "Metrics", "Timeline",
                                                 "Actions", "Learnings", "Outcomes"]  # fmt: skip
    text = render_markdown(doc)
    gaps = table_rows(text, "Gap")
    assert gaps["Detection"][3] == "-00:03 — detected 3s before the breach"
    assert gaps["Mitigation"][3] == "+04:45 — mitigated after 4m 45s"
    assert gaps["Recovery"][3] == "00:00 — declared as the data recovers"
    assert table_rows(text, "Threshold")["p99 SLO 200 ms — p99 latency above 200 ms"][4] == "10:45"
    assert table_rows(text, "Outcome")["Total recovery time"][3] == (
        "✓ agrees — computed time to all-clear: 14:00"
    )
    assert "disagrees with the timeline" not in text
    timeline = table_rows(text, "Time")  # no ★ (none starred), no wall clock, no spans
    assert timeline["T+00:12"][1:3] == ["detect", "**p99 jumps 80ms → 2,400ms** — Every "
                                        "request becomes a cache miss. Backend pool starts "
                                        "saturating."]  # fmt: skip
    assert timeline["T+11:00"][3] == "declared as the data recovered"
    assert "![Storyboard: the chart at each of the 9 moments of the incident](storyboard.png)" in (
        text
    )
    assert "](chart.png)" in text


def test_timeline_marks_stars_and_spans():
    incident = parse_incident(
        "title: Spans\nseries:\n  - {id: a, samples: [[0, 1], [600, 1]]}\nevents:\n"
        "  - {at: 60, title: Paged, kind: alert, until: 190, star: true}\n"
        "  - {at: 300, title: Note}\n"
    )
    doc = build_report(incident, story_moments(incident), images={})
    table = markdown_tables(render_markdown(doc))[-1]
    assert table[0] == ["★", "Time", "Kind", "Event", "Lasted", "What the data shows"]
    assert table[2][:5] == ["★", "T+01:00", "alert", "**Paged**", "2m 10s"]
    assert table[3][0] == "" and table[3][4] == ""
    html = render_html(doc, {})
    assert '<tr class="star"><td class="mid">★</td>' in html


def test_a_contradicted_event_is_a_warning_row_and_a_warning():
    incident = parse_incident(
        "title: Early\nseries:\n"
        "  - {id: p, samples: [[0, 1], [60, 9], [300, 9], [400, 1], [600, 1]]}\n"
        "thresholds:\n  - {series: p, value: 5, label: SLO}\nevents:\n"
        "  - {at: 0, kind: deploy, title: Ship}\n  - {at: 120, kind: resolve, title: Done}\n"
    )
    doc = build_report(incident, story_moments(incident), images={})
    text = render_markdown(doc)
    message = "resolved at T+02:00 while the data disagrees: 'SLO' still breaches until T+06:40"
    assert table_rows(text, "Time")["T+02:00"][3].startswith(f"⚠ {message}")
    assert f"> - {message}" in text
    rows = read_page(render_html(doc, {})).tables[-1]["body"]
    assert [cell[2] for cell in rows[1]][:2] == ["T+02:00", "resolve"]
    assert '<tr class="warn"><td class="num">T+02:00</td>' in render_html(doc, {})


def test_an_incident_without_events_or_thresholds_still_reports():
    incident = parse_incident("title: Quiet\nseries:\n  - {id: a, samples: [[0, 1], [60, 2]]}\n")
    doc = build_report(incident, story_moments(incident), images={})
    text = render_markdown(doc)
    assert "there are no milestones to measure" in text
    assert "The incident file lists no events." in text
    assert "- **Events:** none" in text
    assert "<img" not in render_html(doc, {})


HOSTILE = "<script>alert('x')</script> & Co | *loud* [link](http://evil.example) &amp;"


def hostile_incident():
    quoted = json.dumps(HOSTILE)
    return parse_incident(
        f"title: {quoted}\nsubtitle: {quoted}\nsummary: {quoted}\nseverity: {quoted}\n"
        "series:\n  - {id: a, samples: [[0, 1], [600, 9]]}\n"
        f"thresholds:\n  - {{series: a, value: 5, label: {quoted}}}\n"
        f"events:\n  - {{at: 60, kind: detect, title: {quoted}, detail: {quoted}}}\n"
        f"actions: [{quoted}]\nlearnings: [{{title: {quoted}, detail: {quoted}}}]\n"
        f"outcomes: [{{value: {quoted}, label: {quoted}, note: {quoted}}}]\n"
    )


def test_users_words_are_escaped_in_html():
    incident = hostile_incident()
    html = render_html(build_report(incident, story_moments(incident), images=IMAGES), PNGS)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html
    assert "&amp;amp;" in html  # the user's "&amp;" shows as typed
    assert "<title>Postmortem: &lt;script&gt;" in html
    page = read_page(html)
    assert [tag for tag, attrs in page.tags if tag == "a"] == []
    assert not [(tag, attrs) for tag, attrs in page.tags if any(k.startswith("on") for k in attrs)]


def test_users_words_are_escaped_in_markdown():
    incident = hostile_incident()
    text = render_markdown(build_report(incident, story_moments(incident), images={}))
    assert re.search(r"(?<!\\)<", text) is None, "no raw HTML"
    assert re.search(r"(?<!\\)\[", text) is None, "no link"
    assert escape_markdown(HOSTILE) == (
        r"\<script\>alert('x')\</script\> & Co \| \*loud\* \[link\](http://evil.example) \&amp;"
    )
    assert text.startswith(f"# {escape_markdown(HOSTILE)}\n")
    for table in markdown_tables(text):  # an escaped "|" never adds a cell
        assert {len(row) for row in table} == {len(table[0])}, table[0]


def test_markdown_escapes_what_would_start_a_block_or_emphasis():
    assert escape_markdown("p99_latency and _this_") == r"p99_latency and \_this\_"
    assert escape_markdown("a\n  b\tc") == "a b c"
    incident = parse_incident("title: T\nsummary: '# 1. not a heading'\nseries:\n"
                              "  - {id: a, samples: [[0, 1], [60, 2]]}\n")  # fmt: skip
    text = render_markdown(build_report(incident, story_moments(incident), images={}))
    assert "\n\\# 1. not a heading\n" in text


def test_html_is_self_contained_and_semantic():
    html = render_html(report(STAMPEDE), PNGS)
    page = read_page(html)
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == 2
    for attrs, png in zip(images, PNGS.values(), strict=True):
        assert attrs["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(attrs["src"].partition(",")[2]) == png
        assert attrs["alt"] and attrs["width"] and attrs["height"]
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed", "base"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert name not in ("src", "href") or value.startswith("data:"), (tag, name, value)
    assert not re.search(r"https?:|url\(|@import|//[a-z]", html.replace(images[0]["src"], "")
                         .replace(images[1]["src"], ""), re.I)  # fmt: skip
    for table in page.tables:
        if table["class"] == "facts":
            continue
        head = table["head"][0]
        assert all(cell[0] == "th" and cell[1].get("scope") == "col" for cell in head)
        assert all(len(row) == len(head) for row in table["body"]), table["class"]
    thresholds = next(t for t in page.tables if t["class"] == "thresholds")
    assert [c[0] for c in thresholds["body"][0]] == ["th", "td", "td", "td", "td"]


def test_print_stylesheet_makes_clean_a4_pages():
    css = stylesheet()
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    assert "max-width: 100%" in css
    for rule in ("tr, figure, .callout, li, header { break-inside: avoid; }",
                 "h2, caption, .kicker, h1 { break-after: avoid; }",
                 "thead { display: table-header-group; }"):  # fmt: skip
        assert rule in css
    assert "html, body { background: #fff; }" in css


# -- the folder ------------------------------------------------------------------------


def export_report(folder, *, overwrite=False, images=None):
    incident = load_incident(CHECKOUT)
    job = ReportExport(incident, story_moments(incident), folder, overwrite=overwrite)
    return job.write(images or FakeImages())


def test_a_report_is_written_into_a_new_folder(tmp_path):
    folder = tmp_path / "a" / "report"
    images = FakeImages(theme="light")
    result = export_report(folder, images=images)
    names = ["storyboard.png", "chart.png", "report.md", "report.html"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names, REPORT_INDEX])
    assert result.files == (*names, REPORT_INDEX)
    index = json.loads((folder / REPORT_INDEX).read_text(encoding="utf-8"))
    assert index["complete"] is True and index["files"] == names
    moments = [0.0, 50.0, 90.0, 100.0, 160.0, 190.0, 360.0, 540.0]
    assert index["options"] == {"events": "every event", "theme": "light", "moments": moments}
    assert images.asked == [("storyboard", tuple(index["options"]["moments"])), ("chart", 190.0)]
    html = (folder / "report.html").read_text(encoding="utf-8")
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert [base64.b64decode(d) for d in embedded] == [
        (folder / "storyboard.png").read_bytes(), (folder / "chart.png").read_bytes()]  # fmt: skip
    assert "![The chart at T+03:10](chart.png)" in (folder / "report.md").read_text("utf-8")


def test_a_folder_with_other_files_is_refused_without_overwrite(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "report.md").write_text("someone else's", encoding="utf-8")  # no index: theirs
    with pytest.raises(UsageError, match=r"holds files that are not part of a report "
                       r"\(notes.txt, report.md\); pass --overwrite"):  # fmt: skip
        export_report(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "report.md"]
    export_report(tmp_path, overwrite=True)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Checkout latency")


def test_an_earlier_report_of_ours_is_replaced_and_leftovers_go(tmp_path):
    export_report(tmp_path)
    (tmp_path / ".report.html.abc123.tmp").write_text("killed", encoding="utf-8")
    result = export_report(tmp_path, images=FakeImages(chart=False))
    assert result.removed == ("chart.png",)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.html", "report.json", "report.md", "storyboard.png"]  # fmt: skip
    assert "chart.png" not in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_a_file_in_the_way_or_an_unwritable_folder_is_an_output_error(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file"):
        export_report(tmp_path / "afile")
    with pytest.raises(OutputError, match="afile is not a folder"):
        export_report(tmp_path / "afile" / "report")
    folder = tmp_path / "locked"
    folder.mkdir()
    real_open = os.open

    def refuse(path, *args, **kwargs):  # what a read-only folder answers (also as root)
        if str(path).startswith(str(folder)):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(OutputError, match=f"cannot write in {folder}: Permission denied"):
        export_report(folder)
    assert list(folder.iterdir()) == []


def test_cli_refuses_before_the_gpu_boots(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    # metal would fail to boot here (exit 3): the folder is refused before anything boots.
    result = cli("export", CHECKOUT, "--report", tmp_path, "--backend", "metal")
    assert result.returncode == 2, result.stderr
    assert "holds files that are not part of a report (notes.txt)" in result.stderr
    assert "--overwrite" in result.stderr and "Traceback" not in result.stderr
    result = cli("export", CHECKOUT, "--report", tmp_path / "new", "--at", "T+01:00")
    assert (result.returncode, result.stderr.strip()) == (
        2, "replay-viewer: error: --report writes a folder of its own: leave out --at")  # fmt: skip
    assert not (tmp_path / "new").exists()
    result = cli("export", CHECKOUT, "--report", tmp_path / "new", "--gif", tmp_path / "a.gif")
    assert result.returncode == 2 and "not allowed with argument" in result.stderr
    result = cli("export", CHECKOUT, "--report", tmp_path / "new", "--events", "T+20:00")
    assert result.returncode == 2 and "--events: T+20:00 is outside the incident" in result.stderr
    # What a report would quietly ignore is refused (it tells the whole incident, captioned).
    for option in (("--captions",), ("--range", "T+01:00..T+02:00"), ("--hold", "1s")):
        result = cli("export", CHECKOUT, "--report", tmp_path / "new", *option)
        assert result.returncode == 2 and f"leave out {option[0]}" in result.stderr, option
    assert not (tmp_path / "new").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_cli_an_unwritable_folder_exits_4():
    result = cli("export", CHECKOUT, "--report", "/proc/replay-viewer-report")
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith("replay-viewer: error: cannot create /proc/replay-viewer-")


@pytest.mark.gpu
def test_cli_writes_the_report_with_the_gpus_figures(tmp_path, gpu_adapter):
    from PIL import Image

    result = cli("export", CHECKOUT, "--report", tmp_path / "r", "--size", "960x540")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{tmp_path / 'r'}: storyboard.png, chart.png, report.md, report.html, report.json "
        "(8 moments: every event, chart at T+03:10)"
    )
    # The storyboard: an A4 page of it (the report prints to A4), its title in the metadata.
    with Image.open(tmp_path / "r" / "storyboard.png") as image:
        assert image.size == (1240, 1754)
    with Image.open(tmp_path / "r" / "chart.png") as image:
        assert image.size == (960, 540)
        assert image.text["Title"] == "Checkout latency after config push: chart at T+03:10"
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert 'width="1240" height="1754"' in html and 'width="960" height="540"' in html
