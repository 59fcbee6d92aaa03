"""Lan Tỏa at national scale: synthetic data and page timings (`make bench`, bench/README.md).

`python -m bench` drives everything: it prepares each database, generates the data once
(`bench.generate`, in a subprocess with DATABASE_URL set), then times the pages through
Django's test client (`bench.measure`, also one subprocess per database, since settings
are per process) and prints medians with their ratio to a trivial request of the same run.
Beside each database, a second one holds the Cà Mau demo, on which `bench.report` times
the generated term report. `bench.imports` times people imports of a million rows (CSV and
XLSX) and 20,000 rows beside django-import-export, on databases of their own.
"""

import hashlib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "out"

DEFAULT_SEED = 20250901
DEFAULT_ORGS = 60_000
DEFAULT_PEOPLE = 1_000_000
IMPORT_ROWS = 1_000_000  # the people import files (bench/imports.py)
TARGET_MS = 100.0
REPORT_TARGET_MS = 2000.0  # the term report of the whole demo

SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"
SQLITE_URL = f"sqlite:///{SQLITE_PATH}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lantoa_bench"
DEMO_SQLITE_PATH = BASE_DIR / "var" / "bench-demo.sqlite3"
DEMO_SUFFIX = "_demo"  # the PostgreSQL demo database: lantoa_bench_demo

# Bump when the generator's output changes, so that older databases are regenerated.
GENERATOR_VERSION = 2
MARKER_TABLE = "bench_dataset"


def dataset_key(seed: int, orgs: int, people: int) -> str:
    """What identifies a generated dataset; stored in the database, compared on reuse."""
    return f"v{GENERATOR_VERSION}:seed={seed}:orgs={orgs}:people={people}"


def demo_key() -> str:
    """What identifies the loaded demo: a digest of the demo loaders' sources, so that a
    changed demo is loaded again."""
    digest = hashlib.sha256()
    files = sorted({*BASE_DIR.glob("lantoa/**/demo.py"), *BASE_DIR.glob("lantoa/**/demo/*.py")})
    for path in files:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return f"demo:{digest.hexdigest()[:16]}"
