"""The shape of the Cà Mau demo tree: committees, base party organizations, cells and jobs.

The four units named in the newspaper report are real; every other unit is a plausible
invention. Member counts are per base organization; cells split them.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from lantoa.orgs.models import HostKind, OrganizationKind

PROVINCE_CODE = "TU-CM"
PROVINCE = {
    "code": PROVINCE_CODE,
    "name": "Tỉnh ủy Cà Mau",
    "short_name": "Tỉnh ủy",
    "kind": OrganizationKind.PROVINCIAL_COMMITTEE,
}
COMMITTEE = {
    "code": "DCD",
    "name": "Đảng bộ Dân Chính Đảng tỉnh Cà Mau",
    "short_name": "Đảng bộ DCĐ",
    "kind": OrganizationKind.BLOC_COMMITTEE,
}
ENTERPRISE_BLOC = {
    "code": "KDN",
    "name": "Đảng bộ Khối Doanh nghiệp tỉnh Cà Mau",
    "short_name": "Đảng bộ Khối Doanh nghiệp",
    "kind": OrganizationKind.BLOC_COMMITTEE,
    "valid_from": datetime.date(2015, 1, 1),
}
MERGER_DATE = datetime.date(2019, 4, 1)
HISTORY_START = datetime.date(2015, 1, 1)


class Sector(StrEnum):
    AGENCY = "agency"
    SCHOOL = "school"
    MEDIA = "media"
    ENTERPRISE = "enterprise"
    BANK = "bank"


SECTOR_HOST_KIND = {
    Sector.AGENCY: HostKind.AGENCY,
    Sector.SCHOOL: HostKind.PUBLIC_SERVICE,
    Sector.MEDIA: HostKind.PUBLIC_SERVICE,
    Sector.ENTERPRISE: HostKind.ENTERPRISE,
    Sector.BANK: HostKind.ENTERPRISE,
}
SECTOR_MALE_SHARE = {
    Sector.AGENCY: 0.55,
    Sector.SCHOOL: 0.4,
    Sector.MEDIA: 0.5,
    Sector.ENTERPRISE: 0.72,
    Sector.BANK: 0.45,
}

# A base organization of fewer than 30 members is a base cell (chi bộ cơ sở) without cells.
BASE_CELL_LIMIT = 30


@dataclass(frozen=True)
class UnitSpec:
    """A base party organization and the agency, school or enterprise it belongs to."""

    code: str
    host_name: str
    sector: Sector
    members: int
    head: str = "Giám đốc"
    cells: tuple[str, ...] = ()
    male_share: float | None = None

    @property
    def kind(self) -> str:
        if self.members < BASE_CELL_LIMIT:
            return OrganizationKind.BASE_CELL
        return OrganizationKind.BASE_COMMITTEE

    @property
    def name(self) -> str:
        prefix = "Đảng bộ" if self.kind == OrganizationKind.BASE_COMMITTEE else "Chi bộ"
        return f"{prefix} {self.host_name}"

    @property
    def host_kind(self) -> str:
        return SECTOR_HOST_KIND[self.sector]


def _unit(code: str, host: str, sector: Sector, members: int, head: str, **extra) -> UnitSpec:
    return UnitSpec(code, host, sector, members, head, **extra)


A, S, M, E, B = Sector.AGENCY, Sector.SCHOOL, Sector.MEDIA, Sector.ENTERPRISE, Sector.BANK

# Units of Đảng bộ DCĐ since 2015 (agencies of the Party, the government and mass
# organizations, schools, the press).
COMMITTEE_UNITS: tuple[UnitSpec, ...] = (
    _unit("CQDU", "Cơ quan Đảng ủy Dân Chính Đảng tỉnh Cà Mau", A, 19, "Chánh Văn phòng Đảng ủy"),
    _unit(
        "BDV",
        "Ban Dân vận Tỉnh ủy Cà Mau",
        A,
        38,
        "Trưởng ban",
        cells=("Chi bộ Văn phòng", "Chi bộ Phòng Dân tộc - Tôn giáo - Đoàn thể"),
    ),
    _unit(
        "CDYT",
        "Trường Cao đẳng Y tế Cà Mau",
        S,
        160,
        "Hiệu trưởng",
        male_share=0.32,
        cells=(
            "Chi bộ Khoa Điều dưỡng",
            "Chi bộ Khoa Dược",
            "Chi bộ Khoa Y học cơ sở",
            "Chi bộ Phòng Đào tạo",
            "Chi bộ Phòng Tổ chức - Hành chính",
        ),
    ),
    _unit("BTC", "Ban Tổ chức Tỉnh ủy Cà Mau", A, 42, "Trưởng ban"),
    _unit("BTG", "Ban Tuyên giáo Tỉnh ủy Cà Mau", A, 36, "Trưởng ban"),
    _unit("UBKT", "Ủy ban Kiểm tra Tỉnh ủy Cà Mau", A, 34, "Chủ nhiệm"),
    _unit("VPTU", "Văn phòng Tỉnh ủy Cà Mau", A, 72, "Chánh Văn phòng"),
    _unit("VPUB", "Văn phòng Ủy ban nhân dân tỉnh Cà Mau", A, 100, "Chánh Văn phòng"),
    _unit("STP", "Sở Tư pháp tỉnh Cà Mau", A, 54, "Giám đốc Sở"),
    _unit("STC", "Sở Tài chính tỉnh Cà Mau", A, 110, "Giám đốc Sở"),
    _unit("SKHDT", "Sở Kế hoạch và Đầu tư tỉnh Cà Mau", A, 64, "Giám đốc Sở"),
    _unit("SNV", "Sở Nội vụ tỉnh Cà Mau", A, 70, "Giám đốc Sở"),
    _unit("SGDDT", "Sở Giáo dục và Đào tạo tỉnh Cà Mau", A, 125, "Giám đốc Sở", male_share=0.42),
    _unit("SYT", "Sở Y tế tỉnh Cà Mau", A, 140, "Giám đốc Sở", male_share=0.45),
    _unit("STNMT", "Sở Tài nguyên và Môi trường tỉnh Cà Mau", A, 130, "Giám đốc Sở"),
    _unit("SNN", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Cà Mau", A, 230, "Giám đốc Sở"),
    _unit("TTT", "Thanh tra tỉnh Cà Mau", A, 48, "Chánh Thanh tra"),
    _unit("TCT", "Trường Chính trị tỉnh Cà Mau", S, 66, "Hiệu trưởng"),
    _unit("CDCD", "Trường Cao đẳng Cộng đồng Cà Mau", S, 118, "Hiệu trưởng"),
    _unit(
        "BCM",
        "Báo Cà Mau",
        M,
        62,
        "Tổng Biên tập",
        cells=("Chi bộ Phòng Thời sự", "Chi bộ Phòng Kinh tế - Xã hội", "Chi bộ Phòng Trị sự"),
    ),
    _unit(
        "PTTH",
        "Đài Phát thanh - Truyền hình Cà Mau",
        M,
        130,
        "Giám đốc",
        cells=(
            "Chi bộ Phòng Thời sự",
            "Chi bộ Phòng Kỹ thuật - Công nghệ",
            "Chi bộ Phòng Chuyên đề",
            "Chi bộ Phòng Tổ chức - Hành chính",
        ),
    ),
    _unit("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Cà Mau", A, 29, "Chủ tịch"),
    _unit("HND", "Hội Nông dân tỉnh Cà Mau", A, 27, "Chủ tịch Hội"),
    _unit("LDLD", "Liên đoàn Lao động tỉnh Cà Mau", A, 28, "Chủ tịch"),
    _unit("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh Cà Mau", A, 24, "Chủ tịch Hội", male_share=0.08),
    _unit("TDTN", "Tỉnh Đoàn Cà Mau", A, 26, "Bí thư Tỉnh Đoàn", male_share=0.5),
    _unit("HCCB", "Hội Cựu chiến binh tỉnh Cà Mau", A, 17, "Chủ tịch Hội", male_share=0.9),
)

# Units of the enterprise bloc until it was merged into Đảng bộ DCĐ on 01/04/2019.
ENTERPRISE_UNITS: tuple[UnitSpec, ...] = (
    _unit(
        "PCCM", "Công ty Điện lực Cà Mau", E, 320, "Giám đốc Công ty",
        cells=(
            "Chi bộ Văn phòng Công ty", "Chi bộ Phòng Kỹ thuật - An toàn",
            "Chi bộ Điện lực Thành phố Cà Mau", "Chi bộ Điện lực Trần Văn Thời",
            "Chi bộ Điện lực Năm Căn",
        ),
    ),
    _unit(
        "VNPT", "Viễn thông Cà Mau", E, 230, "Giám đốc",
        cells=(
            "Chi bộ Văn phòng", "Chi bộ Trung tâm Điều hành Thông tin",
            "Chi bộ Trung tâm Viễn thông Thành phố Cà Mau", "Chi bộ Trung tâm Viễn thông Cái Nước",
        ),
    ),
    _unit("CNCM", "Công ty Cổ phần Cấp nước Cà Mau", E, 72, "Giám đốc"),
    _unit("BDCM", "Bưu điện tỉnh Cà Mau", E, 64, "Giám đốc"),
    _unit(
        "NHNN", "Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh tỉnh Cà Mau", B, 138,
        "Giám đốc",
    ),
    _unit("LNUM", "Công ty TNHH MTV Lâm nghiệp U Minh Hạ", E, 52, "Giám đốc"),
    _unit("DUOC", "Công ty Cổ phần Dược phẩm Cà Mau", E, 41, "Tổng Giám đốc", male_share=0.45),
    _unit("XSKT", "Công ty TNHH MTV Xổ số kiến thiết Cà Mau", E, 28, "Giám đốc"),
    _unit("CTGT", "Công ty Cổ phần Công trình Giao thông Cà Mau", E, 23, "Giám đốc"),
    _unit("DLCM", "Công ty Cổ phần Du lịch Cà Mau", E, 16, "Giám đốc", male_share=0.5),
)  # fmt: skip

# The enterprise bloc's own office staff, attached to the bloc itself: the merger transfers
# them to Đảng bộ DCĐ, with their membership history, as merge_organizations does.
BLOC_STAFF_JOINED_BEFORE = datetime.date(2014, 12, 31)
BLOC_STAFF_POSITIONS: tuple[str, ...] = (
    "Bí thư Đảng ủy Khối",
    "Phó Bí thư Thường trực Đảng ủy Khối",
    "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối",
    "Chánh Văn phòng Đảng ủy Khối",
    "Trưởng Ban Tổ chức Đảng ủy Khối",
    "Trưởng Ban Tuyên giáo Đảng ủy Khối",
    "Chuyên viên Văn phòng Đảng ủy Khối",
    "Chuyên viên Ban Tổ chức",
    "Chuyên viên Ban Tổ chức",
    "Chuyên viên Ban Tuyên giáo",
    "Chuyên viên Ủy ban Kiểm tra",
    "Kế toán",
)

# Cells of units whose cells are not listed above, by sector.
CELL_NAMES: dict[Sector, tuple[str, ...]] = {
    A: (
        "Chi bộ Văn phòng",
        "Chi bộ Phòng Tổ chức - Hành chính",
        "Chi bộ Phòng Nghiệp vụ",
        "Chi bộ Phòng Kế hoạch - Tài chính",
        "Chi bộ Thanh tra",
        "Chi bộ Phòng Tổng hợp",
        "Chi bộ Trung tâm Dịch vụ",
    ),
    S: (
        "Chi bộ Khoa Cơ bản",
        "Chi bộ Khoa Kinh tế",
        "Chi bộ Khoa Kỹ thuật",
        "Chi bộ Phòng Đào tạo",
        "Chi bộ Phòng Tổ chức - Hành chính",
    ),
    M: ("Chi bộ Phòng Thời sự", "Chi bộ Phòng Kỹ thuật", "Chi bộ Phòng Hành chính"),
    E: (
        "Chi bộ Văn phòng Công ty",
        "Chi bộ Phòng Kỹ thuật",
        "Chi bộ Phòng Kinh doanh",
        "Chi bộ Phòng Tài chính - Kế toán",
        "Chi bộ Xí nghiệp",
        "Chi bộ Đội Thi công",
    ),
    B: (
        "Chi bộ Văn phòng",
        "Chi bộ Phòng Kế hoạch - Kinh doanh",
        "Chi bộ Phòng Kế toán - Ngân quỹ",
        "Chi bộ Phòng Giao dịch Thành phố",
        "Chi bộ Phòng Kiểm tra - Kiểm soát nội bộ",
    ),
}

# Jobs of ordinary members, by sector, with weights.
JOBS: dict[Sector, dict[str, int]] = {
    A: {
        "Chuyên viên": 10, "Chuyên viên chính": 4, "Phó Trưởng phòng": 3, "Trưởng phòng": 2,
        "Cán sự": 2, "Kế toán": 1, "Văn thư": 1,
    },
    S: {
        "Giảng viên": 10, "Giảng viên chính": 3, "Trưởng khoa": 1, "Phó Trưởng khoa": 1,
        "Chuyên viên": 3, "Trưởng phòng": 1, "Kế toán": 1,
    },
    M: {
        "Phóng viên": 8, "Biên tập viên": 6, "Kỹ thuật viên": 3, "Trưởng phòng": 1,
        "Phó Trưởng phòng": 1, "Chuyên viên": 2,
    },
    E: {
        "Kỹ sư": 8, "Công nhân": 6, "Nhân viên": 5, "Chuyên viên": 3, "Trưởng phòng": 2,
        "Phó Trưởng phòng": 2, "Kế toán viên": 1, "Đội trưởng": 1,
    },
    B: {
        "Giao dịch viên": 6, "Cán bộ tín dụng": 6, "Kiểm soát viên": 2, "Chuyên viên": 3,
        "Trưởng phòng": 2, "Phó Trưởng phòng": 2, "Kế toán viên": 2,
    },
}  # fmt: skip

# Jobs of cell officers (the head of a department or faculty, and a deputy).
LEAD_JOBS: dict[Sector, tuple[str, str]] = {
    A: ("Trưởng phòng", "Phó Trưởng phòng"),
    S: ("Trưởng khoa", "Phó Trưởng khoa"),
    M: ("Trưởng phòng", "Phó Trưởng phòng"),
    E: ("Trưởng phòng", "Phó Giám đốc"),
    B: ("Trưởng phòng", "Phó Giám đốc"),
}
