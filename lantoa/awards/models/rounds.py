"""Rounds of commendation (đợt xét): who runs them, when, with which quotas and council."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.awards.models.catalog import VoteRule
from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization

__all__ = ["CouncilMember", "CouncilRole", "Round", "RoundKind", "RoundQuota"]


class RoundKind(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    INTERIM = "interim", _("Interim review of a directive")
    FINAL = "final", _("Final review of a directive")
    ONE_OFF = "one_off", _("One-off")


class Round(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="award_rounds",
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        pgettext_lazy("record", "kind"),
        max_length=10,
        choices=RoundKind.choices,
        default=RoundKind.YEARLY,
    )
    criteria = models.TextField(_("criteria"), blank=True, default="")
    submissions_close = models.DateField(_("nominations close on"))
    voting_opens = models.DateField(_("voting opens on"))
    voting_closes = models.DateField(_("voting closes on"))
    vote_rule = models.ForeignKey(
        VoteRule, verbose_name=_("vote rule"), on_delete=models.PROTECT, related_name="rounds"
    )
    secret_ballot = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("The tally is shown, but not who voted how."),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    public_comments_from = models.DateField(
        _("nominees published for comments from"),
        null=True,
        blank=True,
        help_text=_("Optional: before the vote, the public may comment on the nominees."),
    )
    public_comments_until = models.DateField(
        _("nominees published for comments until"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    search_key = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = _("commendation round")
        verbose_name_plural = _("commendation rounds")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["organization", "year"], name="round_org_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_opens__gte=models.F("submissions_close"))
                & Q(voting_closes__gte=models.F("voting_opens")),
                name="round_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.criteria = nfc(self.criteria)
        self.search_key = search_key(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path

    def accepts_nominations_on(self, day: datetime.date) -> bool:
        return day <= self.submissions_close

    def voting_open_on(self, day: datetime.date) -> bool:
        return self.voting_opens <= day <= self.voting_closes


class RoundQuota(models.Model):
    """How many individuals and collectives an organization may put up in a round."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="quotas"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    max_people = models.PositiveIntegerField(_("individuals at most"))
    max_collectives = models.PositiveIntegerField(_("collectives at most"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.max_people} / {self.max_collectives}"

    def audit_organization_path(self) -> str:
        return self.round.organization.path


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    MEMBER = "member", pgettext_lazy("council", "Member")
    SECRETARY = "secretary", _("Standing member, secretary")


class CouncilMember(models.Model):
    """A member of the round's council (Hội đồng Thi đua – Khen thưởng): one vote each."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="council"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=10, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_organization_path(self) -> str:
        return self.round.organization.path
