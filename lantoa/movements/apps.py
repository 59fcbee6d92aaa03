from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "lantoa.movements"
    label = "movements"
    verbose_name = _("Movements and good deeds")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lantoa.movements.models import (
            Activity,
            ActivityPhoto,
            ActivityType,
            BeneficiaryCategory,
            GoodDeed,
            Initiative,
            InitiativeAttachment,
            InitiativeAuthor,
            Movement,
            MovementTarget,
        )

        noise = ["search_key", "created_at", "updated_at"]
        auditlog.register(ActivityType)
        auditlog.register(BeneficiaryCategory)
        auditlog.register(Movement, exclude_fields=noise)
        auditlog.register(MovementTarget)
        auditlog.register(Activity, exclude_fields=noise, m2m_fields={"partners"})
        auditlog.register(ActivityPhoto, exclude_fields=["created_at"])
        auditlog.register(Initiative, exclude_fields=noise)
        auditlog.register(InitiativeAuthor)
        auditlog.register(InitiativeAttachment, exclude_fields=["created_at"])
        auditlog.register(GoodDeed, exclude_fields=noise)
