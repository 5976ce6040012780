"""Summing task stats into ``stats.json`` (DESIGN.md contract) and printing the summary."""

from __future__ import annotations

from typing import Any


def merge_stats(parts: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {
        "input": 0,
        "kept": 0,
        "removed": {},
        "errors": 0,
        "steps": {},
        "bytes": 0,
    }
    for p in parts:
        for key in ("input", "kept", "errors", "bytes"):
            total[key] += p.get(key, 0)
        for step, reasons in p.get("removed", {}).items():
            dst = total["removed"].setdefault(step, {})
            for reason, n in reasons.items():
                dst[reason] = dst.get(reason, 0) + n
        for step, s in p.get("steps", {}).items():
            dst = total["steps"].setdefault(step, {"seconds": 0.0, "in": 0, "out": 0})
            dst["seconds"] += s["seconds"]
            dst["in"] += s["in"]
            dst["out"] += s["out"]
    for s in total["steps"].values():
        s["seconds"] = round(s["seconds"], 4)
    return total


def removed_total(stats: dict[str, Any]) -> int:
    return sum(n for reasons in stats["removed"].values() for n in reasons.values())


def check_invariant(stats: dict[str, Any]) -> None:
    """``input == kept + removed + errors``; a violation is a bug in thresher."""
    rem = removed_total(stats)
    if stats["input"] != stats["kept"] + rem + stats["errors"]:
        raise AssertionError(
            f"accounting mismatch: input {stats['input']} != kept {stats['kept']} + "
            f"removed {rem} + errors {stats['errors']}"
        )


def format_summary(stats: dict[str, Any], out: str) -> str:
    """A plain-text table: input, kept, removed by step and reason, errors, time, throughput."""
    n = max(stats["input"], 1)
    rem = removed_total(stats)
    secs = stats.get("seconds", 0.0) or 0.0
    lines = []

    def row(label: str, count: int, indent: int = 0) -> None:
        lines.append(f"{' ' * indent}{label:<{40 - indent}}{count:>12,}  {100 * count / n:6.2f}%")

    lines.append(f"{'':<40}{'documents':>12}  {'share':>7}")
    row("input", stats["input"])
    row("kept", stats["kept"])
    row("removed", rem)
    for step, reasons in sorted(stats["removed"].items(), key=lambda kv: -sum(kv[1].values())):
        row(step, sum(reasons.values()), 2)
        for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
            row(reason, count, 4)
    row("errors (see errors.jsonl)", stats["errors"])
    lines.append("")
    if stats.get("steps"):
        lines.append(f"{'step':<24}{'seconds':>10}{'in':>12}{'out':>12}")
        for step, s in stats["steps"].items():
            lines.append(f"{step:<24}{s['seconds']:>10.2f}{s['in']:>12,}{s['out']:>12,}")
        lines.append("")
    mb = stats.get("bytes", 0) / 1e6
    if secs > 0:
        lines.append(
            f"time {secs:.1f} s, {stats['input'] / secs:,.0f} docs/s, {mb / secs:,.2f} MB/s "
            f"({stats.get('workers', 1)} workers, {stats.get('executor', 'local')} executor)"
        )
    lines.append(f"output: {out}")
    return "\n".join(lines)
