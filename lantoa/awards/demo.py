"""The Cà Mau demo's commendation of the IXth term, 2017–2020 (`manage.py load_demo`).

Called by the orgs demo after the programs and movements demos, inside the same transaction
and with the same seeded generator. It reproduces the figures of case-camau.md:

- Đảng ủy Dân Chính Đảng tỉnh runs one round a year, 2017–2020, with quotas for its base
  organizations, a council (Hội đồng Thi đua – Khen thưởng) of 7 members, 9 after the
  enterprise bloc joined on 01/04/2019, and the rule "more than half of all members";
- base organizations nominate members (preferably those rated "hoàn thành xuất sắc nhiệm
  vụ" in the programs demo's confirmed lists, and those whose good deeds or initiatives the
  movements demo put forward before the round closed, linked to the nomination) and
  collectives (the base organization itself or one of its cells);
- most are selected by the council, commended by a numbered decision (…-QĐ/ĐU, through the
  committee's counter) and honored at one of the term's **3** ceremonies; others are not
  selected (too few votes under the rule), returned for changes and resubmitted, withdrawn,
  rejected, or flagged as entered twice; a few selected in 2018–2019 were proposed for the
  Tỉnh ủy's Bằng khen, so the committee issued no decision for them;
- over the term's rounds **73** collectives and **167** individuals are commended; in 2020
  **47** collectives and **75** individuals are selected (and all of them commended).

The case gives those figures and nothing else: the dates of rounds, decisions and
ceremonies, the council's names, the split of 73/167 over 2017–2019 and every nominee are
plausible invention. Ceremonies: the case says 3 in the 4 years, and that the 2020 one
honored those selected in 2020; the first honors the round of 2017 (January 2018), the
second those of 2018 and 2019 together, at the conference reviewing 3 years of Directive
05 (May 2019, after the programs demo's report of 24/05/2019), the third those of 2020,
before the committee's Xth congress (term IX ends 15/07/2020 in the programs demo).

Rounds, decisions (numbered by the programs' document service) and ceremonies are saved one
by one (audited by django-auditlog); quotas, council seats, nominations, reviews, ballots
and awards are bulk-inserted with one audit entry each (`lantoa.core.audit.record_many`), as
a ceremony's honor list is with one entry. Events and votes are bulk-inserted without: the
app does not audit them (the events are the nominations' history; votes are never audited,
so that a secret ballot stays secret). The council's accounts other than `hoidong.1`
(hoidong.2–hoidong.9) are created with hoidong.1's password and the council member role.
No evidence or certificate file is written.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from lantoa.awards.models import (
    Award,
    AwardForm,
    AwardFormKind,
    Ballot,
    Ceremony,
    CouncilMember,
    CouncilRole,
    Decision,
    DecisionKind,
    DecisionStatus,
    Nomination,
    NominationEvent,
    NominationStatus,
    Review,
    Round,
    RoundKind,
    RoundQuota,
    Vote,
    VoteChoice,
    VoteRule,
)
from lantoa.awards.models.nominations import nominee_key
from lantoa.core import audit
from lantoa.core.text import collation_key, nfc
from lantoa.movements.models import Activity, GoodDeed, Initiative, InitiativeAuthor
from lantoa.orgs import services as org_services
from lantoa.orgs.demo.context import DemoContext, Unit
from lantoa.orgs.models import Organization, OrganizationKind, Person, Role
from lantoa.programs.models import (
    Document,
    DocumentSystem,
    DocumentType,
    RatingLevel,
    RatingListStatus,
    UnitModel,
)
from lantoa.programs.models import Rating as MemberRating
from lantoa.programs.services.documents import register_own_document

D = datetime.date
S = NominationStatus
Action = audit.Action

# --- catalog -------------------------------------------------------------------------------

# code: name, kind, for people, for collectives, rank (as migration 0002 seeds them)
FORMS: dict[str, tuple[str, str, bool, bool, int]] = {
    "bieu-duong": ("Biểu dương", AwardFormKind.FORM, True, True, 10),
    "giay-khen": ("Giấy khen", AwardFormKind.FORM, True, True, 20),
    "bang-khen": ("Bằng khen", AwardFormKind.FORM, True, True, 30),
}
GIAY_KHEN, BIEU_DUONG, BANG_KHEN = "giay-khen", "bieu-duong", "bang-khen"
VOTE_RULE = "Quá nửa tổng số thành viên Hội đồng"  # the name migration 0002 seeds it by
DECISION_TYPE = "QĐ"

# --- the council -----------------------------------------------------------------------------

COUNCIL_USERNAME = "hoidong.1"  # the orgs demo's council member account


@dataclass(frozen=True)
class Seat:
    username: str
    family: str  # family and middle names
    given: str
    role: str


# Fictional members of the Hội đồng Thi đua – Khen thưởng of Đảng ủy Dân Chính Đảng tỉnh;
# the first 7 sit from 2017, the last 2 (from the former enterprise bloc) from April 2019.
SEATS: tuple[Seat, ...] = (
    Seat("hoidong.2", "Nguyễn Thanh", "Hải", CouncilRole.CHAIR),  # Bí thư Đảng ủy
    Seat("hoidong.3", "Trần Thị Mỹ", "Linh", CouncilRole.DEPUTY),  # Phó Bí thư Thường trực
    Seat(COUNCIL_USERNAME, "Lê Văn", "Phúc", CouncilRole.MEMBER),  # Trưởng Ban Tuyên giáo
    Seat("hoidong.4", "Phạm Quốc", "Dũng", CouncilRole.MEMBER),  # Trưởng Ban Tổ chức
    Seat("hoidong.5", "Võ Thị Thu", "Hà", CouncilRole.MEMBER),  # Chủ nhiệm UBKT Đảng ủy
    Seat("hoidong.6", "Huỳnh Minh", "Trí", CouncilRole.MEMBER),  # Công đoàn Viên chức tỉnh
    Seat("hoidong.7", "Đặng Ngọc", "Hân", CouncilRole.SECRETARY),  # Chánh Văn phòng Đảng ủy
    Seat("hoidong.8", "Ngô Văn", "Khải", CouncilRole.MEMBER),  # Phó Bí thư (doanh nghiệp)
    Seat("hoidong.9", "Dương Thị Kim", "Ngân", CouncilRole.MEMBER),  # Bí thư Đoàn Khối
)
SIGNER = ("Nguyễn Thanh Hải", "T/M BAN THƯỜNG VỤ\nBÍ THƯ")
PLACE = "Cà Mau"

# --- rounds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcomes:
    """How the nominations of one kind (individuals or collectives) of a round end."""

    commended: int  # selected, commended by the round's decision, honored at a ceremony
    not_selected: int
    withdrawn: int
    rejected: int
    forwarded: int = 0  # selected, proposed for the Tỉnh ủy's Bằng khen: no decision here

    @property
    def selected(self) -> int:
        return self.commended + self.forwarded

    @property
    def total(self) -> int:
        return self.selected + self.not_selected + self.withdrawn + self.rejected


@dataclass(frozen=True)
class RoundSpec:
    year: int
    kind: str
    title: str
    criteria: str
    close: datetime.date  # nominations close
    opens: datetime.date  # voting opens (the council meets)
    closes: datetime.date
    decided_on: datetime.date
    seats: int
    rating_year: int  # the latest confirmed rating lists when nominations close
    people: Outcomes
    collectives: Outcomes
    person_form: str
    collective_form: str
    quota: tuple[int, int]  # individuals, collectives per base organization (at least)
    returned: int  # nominations returned for changes, then resubmitted
    duplicates: int  # individuals entered twice by their organization, flagged
    everyone: bool = False  # every base organization nominates at least one of each kind
    secret: bool = False
    absent: int = 0  # council members absent from the vote


CRITERIA = (
    "Tập thể, cá nhân tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ "
    "Chí Minh {period}: có việc làm cụ thể, thiết thực theo nội dung đã đăng ký, được tập "
    "thể ghi nhận, có sức lan tỏa; cá nhân được xếp loại đảng viên “Hoàn thành xuất sắc "
    "nhiệm vụ” hoặc “Hoàn thành tốt nhiệm vụ” năm {rating_year}; tập thể hoàn thành tốt "
    "nhiệm vụ chính trị, tổ chức đảng đạt “Trong sạch, vững mạnh”. Không xét đảng viên đang "
    "trong thời gian thi hành kỷ luật."
)
TITLE = (
    "Xét chọn điển hình tiên tiến trong học tập và làm theo tư tưởng, đạo đức, phong cách "
    "Hồ Chí Minh"
)

ROUNDS: tuple[RoundSpec, ...] = (
    RoundSpec(
        year=2017,
        kind=RoundKind.YEARLY,
        title=f"{TITLE} năm 2017",
        criteria=CRITERIA.format(period="năm 2017", rating_year=2017),
        close=D(2018, 1, 8),
        opens=D(2018, 1, 15),
        closes=D(2018, 1, 17),
        decided_on=D(2018, 1, 22),
        seats=7,
        rating_year=2017,
        people=Outcomes(commended=28, not_selected=6, withdrawn=2, rejected=1),
        collectives=Outcomes(commended=8, not_selected=2, withdrawn=1, rejected=0),
        person_form=GIAY_KHEN,
        collective_form=GIAY_KHEN,
        quota=(2, 1),
        returned=3,
        duplicates=1,
    ),
    RoundSpec(
        year=2018,
        kind=RoundKind.YEARLY,
        title=f"{TITLE} năm 2018",
        criteria=CRITERIA.format(period="năm 2018", rating_year=2018),
        close=D(2019, 1, 7),
        opens=D(2019, 1, 14),
        closes=D(2019, 1, 16),
        decided_on=D(2019, 1, 21),
        seats=7,
        rating_year=2018,
        people=Outcomes(commended=30, not_selected=7, withdrawn=2, rejected=0),
        collectives=Outcomes(commended=9, not_selected=3, withdrawn=0, rejected=1, forwarded=1),
        person_form=GIAY_KHEN,
        collective_form=GIAY_KHEN,
        quota=(2, 1),
        returned=3,
        duplicates=0,
        absent=1,
    ),
    RoundSpec(
        year=2019,
        kind=RoundKind.INTERIM,
        title=f"{TITLE} qua 3 năm thực hiện Chỉ thị số 05-CT/TW (2016–2019)",
        criteria=CRITERIA.format(
            period="qua 3 năm thực hiện Chỉ thị số 05-CT/TW", rating_year=2018
        ),
        close=D(2019, 4, 26),
        opens=D(2019, 5, 6),
        closes=D(2019, 5, 8),
        decided_on=D(2019, 5, 15),
        seats=9,
        rating_year=2018,
        people=Outcomes(commended=34, not_selected=8, withdrawn=1, rejected=1, forwarded=2),
        collectives=Outcomes(commended=9, not_selected=2, withdrawn=1, rejected=0),
        person_form=BIEU_DUONG,
        collective_form=GIAY_KHEN,
        quota=(2, 1),
        returned=2,
        duplicates=1,
    ),
    RoundSpec(
        year=2020,
        kind=RoundKind.FINAL,
        title="Bầu chọn điển hình tiên tiến trong học tập và làm theo tư tưởng, đạo đức, "
        "phong cách Hồ Chí Minh giai đoạn 2016–2020, chào mừng Đại hội Đảng bộ Dân Chính "
        "Đảng tỉnh lần thứ X",
        criteria=CRITERIA.format(period="giai đoạn 2016–2020", rating_year=2019),
        close=D(2020, 5, 15),
        opens=D(2020, 5, 25),
        closes=D(2020, 5, 27),
        decided_on=D(2020, 6, 3),
        seats=9,
        rating_year=2019,
        people=Outcomes(commended=75, not_selected=16, withdrawn=3, rejected=2),
        collectives=Outcomes(commended=47, not_selected=8, withdrawn=2, rejected=1),
        person_form=GIAY_KHEN,
        collective_form=GIAY_KHEN,
        quota=(3, 2),
        returned=5,
        duplicates=2,
        everyone=True,
        secret=True,
        absent=1,
    ),
)


@dataclass(frozen=True)
class CeremonySpec:
    title: str
    date: datetime.date
    place: str
    years: tuple[int, ...]  # the rounds whose awards it honors


HALL = "Hội trường Đảng ủy Dân Chính Đảng tỉnh Cà Mau"
CEREMONIES: tuple[CeremonySpec, ...] = (
    CeremonySpec(
        "Hội nghị tuyên dương điển hình tiên tiến trong học tập và làm theo tư tưởng, đạo "
        "đức, phong cách Hồ Chí Minh năm 2017",
        D(2018, 1, 30),
        HALL,
        (2017,),
    ),
    CeremonySpec(
        "Hội nghị sơ kết 3 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị và tuyên "
        "dương điển hình tiên tiến năm 2018, 2019",
        D(2019, 5, 28),
        "Hội trường Tỉnh ủy Cà Mau",
        (2018, 2019),
    ),
    CeremonySpec(
        "Hội nghị tuyên dương điển hình tiên tiến trong học tập và làm theo tư tưởng, đạo "
        "đức, phong cách Hồ Chí Minh giai đoạn 2016–2020",
        D(2020, 6, 12),
        "Hội trường Tỉnh ủy Cà Mau",
        (2020,),
    ),
)

# --- texts ---------------------------------------------------------------------------------

LEVEL_MERIT = {RatingLevel.EXCELLENT: 2, RatingLevel.GOOD: 1}  # who may be nominated
LEVEL_WORDS = {
    RatingLevel.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    RatingLevel.GOOD: "Hoàn thành tốt nhiệm vụ",
    RatingLevel.PASS: "Hoàn thành nhiệm vụ",
}
PERSON_DEEDS: tuple[str, ...] = (
    "gương mẫu thực hiện nội dung đã đăng ký làm theo, được chi bộ đánh giá cao",
    "tận tụy, trách nhiệm với công việc; tích cực hướng dẫn, giúp đỡ đồng nghiệp",
    "thực hành tiết kiệm, giản dị, gần gũi quần chúng; tham gia tích cực các phong trào",
    "đi đầu đổi mới cách làm, giải quyết công việc đúng hạn, được người dân đánh giá tốt",
    "tham gia tích cực công tác xã hội, thăm hỏi, giúp đỡ gia đình chính sách, hộ nghèo",
)
COLLECTIVE_DEEDS: tuple[str, ...] = (
    "cụ thể hóa chuyên đề hằng năm thành việc làm thiết thực, đưa vào sinh hoạt chi bộ",
    "100% đảng viên đăng ký làm theo và được đánh giá hoàn thành nội dung đăng ký",
    "thực hiện tốt mô hình, cách làm đã đăng ký, có sức lan tỏa trong cơ quan, đơn vị",
    "nội bộ đoàn kết; cải cách hành chính, tiết kiệm chi thường xuyên",
    "tích cực tham gia các phong trào “Vì người nghèo”, “Hiến máu nhân đạo”, đền ơn đáp nghĩa",
)
RETURN_REASONS: tuple[str, ...] = (
    "Bổ sung bản báo cáo thành tích có xác nhận của thủ trưởng cơ quan, đơn vị.",
    "Ghi rõ kết quả xếp loại đảng viên và việc làm cụ thể đã đăng ký làm theo trong năm.",
    "Bản thành tích chưa nêu kết quả thực hiện mô hình, cách làm của đơn vị: đề nghị bổ sung.",
)
WITHDRAW_REASONS: tuple[str, ...] = (
    "Đơn vị rút hồ sơ để ưu tiên trường hợp tiêu biểu hơn trong chỉ tiêu được giao.",
    "Đồng chí được đề nghị chuyển công tác trong thời gian xét: đơn vị rút hồ sơ.",
    "Đơn vị rút hồ sơ, sẽ đề nghị ở đợt sau khi đủ minh chứng.",
)
REJECT_REASONS: tuple[str, ...] = (
    "Chưa đạt tiêu chuẩn của đợt: chưa có việc làm cụ thể được tập thể ghi nhận.",
    "Hồ sơ không có minh chứng về kết quả thực hiện nội dung đã đăng ký làm theo.",
)
DUPLICATE_WITHDRAWN = "Hồ sơ nhập trùng với hồ sơ đã gửi của cùng đồng chí: đơn vị rút bản trùng."
DUPLICATE_REJECTED = "Trùng với hồ sơ đã gửi cho cùng đồng chí: chỉ xét một hồ sơ."
REVIEW_TEXTS: dict[str, str] = {
    Review.Opinion.SUPPORT: "Hồ sơ đầy đủ, thành tích phù hợp tiêu chuẩn của đợt: đề nghị "
    "Hội đồng xem xét, bầu chọn.",
    Review.Opinion.RESERVATIONS: "Hồ sơ đủ điều kiện; thành tích chưa thật nổi bật so với các "
    "trường hợp khác của đợt.",
}
FORWARDED_NOTE = (
    "Hội đồng bầu chọn để Ban Thường vụ Đảng ủy đề nghị Ban Thường vụ Tỉnh ủy tặng Bằng khen: "
    "không khen thưởng ở cấp Đảng ủy."
)


# --- the load ------------------------------------------------------------------------------


def load(ctx: DemoContext) -> dict[str, int]:
    """Load the commendation demo into the orgs demo just created; return counts for the
    command's summary, by what they count."""
    forms = _forms()
    rule = _vote_rule()
    accounts = _council_accounts(ctx)
    world = _World.read(ctx)
    body = _preamble(ctx)
    rounds: dict[int, _Round] = {}
    previous_close = D(2016, 1, 1)
    for spec in ROUNDS:
        rounds[spec.year] = _run_round(ctx, world, spec, rule, forms, accounts, previous_close)
        previous_close = spec.close
    decisions = {year: _decide(ctx, done, body) for year, done in rounds.items()}
    ceremonies = [_ceremony(ctx, spec, rounds, decisions) for spec in CEREMONIES]
    plans = [plan for done in rounds.values() for plan in done.plans]
    return _counts(rounds, plans, decisions, ceremonies)


