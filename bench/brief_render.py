"""Time brief rendering: a country brief as HTML, PDF and Markdown, against the time of the
analytics it draws on (measured in the same run). Goal (issue 6): HTML under 3 s and PDF
under 10 s for a country brief on this machine. Printed, never asserted.

    python bench/brief_render.py [--country PER] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kakehashi import questions
from kakehashi.reports import briefs, render
from kakehashi.store import build_store, open_store


def timed(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="PER")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="kakehashi-bench-")) / "kakehashi.duckdb"
    build_store(path)
    store = open_store(path)
    briefs.country_brief(store, args.country)  # warm caches (Ibis, vl-convert, fonts)
    base = timed(lambda: questions.thennow(store, args.country), args.runs)
    rows = {
        "analytics only (thennow)": base,
        "brief as Markdown": timed(lambda: render.markdown(
            briefs.country_brief(store, args.country)), args.runs),
        "brief as HTML": timed(lambda: render.render_html(
            briefs.country_brief(store, args.country)), args.runs),
        "brief as PDF": timed(lambda: render.render_pdf(
            briefs.country_brief(store, args.country)), args.runs),
    }
    print(f"country brief for {args.country}, median of {args.runs} runs")
    for name, seconds in rows.items():
        print(f"{name:<26} {seconds:6.2f} s  {seconds / base:5.1f}x the then-vs-now analytic")
    html, pdf = rows["brief as HTML"], rows["brief as PDF"]
    print(f"goal HTML < 3 s: {'met' if html < 3 else 'MISSED'} ({html:.2f} s); "
          f"goal PDF < 10 s: {'met' if pdf < 10 else 'MISSED'} ({pdf:.2f} s)")


if __name__ == "__main__":
    main()
