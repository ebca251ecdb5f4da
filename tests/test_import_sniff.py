"""``replay-viewer import FILE…`` without a SOURCE: the first file's shape picks the
importer (and it says which); an unknown shape is an error listing what can be read."""

from __future__ import annotations

from replay_viewer.importers.registry import SOURCES, sniff_source

from .import_helpers import IMPORT_DATA, import_fails, imported_incident
from .test_cli import run_cli


def test_each_fixture_is_recognised():
    assert sniff_source(IMPORT_DATA / "prometheus_p99.json").name == "prometheus"
    assert sniff_source(IMPORT_DATA / "grafana_annotations.json").name == "grafana-annotations"
    for name in ("page1", "page2", "partial", "forbidden", "statistics"):
        assert sniff_source(IMPORT_DATA / f"cloudwatch_{name}.json").name == "cloudwatch"
    for name in ("per_pod", "single", "error"):
        assert sniff_source(IMPORT_DATA / f"datadog_{name}.json").name == "datadog"
    assert sniff_source(IMPORT_DATA / "otlp_checkout.json").name == "otlp"
    assert sniff_source(IMPORT_DATA / "otlp_collector.jsonl").name == "otlp"
    assert sniff_source(IMPORT_DATA / "alertmanager_webhook.json").name == "alertmanager"
    assert sniff_source(IMPORT_DATA / "alertmanager_v2_alerts.json").name == "alertmanager"
    assert sniff_source(IMPORT_DATA / "pagerduty_log_entries.json").name == "pagerduty"
    assert sniff_source(IMPORT_DATA / "slack_export").name == "slack"


def test_timelines_import_without_naming_the_source(tmp_path):
    incident = imported_incident(tmp_path)
    for path, name in (
        (IMPORT_DATA / "alertmanager_webhook.json", "alertmanager"),
        (IMPORT_DATA / "pagerduty_log_entries.json", "pagerduty"),
        (IMPORT_DATA / "slack_export", "slack"),
    ):
        extra = ["--channel", "inc-4711-checkout"] if name == "slack" else []
        result = run_cli("import", str(path), "--into", str(incident), *extra)
        assert result.returncode == 0, result.stderr
        assert f"reading it as `import {name}`" in result.stderr
        assert "added" in result.stdout


def test_a_folder_that_is_not_an_export_is_not_slack(tmp_path):
    (tmp_path / "channels.json").write_text("[]", encoding="utf-8")
    stderr = import_fails(str(tmp_path), "--into", str(tmp_path / "x.yaml"))
    assert stderr.startswith(f"{tmp_path}: error: a directory, and not a Slack export")


def test_influxdb_and_victoriametrics_files_are_recognised():
    assert sniff_source(IMPORT_DATA / "influxdb_cpu.json").name == "influxdb"  # 1.x JSON
    assert sniff_source(IMPORT_DATA / "influxdb_flux.csv").name == "influxdb"  # 2.x CSV
    assert sniff_source(IMPORT_DATA / "victoriametrics_up.jsonl").name == "victoriametrics"


def test_a_prometheus_answer_imports_without_naming_the_source(tmp_path):
    out = tmp_path / "p99.yaml"
    result = run_cli("import", str(IMPORT_DATA / "prometheus_p99.json"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "reading it as `import prometheus`" in result.stderr
    named = run_cli("import", "prometheus", str(IMPORT_DATA / "prometheus_p99.json"), "-o",
                    str(tmp_path / "named.yaml"))  # fmt: skip
    assert named.returncode == 0, named.stderr
    assert out.read_text(encoding="utf-8") == (tmp_path / "named.yaml").read_text(encoding="utf-8")


def test_a_csv_imports_with_its_first_column_as_time(tmp_path):
    table = tmp_path / "latency.csv"
    table.write_text("Time,p99,p50\n0,120,40\n5,130,42\n10,900,60\n", encoding="utf-8")
    out = tmp_path / "latency.yaml"
    result = run_cli("import", str(table), "-o", str(out), "--unit", "ms")
    assert result.returncode == 0, result.stderr
    assert "reading it as `import csv`" in result.stderr
    assert "p99" in out.read_text(encoding="utf-8")


def test_an_unknown_shape_lists_what_can_be_read(tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": "world"}\n', encoding="utf-8")
    stderr = import_fails(str(odd), "-o", str(tmp_path / "x.yaml"))
    assert stderr.startswith(f"{odd}:1:1: error: not a shape replay-viewer can import")
    for source in SOURCES:
        assert source.name in stderr
    assert not (tmp_path / "x.yaml").exists()
    missing = import_fails(str(tmp_path / "nope.json"), "-o", str(tmp_path / "x.yaml"))
    assert "cannot read" in missing


def test_json_that_does_not_parse_says_where(tmp_path):
    truncated = tmp_path / "trunc.json"
    text = (IMPORT_DATA / "prometheus_p99.json").read_text(encoding="utf-8")
    truncated.write_text(text[:41], encoding="utf-8")  # before "resultType": "matrix"
    stderr = import_fails(str(truncated), "-o", str(tmp_path / "x.yaml"))
    assert stderr.startswith(f"{truncated}:"), stderr
    assert ": error: invalid JSON: " in stderr.splitlines()[0]
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"a": 1}\n{"b":\n', encoding="utf-8")
    stderr = import_fails(str(lines), "-o", str(tmp_path / "x.yaml"))
    assert stderr == f"{lines}:2:6: error: invalid JSON: Expecting value\n"


def test_otlp_json_lines_import_without_naming_the_source(tmp_path):
    out = tmp_path / "shop.yaml"
    result = run_cli("import", str(IMPORT_DATA / "otlp_collector.jsonl"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "reading it as `import otlp`" in result.stderr
    assert 'group: "shop.payments"' in out.read_text(encoding="utf-8")
