"""The Cà Mau demo's direction and registration, 2016–2020 (`manage.py load_demo`).

Called by the orgs demo once the tree, its members and the 2019 merger exist, inside the
same transaction and with the same seeded generator. It records what case-camau.md tells
of the IXth term of Đảng bộ Dân Chính Đảng tỉnh Cà Mau:

- the catalogs (document types, issuers, terms) and the chain of direction
  05-CT/TW → 03-KH/TW (term XII) → 29-KH/TU → the committee's program and plan 45-KH/ĐU,
  beside the other 03-KH/TW of term XI;
- the plan, its targets and its 5 pilots, with follow-up notes and evaluations;
- the yearly topics and each cell's study sessions, with attendance;
- the units' models, the members' yearly commitments and the cells' deadlines;
- the confirmed year-end rating lists of every base organization, within the 20 % cap.

Documents, plans, pilots, topics, unit models and a handful of sessions go through the
services (the same checks and audit as a user's action); the thousands of sessions,
attendance rows, commitments and ratings are bulk-inserted, with one audit entry each
(`lantoa.core.audit.record_many`). Titles of real documents, topics and models are those
of the case; everything else (dates marked as such, numbers of our own documents, notes,
people's records) is plausible invention.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from lantoa.core import audit
from lantoa.core.text import search_key
from lantoa.orgs.demo.context import DemoContext, Unit
from lantoa.orgs.demo.tree import Sector
from lantoa.orgs.models import Gender, Membership, Organization, Person
from lantoa.programs.models import (
    Attendance,
    Commitment,
    CommitmentDeadline,
    CommitmentItem,
    CommitmentResult,
    CommitmentStatus,
    Document,
    DocumentSystem,
    DocumentType,
    EvaluationResult,
    Issuer,
    NumberCounter,
    Plan,
    Rating,
    RatingLevel,
    RatingList,
    RatingListStatus,
    RatingRule,
    StudySession,
    TargetKind,
    Term,
    Theme,
    ThemeLevel,
    UnitModelStatus,
)
from lantoa.programs.queries.rating import cap_in_force
from lantoa.programs.services import documents, plans, registration, study
from lantoa.programs.services.rating import CapCheck

D = datetime.date
Action = audit.Action
PARTY = DocumentSystem.PARTY
YEARS = tuple(range(2016, 2021))
DEMO_NOTE = "Dữ liệu mẫu."

# --- catalogs ------------------------------------------------------------------------------

DOCUMENT_TYPES: tuple[tuple[str, str], ...] = (
    ("NQ", "Nghị quyết"),
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("QĐ", "Quyết định, quy định"),
    ("QĐi", "Quy định"),
    ("HD", "Hướng dẫn"),
    ("KH", "Kế hoạch"),
    ("CTr", "Chương trình"),
    ("ĐA", "Đề án"),
    ("BC", "Báo cáo"),
    ("TB", "Thông báo"),
    ("TTr", "Tờ trình"),
    ("CV", "Công văn"),
)
TW_NAME = "Trung ương Đảng (Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư)"
TU_NAME = "Tỉnh ủy Cà Mau (Ban Chấp hành, Ban Thường vụ Tỉnh ủy)"
DU_NAME = "Đảng ủy Dân Chính Đảng tỉnh Cà Mau"

# (issuer code, term code, name, first day, last day): from the day after one congress
# closes to the close of the next (Đại hội XI closed 19/01/2011, XII 28/01/2016, XIII
# 01/02/2021). Provincial and committee dates are approximate (demo data).
TERMS: tuple[tuple[str, str, str, datetime.date, datetime.date], ...] = (
    ("TW", "XI", "Khóa XI (2011–2016)", D(2011, 1, 20), D(2016, 1, 28)),
    ("TW", "XII", "Khóa XII (2016–2021)", D(2016, 1, 29), D(2021, 2, 1)),
    ("TU", "XV", "Khóa XV (2015–2020)", D(2015, 10, 16), D(2020, 10, 15)),
    ("TU", "XVI", "Khóa XVI (2020–2025)", D(2020, 10, 16), D(2025, 6, 30)),
    ("ĐU", "IX", "Nhiệm kỳ 2015–2020 (Đại hội IX)", D(2015, 7, 1), D(2020, 7, 15)),
    ("ĐU", "X", "Nhiệm kỳ 2020–2025 (Đại hội X)", D(2020, 7, 16), D(2025, 6, 30)),
)

# The last numbers the committee gave on paper in term IX, before numbering in Lan Tỏa:
# its own documents continue from them (45-KH/ĐU is the plan of the case).
PAPER_NUMBERS: dict[str, int] = {"KH": 44, "CTr": 8, "QĐ": 96, "HD": 11, "BC": 102}

# --- documents -----------------------------------------------------------------------------

CT03_TITLE = "Về tiếp tục đẩy mạnh việc học tập và làm theo tấm gương đạo đức Hồ Chí Minh"
CT05_TITLE = "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
KH03_XI_TITLE = (
    "Thực hiện Chỉ thị số 03-CT/TW của Bộ Chính trị về tiếp tục đẩy mạnh việc học tập và "
    "làm theo tấm gương đạo đức Hồ Chí Minh"
)
KH03_XII_TITLE = (
    "Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư "
    "tưởng, đạo đức, phong cách Hồ Chí Minh"
)
KH29_TITLE = (
    "Học tập, quán triệt và thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị và Kế hoạch "
    "số 03-KH/TW của Ban Bí thư về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong "
    "cách Hồ Chí Minh"
)
PROGRAM_TITLE = (
    "Chương trình hành động của Đảng ủy Dân Chính Đảng tỉnh thực hiện Kế hoạch số "
    "29-KH/TU của Ban Thường vụ Tỉnh ủy về đẩy mạnh học tập và làm theo tư tưởng, đạo "
    "đức, phong cách Hồ Chí Minh, giai đoạn 2016–2020"
)
PLAN_TITLE = (
    "Kế hoạch thực hiện Kế hoạch số 29-KH/TU của Ban Thường vụ Tỉnh ủy về học tập và "
    "làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
PLAN_ISSUED_ON = D(2016, 10, 20)
DATE_ASSUMED = "Ngày ban hành trong dữ liệu mẫu là ngày giả định."

# --- the plan: targets and pilots ----------------------------------------------------------

# (indicator, share aimed at, wording, first year)
TARGETS: tuple[tuple[str, int, str, int], ...] = (
    (
        TargetKind.STUDY_COVERAGE,
        100,
        "100% tổ chức cơ sở đảng tổ chức sinh hoạt chuyên đề trong năm",
        2016,
    ),
    (
        TargetKind.ATTENDANCE_COVERAGE,
        95,
        "Ít nhất 95% đảng viên dự sinh hoạt chuyên đề trong năm",
        2016,
    ),
    (
        TargetKind.COMMITMENT_COVERAGE,
        90,
        "Ít nhất 90% đảng viên đăng ký làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        2016,
    ),
    (
        TargetKind.MODEL_COVERAGE,
        100,
        "100% tổ chức cơ sở đảng đăng ký mô hình, cách làm hay",
        2017,
    ),
)


@dataclass(frozen=True)
class PilotStory:
    """Why a unit was chosen, what the follow-up saw, and what the evaluation concluded."""

    note: str
    notes: tuple[tuple[datetime.date, str], ...]
    evaluation: str
    lesson: str


PILOT_EVALUATED_ON = D(2017, 12, 20)
PILOTS: dict[str, PilotStory] = {
    "BDV": PilotStory(
        note="Cơ quan tham mưu công tác dân vận: làm điểm về tôn trọng, gần dân, phát huy dân chủ.",
        notes=(
            (
                D(2016, 11, 18),
                "Đảng ủy cơ sở ban hành kế hoạch thực hiện; 2/2 chi bộ đã quán triệt Chỉ thị "
                "05 và Kế hoạch 45-KH/ĐU.",
            ),
            (
                D(2017, 5, 12),
                "Đoàn công tác của Ban Thường vụ Đảng ủy làm việc tại đơn vị: mô hình của đơn vị "
                "đã cụ thể hóa thành 6 chuẩn mực khi tiếp xúc, làm việc với Nhân dân.",
            ),
            (
                D(2017, 10, 6),
                "Đơn vị tổ chức đối thoại với đại diện các tôn giáo, dân tộc; 100% đảng viên "
                "đăng ký làm theo và có bản tự đánh giá giữa năm.",
            ),
        ),
        evaluation="Hoàn thành tốt việc làm điểm: chuẩn mực đạo đức được cụ thể hóa, gắn với "
        "nhiệm vụ chuyên môn; người đứng đầu gương mẫu.",
        lesson="Cụ thể hóa chuẩn mực thành việc làm đo được, công khai trước tập thể; người "
        "đứng đầu đăng ký và báo cáo trước.",
    ),
    "CDYT": PilotStory(
        note="Đơn vị đào tạo nhân lực y tế: làm điểm về nêu gương của người đứng đầu, đạo đức "
        "nhà giáo và y đức.",
        notes=(
            (
                D(2016, 11, 25),
                "5/5 chi bộ đã sinh hoạt chuyên đề; đưa nội dung làm theo vào quy tắc ứng xử của "
                "giảng viên, sinh viên.",
            ),
            (
                D(2017, 4, 20),
                "Kiểm tra tại đơn vị: Ban Giám hiệu đăng ký nêu gương trước tập thể; cần bổ sung "
                "tiêu chí đánh giá việc làm theo của giảng viên.",
            ),
            (
                D(2017, 9, 15),
                "Đơn vị đã bổ sung tiêu chí; sinh viên tham gia hiến máu nhân đạo, khám bệnh miễn "
                "phí cho gia đình chính sách.",
            ),
        ),
        evaluation="Hoàn thành tốt: việc làm theo gắn với đạo đức nghề nghiệp; có sức lan tỏa "
        "đến sinh viên.",
        lesson="Gắn việc làm theo với quy tắc ứng xử của ngành và tiêu chí thi đua của đơn vị.",
    ),
    "STP": PilotStory(
        note="Cơ quan có nhiều thủ tục hành chính: làm điểm về tác phong phục vụ người dân.",
        notes=(
            (
                D(2016, 12, 2),
                "Đảng ủy cơ sở chọn nội dung đột phá: không để hồ sơ trễ hẹn, công khai thủ tục.",
            ),
            (
                D(2017, 6, 9),
                "Tỷ lệ hồ sơ giải quyết đúng hẹn 6 tháng đầu năm tăng; một số chi bộ sinh hoạt "
                "chuyên đề còn hình thức.",
            ),
            (
                D(2017, 11, 3),
                "Các chi bộ đã đổi mới cách sinh hoạt chuyên đề: mỗi kỳ một đảng viên báo cáo "
                "việc làm theo của mình.",
            ),
        ),
        evaluation="Hoàn thành: chuyển biến rõ về tác phong phục vụ; sinh hoạt chuyên đề ở vài "
        "chi bộ cần đi vào chiều sâu hơn.",
        lesson="Chọn một việc cụ thể, đo được (hồ sơ đúng hẹn) làm nội dung làm theo của cả "
        "đơn vị.",
    ),
    "BCM": PilotStory(
        note="Cơ quan báo chí của Đảng bộ tỉnh: làm điểm về tuyên truyền gương người tốt, việc "
        "tốt.",
        notes=(
            (
                D(2016, 11, 30),
                "Báo mở chuyên mục “Học và làm theo Bác”; các chi bộ đăng ký chỉ tiêu tin, bài.",
            ),
            (
                D(2017, 5, 26),
                "Chuyên mục ra đều hằng tuần; đã giới thiệu nhiều gương người tốt, việc tốt "
                "trong tỉnh.",
            ),
            (
                D(2017, 10, 20),
                "Phóng viên đăng ký làm theo gắn với đạo đức nghề báo; không có sai sót về "
                "thông tin.",
            ),
        ),
        evaluation="Hoàn thành tốt: chuyên mục có sức lan tỏa, là kênh giới thiệu điển hình "
        "cho toàn Đảng bộ.",
        lesson="Phối hợp với cơ quan báo chí để phát hiện, giới thiệu và nhân rộng điển hình.",
    ),
    "TCT": PilotStory(
        note="Trường đào tạo cán bộ: làm điểm về đưa tư tưởng, đạo đức, phong cách Hồ Chí Minh "
        "vào giảng dạy.",
        notes=(
            (
                D(2016, 12, 9),
                "Nhà trường rà soát chương trình, bổ sung chuyên đề về tư tưởng, đạo đức, phong "
                "cách Hồ Chí Minh cho các lớp trung cấp lý luận chính trị.",
            ),
            (
                D(2017, 5, 5),
                "Giảng viên đăng ký làm theo gắn với soạn giảng; học viên đánh giá cao chuyên đề.",
            ),
            (
                D(2017, 11, 10),
                "Tổ chức hội thi giảng viên dạy giỏi có nội dung học tập và làm theo Bác.",
            ),
        ),
        evaluation="Hoàn thành tốt: nội dung học tập và làm theo Bác được đưa vào chương trình "
        "đào tạo, bồi dưỡng cán bộ.",
        lesson="Đưa nội dung vào chương trình đào tạo, bồi dưỡng để việc học tập thành nền nếp.",
    ),
}

# --- topics and study sessions -------------------------------------------------------------


@dataclass(frozen=True)
class ThemeSpec:
    year: int
    level: str
    issuer: str
    title: str
    note: str


THEMES: tuple[ThemeSpec, ...] = (
    ThemeSpec(
        2016,
        ThemeLevel.PROVINCIAL,
        "Ban Tuyên giáo Tỉnh ủy Cà Mau",
        "Những nội dung cơ bản của Chỉ thị số 05-CT/TW và tư tưởng, đạo đức, phong cách "
        "Hồ Chí Minh",
        "Dữ liệu mẫu: chuyên đề năm 2016 chưa được xác minh, tên do bản mẫu đặt.",
    ),
    ThemeSpec(
        2017,
        ThemeLevel.CENTRAL,
        "Ban Tuyên giáo Trung ương",
        "Xây dựng ý thức tôn trọng Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân "
        "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Tên theo báo cáo nhiệm kỳ 2015–2020 của Đảng bộ DCĐ; năm 2017 chưa đối chiếu văn bản gốc.",
    ),
    ThemeSpec(
        2018,
        ThemeLevel.CENTRAL,
        "Ban Tuyên giáo Trung ương",
        "Xây dựng phong cách, tác phong công tác của người đứng đầu, của cán bộ, đảng viên "
        "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Tên theo báo cáo nhiệm kỳ 2015–2020 của Đảng bộ DCĐ.",
    ),
    ThemeSpec(
        2019,
        ThemeLevel.CENTRAL,
        "Ban Tuyên giáo Trung ương",
        "Nêu cao ý thức trách nhiệm, hết lòng, hết sức phụng sự Tổ quốc, phục vụ Nhân dân "
        "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Dữ liệu mẫu: tên chuyên đề chưa đối chiếu văn bản gốc.",
    ),
    ThemeSpec(
        2020,
        ThemeLevel.CENTRAL,
        "Ban Tuyên giáo Trung ương",
        "Tăng cường khối đại đoàn kết toàn dân tộc, xây dựng Đảng và hệ thống chính trị "
        "trong sạch, vững mạnh theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Dữ liệu mẫu: tên chuyên đề chưa đối chiếu văn bản gốc.",
    ),
)

# Sessions on the year's topic: twice in 2016 (after the committee's plan), then three
# times a year (the last one reviews the year's commitments).
SESSION_MONTHS: dict[int, tuple[int, ...]] = {2016: (11, 12)} | dict.fromkeys(YEARS[1:], (3, 7, 11))
FIRST_SESSIONS = (
    "Quán triệt Chỉ thị số 05-CT/TW, Kế hoạch số 29-KH/TU và Kế hoạch của Đảng ủy; "
    "đảng viên đăng ký làm theo.",
    "Thảo luận những nội dung cơ bản của tư tưởng, đạo đức, phong cách Hồ Chí Minh; liên hệ "
    "thực tế cơ quan, đơn vị.",
)
SESSION_CONTENTS = (
    "Giới thiệu chuyên đề của năm; chi bộ thảo luận, xác định việc làm theo của tập thể và "
    "từng đảng viên.",
    "Liên hệ thực tế cơ quan, đơn vị; kể chuyện về Bác, giới thiệu gương người tốt, việc tốt; "
    "đảng viên báo cáo việc thực hiện bản đăng ký làm theo.",
    "Kiểm điểm kết quả làm theo trong năm; biểu dương đảng viên tiêu biểu.",
)
ABSENCE_REASONS: dict[str, int] = {
    "Đi công tác": 40,
    "Nghỉ ốm": 20,
    "Nghỉ phép": 15,
    "Đi học tập trung": 10,
    "Việc gia đình đột xuất": 10,
}
MATERNITY_LEAVE = "Nghỉ thai sản"

# --- unit models ---------------------------------------------------------------------------

# The four models of the case, exactly as titled there.
NAMED_MODELS: dict[str, str] = {
    "BDV": "Xây dựng ý thức tôn trọng nhân dân, phát huy dân chủ, chăm lo đời sống nhân dân "
    "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "CDYT": "Rèn luyện đạo đức, lối sống, nêu cao tinh thần trách nhiệm của cán bộ, đảng "
    "viên, người đứng đầu, góp phần thực hiện hiệu quả nhiệm vụ chính trị và công tác xây "
    "dựng Đảng",
    "PCCM": "Nêu cao tinh thần trách nhiệm, gương mẫu, ý thức thực hành tiết kiệm, chống tham "
    "ô, lãng phí, quan liêu, góp phần thực hiện hiệu quả nhiệm vụ chính trị, chăm lo đời "
    "sống cho cán bộ, nhân viên và người lao động trong đơn vị",
    "VNPT": "Trung thực, trách nhiệm, đoàn kết, nâng cao hiệu quả sản xuất kinh doanh, góp "
    "phần xây dựng Đảng bộ trong sạch vững mạnh",
}
MODEL_POOL: dict[Sector, tuple[str, ...]] = {
    Sector.AGENCY: (
        "Cán bộ, đảng viên trọng dân, gần dân, hiểu dân, giúp dân, có trách nhiệm với dân",
        "Giải quyết công việc đúng hẹn, không để tồn đọng hồ sơ",
        "Nói đi đôi với làm, người đứng đầu gương mẫu đi trước",
        "Cơ quan kỷ cương, văn minh, thân thiện",
        "Thực hành tiết kiệm trong chi tiêu hành chính, chống lãng phí",
        "Mỗi tháng một việc tốt vì Nhân dân",
        "Nâng cao chất lượng tham mưu, đề xuất của cán bộ, đảng viên",
        "Đảng viên gương mẫu ở nơi cư trú",
        "Tác phong chuẩn mực, thái độ tận tình khi tiếp dân",
        "Dân chủ, đoàn kết, kỷ cương, trách nhiệm trong thực thi công vụ",
    ),
    Sector.SCHOOL: (
        "Mỗi thầy cô giáo là một tấm gương đạo đức, tự học và sáng tạo",
        "Đưa nội dung tư tưởng, đạo đức, phong cách Hồ Chí Minh vào bài giảng",
    ),
    Sector.MEDIA: (
        "Lan tỏa gương người tốt, việc tốt trên báo chí",
        "Người làm báo trung thực, khách quan, trách nhiệm",
    ),
    Sector.ENTERPRISE: (
        "Tận tình phục vụ khách hàng, xây dựng văn hóa doanh nghiệp",
        "Thực hành tiết kiệm, chống lãng phí trong sản xuất, kinh doanh",
        "An toàn lao động là trách nhiệm của mỗi đảng viên",
        "Đảng viên đi đầu trong cải tiến kỹ thuật, nâng cao năng suất",
        "Minh bạch, đúng quy trình trong mua sắm, đấu thầu",
    ),
    Sector.BANK: (
        "Giao dịch viên thân thiện, chuẩn mực, phục vụ khách hàng tận tình",
        "Minh bạch, đúng quy trình trong cho vay vì nông nghiệp, nông dân, nông thôn",
    ),
}
MODEL_COMMENTS: dict[str, str] = {
    EvaluationResult.EXCELLENT: "Triển khai đồng bộ, có sức lan tỏa; được Đảng ủy Dân Chính "
    "Đảng tỉnh biểu dương.",
    EvaluationResult.GOOD: "Thực hiện đúng nội dung đăng ký; tác phong, lề lối làm việc "
    "chuyển biến rõ.",
    EvaluationResult.FAIR: "Thực hiện cơ bản đạt yêu cầu; cần cụ thể hóa thêm tiêu chí đánh giá.",
}
MODELS_EVALUATED_ON = D(2020, 12, 10)
MODEL_SHARE = 0.85  # base organizations, besides the named four, that registered a model

# --- commitments ---------------------------------------------------------------------------

COMMON_ITEMS = (
    "Tham gia đầy đủ sinh hoạt chi bộ và sinh hoạt chuyên đề",
    "Giữ gìn đoàn kết nội bộ; thẳng thắn tự phê bình và phê bình",
    "Tiết kiệm điện, nước, văn phòng phẩm trong cơ quan",
    "Nói đi đôi với làm, gương mẫu trong gia đình và ở nơi cư trú",
    "Thường xuyên đọc sách, báo về Bác và gương người tốt, việc tốt",
    "Tham gia hiến máu nhân đạo và các hoạt động từ thiện, xã hội",
    "Không đăng, chia sẻ thông tin sai sự thật trên mạng xã hội",
    "Giữ mối liên hệ với chi ủy, chính quyền nơi cư trú",
)
SECTOR_ITEMS: dict[Sector, tuple[str, ...]] = {
    Sector.AGENCY: (
        "Thực hiện tốt nhiệm vụ được giao, không để tồn đọng hồ sơ",
        "Giải quyết văn bản, hồ sơ đúng hạn, không gây phiền hà cho tổ chức, công dân",
        "Làm việc đúng giờ, tác phong văn minh, lịch sự",
        "Nâng cao chất lượng tham mưu trong lĩnh vực được phân công",
    ),
    Sector.SCHOOL: (
        "Soạn giảng đầy đủ, đổi mới phương pháp giảng dạy",
        "Tận tụy với người học; giữ gìn đạo đức nhà giáo",
        "Hoàn thành một đề tài, sáng kiến cấp trường",
    ),
    Sector.MEDIA: (
        "Đưa tin chính xác, khách quan; không viết bài vụ lợi",
        "Mỗi quý ít nhất một tin, bài về người tốt, việc tốt",
    ),
    Sector.ENTERPRISE: (
        "Chấp hành nghiêm quy trình an toàn lao động",
        "Phục vụ khách hàng tận tình, chu đáo",
        "Thực hành tiết kiệm vật tư, nhiên liệu trong sản xuất",
        "Hoàn thành kế hoạch sản xuất, kinh doanh được giao",
    ),
    Sector.BANK: (
        "Phục vụ khách hàng tận tình, không gây phiền hà, sách nhiễu",
        "Tuân thủ quy trình tín dụng, không để phát sinh nợ xấu do chủ quan",
    ),
}
YEAR_ITEMS: dict[int, str] = {
    2016: "Học tập, quán triệt nội dung Chỉ thị số 05-CT/TW",
    2017: "Tôn trọng, lắng nghe ý kiến của Nhân dân; giải quyết kiến nghị tận tình",
    2018: "Rèn luyện tác phong làm việc khoa học, sâu sát, gần dân",
    2019: "Hết lòng, hết sức làm tròn công việc được giao, phục vụ Nhân dân",
    2020: "Góp phần xây dựng khối đoàn kết trong cơ quan và nơi cư trú",
}
R = CommitmentResult
SELF_TEXTS: dict[str, str] = {
    R.EXCELLENT: "Thực hiện tốt các nội dung đã đăng ký; có việc làm cụ thể được cơ quan ghi nhận.",
    R.GOOD: "Thực hiện đầy đủ các nội dung đã đăng ký.",
    R.DONE: "Thực hiện cơ bản các nội dung đã đăng ký; còn hạn chế về thời gian tham gia.",
    R.NOT_DONE: "Chưa thực hiện được một số nội dung đã đăng ký.",
}
CELL_TEXTS: dict[str, str] = {
    R.EXCELLENT: "Chi bộ thống nhất: thực hiện xuất sắc, là tấm gương để đảng viên học tập.",
    R.GOOD: "Chi bộ thống nhất: thực hiện tốt các nội dung đã đăng ký.",
    R.DONE: "Chi bộ thống nhất: thực hiện được; cần cố gắng hơn ở một số nội dung.",
    R.NOT_DONE: "Chi bộ đề nghị đồng chí khắc phục, đăng ký lại nội dung phù hợp.",
}
SELF_RESULTS: dict[str, int] = {R.EXCELLENT: 18, R.GOOD: 66, R.DONE: 15, R.NOT_DONE: 1}
RESULT_ORDER = (R.EXCELLENT, R.GOOD, R.DONE, R.NOT_DONE)
NEVER_REGISTERS = 0.015  # members who never register (the "not registered" lists)
SKIPS_A_YEAR = 0.04

# --- ratings -------------------------------------------------------------------------------

RULE_NOTE = (
    "Dữ liệu mẫu: xếp loại giai đoạn 2016–2020 theo quy định cũ (chưa chấm điểm); bản mẫu "
    "dùng cùng các ngưỡng điểm và giới hạn 20% như QĐ 366-QĐ/TW."
)
# Scores drawn from the cell's result on the member's commitment (none: no commitment).
SCORE_RANGES: dict[str, tuple[float, float]] = {
    R.EXCELLENT: (86, 97),
    R.GOOD: (72, 90),
    R.DONE: (58, 80),
    R.NOT_DONE: (45, 68),
    "": (60, 88),
}
DISQUALIFIED_SHARE = 0.003
DISQUALIFIED_NOTE = "Bị kỷ luật khiển trách trong năm"
HUNDRED = Decimal(100)


# --- the load ------------------------------------------------------------------------------


def load(ctx: DemoContext) -> dict[str, int]:
    """Load the programs demo into the orgs demo just created; return counts for the
    command's summary, by what they count."""
    catalog = _Catalog.create(ctx)
    chain = _documents(ctx, catalog)
    plan = _plan(ctx, chain["plan"])
    themes = _themes(ctx)
    world = _World.read(ctx)
    sessions, attendance = _study(ctx, world, themes)
    unit_models = _unit_models(ctx, world, plan)
    deadlines = _deadlines(ctx, world)
    commitments, items = _commitments(ctx, world, deadlines)
    lists, ratings = _ratings(ctx, world, commitments)
    return {
        "Văn bản chỉ đạo": len(chain),
        f"Chỉ tiêu của Kế hoạch số {plan.symbol}": plan.targets.count(),
        f"Đơn vị làm điểm của Kế hoạch số {plan.symbol}": plan.pilots.count(),
        "Chuyên đề hằng năm": len(themes),
        "Buổi sinh hoạt chuyên đề 2016–2020": sessions,
        "Lượt điểm danh": attendance,
        "Mô hình, cách làm của đơn vị": unit_models,
        "Hạn đăng ký của chi bộ": deadlines.count,
        "Bản đăng ký làm theo 2016–2020": len(commitments),
        "Nội dung đăng ký": items,
        "Danh sách xếp loại đã xác nhận": lists,
        "Lượt xếp loại đảng viên": ratings,
    }


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _created(objects: Sequence[models.Model], verb: str) -> None:
    audit.record_many(objects, verb, action=Action.CREATE)


