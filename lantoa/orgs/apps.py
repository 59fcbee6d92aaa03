from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lantoa.orgs"
    label = "orgs"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        from lantoa.orgs import audit_registry  # noqa: F401