def _counts(
    rounds: dict[int, "_Round"],
    plans: list["_Plan"],
    decisions: dict[int, Decision | None],
    ceremonies: list[Ceremony],
) -> dict[str, int]:
    def count(year: int | None, status: tuple[str, ...], people: bool) -> int:
        return sum(
            1
            for plan in plans
            if plan.status in status
            and (year is None or plan.year == year)
            and (plan.person is not None) == people
        )

    chosen, commended = (S.SELECTED, S.COMMENDED, S.HONORED), (S.COMMENDED, S.HONORED)
    return {
        "Đợt xét khen thưởng 2017–2020": len(rounds),
        "Hồ sơ đề nghị khen thưởng": len(plans),
        "Hồ sơ được Hội đồng bầu chọn": count(None, chosen, True) + count(None, chosen, False),
        "Tập thể được bầu chọn năm 2020": count(2020, chosen, False),
        "Cá nhân được bầu chọn năm 2020": count(2020, chosen, True),
        "Tập thể được khen thưởng 2017–2020": count(None, commended, False),
        "Cá nhân được khen thưởng 2017–2020": count(None, commended, True),
        "Quyết định khen thưởng": sum(1 for d in decisions.values() if d is not None),
        "Phiếu biểu quyết của Hội đồng": sum(done.ballots for done in rounds.values()),
        "Hội nghị tuyên dương": len(ceremonies),
    }


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _created(objects: Sequence[models.Model], verb: str) -> None:
    audit.record_many(objects, verb, action=Action.CREATE)


