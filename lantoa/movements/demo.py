"""The Cà Mau demo's movements, activities, initiatives and good deeds, 2016–2020
(`manage.py load_demo`).

Called by the orgs demo once the tree, its members and the 2019 merger exist (and after
the programs demo), inside the same transaction and with the same seeded generator. The
case names the kinds of work of the term (houses "Vì người nghèo", blood donation, trips
"về nguồn", gifts and free medical care for policy families, initiatives, good deeds) but
gives no figures: every figure, title and place here is plausible invention for a bloc
committee of about 37 base organizations and 3,000 members.

- Đảng ủy Dân Chính Đảng tỉnh launches four regular movements for the term and the
  thematic movements of each year (those of 2017–2020 launched by its yearly plan, when
  the programs demo registered it), with targets for the whole subtree and for each base
  organization, set so that most are met.
- Every base organization and many cells record activities of the seven types each year,
  on dates inside their movement's period. An enterprise's activities before the merger
  are recorded on its organization and count under the committee's movements: paths are
  today's.
- Units record initiatives and applied projects by their members, and good deeds of
  members and collectives; some of each are put forward for commendation, most in 2020.

Movements and their targets go through the services (the same checks and audit as a
user's action); the thousands of activities, initiatives and deeds are bulk-inserted, with
one audit entry each (`lantoa.core.audit.record_many`). No photos or files are written.
"""

import calendar
import datetime
import importlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from lantoa.core import audit
from lantoa.core.text import nfc, search_key
from lantoa.movements.models import (
    Activity,
    ActivityType,
    BeneficiaryCategory,
    GoodDeed,
    Initiative,
    InitiativeAuthor,
    InitiativeKind,
    Movement,
    MovementKind,
    RecognitionLevel,
)
from lantoa.movements.services import movements as movement_services
from lantoa.orgs.demo.context import DemoContext, Unit
from lantoa.orgs.demo.tree import Sector
from lantoa.orgs.models import Membership, Organization, Person
from lantoa.programs.models import Document

D = datetime.date
Action = audit.Action
YEARS = tuple(range(2016, 2021))
MILLION = 1_000_000
THOUSAND = 1_000

HOUSES = "nha-vi-nguoi-ngheo"
BLOOD = "hien-mau"
FIELD_TRIP = "di-thuc-te"
ROOTS = "ve-nguon"
GIFTS = "tham-tang-qua"
MEDICAL = "kham-chua-benh"
OTHER = "khac"
TYPE_CODES = (HOUSES, BLOOD, FIELD_TRIP, ROOTS, GIFTS, MEDICAL, OTHER)

POLICY = "gia-dinh-chinh-sach"
MERIT = "gia-dinh-co-cong"
POOR = "ho-ngheo"
ELDERLY = "nguoi-cao-tuoi"
PUPILS = "hoc-sinh-kho-khan"
PEOPLE = "nguoi-dan"
WHO: dict[str, str] = {
    POLICY: "gia đình chính sách",
    MERIT: "gia đình có công với cách mạng",
    POOR: "hộ nghèo, hộ cận nghèo",
    ELDERLY: "người cao tuổi neo đơn",
    PUPILS: "học sinh có hoàn cảnh khó khăn",
    PEOPLE: "người dân",
}

# --- movements -----------------------------------------------------------------------------

TERM_START, TERM_END = D(2016, 1, 20), D(2020, 12, 31)
TERM_NOTE = (
    "Phát động trong toàn Đảng bộ; các tổ chức cơ sở đảng trực thuộc (kể cả các đơn vị "
    "thuộc Đảng bộ Khối Doanh nghiệp chuyển về từ ngày 01/04/2019) báo cáo kết quả hằng năm."
)


@dataclass(frozen=True)
class MovementSpec:
    key: str
    title: str
    kind: str
    start: datetime.date
    end: datetime.date
    description: str
    types: tuple[str, ...]  # the activity types it sets targets for
    plan_year: int | None = None  # launched by the committee's plan of that year


def _regular(key: str, title: str, description: str, types: tuple[str, ...]) -> MovementSpec:
    return MovementSpec(
        key, title, MovementKind.REGULAR, TERM_START, TERM_END, f"{description} {TERM_NOTE}", types
    )


def _thematic(
    key: str, title: str, start: datetime.date, end: datetime.date, text: str, plan: bool = False
) -> MovementSpec:
    year = start.year if plan else None
    return MovementSpec(key, title, MovementKind.THEMATIC, start, end, text, (OTHER,), year)


REGULAR_MOVEMENTS: tuple[MovementSpec, ...] = (
    _regular(
        "poor",
        "Phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau” giai đoạn 2016–2020",
        "Vận động cán bộ, đảng viên, công chức, viên chức và người lao động đóng góp xây "
        "dựng, sửa chữa nhà cho hộ nghèo, hộ cận nghèo và gia đình chính sách khó khăn về "
        "nhà ở.",
        (HOUSES,),
    ),
    _regular(
        "blood",
        "Phong trào “Hiến máu nhân đạo” giai đoạn 2016–2020",
        "Mỗi cán bộ, đảng viên, đoàn viên khỏe mạnh hiến máu ít nhất một lần trong năm; các "
        "đơn vị tổ chức ngày hội hiến máu, phối hợp với Hội Chữ thập đỏ tỉnh.",
        (BLOOD,),
    ),
    _regular(
        "gratitude",
        "Phong trào “Đền ơn đáp nghĩa, uống nước nhớ nguồn” giai đoạn 2016–2020",
        "Thăm hỏi, tặng quà gia đình chính sách, gia đình có công với cách mạng, người cao "
        "tuổi neo đơn vào các dịp lễ, Tết; phối hợp khám bệnh, cấp thuốc miễn phí cho các "
        "gia đình này.",
        (GIFTS, MEDICAL),
    ),
    _regular(
        "roots",
        "Phong trào “Về nguồn” và học tập thực tế giai đoạn 2016–2020",
        "Tổ chức cho cán bộ, đảng viên về thăm các di tích lịch sử, địa chỉ đỏ, tìm hiểu "
        "truyền thống cách mạng; đi thực tế các mô hình kinh tế – xã hội trong và ngoài tỉnh.",
        (ROOTS, FIELD_TRIP),
    ),
)

