"""Rounds of commendation (đợt xét): what committee staff set up before nominations come —
the round itself with its deadlines and vote rule, the quota of each organization, and the
council that votes.

Every write checks `Perm.MANAGE_ROUNDS` on the organization running the round, validates
everything before saving anything, and is audited by auditlog. Who sees a round: those who
may view programs at, above or under the organization running it (a base organization sees
the rounds of its committee, to nominate in them).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.awards.models import (
    Ballot,
    CouncilMember,
    CouncilRole,
    Nomination,
    NominationStatus,
    Round,
    RoundKind,
    RoundQuota,
    VoteRule,
    valid_on_q,
)
from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization, RoleGrant
from lantoa.orgs.rules import ROLE_PERMISSIONS, Perm, User, can, granted_paths
from lantoa.programs.models.documents import reach_q

__all__ = [
    "COUNTED_STATUSES",
    "FIRST_YEAR",
    "MAX_QUOTA",
    "QuotaUsage",
    "add_council_member",
    "can_view_round",
    "council_candidates",
    "create_round",
    "delete_quota",
    "describe_vote_rule",
    "in_round_subtree",
    "quota_usage",
    "remove_council_member",
    "rule_in_force",
    "set_quota",
    "short_date",
    "update_round",
    "used_by",
    "visible_rounds",
]

FIRST_YEAR = 1930
YEARS_AHEAD = 5
MAX_QUOTA = 100_000  # beyond this a quota is taken for a typing mistake
# nominations that take a place in the organization's quota
COUNTED_STATUSES = (
    NominationStatus.SUBMITTED,
    NominationStatus.IN_REVIEW,
    NominationStatus.VOTING,
    NominationStatus.SELECTED,
    NominationStatus.COMMENDED,
    NominationStatus.HONORED,
)
ROUND_FIELDS = (
    "title",
    "year",
    "kind",
    "criteria",
    "submissions_close",
    "voting_opens",
    "voting_closes",
    "vote_rule",
    "secret_ballot",
    "evidence_required",
    "public_comments_from",
    "public_comments_until",
)


def short_date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- reading -----------------------------------------------------------------------------


def visible_rounds(user: User) -> QuerySet[Round]:
    """Rounds run at, above or under the subtrees where the user may view programs."""
    paths = granted_paths(user, Perm.VIEW_PROGRAMS)
    if not paths:
        return Round.objects.none()
    return Round.objects.filter(reach_q(paths, "organization__path"))


def can_view_round(user: User, round_: Round) -> bool:
    if can(user, Perm.VIEW_PROGRAMS, round_.organization):
        return True
    runner = round_.organization.path
    return any(path.startswith(runner) for path in granted_paths(user, Perm.VIEW_PROGRAMS))


def in_round_subtree(round_: Round, organization: Organization) -> bool:
    return organization.path.startswith(round_.organization.path)


def rule_in_force(day: datetime.date) -> VoteRule | None:
    """The vote rule in force on the day (the most recent one, if several are)."""
    latest = F("valid_from").desc(nulls_last=True)
    return VoteRule.objects.filter(valid_on_q(day)).order_by(latest, "-id").first()


def _rule_valid_on(rule: VoteRule, day: datetime.date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= day) and (
        rule.valid_to is None or day <= rule.valid_to
    )


def describe_vote_rule(rule: VoteRule) -> str:
    """The rule in words, for staff and for the minutes."""
    quorum = _("The vote is valid when at least %(quorum)s%% of the council's members vote.") % {
        "quorum": rule.quorum_percent
    }
    if rule.base == VoteRule.Base.CAST:
        if rule.strictly_more:
            share = _("A nominee is selected when more than %(share)s%% of the votes cast agree.")
        else:
            share = _("A nominee is selected when at least %(share)s%% of the votes cast agree.")
    elif rule.strictly_more:
        share = _("A nominee is selected when more than %(share)s%% of all council members agree.")
    else:
        share = _("A nominee is selected when at least %(share)s%% of all council members agree.")
    return f"{quorum} {share % {'share': rule.approval_percent}}"


def used_by(round_: Round, organization_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """{nominating organization id: (individuals, collectives)} counted against quotas."""
    rows = Nomination.objects.filter(round=round_, status__in=COUNTED_STATUSES)
    if organization_ids is not None:
        rows = rows.filter(nominating_organization_id__in=organization_ids)
    counts = (
        rows.order_by()
        .values("nominating_organization_id")
        .annotate(
            people=Count("pk", filter=Q(person__isnull=False)),
            collectives=Count("pk", filter=Q(collective__isnull=False)),
        )
    )
    return {
        row["nominating_organization_id"]: (row["people"], row["collectives"]) for row in counts
    }


@dataclass(frozen=True)
class QuotaUsage:
    quota: RoundQuota
    people: int
    collectives: int

    @property
    def people_left(self) -> int:
        return max(self.quota.max_people - self.people, 0)

    @property
    def collectives_left(self) -> int:
        return max(self.quota.max_collectives - self.collectives, 0)


def quota_usage(round_: Round, quotas: QuerySet[RoundQuota] | None = None) -> list[QuotaUsage]:
    """Each quota with the places used and left, in two queries."""
    quotas = quotas if quotas is not None else round_.quotas.all()
    quotas = list(quotas.select_related("organization").order_by("organization__path"))
    used = used_by(round_, [quota.organization_id for quota in quotas])
    return [QuotaUsage(quota, *used.get(quota.organization_id, (0, 0))) for quota in quotas]


# --- rounds ------------------------------------------------------------------------------


def _last_year() -> int:
    return timezone.localdate().year + 1 + YEARS_AHEAD


def _check_dates(
    submissions_close: datetime.date | None,
    voting_opens: datetime.date | None,
    voting_closes: datetime.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if submissions_close is None:
        errors["submissions_close"] = _("Enter the day nominations close.")
    if voting_opens is None:
        errors["voting_opens"] = _("Enter the day voting opens.")
    if voting_closes is None:
        errors["voting_closes"] = _("Enter the day voting closes.")
    if errors:
        return errors
    if voting_opens < submissions_close:
        errors["voting_opens"] = _(
            "Voting cannot open (%(opens)s) before nominations close (%(close)s)."
        ) % {"opens": short_date(voting_opens), "close": short_date(submissions_close)}
    if voting_closes < voting_opens:
        errors["voting_closes"] = _(
            "Voting cannot close (%(closes)s) before it opens (%(opens)s)."
        ) % {"closes": short_date(voting_closes), "opens": short_date(voting_opens)}
    return errors


def check_publication_window(
    start: datetime.date | None, end: datetime.date | None, voting_opens: datetime.date | None
) -> dict[str, str]:
    """The optional window in which the public comments on the nominees: both days or
    neither, the first not after the last, and closed before the vote opens."""
    if start is None and end is None:
        return {}
    if start is None:
        return {"public_comments_from": _("Enter the first day of comments, or neither day.")}
    if end is None:
        return {"public_comments_until": _("Enter the last day of comments, or neither day.")}
    if end < start:
        return {
            "public_comments_until": _(
                "Comments cannot close (%(end)s) before they open (%(start)s)."
            )
            % {"end": short_date(end), "start": short_date(start)}
        }
    if voting_opens is not None and end > voting_opens:
        return {
            "public_comments_until": _(
                "Comments on the nominees must close (%(end)s) by the day voting opens (%(opens)s)."
            )
            % {"end": short_date(end), "opens": short_date(voting_opens)}
        }
    return {}


def _check_rule(
    rule: VoteRule | None, submissions_close: datetime.date, voting_closes: datetime.date
) -> tuple[VoteRule | None, str]:
    """The rule to apply (by default the one in force when nominations close), or why not."""
    if rule is None:
        rule = rule_in_force(submissions_close)
        if rule is None:
            return None, _(
                "No vote rule is in force on %(date)s: ask the administrator to record one."
            ) % {"date": short_date(submissions_close)}
    for day in (submissions_close, voting_closes):
        if not _rule_valid_on(rule, day):
            return None, _("The vote rule “%(rule)s” is not in force on %(date)s.") % {
                "rule": rule.name,
                "date": short_date(day),
            }
    return rule, ""


def _check_round(fields: dict, organization: Organization) -> dict[str, str]:
    errors = _check_dates(
        fields["submissions_close"], fields["voting_opens"], fields["voting_closes"]
    )
    errors.update(
        check_publication_window(
            fields["public_comments_from"], fields["public_comments_until"], fields["voting_opens"]
        )
    )
    if not fields["title"]:
        errors["title"] = _("Enter the title of the round.")
    year = fields["year"]
    if year is None or not FIRST_YEAR <= year <= _last_year():
        errors["year"] = _("Enter a year between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": _last_year(),
        }
    if fields["kind"] not in RoundKind.values:
        errors["kind"] = _("Choose the kind of round.")
    if organization.archived:
        errors["organization"] = _("This organization is archived.")
    if "submissions_close" not in errors and "voting_closes" not in errors:
        rule, problem = _check_rule(
            fields["vote_rule"], fields["submissions_close"], fields["voting_closes"]
        )
        if problem:
            errors["vote_rule"] = problem
        fields["vote_rule"] = rule
    return errors


def _clean(fields: dict) -> dict:
    fields = {name: fields.get(name) for name in ROUND_FIELDS}
    fields["title"] = nfc(fields["title"] or "")
    fields["criteria"] = nfc(fields["criteria"] or "")
    fields["kind"] = fields["kind"] or RoundKind.YEARLY
    fields["secret_ballot"] = bool(fields["secret_ballot"])
    fields["evidence_required"] = bool(fields["evidence_required"])
    return fields


@transaction.atomic
def create_round(*, by: User, organization: Organization, **fields) -> Round:
    """Open a round run by the organization. The vote rule, if not chosen, is the one in
    force on the day nominations close."""
    require(can(by, Perm.MANAGE_ROUNDS, organization))
    fields = _clean(fields)
    errors = _check_round(fields, organization)
    if errors:
        raise ValidationError(errors)
    return Round.objects.create(
        organization=organization,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )


@transaction.atomic
def update_round(round_: Round, *, by: User, **fields) -> Round:
    """Correct a round. Once votes have been cast its vote rule and the secrecy of the
    ballot stay as they were."""
    require(can(by, Perm.MANAGE_ROUNDS, round_.organization))
    round_ = Round.objects.select_for_update().select_related("organization").get(pk=round_.pk)
    fields = _clean(fields)
    errors = _check_round(fields, round_.organization)
    if round_.organization.archived:
        errors.pop("organization")  # it stays run by whom it was
    voted = Ballot.objects.filter(nomination__round=round_).exists()
    if voted and fields.get("vote_rule") is not None:
        if fields["vote_rule"].pk != round_.vote_rule_id:
            errors["vote_rule"] = _("Votes have been cast: the vote rule can no longer change.")
        if fields["secret_ballot"] != round_.secret_ballot:
            errors["secret_ballot"] = _(
                "Votes have been cast: the ballot can no longer become secret or open."
            )
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(round_, name, value)
    round_.save()
    return round_


# --- quotas ------------------------------------------------------------------------------


def _check_count(value: int | None, field: str) -> dict[str, str]:
    if value is None:
        return {field: _("Enter a number (0 if none).")}
    if value < 0:
        return {field: _("The number cannot be negative.")}
    if value > MAX_QUOTA:
        return {field: _("At most %(max)s.") % {"max": f"{MAX_QUOTA:,}".replace(",", ".")}}
    return {}


@transaction.atomic
def set_quota(
    round_: Round,
    *,
    by: User,
    organization: Organization,
    max_people: int | None,
    max_collectives: int | None,
    quota: RoundQuota | None = None,
) -> RoundQuota:
    """Give an organization of the round's subtree its quota, or change it. A quota cannot
    be set below the places already taken."""
    require(can(by, Perm.MANAGE_ROUNDS, round_.organization))
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    errors = {**_check_count(max_people, "max_people")}
    errors.update(_check_count(max_collectives, "max_collectives"))
    if organization is None or not in_round_subtree(round_, organization):
        errors["organization"] = _("Choose an organization of the subtree of %(organization)s.") % {
            "organization": round_.organization.name
        }
    else:
        clash = RoundQuota.objects.filter(round=round_, organization=organization)
        if quota is not None:
            clash = clash.exclude(pk=quota.pk)
        if clash.exists():
            errors["organization"] = _(
                "%(organization)s already has a quota in this round: change that one."
            ) % {"organization": organization.name}
        people, collectives = used_by(round_, [organization.pk]).get(organization.pk, (0, 0))
        if "max_people" not in errors and max_people < people:
            errors["max_people"] = _(
                "%(organization)s has already nominated %(used)s individuals: the quota "
                "cannot be less."
            ) % {"organization": organization.name, "used": people}
        if "max_collectives" not in errors and max_collectives < collectives:
            errors["max_collectives"] = _(
                "%(organization)s has already nominated %(used)s collectives: the quota "
                "cannot be less."
            ) % {"organization": organization.name, "used": collectives}
    if errors:
        raise ValidationError(errors)
    if quota is None:
        quota = RoundQuota(round=round_)
    quota.organization = organization
    quota.max_people, quota.max_collectives = max_people, max_collectives
    quota.save()
    return quota


@transaction.atomic
def delete_quota(quota: RoundQuota, *, by: User) -> None:
    """Remove a quota: the organization then nominates without a limit."""
    require(can(by, Perm.MANAGE_ROUNDS, quota.round.organization))
    quota.delete()


# --- the council -------------------------------------------------------------------------

VOTING_ROLES = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.VOTE in perms]


def _ancestor_paths(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def council_candidates(round_: Round) -> QuerySet:
    """Active accounts that may vote on the round (a role with the right to vote on the
    organization running it, or above), not yet seated."""
    grants = RoleGrant.objects.filter(
        role__in=VOTING_ROLES,
        organization__path__in=_ancestor_paths(round_.organization.path),
    ).values("user_id")
    seated = CouncilMember.objects.filter(round=round_).values("user_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=grants) | Q(is_superuser=True), is_active=True)
        .exclude(pk__in=seated)
        .order_by("username")
    )


def _council_open(round_: Round, today: datetime.date) -> str:
    if today >= round_.voting_opens:
        return _("The council cannot change once voting has opened (on %(date)s).") % {
            "date": short_date(round_.voting_opens)
        }
    return ""


def _account_name(user) -> str:
    person = getattr(user, "person", None)
    if person is not None:
        return person.full_name
    return nfc(user.get_full_name() or "") or user.get_username()


@transaction.atomic
def add_council_member(
    round_: Round,
    *,
    by: User,
    user,
    name: str = "",
    role: str = CouncilRole.MEMBER,
    position: int | None = None,
    today: datetime.date | None = None,
) -> CouncilMember:
    """Seat an account on the round's council, before voting opens."""
    require(can(by, Perm.MANAGE_ROUNDS, round_.organization))
    round_ = Round.objects.select_for_update().select_related("organization").get(pk=round_.pk)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    closed = _council_open(round_, today)
    if closed:
        raise ValidationError(closed)
    if user is None:
        errors["user"] = _("Choose the member's account.")
    elif not user.is_active or not can(user, Perm.VOTE, round_.organization):
        errors["user"] = _(
            "%(account)s holds no council member role on %(organization)s: grant it first."
        ) % {"account": user.get_username(), "organization": round_.organization.name}
    elif CouncilMember.objects.filter(round=round_, user=user).exists():
        errors["user"] = _("%(account)s already sits on this council.") % {
            "account": user.get_username()
        }
    if role not in CouncilRole.values:
        errors["role"] = _("Choose the member's role on the council.")
    if position is not None and not 0 <= position <= 999:
        errors["position"] = _("Enter a position between 0 and 999.")
    if errors:
        raise ValidationError(errors)
    name = nfc(name or "") or _account_name(user)
    if position is None:
        position = CouncilMember.objects.filter(round=round_).count() + 1
    try:
        with transaction.atomic():
            return CouncilMember.objects.create(
                round=round_, user=user, name=name[:200], role=role, position=position
            )
    except IntegrityError as error:
        raise ValidationError(
            {
                "user": _("%(account)s already sits on this council.")
                % {"account": user.get_username()}
            }
        ) from error


@transaction.atomic
def remove_council_member(
    member: CouncilMember, *, by: User, today: datetime.date | None = None
) -> None:
    """Remove a member from the council, before voting opens."""
    require(can(by, Perm.MANAGE_ROUNDS, member.round.organization))
    round_ = Round.objects.select_for_update().get(pk=member.round_id)
    closed = _council_open(round_, today or timezone.localdate())
    if closed:
        raise ValidationError(closed)
    if Ballot.objects.filter(member=member).exists():
        raise ValidationError(_("This member has voted: they cannot be removed."))
    member.delete()
