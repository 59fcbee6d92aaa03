"""Time the term report of the Cà Mau demo, on one database that holds the demo.

Run by `python -m bench` (with DATABASE_URL set), in two ways:

- `python -m bench.report --load KEY`: load the demo (`manage.py load_demo`) into the
  freshly migrated database and record KEY in the marker table, so that a later run
  reuses it;
- `python -m bench.report --out FILE --baseline-ms MS`: time the report of the committee
  (code DCD) over its term IX, 2015–2020 — the report `reports:report_new` makes.

Two measures, each a median over the runs after a warm-up:

- **generation**: what runs in Lan Tỏa's own process — the figures (`figures.compute`),
  the narrative, the DOCX with its chart, the XLSX annexes and the reportlab PDF. Time,
  queries, and peak Python memory (tracemalloc, in separate runs so that tracing does not
  slow the timed ones). Target: under 2 s.
- **job with LibreOffice**: the background job as it runs where LibreOffice is installed
  (`services.render_files`: the PDF converted from the DOCX by `soffice --headless`),
  with the converter's peak resident memory (a separate process, which tracemalloc cannot
  see). Informational: the converter's start-up dominates it.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from io import StringIO
from typing import Any

import django

from bench import MARKER_TABLE, REPORT_TARGET_MS

ORG_CODE = "DCD"
TERM = ("ĐU", "IX")


def load(key: str) -> None:
    """Load the demo and mark the database as holding it."""
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("load_demo", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(100) PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", ["dataset"])
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)",
            ["dataset", json.dumps({"key": key, "demo": True})],
        )
    print(f"    demo loaded in {time.perf_counter() - start:.1f} s", flush=True)


def _summary(label: str, times: list[float], baseline: float | None, **extra: Any) -> dict:
    ordered = sorted(times)
    median = statistics.median(ordered)
    p90 = ordered[max(0, -(-9 * len(ordered) // 10) - 1)]
    return {
        "label": label,
        "runs": len(ordered),
        "median_ms": round(median, 1),
        "p90_ms": round(p90, 1),
        "min_ms": round(ordered[0], 1),
        "ratio": round(median / baseline, 1) if baseline else None,
        **extra,
    }


def run(reps: int, warmup: int, memory_runs: int, baseline_ms: float | None) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lantoa.orgs.models import Organization
    from lantoa.programs.models import Term
    from lantoa.reports.documents.annex_xlsx import annex_xlsx
    from lantoa.reports.documents.report_docx import report_docx
    from lantoa.reports.documents.report_pdf import reportlab_pdf, soffice
    from lantoa.reports.periods import term_period
    from lantoa.reports.services import build_report, render_files

    org = Organization.objects.get(code=ORG_CODE)
    term = Term.objects.get(issuer__code=TERM[0], code=TERM[1])
    period = term_period(term)

    def generate() -> dict[str, int]:
        report = build_report(org, period, "term")
        sizes = {
            "docx": len(report_docx(report)),
            "xlsx": len(annex_xlsx(report)),
            "pdf": len(reportlab_pdf(report)),
        }
        assert "73 tập thể và 167 cá nhân" in report.sections[1].paragraphs[0]
        return sizes

    for _ in range(warmup):
        generate()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            sizes = generate()
        times.append((time.perf_counter() - start) * 1000)
    peaks = []
    for _ in range(memory_runs):
        tracemalloc.start()
        generate()
        peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
    cases = {
        "generation": _summary(
            "term report: figures, DOCX, XLSX, PDF",
            times,
            baseline_ms,
            queries=len(queries),
            peak_mb=round(statistics.median(peaks), 1),
            bytes=sizes,
            target_ms=REPORT_TARGET_MS,
        )
    }
    print(
        f"    {cases['generation']['label']:<40} median {cases['generation']['median_ms']:8.1f} ms"
        f"  peak {cases['generation']['peak_mb']:.1f} MB  {len(queries)} queries",
        flush=True,
    )

    command = soffice()
    if command is None:
        print("    LibreOffice not installed: the job's PDF is reportlab's (above)", flush=True)
    else:
        job_times, engines = [], set()
        job_runs = max(1, min(reps, 3))
        for _ in range(job_runs + 1):  # the first one warms LibreOffice's files up
            start = time.perf_counter()
            files = render_files(build_report(org, period, "term"))
            job_times.append((time.perf_counter() - start) * 1000)
            engines.add(files.pdf_engine)
        children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        cases["job_libreoffice"] = _summary(
            "job with the PDF by LibreOffice",
            job_times[1:],
            baseline_ms,
            converter_peak_mb=round(children_kb / 1024, 1),
            engines=sorted(engines),
        )
        print(
            f"    {cases['job_libreoffice']['label']:<40} median "
            f"{cases['job_libreoffice']['median_ms']:8.1f} ms  LibreOffice peak "
            f"{cases['job_libreoffice']['converter_peak_mb']:.0f} MB RSS",
            flush=True,
        )
    figures = {
        "organization": org.name,
        "period": f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}",
        "term": term.name,
    }
    return {"vendor": connection.vendor, "report": figures, "cases": cases}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", metavar="KEY", help="load the demo and record KEY")
    parser.add_argument("--out")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--memory-runs", type=int, default=3)
    parser.add_argument("--baseline-ms", type=float, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    django.setup()
    if args.load:
        load(args.load)
        return
    if not args.out:
        parser.error("--out is required to time the report")
    result = run(max(1, args.reps), max(0, args.warmup), max(1, args.memory_runs), args.baseline_ms)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
