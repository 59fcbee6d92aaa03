"""The catalog of commendation as data: forms and titles, the council's vote rule, and the
eligibility rules of /work/shared/domain.md §2–§3 with their legal basis and validity.

Where domain.md gives no source for a rule in force before today's texts (the demo covers
2016–2020), the rule's source says UNVERIFIED instead of a citation. Seeding is idempotent:
forms by code, the vote rule by name, rules by (form, nominee kind, position, valid from).
"""

import datetime

from django.db import migrations

# code, name, kind, for people, for collectives, rank. Ranks follow the amounts of
# Luật 06/2022 / NĐ 152/2025 (× base salary): LĐTT 0.3, TTLĐTT 0.8, CSTĐCS 1.0,
# Bằng khen 1.0, TTLĐXS 1.5; biểu dương carries no amount.
AWARD_FORMS = [
    ("bieu-duong", "Biểu dương", "form", True, True, 10),
    ("lao-dong-tien-tien", "Lao động tiên tiến", "title", True, False, 15),
    ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", "title", False, True, 18),
    ("giay-khen", "Giấy khen", "form", True, True, 20),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "title", True, False, 25),
    ("bang-khen", "Bằng khen", "form", True, True, 30),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "title", False, True, 35),
]

VOTE_RULES = [
    # name, quorum %, approval %, strictly more, base
    ("Quá nửa tổng số thành viên Hội đồng", 50, 50, True, "members"),
]

LAW_06 = datetime.date(2024, 1, 1)  # Luật Thi đua, khen thưởng 06/2022/QH15 in force
HD_06 = datetime.date(2025, 6, 9)  # HD 06-HD/TW replaces HD 01-HD/TW (2021)
ND_152 = datetime.date(2025, 7, 1)  # NĐ 152/2025/NĐ-CP replaces NĐ 98/2023


def _day_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


SRC_HD06 = "HD 06-HD/TW (09/6/2025), khen thưởng đảng viên và tổ chức đảng"
SRC_BEFORE_HD06 = (
    "Trước HD 06-HD/TW: HD 01-HD/TW (2021) và hướng dẫn trước đó; "
    "giả định cùng tiêu chí — UNVERIFIED"
)
SRC_ND152 = "NĐ 152/2025/NĐ-CP, Điều 4 (từ 01/7/2025)"
SRC_BEFORE_ND152 = "Trước NĐ 152/2025: NĐ 98/2023 và văn bản trước đó — UNVERIFIED"
SRC_LAW06_24 = "Luật 06/2022/QH15, Điều 24 (từ 01/01/2024)"
SRC_LAW06_23 = "Luật 06/2022/QH15, Điều 23 (từ 01/01/2024)"
SRC_LAW06_28 = (
    "Luật 06/2022/QH15, Điều 28 (từ 01/01/2024); tiêu chí theo câu chữ luật cũ, "
    "câu chữ năm 2022 — UNVERIFIED"
)
SRC_OLD_LAW = "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013) — điều khoản UNVERIFIED"
SRC_OLD_LAW_CSTD = (
    "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013): sáng kiến là bắt buộc trước "
    "Luật 06/2022 — điều khoản UNVERIFIED"
)
SRC_TTLDXS = (
    "Tiêu chí Tập thể lao động xuất sắc (domain.md §2, [L5]); văn bản, hiệu lực — UNVERIFIED"
)

EXCELLENT_1 = {"level": "excellent", "years": 1}
EXCELLENT_5 = {"level": "excellent", "years": 5}
GOOD_OR_BETTER = {"level": "good", "at_least": True, "years": 1}
LDTT_IN_YEAR = {"form": "lao-dong-tien-tien", "years": 1}
INITIATIVE_BASE = {"min_level": "base"}

W_EXCELLENT_1 = "Được xếp loại “Hoàn thành xuất sắc nhiệm vụ” trong năm"
W_EXCELLENT_5 = "Được xếp loại “Hoàn thành xuất sắc nhiệm vụ” 5 năm liền"
W_GOOD = "Được xếp loại từ “Hoàn thành tốt nhiệm vụ” trở lên trong năm"
W_LDTT = "Đạt danh hiệu “Lao động tiên tiến” trong năm"
W_INITIATIVE = "Có sáng kiến (hoặc đề tài) được công nhận từ cấp cơ sở trở lên"
W_NO_DISCIPLINE = "Không đang trong thời gian thi hành kỷ luật"