def _days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


# --- catalog and council -------------------------------------------------------------------


def _forms() -> dict[str, AwardForm]:
    """The forms used, as migration 0002 seeds them (created here if it did not)."""
    forms = {}
    for code, (name, kind, people, collectives, rank) in FORMS.items():
        forms[code], _new = AwardForm.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "for_people": people,
                "for_collectives": collectives,
                "rank": rank,
            },
        )
    return forms


def _vote_rule() -> VoteRule:
    rule, _new = VoteRule.objects.get_or_create(
        name=VOTE_RULE,
        defaults={
            "quorum_percent": 50,
            "approval_percent": 50,
            "strictly_more": True,
            "base": VoteRule.Base.MEMBERS,
        },
    )
    return rule


def _council_accounts(ctx: DemoContext) -> list[AbstractUser]:
    """The council's accounts, one per seat: hoidong.1 from the orgs demo, the others made
    here with its password (or none usable), each with the council member role."""
    users = get_user_model().objects
    known = users.filter(username=COUNCIL_USERNAME).values_list("password", flat=True).first()
    password = known or make_password(None)
    accounts = []
    for seat in SEATS:
        user, _new = users.get_or_create(
            username=seat.username,
            defaults={
                "email": f"{seat.username}@example.com",
                "password": password,
                "first_name": seat.given,
                "last_name": seat.family,
            },
        )
        if not user.first_name and not user.last_name:
            user.first_name, user.last_name = seat.given, seat.family
            user.save(update_fields=["first_name", "last_name"])
        org_services.grant_role(
            by=ctx.admin, user=user, role=Role.COUNCIL_MEMBER, organization=ctx.committee
        )
        accounts.append(user)
    return accounts


