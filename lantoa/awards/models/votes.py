"""Council votes: one per member and nomination, guaranteed by the database.

A ballot (who voted on what) and the vote (what was chosen) are two rows written in one
transaction. In an open vote the vote names its member; in a secret ballot it does not, so
the stored data can give the tally but not who voted how. The ballot's unique constraint
is what makes a second vote, however concurrent, fail.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.awards.models.nominations import Nomination
from lantoa.awards.models.rounds import CouncilMember

__all__ = ["Ballot", "Vote", "VoteChoice"]


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="ballots"
    )
    member = models.ForeignKey(
        CouncilMember,
        verbose_name=_("council member"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "member"], name="ballot_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.nomination}"

    def audit_organization_path(self) -> str:
        return self.nomination.round.organization.path


class Vote(models.Model):
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="votes"
    )
    choice = models.CharField(_("choice"), max_length=10, choices=VoteChoice.choices)
    member = models.ForeignKey(
        CouncilMember,
        verbose_name=_("council member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
        help_text=_("Empty in a secret ballot."),
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return self.get_choice_display()
