from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "lantoa.programs"
    label = "programs"
    verbose_name = _("Direction and registration")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lantoa.programs.models import Pilot, PilotNote, Plan, StudySession, Target, Theme

        # plans and study (attendance rows are audited in bulk by the study service)
        auditlog.register(Plan, exclude_fields=["search_key"])
        auditlog.register(Pilot)
        auditlog.register(Target)
        auditlog.register(PilotNote)
        auditlog.register(Theme, exclude_fields=["search_key"])
        auditlog.register(StudySession, exclude_fields=["search_key", "created_at"])

        # documents (counters are not audited: each number given shows in its document)
        from lantoa.programs.models import Document

        auditlog.register(
            Document,
            exclude_fields=["search_key", "created_at", "updated_at"],
            m2m_fields={"implements"},
        )

        # unit models, commitments and the year-end rating (bulk level changes are audited
        # by the rating service)
        from lantoa.programs.models import (
            Commitment,
            CommitmentDeadline,
            CommitmentItem,
            Rating,
            RatingCapSetting,
            RatingList,
            RatingRule,
            UnitModel,
        )

        auditlog.register(UnitModel, exclude_fields=["search_key", "created_at", "updated_at"])
        auditlog.register(Commitment, exclude_fields=["updated_at"])
        auditlog.register(CommitmentItem)
        auditlog.register(CommitmentDeadline)
        auditlog.register(RatingRule)
        auditlog.register(RatingCapSetting)
        auditlog.register(RatingList, exclude_fields=["created_at"])
        auditlog.register(Rating)