def _preamble(ctx: DemoContext) -> str:
    """The decisions' legal grounds (of the time: the law of 2003, amended in 2013)."""
    plan = (
        Document.objects.filter(organization=ctx.committee, doc_type__code="KH", numbered_here=True)
        .order_by("issued_on", "pk")
        .values_list("symbol", flat=True)
        .first()
    )
    lines = [
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "Căn cứ Luật Thi đua, khen thưởng năm 2003, sửa đổi, bổ sung năm 2013;",
        "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ Dân Chính Đảng tỉnh khóa IX, "
        "nhiệm kỳ 2015–2020;",
    ]
    if plan:
        lines.append(
            f"Căn cứ Kế hoạch số {plan} của Ban Thường vụ Đảng ủy về học tập và làm theo tư "
            "tưởng, đạo đức, phong cách Hồ Chí Minh;"
        )
    lines.append("Xét đề nghị của Hội đồng Thi đua – Khen thưởng Đảng ủy,")
    return "\n".join(lines)


# --- what the other demos left -------------------------------------------------------------


@dataclass
class _World:
    """The units, their members' ratings and the records put forward for commendation."""

    unit_of: dict[int, Unit]  # organization id (a base organization or a cell) → unit
    people: dict[int, Person]
    ratings: dict[tuple[int, int], dict[int, str]]  # (unit org id, year) → person → level
    deeds: list[GoodDeed]
    initiatives: list[tuple[Initiative, list[int]]]  # with its authors' ids
    activities: list[Activity]
    unit_models: dict[int, list[UnitModel]]  # organization id → models

    @classmethod
    def read(cls, ctx: DemoContext) -> "_World":
        unit_of = {}
        for unit in ctx.units:
            unit_of[unit.org.pk] = unit
            for leaf in unit.leaves:
                unit_of[leaf.pk] = unit
        ratings: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
        rows = MemberRating.objects.filter(
            list__status=RatingListStatus.CONFIRMED,
            list__organization__in=[unit.org for unit in ctx.units],
            list__year__in={spec.rating_year for spec in ROUNDS},
        ).values_list("list__organization_id", "list__year", "person_id", "level")
        for org_id, year, person_id, level in rows:
            ratings[(org_id, year)][person_id] = level
        authors: dict[int, list[int]] = defaultdict(list)
        for initiative_id, person_id in InitiativeAuthor.objects.filter(
            initiative__put_forward_at__isnull=False
        ).values_list("initiative_id", "person_id"):
            authors[initiative_id].append(person_id)
        initiatives = Initiative.objects.filter(put_forward_at__isnull=False).order_by("pk")
        models_of: dict[int, list[UnitModel]] = defaultdict(list)
        for model in UnitModel.objects.filter(organization_id__in=list(unit_of)).order_by("pk"):
            models_of[model.organization_id].append(model)
        return cls(
            unit_of=unit_of,
            people={person.pk: person for person in ctx.people},
            ratings=ratings,
            deeds=list(GoodDeed.objects.filter(put_forward_at__isnull=False).order_by("pk")),
            initiatives=[(i, authors[i.pk]) for i in initiatives],
            activities=list(Activity.objects.filter(put_forward_at__isnull=False).order_by("pk")),
            unit_models=models_of,
        )


@dataclass
class _Records:
    """Records put forward in a round's window, by whom they are of."""

    deeds_of_person: dict[int, list[GoodDeed]] = field(default_factory=lambda: defaultdict(list))
    deeds_of_org: dict[int, list[GoodDeed]] = field(default_factory=lambda: defaultdict(list))
    initiatives_of: dict[int, list[Initiative]] = field(default_factory=lambda: defaultdict(list))
    activities_of: dict[int, list[Activity]] = field(default_factory=lambda: defaultdict(list))
    unit_of_person: dict[int, int] = field(default_factory=dict)  # person → unit org id


