"""Background jobs of the imports, run by `manage.py db_worker` (inline when
LANTOA_TASKS_IMMEDIATE is set)."""

from django_tasks import task


@task()
def run_import(job_id: int) -> int:
    """Import the queued job's file, all or nothing; returns the job's id."""
    from lantoa.imports.services import run

    return run(job_id).pk
