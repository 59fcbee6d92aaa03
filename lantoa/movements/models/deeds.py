"""Good people, good deeds (người tốt, việc tốt): a person or a collective, what they did."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import nfc, search_key
from lantoa.movements.models.proposals import PutForward
from lantoa.orgs.models import Organization, Person

__all__ = ["GoodDeed"]


class GoodDeed(PutForward):
    """Exactly one of `person` and `collective` is the doer. `organization` is where the
    deed is recorded (the doer's organization then), which decides who sees it."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_deeds",
    )
    collective = models.ForeignKey(
        Organization,
        verbose_name=_("collective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_deeds_done",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("recorded in"),
        on_delete=models.PROTECT,
        related_name="good_deeds",
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=500)
    description = models.TextField(_("what they did"))
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_key = models.CharField(max_length=800, editable=False, default="")

    class Meta:
        verbose_name = _("good deed")
        verbose_name_plural = _("good deeds")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"], name="gooddeed_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(collective__isnull=True))
                | (Q(person__isnull=True) & Q(collective__isnull=False)),
                name="gooddeed_one_doer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def doer(self) -> Person | Organization:
        return self.person if self.person_id else self.collective

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.description = nfc(self.description)
        self.search_key = search_key(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path