def _records(world: _World, after: datetime.date, until: datetime.date) -> _Records:
    """What was put forward after the previous round closed and by this one's close."""
    start, end = _at(after, 23, 59), _at(until, 23, 59)
    found = _Records()

    def within(row: models.Model) -> bool:
        return start < row.put_forward_at <= end

    for deed in filter(within, world.deeds):
        unit = world.unit_of.get(deed.organization_id)
        if unit is None:
            continue
        if deed.person_id:
            found.deeds_of_person[deed.person_id].append(deed)
            found.unit_of_person.setdefault(deed.person_id, unit.org.pk)
        else:
            found.deeds_of_org[deed.collective_id].append(deed)
    for initiative, authors in world.initiatives:
        unit = world.unit_of.get(initiative.organization_id)
        if unit is None or not within(initiative):
            continue
        for person_id in authors:
            found.initiatives_of[person_id].append(initiative)
            found.unit_of_person.setdefault(person_id, unit.org.pk)
    for activity in filter(within, world.activities):
        found.activities_of[activity.organization_id].append(activity)
    return found


# --- a round -------------------------------------------------------------------------------


@dataclass
class _Plan:
    """One nomination to write: its nominee, what it rests on and how it ends."""

    year: int
    unit: Unit
    merit: float
    person: Person | None = None
    collective: Organization | None = None
    level: str = ""
    deeds: list[GoodDeed] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    unit_models: list[UnitModel] = field(default_factory=list)
    status: str = S.DRAFT
    forwarded: bool = False
    returned: bool = False
    duplicate_of: "_Plan | None" = None
    nomination: Nomination | None = None


@dataclass
class _Round:
    spec: RoundSpec
    round: Round
    seats: list[CouncilMember]
    plans: list[_Plan]
    ballots: int = 0


def _run_round(
    ctx: DemoContext,
    world: _World,
    spec: RoundSpec,
    rule: VoteRule,
    forms: dict[str, AwardForm],
    accounts: list[AbstractUser],
    previous_close: datetime.date,
) -> _Round:
    units = [unit for unit in ctx.units if _in_committee(ctx, unit, spec.close)]
    round_ = Round.objects.create(
        organization=ctx.committee,
        title=spec.title,
        year=spec.year,
        kind=spec.kind,
        criteria=spec.criteria,
        submissions_close=spec.close,
        voting_opens=spec.opens,
        voting_closes=spec.closes,
        vote_rule=rule,
        secret_ballot=spec.secret,
        evidence_required=False,  # paper files kept at the committee's office
        created_by=ctx.admin,
    )
    seats = _seat_council(round_, accounts[: spec.seats])
    records = _records(world, previous_close, spec.close)
    people = _people_plans(ctx, world, spec, units, records)
    collectives = _collective_plans(ctx, world, spec, units, records)
    _decide_outcomes(ctx, spec, people, spec.people)
    _decide_outcomes(ctx, spec, collectives, spec.collectives)
    plans = people + collectives
    voted = [plan for plan in plans if plan.status in (S.HONORED, S.SELECTED, S.NOT_SELECTED)]
    for plan in ctx.rng.sample(voted, spec.returned):
        plan.returned = True
    plans += _duplicates(ctx, spec, people)
    _quotas(round_, spec, units, plans)
    done = _Round(spec, round_, seats, plans)
    _write_nominations(ctx, done, forms)
    return done


def _in_committee(ctx: DemoContext, unit: Unit, day: datetime.date) -> bool:
    """Units of the enterprise bloc are under the committee from the merger on."""
    return unit in ctx.committee_units or day >= ctx.merger_date


def _seat_council(round_: Round, accounts: list[AbstractUser]) -> list[CouncilMember]:
    by_name = {seat.username: seat for seat in SEATS}
    members = [
        CouncilMember(
            round=round_,
            user=user,
            name=f"{by_name[user.username].family} {by_name[user.username].given}",
            role=by_name[user.username].role,
            position=position,
        )
        for position, user in enumerate(accounts, start=1)
    ]
    CouncilMember.objects.bulk_create(members)
    _created(members, "awards.council_member.seated")
    return members


@dataclass(frozen=True)
class _Candidate:
    merit: float
    key: str  # the nominee key: never twice in a round
    item: object  # (person id, level) or an organization


def _draw(
    ctx: DemoContext,
    pools: list[list[_Candidate]],
    total: int,
    weights: list[float],
    everyone: bool,
    most: int,
) -> list[list[_Candidate]]:
    """`total` candidates from the units' pools (each sorted best first): one each first
    if asked, then units drawn by weight, each giving its best candidate left, at most
    `most` per unit, never two with the same key."""
    chosen: list[list[_Candidate]] = [[] for _ in pools]
    taken: set[str] = set()

    def best_left(i: int) -> _Candidate | None:
        if len(chosen[i]) >= most:
            return None
        return next((c for c in pools[i] if c.key not in taken), None)

    def take(i: int) -> None:
        candidate = best_left(i)
        chosen[i].append(candidate)
        taken.add(candidate.key)

    if everyone:
        for i in range(len(pools)):
            if best_left(i) is not None:
                take(i)
    while sum(map(len, chosen)) < total:
        open_ = [i for i in range(len(pools)) if best_left(i) is not None]
        take(ctx.rng.choices(open_, [weights[i] for i in open_])[0])
    return chosen


def _people_plans(
    ctx: DemoContext, world: _World, spec: RoundSpec, units: list[Unit], records: _Records
) -> list[_Plan]:
    """Members nominated by each unit, among those rated excellent or good in its rating
    list of the rating year: those with records put forward first, then the excellent."""
    pools = []
    for unit in units:
        rated = world.ratings.get((unit.org.pk, spec.rating_year), {})
        pool = []
        for person_id, level in sorted(rated.items()):
            tier = LEVEL_MERIT.get(level)
            if tier is None:
                continue
            has_records = records.unit_of_person.get(person_id) == unit.org.pk and bool(
                records.deeds_of_person.get(person_id) or records.initiatives_of.get(person_id)
            )
            merit = tier + 1.5 * has_records + ctx.rng.random()
            pool.append(_Candidate(merit, f"p{person_id}", (person_id, level)))
        pools.append(sorted(pool, key=lambda c: c.merit, reverse=True))
    weights = [unit.spec.members**0.75 for unit in units]
    chosen = _draw(ctx, pools, spec.people.total, weights, spec.everyone, most=8)
    plans = []
    for unit, candidates in zip(units, chosen, strict=True):
        for candidate in candidates:
            person_id, level = candidate.item
            plans.append(
                _Plan(
                    spec.year,
                    unit,
                    candidate.merit,
                    person=world.people[person_id],
                    level=level,
                    deeds=records.deeds_of_person.get(person_id, [])[:3],
                    initiatives=records.initiatives_of.get(person_id, [])[:3],
                )
            )
    return plans


