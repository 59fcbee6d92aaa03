"""Background jobs of commendation, run by `manage.py db_worker` (inline when
LANTOA_TASKS_IMMEDIATE is set)."""

from django_tasks import task


@task()
def make_certificates(batch_id: int) -> int:
    """Make every certificate of a batch's decision; returns how many were made."""
    from lantoa.awards.services.certificates import run_batch

    return run_batch(batch_id).done
