"""The activity types and beneficiary categories of the Cà Mau case, as data."""

from django.db import migrations

ACTIVITY_TYPES = [
    # code, name, unit, largest quantity per activity, is_other
    ("nha-vi-nguoi-ngheo", "Xây dựng nhà “Vì người nghèo”", "căn nhà", 500, False),
    ("hien-mau", "Hiến máu nhân đạo", "đơn vị máu", 20_000, False),
    ("di-thuc-te", "Đi thực tế", "lượt người", 10_000, False),
    ("ve-nguon", "Hành trình về nguồn", "lượt người", 10_000, False),
    (
        "tham-tang-qua",
        "Thăm hỏi, tặng quà gia đình chính sách, gia đình có công",
        "suất quà",
        100_000,
        False,
    ),
    ("kham-chua-benh", "Khám, chữa bệnh miễn phí", "lượt người được khám", 100_000, False),
    ("khac", "Hoạt động khác", "lượt", 100_000, True),
]

BENEFICIARY_CATEGORIES = [
    ("gia-dinh-chinh-sach", "Gia đình chính sách"),
    ("gia-dinh-co-cong", "Gia đình có công với cách mạng"),
    ("ho-ngheo", "Hộ nghèo, hộ cận nghèo"),
    ("nguoi-cao-tuoi", "Người cao tuổi, người neo đơn"),
    ("hoc-sinh-kho-khan", "Học sinh có hoàn cảnh khó khăn"),
    ("nguoi-dan", "Người dân trong cộng đồng"),
    ("khac", "Khác"),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("movements", "ActivityType")
    BeneficiaryCategory = apps.get_model("movements", "BeneficiaryCategory")
    for position, (code, name, unit, largest, is_other) in enumerate(ACTIVITY_TYPES, 1):
        ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "max_quantity": largest,
                "is_other": is_other,
                "position": position * 10,
            },
        )
    for position, (code, name) in enumerate(BENEFICIARY_CATEGORIES, 1):
        BeneficiaryCategory.objects.update_or_create(
            code=code, defaults={"name": name, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("movements", "0001_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
