"""What a good deed, an initiative and an activity share: they can be put forward for
commendation. The commendation rounds (lantoa.awards) draw their nominations from them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["PutForward"]


class PutForward(models.Model):
    put_forward_at = models.DateTimeField(_("put forward for commendation"), null=True, blank=True)
    put_forward_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("put forward by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    put_forward_note = models.TextField(_("why it deserves commendation"), blank=True, default="")

    class Meta:
        abstract = True

    @property
    def is_put_forward(self) -> bool:
        return self.put_forward_at is not None
