"""Background jobs of the reports, run by `manage.py db_worker` (inline when
LANTOA_TASKS_IMMEDIATE is set)."""

from django_tasks import task


@task()
def make_report(job_id: int) -> int:
    """Compute the figures and write the report's DOCX, XLSX and PDF; returns the job's id."""
    from lantoa.reports.services import run_report

    return run_report(job_id).pk