def _collective_plans(
    ctx: DemoContext, world: _World, spec: RoundSpec, units: list[Unit], records: _Records
) -> list[_Plan]:
    """Collectives nominated by each unit: itself or its cells, those with records put
    forward first. Two cells of the same name ("Chi bộ Văn phòng" of two units) are not
    both nominated in a round: the nomination service recognizes a collective by its name,
    and would flag the second as the same nominee."""
    pools = []
    for unit in units:
        pool = []
        for org in [unit.org] + [leaf for leaf in unit.leaves if leaf.pk != unit.org.pk]:
            has_records = bool(
                records.deeds_of_org.get(org.pk) or records.activities_of.get(org.pk)
            )
            merit = 2 * has_records + ctx.rng.random()
            pool.append(_Candidate(merit, nominee_key(None, org), org))
        pools.append(sorted(pool, key=lambda c: c.merit, reverse=True))
    weights = [unit.spec.members**0.5 for unit in units]
    chosen = _draw(ctx, pools, spec.collectives.total, weights, spec.everyone, most=3)
    plans = []
    for unit, candidates in zip(units, chosen, strict=True):
        for candidate in candidates:
            org = candidate.item
            models_ = [
                model
                for model in world.unit_models.get(org.pk, [])
                if model.year_from <= spec.year and (model.year_to or spec.year) >= spec.year
            ]
            plans.append(
                _Plan(
                    spec.year,
                    unit,
                    candidate.merit,
                    collective=org,
                    deeds=records.deeds_of_org.get(org.pk, [])[:3],
                    activities=records.activities_of.get(org.pk, [])[:3],
                    unit_models=models_[:1],
                )
            )
    return plans


def _decide_outcomes(
    ctx: DemoContext, spec: RoundSpec, plans: list[_Plan], wanted: Outcomes
) -> None:
    """The council selects the best; of the others some are not selected, some withdrawn,
    some rejected at review. The best few may be forwarded for a higher form."""
    ranked = sorted(plans, key=lambda plan: plan.merit, reverse=True)
    selected, rest = ranked[: wanted.selected], ranked[wanted.selected :]
    for index, plan in enumerate(selected):
        plan.forwarded = index < wanted.forwarded
        plan.status = S.SELECTED if plan.forwarded else S.HONORED
    rest = ctx.rng.sample(rest, len(rest))
    ends = (
        [S.NOT_SELECTED] * wanted.not_selected
        + [S.WITHDRAWN] * wanted.withdrawn
        + [S.REJECTED] * wanted.rejected
    )
    for plan, status in zip(rest, ends, strict=True):
        plan.status = status


def _duplicates(ctx: DemoContext, spec: RoundSpec, people: list[_Plan]) -> list[_Plan]:
    """Members entered twice by their organization: the second is flagged when submitted,
    then withdrawn by the organization or rejected at review."""
    originals = [plan for plan in people if plan.status == S.HONORED and not plan.returned]
    copies = []
    for index, original in enumerate(ctx.rng.sample(originals, spec.duplicates)):
        copies.append(
            _Plan(
                spec.year,
                original.unit,
                original.merit,
                person=original.person,
                level=original.level,
                status=S.WITHDRAWN if index % 2 == 0 else S.REJECTED,
                duplicate_of=original,
            )
        )
    return copies


def _quotas(round_: Round, spec: RoundSpec, units: list[Unit], plans: list[_Plan]) -> None:
    """Each unit's quota: the round's, or more for a unit that nominated more (a quota
    raised by the committee for a large unit)."""
    used: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for plan in plans:
        used[plan.unit.org.pk][plan.person is None] += 1
    quotas = [
        RoundQuota(
            round=round_,
            organization=unit.org,
            max_people=max(spec.quota[0], used[unit.org.pk][0]),
            max_collectives=max(spec.quota[1], used[unit.org.pk][1]),
        )
        for unit in units
    ]
    RoundQuota.objects.bulk_create(quotas)
    _created(quotas, "awards.round_quota.created")


# --- writing the nominations ---------------------------------------------------------------


def _achievements(ctx: DemoContext, spec: RoundSpec, plan: _Plan) -> str:
    rng = ctx.rng
    if plan.person is not None:
        person = plan.person
        lines = [f"Đồng chí {person.full_name}, {person.position or 'đảng viên'}."]
        if plan.level in LEVEL_WORDS:
            lines.append(
                f"Năm {spec.rating_year} được xếp loại đảng viên “{LEVEL_WORDS[plan.level]}”."
            )
        lines.append(f"Trong học tập và làm theo: {rng.choice(PERSON_DEEDS)}.")
    else:
        lines = [
            f"{_collective_name(plan)}: hoàn thành tốt nhiệm vụ chính trị; "
            f"{rng.choice(COLLECTIVE_DEEDS)}."
        ]
        lines += [f"Mô hình, cách làm: “{model.title}”." for model in plan.unit_models]
        lines += [f"Hoạt động tiêu biểu: {a.title} ({a.date:%d/%m/%Y})." for a in plan.activities]
    lines += [f"Người tốt, việc tốt: {deed.title} ({deed.date:%d/%m/%Y})." for deed in plan.deeds]
    lines += [f"Sáng kiến, đề tài: “{i.title}” ({i.year})." for i in plan.initiatives]
    return nfc("\n".join(lines))


def _collective_name(plan: _Plan) -> str:
    """A cell's name with its base organization's ("Chi bộ Văn phòng" is common)."""
    if plan.collective.kind == OrganizationKind.CELL:
        return f"{plan.collective.name} ({plan.unit.org.name})"
    return plan.collective.name


def _write_nominations(ctx: DemoContext, done: _Round, forms: dict[str, AwardForm]) -> None:
    spec = done.spec
    nominations = []
    for plan in done.plans:
        form = spec.person_form if plan.person is not None else spec.collective_form
        plan.nomination = Nomination(
            round=done.round,
            person=plan.person,
            collective=plan.collective,
            nominating_organization=plan.unit.org,
            proposed_form=forms[BANG_KHEN if plan.forwarded else form],
            achievements=_achievements(ctx, spec, plan),
            status=plan.status,
            nominee_key=nominee_key(plan.person, plan.collective),
            created_by=ctx.admin,
        )
        nominations.append(plan.nomination)
    Nomination.objects.bulk_create(nominations, batch_size=500)
    timeline = _Timeline(ctx, done)
    for plan in done.plans:
        timeline.follow(plan)
    for plan in done.plans:  # the originals have ids now
        if plan.duplicate_of is not None:
            plan.nomination.duplicate_of = plan.duplicate_of.nomination
    Nomination.objects.bulk_update(
        nominations, ["status_changed_at", "created_at", "duplicate_of"], batch_size=500
    )
    _created(nominations, "awards.nomination.created")
    _links(done.plans)
    timeline.write()
    done.ballots = len(timeline.ballots)


