from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "lantoa.awards"
    label = "awards"
    verbose_name = _("Commendation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lantoa.awards import models

        auditlog.register(models.AwardForm)
        auditlog.register(models.EligibilityRule)
        auditlog.register(models.VoteRule)
        auditlog.register(models.Discipline)
        auditlog.register(models.Round, exclude_fields=["search_key", "created_at"])
        auditlog.register(models.RoundQuota)
        auditlog.register(models.CouncilMember)
        auditlog.register(
            models.Nomination,
            exclude_fields=["nominee_key", "created_at", "status_changed_at"],
            m2m_fields={"good_deeds", "initiatives", "activities", "unit_models"},
        )
        auditlog.register(models.Evidence, exclude_fields=["created_at"])
        auditlog.register(models.Review, exclude_fields=["created_at"])
        auditlog.register(models.Ballot)  # who voted, never what: votes are not audited
        auditlog.register(models.Decision, exclude_fields=["created_at", "search_key"])
        auditlog.register(models.Award)
        auditlog.register(
            models.Ceremony, exclude_fields=["search_key"], m2m_fields={"rounds", "honored"}
        )

        import lantoa.awards.services.nominations  # registers the SUBMIT checks
        import lantoa.awards.services.votes  # noqa: F401 - registers the TALLY step
