from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "lantoa.public"
    label = "public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lantoa.public.models import Comment, Story, StoryPhoto

        auditlog.register(Story, exclude_fields=["search_key", "created_at", "updated_at"])
        auditlog.register(StoryPhoto)
        # a comment's audit entries leave out the reader's email and address hash
        auditlog.register(Comment, exclude_fields=["email", "address_hash", "created_at"])