def _links(plans: list[_Plan]) -> None:
    for name, attribute, target in (
        ("good_deeds", "deeds", "gooddeed"),
        ("initiatives", "initiatives", "initiative"),
        ("activities", "activities", "activity"),
        ("unit_models", "unit_models", "unitmodel"),
    ):
        through = getattr(Nomination, name).through
        rows = [
            through(**{"nomination_id": plan.nomination.pk, f"{target}_id": record.pk})
            for plan in plans
            for record in getattr(plan, attribute)
        ]
        through.objects.bulk_create(rows)


class _Timeline:
    """The events, reviews and votes of a round's nominations, dated inside the round."""

    def __init__(self, ctx: DemoContext, done: _Round) -> None:
        self.ctx, self.done, self.spec = ctx, done, done.spec
        self.events: list[NominationEvent] = []
        self.reviews: list[tuple[Review, datetime.datetime]] = []
        self.ballots: list[Ballot] = []
        self.votes: list[Vote] = []
        seats = done.seats
        self.voters = sorted(
            ctx.rng.sample(seats, len(seats) - self.spec.absent), key=lambda seat: seat.position
        )
        self.honored_on = next(c.date for c in CEREMONIES if self.spec.year in c.years)
        self.submitted: dict[int, datetime.date] = {}  # by id(plan)
        self.status = S.DRAFT  # of the nomination followed

    def _moment(self, day: datetime.date) -> datetime.datetime:
        rng = self.ctx.rng
        return _at(day, rng.randint(8, 16), rng.choice((0, 10, 20, 30, 40, 50)))

    def _event(self, plan: _Plan, to: str, at: datetime.datetime, reason: str = "") -> None:
        self.events.append(
            NominationEvent(
                nomination=plan.nomination,
                from_status=self.status,
                to_status=to,
                by=self.ctx.admin,
                at=at,
                reason=reason,
            )
        )
        self.status = to
        plan.nomination.status_changed_at = at

    def follow(self, plan: _Plan) -> None:
        """Write down the steps that led the nomination to its status."""
        rng, spec = self.ctx.rng, self.spec
        self.status = S.DRAFT
        drafted = _days(spec.close, -rng.randint(12, 28))
        submitted = _days(drafted, rng.randint(0, 3))
        if plan.duplicate_of is not None:  # entered again after the first was sent
            submitted = _days(self.submitted[id(plan.duplicate_of)], rng.randint(1, 5))
            drafted = submitted
        self.submitted[id(plan)] = submitted
        plan.nomination.created_at = _at(drafted, 8)
        self._event(plan, S.SUBMITTED, self._moment(submitted))
        if plan.returned:
            back = _days(submitted, rng.randint(2, 4))
            self._event(plan, S.RETURNED, self._moment(back), rng.choice(RETURN_REASONS))
            self._event(plan, S.SUBMITTED, self._moment(_days(back, rng.randint(1, 4))))
        if plan.status == S.WITHDRAWN and (plan.duplicate_of is not None or rng.random() < 0.5):
            day = min(_days(submitted, rng.randint(1, 4)), spec.close)
            reason = DUPLICATE_WITHDRAWN if plan.duplicate_of else rng.choice(WITHDRAW_REASONS)
            self._event(plan, S.WITHDRAWN, self._moment(day), reason)
        else:
            self._review(plan)

    def _review(self, plan: _Plan) -> None:
        rng, spec = self.ctx.rng, self.spec
        reviewed = _days(spec.close, rng.randint(1, 3))
        self._event(plan, S.IN_REVIEW, self._moment(reviewed))
        day = _days(reviewed, 1)
        if plan.status == S.WITHDRAWN:
            self._event(plan, S.WITHDRAWN, self._moment(day), rng.choice(WITHDRAW_REASONS))
            return
        if plan.status == S.REJECTED:
            reason = DUPLICATE_REJECTED if plan.duplicate_of else rng.choice(REJECT_REASONS)
            self._opinion(plan, Review.Opinion.AGAINST, reason, day)
            self._event(plan, S.REJECTED, self._moment(day), reason)
            return
        support = plan.status != S.NOT_SELECTED or rng.random() < 0.5
        opinion = Review.Opinion.SUPPORT if support else Review.Opinion.RESERVATIONS
        self._opinion(plan, opinion, REVIEW_TEXTS[opinion], day)
        self._event(plan, S.VOTING, _at(spec.opens, 7, 30))
        self._vote(plan)
        selected = plan.status != S.NOT_SELECTED
        outcome = S.SELECTED if selected else S.NOT_SELECTED
        note = FORWARDED_NOTE if plan.forwarded else ""
        self._event(plan, outcome, _at(spec.closes, 16, 30), note)
        if plan.status == S.HONORED:
            self._event(plan, S.COMMENDED, _at(spec.decided_on, 15))
            self._event(plan, S.HONORED, _at(self.honored_on, 10))

    def _opinion(self, plan: _Plan, opinion: str, text: str, day: datetime.date) -> None:
        review = Review(
            nomination=plan.nomination, reviewer=self.ctx.admin, opinion=opinion, text=text
        )
        self.reviews.append((review, _at(day, 8, 30)))

    def _vote(self, plan: _Plan) -> None:
        """The council's votes, drawn until they give the nomination's outcome under the
        round's rule."""
        rng, spec = self.ctx.rng, self.spec
        selected = plan.status != S.NOT_SELECTED
        rule, members = self.done.round.vote_rule, len(self.done.seats)
        leaning = 0.85 if selected else 0.35
        for _ in range(200):
            choices = [
                VoteChoice.AGREE
                if rng.random() < leaning
                else rng.choice((VoteChoice.DISAGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN))
                for _seat in self.voters
            ]
            if _selected_by(rule, members, choices) == selected:
                break
        else:
            raise RuntimeError(f"No votes of {len(self.voters)} give {plan.status} under {rule}")
        day = rng.choice(_dates(spec.opens, spec.closes))
        for index, (seat, choice) in enumerate(zip(self.voters, choices, strict=True)):
            at = _at(day, 9, min(59, 5 + index * 3 + rng.randint(0, 2)))
            self.ballots.append(Ballot(nomination=plan.nomination, member=seat, cast_at=at))
            member = None if spec.secret else seat
            self.votes.append(Vote(nomination=plan.nomination, choice=choice, member=member))

    def write(self) -> None:
        NominationEvent.objects.bulk_create(self.events, batch_size=500)  # the history itself
        reviews = [review for review, _at_ in self.reviews]
        Review.objects.bulk_create(reviews, batch_size=500)
        for review, at in self.reviews:  # auto_now_add set "now" on saving
            review.created_at = at
        Review.objects.bulk_update(reviews, ["created_at"], batch_size=500)
        _created(reviews, "awards.review.written")
        Ballot.objects.bulk_create(self.ballots, batch_size=500)
        _created(self.ballots, "awards.ballot.cast")
        rng = self.ctx.rng  # stored in another order than cast: the ballots do not tell
        Vote.objects.bulk_create(rng.sample(self.votes, len(self.votes)), batch_size=500)