# --- catalogs ------------------------------------------------------------------------------


@dataclass
class _Catalog:
    types: dict[str, DocumentType]
    issuers: dict[str, Issuer]
    terms: dict[tuple[str, str], Term]

    @classmethod
    def create(cls, ctx: DemoContext) -> "_Catalog":
        """Document types, issuers and terms (kept if an administrator made them already)."""
        created: list[models.Model] = []

        def get(model: type[models.Model], defaults: dict | None = None, **key) -> models.Model:
            row, new = model.objects.get_or_create(defaults=defaults or {}, **key)
            if new:
                created.append(row)
            return row

        types = {
            code: get(DocumentType, {"name": name}, system=PARTY, code=code)
            for code, name in DOCUMENT_TYPES
        }
        issuers = {
            "TW": get(Issuer, {"name": TW_NAME}, system=PARTY, code="TW", organization=None),
            "TU": get(Issuer, {"name": TU_NAME}, system=PARTY, code="TU", organization=None),
            "ĐU": get(
                Issuer, {"name": DU_NAME}, system=PARTY, code="ĐU", organization=ctx.committee
            ),
        }
        terms = {
            (issuer, code): get(
                Term,
                {"name": name, "start_date": start, "end_date": end},
                issuer=issuers[issuer],
                code=code,
            )
            for issuer, code, name, start, end in TERMS
        }
        for row in created:
            audit.record(row, f"programs.{row._meta.model_name}.created", action=Action.CREATE)
        catalog = cls(types, issuers, terms)
        catalog._paper_numbers()
        return catalog

    def _paper_numbers(self) -> None:
        """Counters of the committee's term IX, after the numbers it gave on paper."""
        key = {"issuer": self.issuers["ĐU"], "term": self.terms[("ĐU", "IX")]}
        for code, last in PAPER_NUMBERS.items():
            counter, new = NumberCounter.objects.get_or_create(
                doc_type=self.types[code], defaults={"last_number": last}, **key
            )
            if new:
                audit.record(
                    counter,
                    "programs.number_counter.created",
                    action=Action.CREATE,
                    changes={"last_number": ["", str(last)]},
                )


