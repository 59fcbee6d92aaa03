"""`manage.py import_file KIND PATH --org CODE --user USERNAME [--max-mb N] [--sheet NAME]`:
import a spreadsheet from the command line, with the same checks as the pages."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantoa.imports.kinds import KINDS
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.orgs.models import Organization

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Import an XLSX or CSV file (all or nothing); exit code 1 when rows are rejected."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("path", type=Path)
        parser.add_argument("--org", required=True, help="code of the target organization")
        parser.add_argument("--user", required=True, help="username of the importing account")
        parser.add_argument("--max-mb", type=int, default=None, help="file size limit in MB")
        parser.add_argument("--sheet", default=None, help="sheet name (XLSX; default: first)")

    def handle(self, *args, **options) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            org = Organization.objects.get(code=options["org"].upper())
        except Organization.DoesNotExist:
            raise CommandError(f"No organization with code {options['org']}") from None
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {options['user']}") from None
        max_bytes = options["max_mb"] * 1024 * 1024 if options["max_mb"] else None
        started = time.monotonic()
        try:
            job = import_path(
                path,
                kind=options["kind"],
                by=user,
                organization=org,
                max_bytes=max_bytes,
                sheet=options["sheet"],
                progress=lambda done: self.stdout.write(f"  {done} rows read"),
            )
        except PermissionDenied:
            raise CommandError(f"{user} may not import {options['kind']} into {org.code}") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{job.status}: {job.done} rows in {elapsed:.1f} s; created {job.created}, "
            f"updated {job.updated}, unchanged {job.unchanged}, rejected {job.rejected} "
            f"(job {job.pk})"
        )
        if job.status == ImportJob.Status.DONE:
            return
        if job.error:
            self.stderr.write(job.error)
        for error in job.row_errors.order_by("line", "id")[:ERRORS_SHOWN]:
            self.stderr.write(f"{job.sheet} line {error.line} [{error.column}]: {error.message}")
        if job.rejected > 0 and job.row_errors.count() > ERRORS_SHOWN:
            self.stderr.write(f"... and more: see the job's page (job {job.pk}).")
        raise SystemExit(1)