def _dates(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [_days(first, n) for n in range((last - first).days + 1)]


def _selected_by(rule: VoteRule, members: int, choices: Sequence[str]) -> bool:
    """The round's rule on these votes: the quorum met and enough agreeing."""
    cast, agree = len(choices), sum(1 for c in choices if c == VoteChoice.AGREE)
    if members <= 0 or cast * 100 < rule.quorum_percent * members or agree <= 0:
        return False
    base = cast if rule.base == VoteRule.Base.CAST else members
    if rule.strictly_more:
        return agree * 100 > rule.approval_percent * base
    return agree * 100 >= rule.approval_percent * base


# --- decisions and ceremonies --------------------------------------------------------------


def _annex_key(award: Award) -> tuple:
    """Collectives first, then individuals, each by name (as the decisions service orders
    the annex)."""
    if award.collective is not None:
        return (0, collation_key(award.collective.name))
    return (1, bytes(award.person.sort_key))


def _decide(ctx: DemoContext, done: _Round, body: str) -> Decision | None:
    """The round's decision: a draft with its awards, numbered through the committee's
    counter of decisions (…-QĐ/ĐU) and issued on the day."""
    spec = done.spec
    commended = [plan for plan in done.plans if plan.status == S.HONORED]
    if not commended:
        return None
    subject = (
        f"Về việc khen thưởng tập thể, cá nhân điển hình tiên tiến trong học tập và làm "
        f"theo tư tưởng, đạo đức, phong cách Hồ Chí Minh {_period(spec)}"
    )
    decision = Decision.objects.create(
        organization=ctx.committee,
        round=done.round,
        kind=DecisionKind.COMMENDATION,
        subject=subject,
        body=body,
        place=PLACE,
        created_by=ctx.admin,
    )
    awards = [
        Award(
            decision=decision,
            nomination=plan.nomination,
            person=plan.person,
            collective=plan.collective,
            form=plan.nomination.proposed_form,
        )
        for plan in commended
    ]
    for position, award in enumerate(sorted(awards, key=_annex_key), start=1):
        award.position = position
    Award.objects.bulk_create(awards)
    _created(awards, "awards.award.created")
    document = register_own_document(
        by=ctx.admin,
        organization=ctx.committee,
        doc_type=DocumentType.objects.get(system=DocumentSystem.PARTY, code=DECISION_TYPE),
        title=subject,
        issued_on=spec.decided_on,
        summary=_summary(awards),
    )
    decision.document, decision.symbol, decision.date = document, document.symbol, spec.decided_on
    decision.signer_name, decision.signer_title = SIGNER
    decision.status, decision.issued_at = DecisionStatus.ISSUED, _at(spec.decided_on, 15)
    decision.created_at = _at(_days(spec.decided_on, -2), 14)  # drafted two days before
    decision.save(issuing=True)
    return decision


def _summary(awards: list[Award]) -> str:
    """What the decision gives, form by form: "Tặng Giấy khen cho 9 tập thể; Biểu dương 34
    cá nhân (danh sách kèm theo)."."""
    counts: dict[AwardForm, list[int]] = defaultdict(lambda: [0, 0])
    for award in awards:
        counts[award.form][award.person is not None] += 1
    parts = []
    for form, (collectives, people) in sorted(counts.items(), key=lambda item: -item[0].rank):
        who = " và ".join(
            f"{n} {what}" for n, what in ((collectives, "tập thể"), (people, "cá nhân")) if n
        )
        parts.append(
            f"Biểu dương {who}" if form.code == BIEU_DUONG else f"Tặng {form.name} cho {who}"
        )
    return "; ".join(parts) + " (danh sách kèm theo)."


def _period(spec: RoundSpec) -> str:
    if spec.kind == RoundKind.INTERIM:
        return "qua 3 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị"
    if spec.kind == RoundKind.FINAL:
        return "giai đoạn 2016–2020"
    return f"năm {spec.year}"


def _ceremony(
    ctx: DemoContext,
    spec: CeremonySpec,
    rounds: dict[int, _Round],
    decisions: dict[int, Decision | None],
) -> Ceremony:
    issued = [decisions[year] for year in spec.years if decisions[year] is not None]
    symbols = ", ".join(f"số {d.symbol} ngày {d.date:%d/%m/%Y}" for d in issued)
    program = "\n".join(
        (
            "1. Tuyên bố lý do, giới thiệu đại biểu.",
            "2. Báo cáo kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
            f"3. Công bố Quyết định {symbols} của Ban Thường vụ Đảng ủy.",
            "4. Trao khen thưởng cho các tập thể, cá nhân điển hình tiên tiến.",
            "5. Đại diện các điển hình tiên tiến phát biểu.",
            "6. Đồng chí Bí thư Đảng ủy phát biểu chỉ đạo; bế mạc.",
        )
    )
    ceremony = Ceremony.objects.create(
        organization=ctx.committee,
        title=spec.title,
        date=spec.date,
        place=spec.place,
        program=program,
        held=True,
        created_by=ctx.admin,
    )
    ceremony.rounds.set([rounds[year].round for year in spec.years])
    # the honor list in one insert, with one audit entry (auditlog's m2m log would name
    # every award, a query each)
    honored = list(Award.objects.filter(decision__in=issued).values_list("pk", flat=True))
    through = Ceremony.honored.through
    through.objects.bulk_create([through(ceremony=ceremony, award_id=pk) for pk in honored])
    audit.record(ceremony, "awards.ceremony.honored", changes={"honored": ["", str(len(honored))]})
    return ceremony
