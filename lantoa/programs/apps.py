from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "lantoa.programs"
    label = "programs"
    verbose_name = _("Direction and registration")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lantoa.programs.models import Pilot, Plan

        auditlog.register(Plan)
        auditlog.register(Pilot)
