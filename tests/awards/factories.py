"""Factories for commendation: forms, vote rules, rounds with councils, nominations."""

import datetime

from lantoa.awards.models import (
    AwardForm,
    AwardFormKind,
    CouncilMember,
    Nomination,
    NominationStatus,
    Round,
    RoundQuota,
    VoteRule,
)
from lantoa.orgs.models import Organization, Person

FORMS = {
    "bieu-duong": ("Biểu dương", AwardFormKind.FORM, 10),
    "giay-khen": ("Giấy khen", AwardFormKind.FORM, 20),
    "bang-khen": ("Bằng khen", AwardFormKind.FORM, 30),
}


def award_form(code: str = "giay-khen") -> AwardForm:
    name, kind, rank = FORMS.get(code, (code, AwardFormKind.FORM, 0))
    form, _ = AwardForm.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "rank": rank}
    )
    return form


def vote_rule(**fields) -> VoteRule:
    defaults = {"name": "Quá nửa tổng số thành viên Hội đồng", "quorum_percent": 50}
    defaults.update(fields)
    return VoteRule.objects.create(**defaults)


def make_round(org: Organization, **fields) -> Round:
    """A yearly round of 2020 whose nominations close 30/11, voting 01/12–10/12."""
    defaults = {
        "title": "Xét biểu dương, khen thưởng năm 2020",
        "year": 2020,
        "submissions_close": datetime.date(2020, 11, 30),
        "voting_opens": datetime.date(2020, 12, 1),
        "voting_closes": datetime.date(2020, 12, 10),
        "evidence_required": False,
    }
    defaults.update(fields)
    if "vote_rule" not in defaults:
        defaults["vote_rule"] = vote_rule()
    return Round.objects.create(organization=org, **defaults)


def seat(round_: Round, user, role: str = "member", position: int = 0) -> CouncilMember:
    return CouncilMember.objects.create(
        round=round_, user=user, name=user.get_username(), role=role, position=position
    )


def quota(round_: Round, org: Organization, people: int = 5, collectives: int = 2) -> RoundQuota:
    return RoundQuota.objects.create(
        round=round_, organization=org, max_people=people, max_collectives=collectives
    )


def make_nomination(
    round_: Round,
    nominating: Organization,
    person: Person | None = None,
    collective: Organization | None = None,
    status: str = NominationStatus.DRAFT,
    **fields,
) -> Nomination:
    """A nomination in any state, written directly (tests of the workflow itself should
    move it with `lantoa.awards.workflow.transition`)."""
    if person is None and collective is None:
        collective = nominating
    defaults = {
        "achievements": "Hoàn thành xuất sắc nhiệm vụ; tiêu biểu trong học tập và làm theo.",
        "proposed_form": award_form(),
    }
    defaults.update(fields)
    return Nomination.objects.create(
        round=round_,
        nominating_organization=nominating,
        person=person,
        collective=collective,
        status=status,
        **defaults,
    )
