from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lantoa.orgs"
    label = "orgs"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from lantoa.orgs import audit_registry, derived  # noqa: F401

        # Triggers behind the tree counts and the name search (see lantoa/orgs/derived.py).
        pre_migrate.connect(derived.before_migrate, sender=self)
        post_migrate.connect(derived.after_migrate, sender=self)
