"""Catalogs kept as data: kinds of activity with their unit, and categories of beneficiary."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["ActivityType", "BeneficiaryCategory"]


class ActivityType(models.Model):
    """A kind of activity and the unit its quantity is counted in.

    `max_quantity` is the largest quantity one activity may report: beyond it a figure is
    taken for a typing mistake (an extra zero) and refused.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. houses, blood units"))
    max_quantity = models.PositiveIntegerField(_("largest quantity per activity"), default=10_000)
    is_other = models.BooleanField(_("other activities"), default=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class BeneficiaryCategory(models.Model):
    """Who an activity helped: policy families, families with merit, poor households..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("beneficiary category")
        verbose_name_plural = _("beneficiary categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