# --- documents -----------------------------------------------------------------------------


def _pdf(text: bytes = b"Lan Toa - du lieu mau") -> bytes:
    """A tiny, well-formed one-page PDF (the scan of a higher document, for the demo)."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title (" + text + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(bodies) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _scan(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf(), content_type="application/pdf")


def _documents(ctx: DemoContext, catalog: _Catalog) -> dict[str, Document]:
    """The chain of direction, higher documents registered from their symbols (with a scan),
    the committee's own numbered by the counter."""
    by, terms = ctx.admin, catalog.terms

    def higher(symbol: str, term: Term, issued_on, title: str, summary: str, implements=()):
        return documents.register_document(
            by=by,
            symbol=symbol,
            term=term,
            issued_on=issued_on,
            title=title,
            summary=summary,
            file=_scan(f"{symbol.replace('/', '-')}.pdf"),
            implements=implements,
        )

    def own(code: str, issued_on, title: str, implements=(), summary: str = "") -> Document:
        return documents.register_own_document(
            by=by,
            organization=ctx.committee,
            doc_type=catalog.types[code],
            issued_on=issued_on,
            title=title,
            summary=summary,
            implements=implements,
        )

    tw_xi, tw_xii, tu_xv = terms[("TW", "XI")], terms[("TW", "XII")], terms[("TU", "XV")]
    ct03 = higher("03-CT/TW", tw_xi, D(2011, 5, 14), CT03_TITLE, "Chỉ thị của Bộ Chính trị.")
    kh03_xi = higher(
        "03-KH/TW",
        tw_xi,
        D(2011, 7, 1),
        KH03_XI_TITLE,
        "Kế hoạch khóa XI. Cùng số và ký hiệu với Kế hoạch 03-KH/TW khóa XII: số văn bản "
        "của Đảng đánh lại từ đầu mỗi nhiệm kỳ.",
        [ct03],
    )
    ct05 = higher(
        "05-CT/TW", tw_xii, D(2016, 5, 15), CT05_TITLE, "Chỉ thị của Bộ Chính trị (khóa XII)."
    )
    kh03 = higher(
        "03-KH/TW",
        tw_xii,
        D(2016, 6, 27),
        KH03_XII_TITLE,
        f"Kế hoạch của Ban Bí thư (khóa XII). {DATE_ASSUMED}",
        [ct05],
    )
    kh29 = higher(
        "29-KH/TU",
        tu_xv,
        D(2016, 8, 15),
        KH29_TITLE,
        f"Kế hoạch của Ban Thường vụ Tỉnh ủy Cà Mau. {DATE_ASSUMED}",
        [ct05, kh03],
    )
    program = own("CTr", D(2016, 9, 26), PROGRAM_TITLE, [kh29])
    plan = own("KH", PLAN_ISSUED_ON, PLAN_TITLE, [kh29, program])
    chain = {
        "ct03": ct03,
        "kh03_xi": kh03_xi,
        "ct05": ct05,
        "kh03": kh03,
        "kh29": kh29,
        "program": program,
        "plan": plan,
        "pilots": own(
            "QĐ",
            D(2016, 10, 28),
            f"Quyết định chọn 05 tổ chức cơ sở đảng làm điểm thực hiện Kế hoạch số {plan.symbol}",
            [plan],
        ),
        "guide": own(
            "HD",
            D(2016, 11, 10),
            "Hướng dẫn đăng ký học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
            "của tập thể và cá nhân",
            [plan],
        ),
    }
    for theme in THEMES[1:]:
        chain[f"plan_{theme.year}"] = own(
            "KH",
            D(theme.year, 1, 16 + theme.year % 7),
            f"Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm "
            f"{theme.year}, chuyên đề “{theme.title}”",
            [plan],
        )
    chain["review"] = own(
        "BC",
        D(2019, 5, 24),
        "Báo cáo sơ kết 3 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh "
        "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    return chain


# --- the plan ------------------------------------------------------------------------------


def _plan(ctx: DemoContext, document: Document) -> Plan:
    """The committee's plan (the numbered document's symbol and title), its targets and its
    5 pilots, followed up in 2016–2017 and evaluated at the end of 2017."""
    by = ctx.admin
    plan = plans.create_plan(
        by=by,
        issuer=ctx.committee,
        symbol=document.symbol,
        title=document.title,
        issued_on=document.issued_on,
    )
    for kind, percent, label, first_year in TARGETS:
        for year in range(first_year, YEARS[-1] + 1):
            plans.add_target(plan, by=by, kind=kind, target_percent=percent, label=label, year=year)
    by_code = {unit.spec.code: unit.org for unit in ctx.units}
    for code, story in PILOTS.items():
        pilot = plans.add_pilot(plan, by=by, organization=by_code[code], note=story.note)
        for day, text in story.notes:
            plans.add_pilot_note(pilot, by=by, date=day, text=text)
        plans.evaluate_pilot(
            pilot, by=by, evaluation=story.evaluation, lesson=story.lesson, on=PILOT_EVALUATED_ON
        )
    return plan


# --- who was where -------------------------------------------------------------------------


@dataclass
class _World:
    """The tree and the memberships, read once: who sat in which organization, when."""

    people: dict[int, Person]
    memberships: dict[int, list[tuple[int, datetime.date, datetime.date | None]]]
    organizations: dict[int, Organization]
    sector_of: dict[int, Sector] = field(default_factory=dict)  # organization id → sector

    @classmethod
    def read(cls, ctx: DemoContext) -> "_World":
        organizations = {org.pk: org for org in _all_organizations(ctx)}
        rows = (
            Membership.objects.filter(organization_id__in=organizations)
            .order_by("person_id", "start_date")
            .values_list("person_id", "organization_id", "start_date", "end_date")
        )
        memberships: dict[int, list] = defaultdict(list)
        for person_id, org_id, start, end in rows:
            memberships[org_id].append((person_id, start, end))
        world = cls({person.pk: person for person in ctx.people}, memberships, organizations)
        for unit in ctx.units:
            for org in (unit.org, *unit.leaves):
                world.sector_of[org.pk] = unit.spec.sector
        return world

    def members(self, org: Organization, day: datetime.date) -> list[int]:
        """Ids of the people who were members of this very organization on the day."""
        return [
            person
            for person, start, end in self.memberships.get(org.pk, ())
            if start <= day and (end is None or day <= end)
        ]


def _all_organizations(ctx: DemoContext) -> list[Organization]:
    orgs = [ctx.committee, ctx.enterprise_bloc]
    for unit in ctx.units:
        orgs += [unit.org, *(leaf for leaf in unit.leaves if leaf.pk != unit.org.pk)]
    return orgs


def _leaves(ctx: DemoContext) -> list[tuple[Unit, Organization]]:
    """Every cell (or base cell) with its base organization, in tree order."""
    pairs = [(unit, leaf) for unit in ctx.units for leaf in unit.leaves]
    return sorted(pairs, key=lambda pair: pair[1].path)


# --- topics and study sessions -------------------------------------------------------------


def _themes(ctx: DemoContext) -> dict[int, Theme]:
    """The yearly topics, kept at the province so that every cell of the tree may use them."""
    return {
        spec.year: study.create_theme(
            by=ctx.admin,
            organization=ctx.province,
            year=spec.year,
            level=spec.level,
            issuer=spec.issuer,
            title=spec.title,
            note=spec.note,
        )
        for spec in THEMES
    }


def _attendance(
    ctx: DemoContext, world: _World, ids: list[int], absent_share: dict[int, float]
) -> tuple[set[int], dict[int, str]]:
    rng = ctx.rng
    present, absent = set(), {}
    reasons, weights = list(ABSENCE_REASONS), list(ABSENCE_REASONS.values())
    for pk in ids:
        share = absent_share.setdefault(pk, 0.2 if rng.random() < 0.1 else 0.06)
        if rng.random() >= share:
            present.add(pk)
            continue
        reason = rng.choices(reasons, weights)[0]
        if world.people[pk].gender == Gender.FEMALE and rng.random() < 0.08:
            reason = MATERNITY_LEAVE
        absent[pk] = reason
    return present, absent


def _study(ctx: DemoContext, world: _World, themes: dict[int, Theme]) -> tuple[int, int]:
    """Each cell's sessions on the year's topic, with the members of the day. The pilots'
    first sessions go through the service; the rest are bulk-inserted."""
    rng, by = ctx.rng, ctx.admin
    absent_share: dict[int, float] = {}
    through_service = 0
    sessions: list[StudySession] = []
    rows: list[Attendance] = []
    for unit, cell in _leaves(ctx):
        for year in YEARS:
            for index, month in enumerate(SESSION_MONTHS[year]):
                day = D(year, month, rng.randint(5, 25))
                ids = world.members(cell, day)
                if not ids:
                    continue
                present, absent = _attendance(ctx, world, ids, absent_share)
                theme = themes[year]
                content = (FIRST_SESSIONS if year == YEARS[0] else SESSION_CONTENTS)[index]
                if year == YEARS[0] and unit.spec.code in PILOTS:
                    study.record_study_session(
                        by=by,
                        organization=cell,
                        date=day,
                        theme=theme,
                        content=content,
                        present_ids=present,
                        absences=absent,
                    )
                    through_service += 1
                    continue
                session = StudySession(
                    organization=cell,
                    date=day,
                    theme=theme,
                    content=content,
                    recorded_by=by,
                    search_key=search_key(theme.title),
                )
                sessions.append(session)
                rows += [
                    Attendance(
                        session=session,
                        person=world.people[pk],
                        present=pk in present,
                        absence_reason=absent.get(pk, ""),
                    )
                    for pk in ids
                ]
    StudySession.objects.bulk_create(sessions, batch_size=500)
    _created(sessions, "programs.study_session.recorded")
    Attendance.objects.bulk_create(rows, batch_size=1000)
    _created(rows, "programs.attendance.recorded")
    return (
        len(sessions) + through_service,
        Attendance.objects.filter(session__organization__in=[c for _u, c in _leaves(ctx)]).count(),
    )


# --- unit models ---------------------------------------------------------------------------


def _secretary(world: _World, unit: Unit) -> Person | None:
    """The unit's secretary (Bí thư), the person responsible for its model."""
    leaf_ids = {leaf.pk for leaf in unit.leaves}
    candidates = [
        person
        for person in world.people.values()
        if person.organization_id in leaf_ids and person.position.startswith("Bí thư")
    ]
    return min(candidates, key=lambda person: person.pk, default=None)


def _unit_models(ctx: DemoContext, world: _World, plan: Plan) -> int:
    """The named units' models as titled in the case, and plausible ones for most others:
    registered in 2017–2018, carried out, most evaluated at the end of the term."""
    rng, by = ctx.rng, ctx.admin
    used: set[str] = set()
    count = 0
    for unit in ctx.units:
        code, sector = unit.spec.code, unit.spec.sector
        named = code in NAMED_MODELS
        if not named and rng.random() >= MODEL_SHARE:
            continue
        if named:
            title = NAMED_MODELS[code]
        else:
            pool = [title for title in MODEL_POOL[sector] if title not in used]
            title = rng.choice(pool or MODEL_POOL[Sector.AGENCY])
        used.add(title)
        outcome = (
            "evaluated"
            if named
            else rng.choices(("evaluated", "ongoing", "registered"), (65, 25, 10))[0]
        )
        if outcome == "registered":
            year_from = 2020
        else:
            year_from = 2017 if named or rng.random() < 0.8 else 2018
        model = registration.create_unit_model(
            by=by,
            organization=unit.org,
            year_from=year_from,
            year_to=2020 if outcome == "evaluated" else None,
            title=title,
            content=(
                f"Đăng ký thực hiện Kế hoạch số {plan.symbol}: cụ thể hóa chuẩn mực đạo đức "
                f"thành việc làm hằng ngày của {unit.spec.host_name}; người đứng đầu nêu "
                f"gương; chi bộ kiểm tra, đánh giá hằng năm."
            ),
            responsible=_secretary(world, unit),
        )
        count += 1
        if outcome == "registered":
            continue
        registration.change_unit_model_status(model, UnitModelStatus.IN_PROGRESS, by=by)
        if outcome == "ongoing":
            continue
        result = (
            EvaluationResult.EXCELLENT
            if named
            else rng.choices(list(MODEL_COMMENTS), (25, 55, 20))[0]
        )
        model = registration.change_unit_model_status(
            model,
            UnitModelStatus.EVALUATED,
            by=by,
            result=result,
            comments=MODEL_COMMENTS[result],
        )
        model.evaluated_at = _at(MODELS_EVALUATED_ON, 15)
        model.save(update_fields=["evaluated_at", "updated_at"])
    return count


# --- deadlines and commitments -------------------------------------------------------------


@dataclass
class _Deadlines:
    by_cell: dict[tuple[int, int], CommitmentDeadline]
    count: int

    def day(self, org: Organization, year: int) -> datetime.date:
        found = self.by_cell.get((org.pk, year))
        if found is not None:
            return found.deadline
        return _default_deadline(year)


def _default_deadline(year: int) -> datetime.date:
    return D(2016, 12, 15) if year == YEARS[0] else D(year, 3, 31)


def _deadlines(ctx: DemoContext, world: _World) -> _Deadlines:
    """Each cell's registration and self-assessment deadlines: in 2016 after the committee's
    guidance of November, then in March of each year."""
    rng = ctx.rng
    rows = []
    for _unit, cell in _leaves(ctx):
        for year in YEARS:
            if year == YEARS[0]:
                deadline, assessment = D(2016, 12, rng.randint(10, 20)), D(2016, 12, 31)
            else:
                deadline, assessment = D(year, 3, rng.randint(15, 31)), D(year, 12, 15)
            rows.append(
                CommitmentDeadline(
                    organization=cell, year=year, deadline=deadline, assessment_deadline=assessment
                )
            )
    CommitmentDeadline.objects.bulk_create(rows, batch_size=500)
    _created(rows, "programs.commitment_deadline.set")
    return _Deadlines({(row.organization_id, row.year): row for row in rows}, len(rows))


def _items(ctx: DemoContext, sector: Sector, year: int) -> list[str]:
    rng = ctx.rng
    count = rng.choices((2, 3, 4), (40, 40, 20))[0]
    return [
        rng.choice(SECTOR_ITEMS[sector]),
        *rng.sample(COMMON_ITEMS, count - 2),
        YEAR_ITEMS[year],
    ]


def _cell_result(ctx: DemoContext, own: str) -> str:
    """Mostly the member's own result; a "good" or better one sometimes a step lower (cells
    are stricter than members)."""
    if own in (R.EXCELLENT, R.GOOD) and ctx.rng.random() < 0.2:
        return RESULT_ORDER[RESULT_ORDER.index(own) + 1]
    return own


def _assessment_days(ctx: DemoContext, year: int) -> tuple[datetime.datetime, datetime.datetime]:
    rng = ctx.rng
    if year == YEARS[0]:
        own, cell = D(2016, 12, rng.randint(21, 27)), D(2016, 12, rng.randint(28, 30))
    else:
        own, cell = D(year, 12, rng.randint(1, 14)), D(year, 12, rng.randint(16, 28))
    return _at(own, rng.randint(8, 20)), _at(cell, rng.randint(8, 16))


def _commitments(
    ctx: DemoContext, world: _World, deadlines: _Deadlines
) -> tuple[dict[tuple[int, int], Commitment], int]:
    """Most members' commitments for each year, with 2–4 items, their own assessment and
    the cell's; members of the organization on its deadline day register (a few never do,
    some skip a year)."""
    rng, by = ctx.rng, ctx.admin
    orgs = sorted(world.organizations.values(), key=lambda org: org.path)
    never = {pk for pk in sorted(world.people) if rng.random() < NEVER_REGISTERS}
    commitments: dict[tuple[int, int], Commitment] = {}
    items: list[CommitmentItem] = []
    results, weights = list(SELF_RESULTS), list(SELF_RESULTS.values())
    for year in YEARS:
        for org in orgs:
            deadline = deadlines.day(org, year)
            sector = world.sector_of.get(org.pk, Sector.AGENCY)
            for pk in world.members(org, deadline):
                if (pk, year) in commitments or pk in never or rng.random() < SKIPS_A_YEAR:
                    continue
                start = deadline - datetime.timedelta(days=rng.randint(0, 30))
                own = rng.choices(results, weights)[0]
                cell = _cell_result(ctx, own)
                own_at, cell_at = _assessment_days(ctx, year)
                commitment = Commitment(
                    person=world.people[pk],
                    year=year,
                    organization=org,
                    status=CommitmentStatus.ASSESSED,
                    submitted_at=_at(start, rng.randint(7, 21), rng.randint(0, 59)),
                    self_assessment=SELF_TEXTS[own],
                    self_result=own,
                    self_assessed_at=own_at,
                    cell_assessment=CELL_TEXTS[cell],
                    cell_result=cell,
                    cell_assessed_at=cell_at,
                    cell_assessed_by=by,
                )
                commitments[(pk, year)] = commitment
                items += [
                    CommitmentItem(commitment=commitment, order=order, text=text)
                    for order, text in enumerate(_items(ctx, sector, year), start=1)
                ]
    rows = list(commitments.values())
    Commitment.objects.bulk_create(rows, batch_size=500)
    _created(rows, "programs.commitment.registered")
    CommitmentItem.objects.bulk_create(items, batch_size=1000)
    _created(items, "programs.commitment_item.created")
    return commitments, len(items)


# --- ratings -------------------------------------------------------------------------------


def _score(ctx: DemoContext, low: float, high: float) -> Decimal:
    """A score in [low, high], in half points."""
    return Decimal(round(ctx.rng.uniform(low, high) * 2)) / 2


def _within_cap(ctx: DemoContext, ratings: list[Rating], rule: RatingRule, cap: Decimal) -> None:
    """Rate as "good" the lowest-scored "excellent" members until the list keeps the cap
    (excellent ≤ cap % of good), as a rating council would."""
    excellent = sorted(
        (r for r in ratings if r.level == RatingLevel.EXCELLENT), key=lambda r: r.score
    )
    good = sum(1 for r in ratings if r.level == RatingLevel.GOOD)
    while CapCheck(len(excellent), good, cap, "").over:
        rating = excellent.pop(0)
        rating.score = _score(ctx, float(rule.good_min) + 12, float(rule.excellent_min) - 0.5)
        rating.level = rule.level_for(rating.score, rating.disqualified)
        good += 1


def _ratings(
    ctx: DemoContext, world: _World, commitments: dict[tuple[int, int], Commitment]
) -> tuple[int, int]:
    """Every base organization's confirmed rating list for each year: its members of the
    day, scored in line with their commitment's result, within the cap in force."""
    rng, by = ctx.rng, ctx.admin
    rule = RatingRule.objects.create(
        name="Quy định xếp loại giai đoạn 2016–2020 (dữ liệu mẫu)",
        valid_from=D(2016, 1, 1),
        valid_to=D(2020, 12, 31),
        note=RULE_NOTE,
    )
    lists: list[RatingList] = []
    ratings: list[Rating] = []
    for unit in ctx.units:
        for year in YEARS:
            rated_on = D(year, 12, rng.randint(10, 26))
            ids = sorted({pk for leaf in unit.leaves for pk in world.members(leaf, rated_on)})
            if not ids:
                continue
            rating_list = RatingList(
                organization=unit.org,
                year=year,
                rated_on=rated_on,
                status=RatingListStatus.CONFIRMED,
                confirmed_at=_at(rated_on + datetime.timedelta(days=rng.randint(1, 4)), 16),
                confirmed_by=by,
            )
            rows = []
            for pk in ids:
                commitment = commitments.get((pk, year))
                disqualified = rng.random() < DISQUALIFIED_SHARE
                score = _score(ctx, *SCORE_RANGES[commitment.cell_result if commitment else ""])
                rows.append(
                    Rating(
                        list=rating_list,
                        person=world.people[pk],
                        score=score,
                        disqualified=disqualified,
                        level=rule.level_for(score, disqualified),
                        note=DISQUALIFIED_NOTE if disqualified else "",
                    )
                )
            cap, _source = cap_in_force(unit.org, year, rated_on)
            _within_cap(ctx, rows, rule, cap)
            lists.append(rating_list)
            ratings += rows
    RatingList.objects.bulk_create(lists, batch_size=500)
    _created(lists, "programs.rating_list.created")
    audit.record_many(
        lists,
        "programs.rating_list.confirmed",
        changes={"status": [RatingListStatus.DRAFT, RatingListStatus.CONFIRMED]},
    )
    Rating.objects.bulk_create(ratings, batch_size=1000)
    _created(ratings, "programs.rating.scored")
    return len(lists), len(ratings)