TOPIC_2017 = (
    "Xây dựng ý thức tôn trọng Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân theo tư "
    "tưởng, đạo đức, phong cách Hồ Chí Minh"
)
TOPIC_2018 = (
    "Xây dựng phong cách, tác phong công tác của người đứng đầu, của cán bộ, đảng viên theo "
    "tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
TOPIC_2019 = (
    "Nêu cao ý thức trách nhiệm, hết lòng, hết sức phụng sự Tổ quốc, phục vụ Nhân dân theo "
    "tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
TOPIC_2020 = (
    "Tăng cường khối đại đoàn kết toàn dân tộc, xây dựng Đảng và hệ thống chính trị trong "
    "sạch, vững mạnh theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)


def _topic(year: int, topic: str, start: datetime.date) -> MovementSpec:
    return _thematic(
        f"topic-{year}",
        f"Thi đua học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}: "
        f"chuyên đề “{topic}”",
        start,
        D(year, 12, 15),
        "Mỗi cơ quan, đơn vị chọn việc làm cụ thể để làm theo chuyên đề của năm; biểu dương "
        "tập thể, cá nhân tiêu biểu khi tổng kết năm.",
        plan=True,
    )


THEMATIC_MOVEMENTS: tuple[MovementSpec, ...] = (
    _thematic(
        "election-2016",
        "Thi đua lập thành tích chào mừng cuộc bầu cử đại biểu Quốc hội khóa XIV và đại "
        "biểu Hội đồng nhân dân các cấp nhiệm kỳ 2016–2021",
        D(2016, 2, 1),
        D(2016, 5, 22),
        "Tuyên truyền cuộc bầu cử; ra quân chỉnh trang cơ quan, khu dân cư; bảo đảm an "
        "ninh, trật tự trước và trong ngày bầu cử 22/5/2016.",
    ),
    _thematic(
        "ct05-2016",
        "Đợt thi đua học tập, quán triệt Chỉ thị số 05-CT/TW của Bộ Chính trị năm 2016",
        D(2016, 6, 1),
        D(2016, 12, 31),
        "Học tập, quán triệt Chỉ thị số 05-CT/TW; mỗi đơn vị có ít nhất một việc làm cụ thể "
        "hướng về cơ sở.",
    ),
    _topic(2017, TOPIC_2017, D(2017, 2, 6)),
    _topic(2018, TOPIC_2018, D(2018, 2, 5)),
    _topic(2019, TOPIC_2019, D(2019, 2, 18)),
    _thematic(
        "testament-2019",
        "Thi đua chào mừng kỷ niệm 50 năm thực hiện Di chúc của Chủ tịch Hồ Chí Minh (1969–2019)",
        D(2019, 3, 1),
        D(2019, 9, 2),
        "Tọa đàm, thi tìm hiểu về Di chúc của Chủ tịch Hồ Chí Minh; mỗi đơn vị có một công "
        "trình, phần việc chào mừng ngày 02/9/2019.",
    ),
    _topic(2020, TOPIC_2020, D(2020, 2, 10)),
    _thematic(
        "congress-2020",
        "Thi đua lập thành tích chào mừng Đại hội Đảng bộ các cấp, tiến tới Đại hội đại "
        "biểu toàn quốc lần thứ XIII của Đảng",
        D(2020, 1, 6),
        D(2020, 10, 31),
        "Chào mừng Đại hội Đảng bộ Dân Chính Đảng tỉnh lần thứ X và Đại hội đại biểu Đảng bộ "
        "tỉnh Cà Mau lần thứ XVI, nhiệm kỳ 2020–2025.",
    ),
    _thematic(
        "covid-2020",
        "Chung tay phòng, chống dịch COVID-19 và hỗ trợ người dân gặp khó khăn",
        D(2020, 3, 2),
        D(2020, 12, 31),
        "Ủng hộ Quỹ phòng, chống dịch; hỗ trợ gạo, nhu yếu phẩm cho người dân gặp khó khăn "
        "do dịch bệnh và hạn hán, xâm nhập mặn.",
    ),
)
FAMILY_OF_TYPE: dict[str, str] = {
    HOUSES: "poor",
    BLOOD: "blood",
    GIFTS: "gratitude",
    MEDICAL: "gratitude",
    ROOTS: "roots",
    FIELD_TRIP: "roots",
}
PLAN_PREFIX = "Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm"

# --- activities ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TypePlan:
    """How often a unit of about 60 members holds such an activity in a year, how often one
    of its cells holds it instead of the base organization, and in which months."""

    rate: float
    cell_share: float
    months: tuple[float, ...]  # weights, January first


PLANS: dict[str, TypePlan] = {
    HOUSES: TypePlan(0.8, 0.0, (3, 2, 1, 1, 1, 1, 1.5, 1, 1, 1, 1, 3)),
    BLOOD: TypePlan(1.6, 0.15, (3, 2, 2, 2, 1, 3, 3, 2, 1, 1, 1, 2)),
    FIELD_TRIP: TypePlan(0.6, 0.4, (0.5, 0.2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5)),
    ROOTS: TypePlan(0.8, 0.3, (0.5, 0.2, 1, 1, 4, 1, 3, 1, 2, 0.5, 0.5, 1.5)),
    GIFTS: TypePlan(4.5, 0.6, (6, 3, 0.3, 0.5, 0.5, 0.3, 6, 0.5, 2, 0.3, 0.3, 2)),
    MEDICAL: TypePlan(0.15, 0.0, (1, 0.5, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1)),
    OTHER: TypePlan(3.5, 0.5, (1,) * 12),
}
HEALTH_UNITS = ("SYT", "CDYT", "DUOC")  # they hold free medical days often
HEALTH_RATE = 2.5
MASS_ORGANIZATIONS = ("MTTQ", "HND", "LDLD", "HLHPN", "TDTN", "HCCB")

COMMUNES: tuple[str, ...] = (
    "xã Tân Hưng Đông, huyện Cái Nước",
    "xã Lương Thế Trân, huyện Cái Nước",
    "xã Khánh Bình Tây, huyện Trần Văn Thời",
    "xã Khánh Hưng, huyện Trần Văn Thời",
    "xã Tân Ân, huyện Ngọc Hiển",
    "xã Đất Mũi, huyện Ngọc Hiển",
    "xã Hàm Rồng, huyện Năm Căn",
    "xã Trí Phải, huyện Thới Bình",
    "xã Tân Lộc, huyện Thới Bình",
    "xã Khánh An, huyện U Minh",
    "xã Nguyễn Phích, huyện U Minh",
    "xã Tạ An Khương, huyện Đầm Dơi",
    "xã Tân Tiến, huyện Đầm Dơi",
    "xã Việt Khái, huyện Phú Tân",
    "xã Lý Văn Lâm, thành phố Cà Mau",
    "phường 8, thành phố Cà Mau",
)
HOSPITAL = "Bệnh viện Đa khoa Cà Mau"
ROOTS_SITES: tuple[tuple[str, bool], ...] = (  # (place, far from Cà Mau)
    ("Khu di tích Bến Vàm Lũng – Đường Hồ Chí Minh trên biển, huyện Ngọc Hiển", False),
    ("Khu di tích lịch sử Hòn Khoai, huyện Ngọc Hiển", False),
    ("Nghĩa trang Liệt sĩ tỉnh Cà Mau", False),
    ("Khu di tích Nguyễn Sinh Sắc, thành phố Cao Lãnh, tỉnh Đồng Tháp", False),
    ("Đền thờ Chủ tịch Hồ Chí Minh, xã Long Đức, thành phố Trà Vinh", False),
    ("Khu di tích Căn cứ Trung ương Cục miền Nam, tỉnh Tây Ninh", True),
    ("Khu di tích lịch sử Địa đạo Củ Chi, Thành phố Hồ Chí Minh", True),
    ("Bến Nhà Rồng – Bảo tàng Hồ Chí Minh, Thành phố Hồ Chí Minh", True),
    ("Khu di tích Kim Liên, huyện Nam Đàn, tỉnh Nghệ An", True),
    ("Khu di tích Chủ tịch Hồ Chí Minh tại Phủ Chủ tịch, Hà Nội", True),
)
COMMITTEE_TRIPS: dict[int, str] = {  # the committee executive's yearly trip
    2016: "Đền thờ Chủ tịch Hồ Chí Minh, xã Long Đức, thành phố Trà Vinh",
    2017: "Khu di tích Nguyễn Sinh Sắc, thành phố Cao Lãnh, tỉnh Đồng Tháp",
    2018: "Khu di tích Bến Vàm Lũng – Đường Hồ Chí Minh trên biển, huyện Ngọc Hiển",
    2019: "Khu di tích Kim Liên, huyện Nam Đàn, tỉnh Nghệ An",
    2020: "Khu di tích Căn cứ Trung ương Cục miền Nam, tỉnh Tây Ninh",
}
FIELD_SITES: tuple[tuple[str, str], ...] = (
    ("Đi thực tế mô hình tôm – rừng", "xã Tam Giang Đông, huyện Năm Căn"),
    ("Đi thực tế công tác bảo vệ rừng tràm", "Vườn quốc gia U Minh Hạ, huyện U Minh"),
    ("Đi thực tế dự án điện gió Khai Long", "xã Đất Mũi, huyện Ngọc Hiển"),
    ("Đi thực tế mô hình tôm – lúa", "xã Trí Phải, huyện Thới Bình"),
    ("Học tập mô hình “Dân vận khéo” ở cơ sở", "xã Khánh Bình Tây, huyện Trần Văn Thời"),
    ("Đi thực tế công trình chống sạt lở bờ biển Tây", "huyện Trần Văn Thời"),
    ("Đi thực tế Khu kinh tế Năm Căn", "huyện Năm Căn"),
    ("Học tập kinh nghiệm cải cách hành chính", "tỉnh Kiên Giang"),
    ("Học tập kinh nghiệm xây dựng nông thôn mới", "tỉnh Bạc Liêu"),
    ("Học tập kinh nghiệm chuyển đổi số", "Thành phố Cần Thơ"),
)
GIFT_PRICES = (300_000, 400_000, 500_000, 500_000, 500_000, 600_000, 800_000, 1_000_000)


@dataclass(frozen=True)
class OtherSpec:
    """An activity of the "other" type: what it is, where, how many took part (its
    quantity, in person-times), money given (millions) and who benefited."""

    title: str
    where: str  # "office" (the unit's seat) or "commune"
    people: tuple[int, int]
    money: tuple[int, int] = (0, 0)
    category: str = ""
    beneficiaries: tuple[int, int] = (0, 0)
    months: tuple[int, ...] = ()  # months it can fall in; empty: any


GENERAL_OTHER: tuple[OtherSpec, ...] = (
    OtherSpec("Ra quân “Ngày Chủ nhật xanh” vệ sinh môi trường", "commune", (20, 80)),
    OtherSpec("Tết trồng cây “Đời đời nhớ ơn Bác Hồ”", "commune", (15, 50), months=(2, 3)),
    OtherSpec("Quyên góp ủng hộ Quỹ “Vì người nghèo” của tỉnh", "office", (20, 150), (5, 60)),
    OtherSpec(
        "Ủng hộ xây dựng cầu giao thông nông thôn",
        "commune",
        (10, 40),
        (20, 150),
        PEOPLE,
        (60, 400),
    ),
    OtherSpec(
        "Tặng áo phao cho học sinh vùng sông nước",
        "commune",
        (5, 20),
        (10, 40),
        PUPILS,
        (80, 300),
        months=(8, 9, 10),
    ),
    OtherSpec(
        "Giúp dân khắc phục hậu quả triều cường, sạt lở",
        "commune",
        (15, 60),
        (0, 30),
        PEOPLE,
        (10, 80),
        months=(9, 10, 11, 12),
    ),
    OtherSpec(
        "Sinh hoạt kể chuyện về Bác, giới thiệu gương người tốt, việc tốt", "office", (15, 80)
    ),
)
THEMATIC_OTHER: dict[str, tuple[OtherSpec, ...]] = {
    "election-2016": (
        OtherSpec(
            "Tuyên truyền cuộc bầu cử đại biểu Quốc hội và HĐND các cấp", "commune", (10, 40)
        ),
        OtherSpec("Ra quân chỉnh trang cơ quan, khu vực bỏ phiếu", "office", (15, 60)),
    ),
    "ct05-2016": (
        OtherSpec(
            "Hội nghị quán triệt Chỉ thị số 05-CT/TW đến người lao động", "office", (20, 150)
        ),
        OtherSpec("Thi tìm hiểu tư tưởng, đạo đức, phong cách Hồ Chí Minh", "office", (20, 120)),
    ),
    "topic-2017": (
        OtherSpec(
            "Đối thoại với Nhân dân, tiếp nhận và giải quyết kiến nghị",
            "commune",
            (8, 30),
            category=PEOPLE,
            beneficiaries=(30, 200),
        ),
        OtherSpec("Kể chuyện “Bác Hồ với Nhân dân”", "office", (20, 100)),
    ),
    "topic-2018": (
        OtherSpec(
            "Tọa đàm về phong cách, tác phong công tác của người đứng đầu", "office", (15, 60)
        ),
        OtherSpec("Ký cam kết rèn luyện tác phong, lề lối làm việc", "office", (15, 120)),
    ),
    "topic-2019": (
        OtherSpec("Hội thi kể chuyện “Làm theo lời Bác”", "office", (20, 100)),
        OtherSpec(
            "Hướng dẫn người dân làm thủ tục hành chính tại nhà",
            "commune",
            (5, 20),
            category=ELDERLY,
            beneficiaries=(10, 60),
        ),
    ),
    "testament-2019": (
        OtherSpec(
            "Tọa đàm kỷ niệm 50 năm thực hiện Di chúc của Chủ tịch Hồ Chí Minh", "office", (20, 90)
        ),
        OtherSpec("Thi tìm hiểu Di chúc của Chủ tịch Hồ Chí Minh", "office", (20, 150)),
    ),
    "topic-2020": (
        OtherSpec("Hội nghị biểu dương điển hình làm theo Bác của đơn vị", "office", (20, 100)),
    ),
    "congress-2020": (
        OtherSpec(
            "Ra quân chỉnh trang cơ quan chào mừng Đại hội Đảng bộ các cấp", "office", (15, 70)
        ),
        OtherSpec("Công trình thanh niên chào mừng Đại hội Đảng", "commune", (10, 40), (10, 80)),
    ),
    "covid-2020": (
        OtherSpec("Ủng hộ Quỹ phòng, chống dịch COVID-19", "office", (20, 200), (10, 120)),
        OtherSpec(
            "Trao gạo, nhu yếu phẩm cho hộ khó khăn do dịch COVID-19",
            "commune",
            (8, 30),
            (10, 60),
            POOR,
            (30, 200),
        ),
        OtherSpec(
            "Hỗ trợ nước ngọt cho người dân vùng hạn hán, xâm nhập mặn",
            "commune",
            (8, 30),
            (10, 50),
            PEOPLE,
            (50, 300),
            months=(3, 4, 5),
        ),
        OtherSpec(
            "Ủng hộ đồng bào miền Trung khắc phục hậu quả bão lũ",
            "office",
            (20, 150),
            (10, 80),
            months=(10, 11, 12),
        ),
    ),
}
NO_MOVEMENT_SHARE = 0.25  # "other" activities not reported against any movement

# --- initiatives ---------------------------------------------------------------------------

DIGITAL = "Chuyển đổi số"
ADMIN = "Cải cách hành chính"
PARTY = "Công tác Đảng"
EXPERTISE = "Chuyên môn, nghiệp vụ"
TEACHING = "Giáo dục, đào tạo"
HEALTH = "Y tế"
BUSINESS = "Sản xuất, kinh doanh"
BANKING = "Nghiệp vụ ngân hàng"
SAFETY = "Kỹ thuật, an toàn"
PRESS = "Tuyên truyền, báo chí"

FIELDS_BY_SECTOR: dict[Sector, dict[str, int]] = {
    Sector.AGENCY: {DIGITAL: 3, ADMIN: 4, PARTY: 3, EXPERTISE: 3},
    Sector.SCHOOL: {TEACHING: 5, DIGITAL: 2, PARTY: 2},
    Sector.MEDIA: {PRESS: 5, DIGITAL: 2, PARTY: 1},
    Sector.ENTERPRISE: {BUSINESS: 4, SAFETY: 4, DIGITAL: 2, PARTY: 1},
    Sector.BANK: {BANKING: 4, DIGITAL: 3, PARTY: 1},
}
INITIATIVE_TITLES: dict[str, tuple[str, ...]] = {
    DIGITAL: (
        "Ứng dụng chữ ký số trong gửi, nhận văn bản điện tử",
        "Số hóa hồ sơ, tài liệu lưu trữ của cơ quan",
        "Xây dựng phần mềm theo dõi việc thực hiện nhiệm vụ được giao",
        "Ứng dụng nhóm Zalo trong điều hành công việc và sinh hoạt chi bộ",
        "Xây dựng cơ sở dữ liệu đảng viên của đảng bộ cơ sở",
        "Tổ chức họp trực tuyến, giảm chi phí hội nghị",
    ),
    ADMIN: (
        "Rút ngắn thời gian giải quyết hồ sơ theo cơ chế một cửa",
        "Công khai quy trình, thời hạn giải quyết thủ tục trên trang thông tin điện tử",
        "Giải pháp không để hồ sơ trễ hẹn",
        "Đơn giản hóa biểu mẫu báo cáo định kỳ",
        "Tiếp nhận và trả kết quả qua dịch vụ bưu chính công ích",
    ),
    PARTY: (
        "Nâng cao chất lượng sinh hoạt chi bộ định kỳ",
        "Đổi mới cách sinh hoạt chuyên đề học tập và làm theo Bác",
        "Giải pháp phát triển đảng viên trong người lao động trẻ",
        "Theo dõi, đánh giá việc thực hiện bản đăng ký làm theo của đảng viên",
        "Nâng cao chất lượng công tác kiểm tra, giám sát của chi bộ",
    ),
    EXPERTISE: (
        "Nâng cao chất lượng tham mưu văn bản của chuyên viên",
        "Chuẩn hóa quy trình thẩm định hồ sơ",
        "Giải pháp quản lý tài sản công tiết kiệm, hiệu quả",
        "Sổ tay nghiệp vụ cho công chức mới tuyển dụng",
        "Phối hợp liên ngành trong kiểm tra, xử lý vi phạm",
    ),
    TEACHING: (
        "Đổi mới phương pháp giảng dạy theo hướng tích cực hóa người học",
        "Đưa nội dung tư tưởng, đạo đức, phong cách Hồ Chí Minh vào bài giảng",
        "Xây dựng ngân hàng câu hỏi thi trắc nghiệm trực tuyến",
        "Ứng dụng mô phỏng trong thực hành lâm sàng",
        "Tổ chức học nhóm nâng cao kết quả học tập của sinh viên",
    ),
    HEALTH: (
        "Nâng cao chất lượng chăm sóc người bệnh cao tuổi",
        "Quy trình cấp phát thuốc an toàn, giảm sai sót",
        "Tư vấn sức khỏe từ xa cho người dân vùng sâu",
    ),
    BUSINESS: (
        "Nâng cao chất lượng chăm sóc khách hàng",
        "Tiết kiệm chi phí vật tư trong sản xuất, kinh doanh",
        "Tối ưu lịch bảo trì thiết bị, giảm thời gian ngừng sản xuất",
        "Cải tiến quy trình quản lý kho, vật tư",
        "Mở rộng thanh toán không dùng tiền mặt với khách hàng",
        "Giải pháp giảm thất thoát trong vận hành, kinh doanh",
    ),
    BANKING: (
        "Mở rộng mạng lưới điểm giao dịch vùng nông thôn",
        "Giải pháp thu hồi nợ khó đòi",
        "Nâng cao chất lượng tín dụng cho hộ sản xuất nông nghiệp",
        "Phát triển dịch vụ ngân hàng điện tử ở nông thôn",
    ),
    SAFETY: (
        "Cải tiến dụng cụ thi công an toàn trên cao",
        "Giải pháp phòng chống sét cho trạm thiết bị",
        "Quy trình kiểm tra an toàn lao động hằng ngày",
        "Cải tiến thiết bị đo, giám sát vận hành",
        "Giải pháp phòng cháy, chữa cháy tại kho, xưởng",
    ),
    PRESS: (
        "Đổi mới chuyên mục “Học và làm theo Bác”",
        "Phát triển báo điện tử và mạng xã hội của cơ quan",
        "Quy trình biên tập tin, bài đa phương tiện",
        "Nâng cao chất lượng chương trình phát thanh tiếng Khmer",
    ),
}
PROJECT_TITLES: dict[str, tuple[str, ...]] = {
    DIGITAL: (
        "Nghiên cứu xây dựng hệ thống thông tin quản lý văn bản dùng chung",
        "Nghiên cứu ứng dụng dữ liệu số trong quản lý đảng viên",
        "Nghiên cứu xây dựng cổng dịch vụ công trực tuyến của ngành",
    ),
    ADMIN: (
        "Nghiên cứu đánh giá mức độ hài lòng của người dân đối với dịch vụ hành chính công",
        "Nghiên cứu giải pháp cắt giảm thủ tục hành chính cấp tỉnh",
    ),
    PARTY: (
        "Nghiên cứu nâng cao chất lượng tổ chức cơ sở đảng trong khối cơ quan tỉnh",
        "Nghiên cứu giải pháp phát triển đảng viên trong doanh nghiệp ngoài nhà nước",
        "Nghiên cứu nâng cao hiệu quả học tập và làm theo Bác ở chi bộ",
    ),
    EXPERTISE: (
        "Nghiên cứu giải pháp nâng cao chất lượng đội ngũ công chức cấp tỉnh",
        "Nghiên cứu hoàn thiện quy trình phối hợp giữa các sở, ngành",
    ),
    TEACHING: (
        "Nghiên cứu thực trạng và giải pháp nâng cao chất lượng đào tạo nghề cho lao động "
        "nông thôn",
        "Nghiên cứu đổi mới kiểm tra, đánh giá kết quả học tập của sinh viên",
        "Nghiên cứu nhu cầu học tập suốt đời của cán bộ cơ sở",
        "Nghiên cứu chất lượng việc làm của sinh viên sau tốt nghiệp",
        "Nghiên cứu biên soạn tài liệu giảng dạy lịch sử Đảng bộ tỉnh Cà Mau",
    ),
    HEALTH: (
        "Nghiên cứu tình hình bệnh tăng huyết áp ở người cao tuổi tại Cà Mau",
        "Nghiên cứu kiến thức phòng bệnh sốt xuất huyết của người dân vùng nông thôn",
    ),
    BUSINESS: ("Nghiên cứu ứng dụng công nghệ mới nâng cao hiệu quả sản xuất, kinh doanh",),
    BANKING: ("Nghiên cứu giải pháp phát triển tín dụng nông nghiệp, nông thôn tại Cà Mau",),
    SAFETY: ("Nghiên cứu giải pháp bảo đảm an toàn công trình vùng đất yếu ven biển",),
    PRESS: ("Nghiên cứu nhu cầu tiếp nhận thông tin của thính giả, khán giả Cà Mau",),
}
EFFECTS: dict[str, tuple[str, ...]] = {
    DIGITAL: (
        "Rút ngắn khoảng 30% thời gian xử lý văn bản; giảm chi phí in ấn, gửi văn bản giấy.",
        "Tra cứu nhanh, chính xác; dữ liệu được cập nhật thường xuyên và dùng chung.",
    ),
    ADMIN: (
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%; người dân đi lại ít hơn.",
        "Giảm thời gian chờ đợi của tổ chức, công dân; không còn hồ sơ trễ hẹn.",
    ),
    PARTY: (
        "Sinh hoạt chi bộ có nội dung thiết thực hơn; tỷ lệ đảng viên dự sinh hoạt tăng.",
        "Việc làm theo của đảng viên được theo dõi, đánh giá cụ thể, công khai.",
    ),
    EXPERTISE: (
        "Chất lượng tham mưu được lãnh đạo đánh giá cao; giảm văn bản phải sửa đổi.",
        "Quy trình rõ ràng, thống nhất; giảm sai sót trong thẩm định.",
    ),
    TEACHING: (
        "Kết quả học tập của người học được nâng lên; được áp dụng ở nhiều khoa.",
        "Người học hứng thú hơn; tỷ lệ khá, giỏi tăng so với năm trước.",
    ),
    HEALTH: (
        "Giảm sai sót chuyên môn; người bệnh hài lòng hơn.",
        "Được áp dụng tại các khoa, phòng của đơn vị.",
    ),
    BUSINESS: (
        "Làm lợi cho đơn vị; được áp dụng trong toàn đơn vị.",
        "Tăng doanh thu, giảm chi phí; khách hàng hài lòng hơn.",
    ),
    BANKING: (
        "Dư nợ tăng, nợ xấu giảm; khách hàng vùng nông thôn được phục vụ tốt hơn.",
        "Rút ngắn thời gian xét duyệt hồ sơ vay; được áp dụng ở các phòng giao dịch.",
    ),
    SAFETY: (
        "Không để xảy ra tai nạn lao động; giảm thời gian sự cố.",
        "Tiết kiệm chi phí sửa chữa; được nhân rộng ở các đơn vị trực thuộc.",
    ),
    PRESS: (
        "Lượng người đọc, người xem tăng; tin, bài phản ánh kịp thời hơn.",
        "Chuyên mục được duy trì đều đặn, có sức lan tỏa.",
    ),
}
INITIATIVES_PER_YEAR = (24, 38)
AUTHOR_COUNTS = ((1, 50), (2, 35), (3, 15))  # (authors, weight)
LEVELS = (
    (RecognitionLevel.NONE, 8),
    (RecognitionLevel.BASE, 55),
    (RecognitionLevel.SECTOR, 25),
    (RecognitionLevel.PROVINCE, 11),
    (RecognitionLevel.NATIONAL, 1),
)
# Fields whose initiatives save or earn money, and how often and how much (tens of millions).
BENEFITS: dict[str, tuple[float, int, int]] = {
    BUSINESS: (0.6, 5, 300),
    BANKING: (0.6, 5, 300),
    SAFETY: (0.5, 3, 150),
    DIGITAL: (0.25, 1, 40),
    ADMIN: (0.15, 1, 20),
    EXPERTISE: (0.15, 1, 30),
}
PROJECT_SHARE: dict[Sector, float] = {
    Sector.AGENCY: 0.12,
    Sector.SCHOOL: 0.35,
    Sector.MEDIA: 0.1,
    Sector.ENTERPRISE: 0.08,
    Sector.BANK: 0.08,
}

# --- good deeds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeedSpec:
    """A good deed: its title and what was done ({n}, {money}, {since} are filled in)."""

    title: str
    text: str
    years: tuple[int, ...] = YEARS
    months: tuple[int, ...] = ()


PERSON_DEEDS: tuple[DeedSpec, ...] = (
    DeedSpec(
        "Trả lại tài sản nhặt được",
        "Nhặt được ví có {money} triệu đồng cùng giấy tờ tùy thân, đồng chí đã liên hệ công an "
        "phường để trả lại đầy đủ cho người đánh rơi.",
    ),
    DeedSpec(
        "Cứu người đuối nước",
        "Trên đường đi công tác, đồng chí đã nhảy xuống sông cứu một cháu bé bị rơi xuống "
        "nước và đưa đi sơ cứu kịp thời.",
    ),
    DeedSpec(
        "Giúp dân chằng chống nhà cửa trước mưa bão",
        "Đồng chí cùng người dân chằng chống nhà cửa, di dời tài sản của các hộ ven sông "
        "trước cơn bão, không để xảy ra thiệt hại về người.",
        months=(7, 8, 9, 10, 11),
    ),
    DeedSpec(
        "Hiến máu tình nguyện {n} lần",
        "Từ năm {since} đến nay, đồng chí đã {n} lần hiến máu tình nguyện và vận động người "
        "thân, đồng nghiệp cùng tham gia.",
    ),
    DeedSpec(
        "Nhận đỡ đầu học sinh nghèo",
        "Đồng chí nhận đỡ đầu {n} em học sinh có hoàn cảnh khó khăn, hỗ trợ học phí và đồ "
        "dùng học tập hằng năm.",
    ),
    DeedSpec(
        "Hiến đất làm đường giao thông nông thôn",
        "Gia đình đồng chí hiến {n}0 m² đất để mở rộng đường giao thông nông thôn ở ấp nơi cư trú.",
    ),
    DeedSpec(
        "Giúp đỡ người bị tai nạn giao thông",
        "Đồng chí dừng xe sơ cứu, đưa người bị tai nạn giao thông đi cấp cứu và báo tin cho "
        "gia đình nạn nhân.",
    ),
    DeedSpec(
        "Tham gia dập lửa, cứu tài sản của người dân",
        "Phát hiện đám cháy ở khu dân cư, đồng chí đã cùng người dân dập lửa, cứu tài sản "
        "trước khi lực lượng chữa cháy đến.",
    ),
    DeedSpec(
        "Phụng dưỡng Mẹ Việt Nam Anh hùng",
        "Đồng chí nhận chăm sóc, phụng dưỡng một Mẹ Việt Nam Anh hùng ở xã kết nghĩa, thăm "
        "hỏi hằng tháng.",
    ),
    DeedSpec(
        "Tận tình giúp người cao tuổi hoàn thành thủ tục",
        "Đồng chí chủ động hướng dẫn, giúp người cao tuổi hoàn thành hồ sơ tại nhà; người "
        "dân gửi thư cảm ơn đến cơ quan.",
    ),
    DeedSpec(
        "Vận động xây nhà cho hộ nghèo ở nơi cư trú",
        "Đồng chí vận động người thân, bạn bè đóng góp {money} triệu đồng xây nhà cho một hộ "
        "nghèo ở ấp nơi cư trú.",
    ),
    DeedSpec(
        "Từ chối nhận tiền cảm ơn của người dân",
        "Đồng chí từ chối phong bì cảm ơn của người dân sau khi giải quyết hồ sơ, giữ đúng "
        "chuẩn mực đạo đức công vụ.",
    ),
    DeedSpec(
        "Tình nguyện trực chốt phòng, chống dịch COVID-19",
        "Đồng chí tình nguyện tham gia trực chốt kiểm soát dịch, hỗ trợ đo thân nhiệt, khai "
        "báo y tế cho người dân qua lại.",
        years=(2020,),
        months=(3, 4, 5, 6, 7, 8, 9),
    ),
)
COLLECTIVE_DEEDS: tuple[DeedSpec, ...] = (
    DeedSpec(
        "Quyên góp xây cầu giao thông nông thôn",
        "Cán bộ, đảng viên và người lao động của đơn vị quyên góp {money} triệu đồng xây cầu "
        "bê tông giúp người dân ấp kết nghĩa đi lại thuận tiện.",
    ),
    DeedSpec(
        "Nhận phụng dưỡng Mẹ Việt Nam Anh hùng",
        "Tập thể nhận phụng dưỡng Mẹ Việt Nam Anh hùng, thăm hỏi, chăm sóc hằng tháng và vào "
        "các dịp lễ, Tết.",
    ),
    DeedSpec(
        "Giúp hộ nghèo thoát nghèo bền vững",
        "Tập thể hỗ trợ {n} hộ nghèo ở xã kết nghĩa con giống, vốn sản xuất; sau hai năm các "
        "hộ đã thoát nghèo.",
    ),
    DeedSpec(
        "Duy trì bữa cơm miễn phí cho bệnh nhân nghèo",
        "Mỗi tháng một lần, tập thể nấu và phát cơm miễn phí cho bệnh nhân nghèo tại Bệnh viện "
        "Đa khoa Cà Mau.",
    ),
    DeedSpec(
        "Ủng hộ người dân vùng hạn hán, xâm nhập mặn",
        "Tập thể quyên góp {money} triệu đồng mua bồn chứa nước ngọt tặng các hộ dân vùng hạn mặn.",
        years=(2016, 2020),
        months=(3, 4, 5),
    ),
)
DEEDS_PER_YEAR = (35, 75)
COLLECTIVE_SHARE = 0.2

# --- commendation --------------------------------------------------------------------------

ACTIVITY_NOTE = "Hoạt động tiêu biểu, có sức lan tỏa trong Đảng bộ; đề nghị biểu dương."
INITIATIVE_NOTE = "Sáng kiến được công nhận, áp dụng có hiệu quả; đề nghị khen thưởng tác giả."
DEED_NOTE = "Gương người tốt, việc tốt tiêu biểu; đề nghị biểu dương, nhân rộng."
# Initiatives put forward, by the level they were recognized at: (before 2020, in 2020).
INITIATIVE_SHARE: dict[str, tuple[float, float]] = {
    RecognitionLevel.NONE: (0, 0),
    RecognitionLevel.BASE: (0, 0.25),
    RecognitionLevel.SECTOR: (0, 0.8),
    RecognitionLevel.PROVINCE: (0.4, 1),
    RecognitionLevel.NATIONAL: (1, 1),
}
PUT_FORWARD_SHARE: dict[str, tuple[float, float]] = {  # (before 2020, in 2020)
    "activity": (0.005, 0.06),
    "good_deed": (0.05, 0.5),
}


# --- the load ------------------------------------------------------------------------------


def load(ctx: DemoContext) -> dict[str, int]:
    """Load the movements demo into the orgs demo just created; return counts for the
    command's summary, by what they count."""
    catalog = _Catalog.read()
    movements = _movements(ctx)
    members = _Members.read(ctx)
    activities = _activities(ctx, catalog, movements)
    targets = _targets(ctx, catalog, movements, activities)
    initiatives, authors = _initiatives(ctx, members)
    deeds = _deeds(ctx, members)
    proposed = _put_forward(ctx, activities, initiatives, deeds)
    by_type: dict[str, int] = defaultdict(int)
    for activity in activities:
        by_type[activity.activity_type.code] += activity.quantity
    return {
        "Phong trào thi đua": len(movements.all),
        "Chỉ tiêu của phong trào": targets,
        "Hoạt động 2016–2020": len(activities),
        "Căn nhà “Vì người nghèo”": by_type[HOUSES],
        "Đơn vị máu hiến tặng": by_type[BLOOD],
        "Suất quà tặng": by_type[GIFTS],
        "Lượt người được khám bệnh miễn phí": by_type[MEDICAL],
        "Sáng kiến, đề tài": len(initiatives),
        "Tác giả sáng kiến, đề tài": authors,
        "Gương người tốt, việc tốt": len(deeds),
        "Đề nghị khen thưởng": proposed,
    }


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _created(objects: Sequence[models.Model], verb: str) -> None:
    audit.record_many(objects, verb, action=Action.CREATE)


def _count(ctx: DemoContext, expected: float) -> int:
    """A whole number averaging `expected`."""
    whole = int(expected)
    return whole + (ctx.rng.random() < expected - whole)


def _day(
    ctx: DemoContext,
    year: int,
    weights: Sequence[float],
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> datetime.date:
    """A day of the year within [first, last], its month drawn by the weights."""
    lo = max(first or D(year, 1, 1), D(year, 1, 1))
    hi = min(last or D(year, 12, 31), D(year, 12, 31))
    months = list(range(lo.month, hi.month + 1))
    chosen = [weights[m - 1] for m in months]
    if not any(chosen):
        chosen = [1] * len(months)
    month = ctx.rng.choices(months, chosen)[0]
    start = lo if month == lo.month else D(year, month, 1)
    end = hi if month == hi.month else D(year, month, calendar.monthrange(year, month)[1])
    return start + datetime.timedelta(days=ctx.rng.randint(0, (end - start).days))


def _in_months(months: tuple[int, ...]) -> tuple[float, ...]:
    return tuple(1.0 if not months or m in months else 0.0 for m in range(1, 13))


# --- catalogs ------------------------------------------------------------------------------


@dataclass
class _Catalog:
    types: dict[str, ActivityType]
    categories: dict[str, BeneficiaryCategory]

    @classmethod
    def read(cls) -> "_Catalog":
        """The seeded activity types and categories (created as the seeding migration
        would if they are missing, e.g. in a test database built without migrations)."""
        seed = importlib.import_module("lantoa.movements.migrations.0002_catalog")
        types = {}
        for position, (code, name, unit, largest, is_other) in enumerate(seed.ACTIVITY_TYPES, 1):
            defaults = {
                "name": name,
                "unit": unit,
                "max_quantity": largest,
                "is_other": is_other,
                "position": position * 10,
            }
            types[code] = ActivityType.objects.get_or_create(code=code, defaults=defaults)[0]
        categories = {
            code: BeneficiaryCategory.objects.get_or_create(
                code=code, defaults={"name": name, "position": position * 10}
            )[0]
            for position, (code, name) in enumerate(seed.BENEFICIARY_CATEGORIES, 1)
        }
        return cls(types, categories)


# --- movements -----------------------------------------------------------------------------


@dataclass
class _Movements:
    regular: dict[str, Movement]  # by family
    thematic: list[tuple[MovementSpec, Movement]]
    specs: dict[int, MovementSpec] = field(default_factory=dict)  # by movement id

    @property
    def all(self) -> list[Movement]:
        return [*self.regular.values(), *(movement for _spec, movement in self.thematic)]

    def thematic_on(self, year: int) -> list[tuple[MovementSpec, Movement]]:
        return [(s, m) for s, m in self.thematic if m.start_date.year <= year <= m.end_date.year]


def _yearly_plans(ctx: DemoContext) -> dict[int, Document]:
    """The committee's yearly study plans, registered by the programs demo (if it ran)."""
    plans = Document.objects.filter(
        organization=ctx.committee, title__startswith=PLAN_PREFIX
    ).order_by("issued_on", "pk")
    return {plan.issued_on.year: plan for plan in plans if plan.issued_on}


def _movements(ctx: DemoContext) -> _Movements:
    plans = _yearly_plans(ctx)

    def launch(spec: MovementSpec) -> Movement:
        return movement_services.create_movement(
            by=ctx.admin,
            organization=ctx.committee,
            title=spec.title,
            kind=spec.kind,
            start_date=spec.start,
            end_date=spec.end,
            description=spec.description,
            document=plans.get(spec.plan_year) if spec.plan_year else None,
        )

    found = _Movements(
        regular={spec.key: launch(spec) for spec in REGULAR_MOVEMENTS},
        thematic=[(spec, launch(spec)) for spec in THEMATIC_MOVEMENTS],
    )
    for spec in REGULAR_MOVEMENTS:
        found.specs[found.regular[spec.key].pk] = spec
    for spec, movement in found.thematic:
        found.specs[movement.pk] = spec
    return found


def _nice(value: float) -> int:
    """A round figure as a target would be set: two significant digits."""
    value = max(1, round(value))
    if value < 100:
        return value
    step = 10 ** (len(str(value)) - 2)
    return round(value / step) * step


def _targets(
    ctx: DemoContext, catalog: _Catalog, movements: _Movements, activities: list[Activity]
) -> int:
    """Targets set from what the units went on to do: most are met, a few fall short.
    Regular movements also ask something of each base organization."""
    done: dict[tuple[int, str], int] = defaultdict(int)
    for activity in activities:
        if activity.movement is not None:
            done[(activity.movement.pk, activity.activity_type.code)] += activity.quantity
    bases = len(ctx.units)
    count = 0
    for movement in movements.all:
        spec = movements.specs[movement.pk]
        for code in spec.types:
            total = done[(movement.pk, code)]
            if not total:
                continue
            quantity = _nice(total * ctx.rng.uniform(0.8, 1.05))
            per_base = None
            if spec.kind == MovementKind.REGULAR:
                per_base = min(quantity, _nice(quantity / bases * ctx.rng.uniform(0.5, 0.8)))
            movement_services.set_target(
                movement,
                by=ctx.admin,
                activity_type=catalog.types[code],
                quantity=quantity,
                per_base_organization=per_base,
                note=_target_note(spec),
            )
            count += 1
    return count


def _target_note(spec: MovementSpec) -> str:
    if spec.kind == MovementKind.REGULAR:
        return "Chỉ tiêu cả giai đoạn 2016–2020, đánh giá hằng năm khi tổng kết phong trào."
    return f"Chỉ tiêu của đợt thi đua, đến ngày {spec.end.strftime('%d/%m/%Y')}."


# --- who was where -------------------------------------------------------------------------


@dataclass
class _Members:
    """Who sat in which organization, when (read once from the memberships)."""

    people: dict[int, Person]
    rows: dict[int, list[tuple[int, datetime.date, datetime.date | None]]]

    @classmethod
    def read(cls, ctx: DemoContext) -> "_Members":
        leaves = [leaf.pk for unit in ctx.units for leaf in unit.leaves]
        rows: dict[int, list] = defaultdict(list)
        memberships = (
            Membership.objects.filter(organization_id__in=leaves)
            .order_by("organization_id", "person_id", "start_date")
            .values_list("organization_id", "person_id", "start_date", "end_date")
        )
        for org_id, person_id, start, end in memberships:
            rows[org_id].append((person_id, start, end))
        return cls({person.pk: person for person in ctx.people}, rows)

    def on(self, org: Organization, day: datetime.date) -> list[Person]:
        """Members of this very organization on the day, in a fixed order."""
        return [
            self.people[pk]
            for pk, start, end in self.rows.get(org.pk, ())
            if start <= day and (end is None or day <= end) and pk in self.people
        ]


# --- activities ----------------------------------------------------------------------------


@dataclass
class _Draft:
    """An activity's own figures, before it is given its organization and movement."""

    title: str
    place: str
    description: str = ""
    participants: int = 0
    quantity: int = 0
    money: int = 0
    category: str = ""
    beneficiaries: int = 0


@dataclass
class _Ledger:
    ctx: DemoContext
    catalog: _Catalog
    movements: _Movements
    home: dict[int, str]  # the commune each unit is twinned with (xã kết nghĩa)
    rows: list[Activity] = field(default_factory=list)
    partners: dict[int, list[Organization]] = field(default_factory=dict)  # by row index

    def add(
        self,
        org: Organization,
        code: str,
        day: datetime.date,
        draft: _Draft,
        movement: Movement | None,
        partners: Sequence[Organization] = (),
    ) -> None:
        activity_type = self.catalog.types[code]
        title, place = nfc(draft.title), nfc(draft.place)
        activity = Activity(
            organization=org,
            activity_type=activity_type,
            movement=movement,
            title=title,
            date=day,
            place=place,
            description=nfc(draft.description),
            participants=draft.participants,
            beneficiary_category=self.catalog.categories.get(draft.category),
            beneficiaries=draft.beneficiaries,
            quantity=min(draft.quantity, activity_type.max_quantity),
            money=draft.money,
            recorded_by=self.ctx.admin,
            search_key=search_key(f"{title} {place}"),
        )
        if partners:
            self.partners[len(self.rows)] = list(partners)
        self.rows.append(activity)

    def commune(self, unit: Unit) -> str:
        if self.ctx.rng.random() < 0.7:
            return self.home[unit.org.pk]
        return self.ctx.rng.choice(COMMUNES)


def _activities(ctx: DemoContext, catalog: _Catalog, movements: _Movements) -> list[Activity]:
    """Each unit's activities of every type, year by year, then the committee's own."""
    rng = ctx.rng
    ledger = _Ledger(ctx, catalog, movements, {u.org.pk: rng.choice(COMMUNES) for u in ctx.units})
    by_code = {unit.spec.code: unit for unit in ctx.units}
    for unit in sorted(ctx.units, key=lambda u: u.org.path):
        size = min(2.5, max(0.5, (unit.spec.members / 60) ** 0.5))
        for year in YEARS:
            for code in TYPE_CODES:
                rate = PLANS[code].rate
                if code == MEDICAL and unit.spec.code in HEALTH_UNITS:
                    rate = HEALTH_RATE
                for _ in range(_count(ctx, rate * size)):
                    _one(ledger, unit, year, code, by_code)
    for year in YEARS:
        _committee_events(ledger, year)
    Activity.objects.bulk_create(ledger.rows, batch_size=500)
    _created(ledger.rows, "movements.activity.recorded")
    for index, partners in ledger.partners.items():
        ledger.rows[index].partners.add(*partners)
    return ledger.rows


def _one(ledger: _Ledger, unit: Unit, year: int, code: str, by_code: dict[str, Unit]) -> None:
    """One activity of the unit (or of one of its cells) of the type in the year."""
    ctx = ledger.ctx
    plan = PLANS[code]
    cells = [leaf for leaf in unit.leaves if leaf.pk != unit.org.pk]
    holder = unit.org
    if cells and ctx.rng.random() < plan.cell_share:
        holder = ctx.rng.choice(cells)
    people = unit.spec.members / (len(cells) if holder.pk != unit.org.pk else 1)
    if code == OTHER:
        _other(ledger, unit, holder, year, people)
        return
    movement = ledger.movements.regular[FAMILY_OF_TYPE[code]]
    day = _day(ctx, year, plan.months, movement.start_date, movement.end_date)
    draft = DRAFTS[code](ledger, unit, day, people)
    partners: list[Organization] = []
    if code == MEDICAL and unit.spec.code not in HEALTH_UNITS and ctx.rng.random() < 0.7:
        partners = [by_code[ctx.rng.choice(HEALTH_UNITS[:2])].org]
    elif code == ROOTS and unit.spec.code in MASS_ORGANIZATIONS and ctx.rng.random() < 0.4:
        others = [c for c in MASS_ORGANIZATIONS if c != unit.spec.code and c in by_code]
        partners = [by_code[c].org for c in ctx.rng.sample(others, ctx.rng.randint(1, 2))]
    ledger.add(holder, code, day, draft, movement, partners)


def _houses(ledger: _Ledger, unit: Unit, day: datetime.date, people: float) -> _Draft:
    rng = ledger.ctx.rng
    count = rng.choices((1, 2, 3), (85, 12, 3))[0]
    each = rng.randint(40, 70) * MILLION
    category = rng.choices((POOR, POLICY), (75, 25))[0]
    kind = "nhà “Vì người nghèo”" if category == POOR else "nhà tình nghĩa"
    title = f"Bàn giao {kind} cho {WHO[category]}"
    if count > 1:
        title += f" ({count} căn)"
    return _Draft(
        title=title,
        place=ledger.commune(unit),
        description=f"Kinh phí do cán bộ, đảng viên, người lao động đóng góp và vận động xã "
        f"hội hóa, {each // MILLION} triệu đồng mỗi căn; hộ được hỗ trợ góp ngày công.",
        participants=rng.randint(8, 25),
        quantity=count,
        money=count * each,
        category=category,
        beneficiaries=count,
    )


def _blood_title(day: datetime.date) -> str:
    month = day.month
    if month in (1, 2):
        return f"Lễ hội Xuân hồng năm {day.year}"
    if month == 4:
        return "Hiến máu hưởng ứng Ngày Toàn dân hiến máu tình nguyện 7/4"
    if month == 6:
        return "Hiến máu hưởng ứng Ngày Thế giới tôn vinh người hiến máu 14/6"
    if month in (7, 8):
        return f"Hành trình Đỏ – Kết nối dòng máu Việt năm {day.year}"
    if month == 12:
        return f"Chủ nhật Đỏ năm {day.year + 1}"
    return "Ngày hội hiến máu tình nguyện"


def _blood(ledger: _Ledger, unit: Unit, day: datetime.date, people: float) -> _Draft:
    rng = ledger.ctx.rng
    units = min(120, max(20, round(people * rng.uniform(0.3, 0.7))))
    place = rng.choice((f"Hội trường {unit.spec.host_name}", HOSPITAL))
    return _Draft(
        title=_blood_title(day),
        place=place,
        description="Cán bộ, đảng viên, đoàn viên và người lao động tham gia; phối hợp với "
        "Hội Chữ thập đỏ tỉnh và Bệnh viện Đa khoa Cà Mau tiếp nhận máu.",
        participants=units + rng.randint(0, units // 4),
        quantity=units,
    )


def _field_trip(ledger: _Ledger, unit: Unit, day: datetime.date, people: float) -> _Draft:
    rng = ledger.ctx.rng
    title, place = rng.choice(FIELD_SITES)
    participants = min(60, max(15, round(people * rng.uniform(0.3, 0.8))))
    return _Draft(
        title=title,
        place=place,
        description="Tìm hiểu cách làm hay ở cơ sở, gắn với nhiệm vụ chính trị của đơn vị.",
        participants=participants,
        quantity=participants,
    )


def _roots(ledger: _Ledger, unit: Unit, day: datetime.date, people: float) -> _Draft:
    rng = ledger.ctx.rng
    if day.month == 7:
        place, far = "Nghĩa trang Liệt sĩ tỉnh Cà Mau", False
        title = "Viếng Nghĩa trang Liệt sĩ nhân kỷ niệm Ngày Thương binh – Liệt sĩ 27/7"
    else:
        place, far = rng.choice(ROOTS_SITES)
        title = f"Hành trình về nguồn: {place.split(',')[0]}"
        if day.month == 5:
            title += " nhân kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh"
    high = 30 if far else 60
    participants = min(high, max(15, round(people * rng.uniform(0.3, 0.9))))
    return _Draft(
        title=title,
        place=place,
        description="Dâng hương, tìm hiểu truyền thống cách mạng; sinh hoạt chi bộ tại di tích.",
        participants=participants,
        quantity=participants,
    )


def _gift_occasion(ledger: _Ledger, day: datetime.date) -> tuple[str, str]:
    """Title and beneficiaries of a visit with gifts, by the season."""
    rng = ledger.ctx.rng
    month = day.month
    if month in (1, 2):
        category = rng.choice((POOR, POLICY, ELDERLY))
        return f"Thăm, tặng quà Tết cho {WHO[category]}", category
    if month == 7:
        category = rng.choice((POLICY, MERIT))
        return (
            f"Thăm, tặng quà {WHO[category]} nhân Ngày Thương binh – Liệt sĩ 27/7",
            category,
        )
    if month in (8, 9):
        school_year = f"{day.year}–{day.year + 1}"
        return f"Tặng quà, tập vở cho {WHO[PUPILS]} năm học {school_year}", PUPILS
    if month == 12:
        return (
            f"Thăm, tặng quà {WHO[MERIT]} nhân Ngày thành lập Quân đội nhân dân Việt Nam",
            MERIT,
        )
    category = rng.choice((POLICY, POOR, ELDERLY))
    return f"Thăm, tặng quà {WHO[category]}", category


def _money_text(amount: int) -> str:
    if amount % MILLION == 0:
        return f"{amount // MILLION} triệu đồng"
    return f"{amount // THOUSAND} nghìn đồng"


def _gifts(ledger: _Ledger, unit: Unit, day: datetime.date, people: float) -> _Draft:
    rng = ledger.ctx.rng
    title, category = _gift_occasion(ledger, day)
    high = max(20, min(200, round(people * 0.8)))
    count = rng.randint(10, high)
    price = rng.choice(GIFT_PRICES)
    return _Draft(
        title=title,
        place=ledger.commune(unit),
        description=f"Mỗi suất quà trị giá {_money_text(price)}.",
        participants=rng.randint(4, 15),
        quantity=count,
        money=count * price,
        category=category,
        beneficiaries=count,
    )


def _medical(ledger: _Ledger, unit: Unit, day: datetime.date, people: float) -> _Draft:
    rng = ledger.ctx.rng
    category = rng.choice((POLICY, MERIT, ELDERLY, POOR, PEOPLE))
    examined = rng.randint(50, 500 if unit.spec.code in HEALTH_UNITS else 250)
    return _Draft(
        title=f"Khám bệnh, cấp thuốc miễn phí cho {WHO[category]}",
        place=ledger.commune(unit),
        description="Khám tổng quát, tư vấn sức khỏe và cấp thuốc miễn phí.",
        participants=rng.randint(8, 40),
        quantity=examined,
        money=examined * rng.randrange(60, 201, 10) * THOUSAND,
        category=category,
        beneficiaries=examined,
    )


DRAFTS = {
    HOUSES: _houses,
    BLOOD: _blood,
    FIELD_TRIP: _field_trip,
    ROOTS: _roots,
    GIFTS: _gifts,
    MEDICAL: _medical,
}


def _other(ledger: _Ledger, unit: Unit, holder: Organization, year: int, people: float) -> None:
    """An "other" activity: mostly for one of the year's thematic movements."""
    rng = ledger.ctx.rng
    candidates = ledger.movements.thematic_on(year)
    movement, specs, first, last = None, GENERAL_OTHER, None, None
    if candidates and rng.random() >= NO_MOVEMENT_SHARE:
        spec, movement = rng.choice(candidates)
        specs, first, last = THEMATIC_OTHER[spec.key], movement.start_date, movement.end_date
    other = rng.choice(specs)
    day = _day(ledger.ctx, year, _in_months(other.months), first, last)
    participants = min(other.people[1], max(other.people[0], round(people * rng.uniform(0.4, 1))))
    money = rng.randint(*other.money) * MILLION if other.money[1] else 0
    beneficiaries = rng.randint(*other.beneficiaries) if other.category else 0
    place = unit.spec.host_name if other.where == "office" else ledger.commune(unit)
    draft = _Draft(
        title=other.title,
        place=place,
        participants=participants,
        quantity=participants,
        money=money,
        category=other.category,
        beneficiaries=beneficiaries,
    )
    ledger.add(holder, OTHER, day, draft, movement)


def _committee_events(ledger: _Ledger, year: int) -> None:
    """The committee's own yearly blood-donation day (with a few units as partners), its
    Tết visit to the twinned commune and its executive's trip "về nguồn"."""
    ctx, rng = ledger.ctx, ledger.ctx.rng
    regular = ledger.movements.regular
    day = _day(ctx, year, _in_months((6,)))
    pool = [unit.org for unit in ctx.committee_units]
    if day >= ctx.merger_date:
        pool += [unit.org for unit in ctx.enterprise_units]
    partners = rng.sample(pool, rng.randint(3, 5))
    units = rng.randint(180, 320)
    draft = _Draft(
        title=f"Ngày hội hiến máu tình nguyện “Giọt hồng Dân Chính Đảng” năm {year}",
        place="Hội trường Đảng ủy Dân Chính Đảng tỉnh Cà Mau",
        description="Đảng ủy Dân Chính Đảng tỉnh phối hợp Hội Chữ thập đỏ tỉnh tổ chức cho "
        "các cơ quan, đơn vị trong Đảng bộ.",
        participants=units + rng.randint(20, 60),
        quantity=units,
    )
    ledger.add(ctx.committee, BLOOD, day, draft, regular["blood"], partners)
    _committee_gifts(ledger, year)
    place = COMMITTEE_TRIPS[year]
    trip = rng.randint(30, 45)
    draft = _Draft(
        title=f"Ban Chấp hành Đảng bộ về nguồn: {place.split(',')[0]}",
        place=place,
        description="Dâng hương tưởng niệm Chủ tịch Hồ Chí Minh và các anh hùng liệt sĩ.",
        participants=trip,
        quantity=trip,
    )
    ledger.add(ctx.committee, ROOTS, _day(ctx, year, _in_months((5,))), draft, regular["roots"])


def _committee_gifts(ledger: _Ledger, year: int) -> None:
    ctx, movement = ledger.ctx, ledger.movements.regular["gratitude"]
    gifts = ctx.rng.randint(80, 150)
    draft = _Draft(
        title=f"Thăm, tặng quà Tết cho {WHO[POLICY]}, {WHO[POOR]} xã kết nghĩa",
        place=COMMUNES[0],
        description="Ban Thường vụ Đảng ủy thăm, chúc Tết; mỗi suất quà 500 nghìn đồng.",
        participants=ctx.rng.randint(10, 20),
        quantity=gifts,
        money=gifts * 500_000,
        category=POLICY,
        beneficiaries=gifts,
    )
    day = _day(ctx, year, _in_months((1,)), movement.start_date)
    ledger.add(ctx.committee, GIFTS, day, draft, movement)


# --- initiatives ---------------------------------------------------------------------------


def _recognized_on(ctx: DemoContext, year: int, level: str) -> datetime.date | None:
    if level == RecognitionLevel.NONE:
        return None
    if level in (RecognitionLevel.PROVINCE, RecognitionLevel.NATIONAL) and ctx.rng.random() < 0.5:
        return D(year + 1, ctx.rng.randint(1, 4), ctx.rng.randint(1, 28))
    return D(year, ctx.rng.randint(10, 12), ctx.rng.randint(1, 28))


def _benefit(ctx: DemoContext, subject: str) -> int:
    """The benefit in đồng: often in business and safety, sometimes in other fields."""
    share, low, high = BENEFITS.get(subject, (0, 0, 0))
    if ctx.rng.random() >= share:
        return 0
    return ctx.rng.randint(low, high) * 10 * MILLION


def _initiative_subject(ctx: DemoContext, unit: Unit) -> tuple[str, str, str]:
    """Kind, field and title (in the unit's host) of an initiative or applied project."""
    rng = ctx.rng
    fields = dict(FIELDS_BY_SECTOR[unit.spec.sector])
    if unit.spec.code in HEALTH_UNITS:
        fields[HEALTH] = 4
    subject = rng.choices(list(fields), list(fields.values()))[0]
    if rng.random() < PROJECT_SHARE[unit.spec.sector]:
        return InitiativeKind.PROJECT, subject, rng.choice(PROJECT_TITLES[subject])
    title = f"{rng.choice(INITIATIVE_TITLES[subject])} tại {unit.spec.host_name}"
    return InitiativeKind.INITIATIVE, subject, title


def _fresh_subject(ctx: DemoContext, unit: Unit, seen: set[str]) -> tuple[str, str, str] | None:
    """A subject whose title was not used yet (a few tries), or None."""
    for _ in range(4):
        kind, subject, title = _initiative_subject(ctx, unit)
        if title not in seen:
            return kind, subject, title
    return None


def _initiatives(ctx: DemoContext, members: _Members) -> tuple[list[Initiative], int]:
    """20–40 initiatives and projects a year, from units drawn by size, with 1–3 authors
    who were members of the unit that year; no title twice."""
    rng = ctx.rng
    units = sorted(ctx.units, key=lambda u: u.org.path)
    weights = [unit.spec.members**0.5 for unit in units]
    rows: list[Initiative] = []
    authors: list[InitiativeAuthor] = []
    seen: set[str] = set()
    for year in YEARS:
        for _ in range(rng.randint(*INITIATIVES_PER_YEAR)):
            unit = rng.choices(units, weights)[0]
            subject = _fresh_subject(ctx, unit, seen)
            people = [p for leaf in unit.leaves for p in members.on(leaf, D(year, 6, 30))]
            k = rng.choices(*zip(*AUTHOR_COUNTS, strict=True))[0]
            if subject is None or len(people) < k:
                continue
            kind, subject, title = subject
            seen.add(title)
            initiative = _initiative(ctx, unit, year, kind, subject, title)
            rows.append(initiative)
            authors += [
                InitiativeAuthor(initiative=initiative, person=person, position=position)
                for position, person in enumerate(rng.sample(people, k))
            ]
    Initiative.objects.bulk_create(rows, batch_size=500)
    _created(rows, "movements.initiative.recorded")
    InitiativeAuthor.objects.bulk_create(authors, batch_size=500)
    _created(authors, "movements.initiative_author.added")
    return rows, len(authors)


def _initiative(
    ctx: DemoContext, unit: Unit, year: int, kind: str, subject: str, title: str
) -> Initiative:
    level = ctx.rng.choices(*zip(*LEVELS, strict=True))[0]
    return Initiative(
        kind=kind,
        title=nfc(title),
        organization=unit.org,
        year=year,
        field=subject,
        level=level,
        recognized_on=_recognized_on(ctx, year, level),
        effect=ctx.rng.choice(EFFECTS[subject]),
        benefit=_benefit(ctx, subject),
        recorded_by=ctx.admin,
        search_key=search_key(f"{title} {subject}"),
    )


# --- good deeds ----------------------------------------------------------------------------


def _deed_text(ctx: DemoContext, spec: DeedSpec, year: int) -> tuple[str, str]:
    rng = ctx.rng
    values = {
        "n": rng.randint(20, 45) if "hiến máu" in spec.title.lower() else rng.randint(2, 12),
        "money": rng.randint(3, 60),
        "since": year - rng.randint(12, 20),
    }
    return spec.title.format(**values), spec.text.format(**values)


def _deeds(ctx: DemoContext, members: _Members) -> list[GoodDeed]:
    """30–80 good deeds a year: members (recorded in their cell of the day) and some
    collectives (a cell or a base organization, recorded there)."""
    rng = ctx.rng
    units = sorted(ctx.units, key=lambda u: u.org.path)
    weights = [unit.spec.members for unit in units]
    rows: list[GoodDeed] = []
    for year in YEARS:
        for _ in range(rng.randint(*DEEDS_PER_YEAR)):
            unit = rng.choices(units, weights)[0]
            collective = rng.random() < COLLECTIVE_SHARE
            pool = COLLECTIVE_DEEDS if collective else PERSON_DEEDS
            spec = rng.choice([s for s in pool if year in s.years])
            day = _day(ctx, year, _in_months(spec.months))
            title, text = _deed_text(ctx, spec, year)
            leaf = rng.choice(unit.leaves)
            if collective:
                doer = rng.choice((unit.org, leaf))
                rows.append(_deed(ctx, doer, title, text, day, collective=doer))
                continue
            people = members.on(leaf, day)
            if people:
                rows.append(_deed(ctx, leaf, title, text, day, person=rng.choice(people)))
    GoodDeed.objects.bulk_create(rows, batch_size=500)
    _created(rows, "movements.good_deed.recorded")
    return rows


def _deed(
    ctx: DemoContext,
    org: Organization,
    title: str,
    text: str,
    day: datetime.date,
    *,
    person: Person | None = None,
    collective: Organization | None = None,
) -> GoodDeed:
    return GoodDeed(
        person=person,
        collective=collective,
        organization=org,
        title=nfc(title),
        description=nfc(text),
        date=day,
        recorded_by=ctx.admin,
        search_key=search_key(title),
    )


# --- commendation --------------------------------------------------------------------------


def _proposal_day(ctx: DemoContext, day: datetime.date, year: int) -> datetime.datetime:
    """When a record of the year was put forward: at the year's review (November), or
    a few days after it happened if later."""
    rng = ctx.rng
    review = D(year, 11, rng.randint(2, 25))
    later = day + datetime.timedelta(days=rng.randint(3, 20))
    return _at(max(review, later), rng.randint(8, 16), rng.choice((0, 15, 30, 45)))


def _put_forward(
    ctx: DemoContext,
    activities: list[Activity],
    initiatives: list[Initiative],
    deeds: list[GoodDeed],
) -> int:
    """Mark some records as put forward for commendation (most of them in 2020)."""
    rng, by = ctx.rng, ctx.admin
    marked: dict[str, list[models.Model]] = defaultdict(list)
    for kind, rows, note in (
        ("activity", activities, ACTIVITY_NOTE),
        ("good_deed", deeds, DEED_NOTE),
    ):
        before, in_2020 = PUT_FORWARD_SHARE[kind]
        for row in rows:
            if rng.random() < (in_2020 if row.date.year == 2020 else before):
                row.put_forward_at = _proposal_day(ctx, row.date, row.date.year)
                row.put_forward_by, row.put_forward_note = by, note
                marked[kind].append(row)
    for row in initiatives:
        if rng.random() < INITIATIVE_SHARE[row.level][row.year == 2020]:
            day = row.recognized_on or D(row.year, 12, 1)
            row.put_forward_at = _proposal_day(ctx, day, day.year)
            row.put_forward_by, row.put_forward_note = by, INITIATIVE_NOTE
            marked["initiative"].append(row)
    fields = ["put_forward_at", "put_forward_by", "put_forward_note"]
    for kind, model in (
        ("activity", Activity),
        ("good_deed", GoodDeed),
        ("initiative", Initiative),
    ):
        model.objects.bulk_update(marked[kind], fields, batch_size=500)
        audit.record_many(
            marked[kind],
            f"movements.{kind}.put_forward",
            changes={"put_forward_note": ["", marked[kind][0].put_forward_note]}
            if marked[kind]
            else None,
        )
    return sum(len(rows) for rows in marked.values())