# form, applies to, position, criterion, params, group, wording, source, valid from, to
PERSON = "person"
COLLECTIVE = "collective"
ELIGIBILITY_RULES = [
    # Party: HD 06-HD/TW (from 09/6/2025) and the guidance in force before it
    ("giay-khen", PERSON, 10, "rating_streak", EXCELLENT_1, "", W_EXCELLENT_1, SRC_HD06, HD_06, None),
    ("giay-khen", PERSON, 10, "rating_streak", EXCELLENT_1, "", W_EXCELLENT_1, SRC_BEFORE_HD06, None, _day_before(HD_06)),
    ("bang-khen", PERSON, 10, "rating_streak", EXCELLENT_5, "", W_EXCELLENT_5, SRC_HD06, HD_06, None),
    ("bang-khen", PERSON, 10, "rating_streak", EXCELLENT_5, "", W_EXCELLENT_5, SRC_BEFORE_HD06, None, _day_before(HD_06)),
    # State titles: Luật 06/2022 (from 01/01/2024) and the law of 2003/2013 before it
    ("lao-dong-tien-tien", PERSON, 10, "rating_streak", GOOD_OR_BETTER, "", W_GOOD, SRC_LAW06_24, LAW_06, None),
    ("lao-dong-tien-tien", PERSON, 10, "rating_streak", GOOD_OR_BETTER, "", W_GOOD, SRC_OLD_LAW, None, _day_before(LAW_06)),
    ("chien-si-thi-dua-co-so", PERSON, 10, "award_streak", LDTT_IN_YEAR, "", W_LDTT, SRC_LAW06_23, LAW_06, None),
    ("chien-si-thi-dua-co-so", PERSON, 20, "rating_streak", EXCELLENT_1, "art23", "Hoàn thành xuất sắc nhiệm vụ trong năm", SRC_LAW06_23, LAW_06, None),
    ("chien-si-thi-dua-co-so", PERSON, 30, "initiative", INITIATIVE_BASE, "art23", W_INITIATIVE, SRC_LAW06_23, LAW_06, None),
    ("chien-si-thi-dua-co-so", PERSON, 10, "award_streak", LDTT_IN_YEAR, "", W_LDTT, SRC_OLD_LAW_CSTD, None, _day_before(LAW_06)),
    ("chien-si-thi-dua-co-so", PERSON, 20, "initiative", INITIATIVE_BASE, "", W_INITIATIVE, SRC_OLD_LAW_CSTD, None, _day_before(LAW_06)),
    # Collective titles
    ("tap-the-lao-dong-tien-tien", COLLECTIVE, 10, "members_share", {"form": "lao-dong-tien-tien", "min_percent": 50, "strictly_more": True}, "", "Trên 50% thành viên đạt danh hiệu “Lao động tiên tiến”", SRC_LAW06_28, LAW_06, None),
    ("tap-the-lao-dong-tien-tien", COLLECTIVE, 10, "members_share", {"form": "lao-dong-tien-tien", "min_percent": 50, "strictly_more": True}, "", "Trên 50% thành viên đạt danh hiệu “Lao động tiên tiến”", SRC_OLD_LAW + " (domain.md §2, [L6])", None, _day_before(LAW_06)),
    ("tap-the-lao-dong-xuat-sac", COLLECTIVE, 10, "members_share", {"level": "pass", "at_least": True, "min_percent": 100}, "", "100% thành viên hoàn thành nhiệm vụ trở lên", SRC_TTLDXS, None, None),
    ("tap-the-lao-dong-xuat-sac", COLLECTIVE, 20, "members_share", {"form": "lao-dong-tien-tien", "min_percent": 70}, "", "Ít nhất 70% thành viên đạt danh hiệu “Lao động tiên tiến”", SRC_TTLDXS, None, None),
    ("tap-the-lao-dong-xuat-sac", COLLECTIVE, 30, "members_share", {"form": "chien-si-thi-dua-co-so", "min_count": 1}, "", "Có cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”", SRC_TTLDXS, None, None),
]  # fmt: skip

# NĐ 152/2025, Art. 4: no award while a discipline is in force — for every form for people
for _code, _name, _kind, _people, _collectives, _rank in AWARD_FORMS:
    if _people:
        ELIGIBILITY_RULES += [
            (_code, PERSON, 90, "no_discipline", {}, "", W_NO_DISCIPLINE, SRC_ND152, ND_152, None),
            (_code, PERSON, 90, "no_discipline", {}, "", W_NO_DISCIPLINE, SRC_BEFORE_ND152, None, _day_before(ND_152)),
        ]  # fmt: skip


def seed(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    VoteRule = apps.get_model("awards", "VoteRule")
    EligibilityRule = apps.get_model("awards", "EligibilityRule")
    forms = {}
    for code, name, kind, people, collectives, rank in AWARD_FORMS:
        forms[code], _ = AwardForm.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "for_people": people,
                "for_collectives": collectives,
                "rank": rank,
            },
        )
    for name, quorum, approval, strictly, base in VOTE_RULES:
        VoteRule.objects.update_or_create(
            name=name,
            defaults={
                "quorum_percent": quorum,
                "approval_percent": approval,
                "strictly_more": strictly,
                "base": base,
            },
        )
    for (
        code,
        kind,
        position,
        criterion,
        params,
        group,
        wording,
        source,
        start,
        end,
    ) in ELIGIBILITY_RULES:
        EligibilityRule.objects.update_or_create(
            award_form=forms[code],
            applies_to=kind,
            position=position,
            valid_from=start,
            valid_to=end,
            defaults={
                "criterion": criterion,
                "params": params,
                "group": group,
                "description": wording,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_commendation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
