"""The benchmark's tables under the pages' table: the load steps, and the
exports, reminder scans and other timings, as markdown lines."""

from __future__ import annotations

from typing import Any


def load_tables(load: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    people = load.get("people")
    if people:
        lines += [
            "",
            f"Load: {people['clients']} signed-in clients, each waiting "
            f"{people['think']} s between requests, for {people['seconds']} s over "
            f"{', '.join(people['pages'])}.",
            "",
            "| requests | errors | median (ms) | p95 (ms) | p95 x floor median | req/s |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {people['requests']} | {people['errors']} | {people['median_ms']} "
            f"| {people['p95_ms']} | {people['p95_floor_multiple']} | {people['rps']} |",
        ]
    steps = load.get("most_rps")
    if steps:
        lines += [
            "",
            f"Most requests per second with p95 under {steps['p95_limit_ms']} ms "
            f"(clients with no waiting, {steps['step_seconds']} s a step): "
            f"**{steps['best_rps']}** req/s.",
            "",
            "| clients | requests | errors | median (ms) | p95 (ms) | req/s |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {s['clients']} | {s['requests']} | {s['errors']} | {s['median_ms']} "
            f"| {s['p95_ms']} | {s['rps']} |"
            for s in steps["steps"]
        ]
    return lines


def task_tables(extra: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    exports = extra.get("exports")
    if exports:
        lines += [
            "",
            "| export | rows | seconds | CPU seconds | x CSV | peak memory (MB) "
            "| before export (MB) | file (MB) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        names = {
            "csv": "CSV, register marks (kernel writer)",
            "xlsx": "XLSX, register marks (kernel writer)",
            "meetings-csv": "CSV, mentor meetings (registered export)",
            "meetings-xlsx": "XLSX, mentor meetings (registered export)",
        }
        for file_format, f in exports.items():
            lines.append(
                f"| {names.get(file_format, file_format)} | {f['rows']:,} | {f['seconds']} "
                f"| {f.get('cpu_s', '')} | {f.get('xlsx_to_csv', '')} | {f['peak_mb']} "
                f"| {f['baseline_mb']} "
                f"| {f['file_mb']} |"
            )
    scans = extra.get("reminder_scans")
    if scans:
        lines += ["", "| reminder scan | seconds | queries | reminders |", "|---|---:|---:|---:|"]
        for name, f in scans.items():
            lines.append(f"| {name} | {f['seconds']} | {f['queries']} | {f['reminders']} |")
    snapshot = extra.get("retention_snapshot")
    if snapshot:
        lines += [
            "",
            "| retention snapshot | seconds | queries | rows |",
            "|---|---:|---:|---:|",
            f"| {snapshot['month']} | {snapshot['seconds']} | {snapshot['queries']} "
            f"| {snapshot['rows']} |",
        ]
    rest = {
        k: v
        for k, v in extra.items()
        if k not in {"exports", "reminder_scans", "retention_snapshot"}
    }
    if rest:
        lines += ["", "| measurement | value |", "|---|---:|"]
        lines += [f"| {name} | {value} |" for name, value in rest.items()]
    return lines
