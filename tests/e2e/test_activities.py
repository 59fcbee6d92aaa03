"""Organization staff record a blood-donation day with two photos in a real browser, see
the thumbnails load on the activity's page, and see the totals of their organization move.

Elements are found by id and name, never by translated text (the translations change).
"""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from lantoa.movements.models import Activity
from tests.movements.factories import BLOOD, activity_type, make_activity

# The live server needs committed data: see test_people.py for why available_apps is set.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

SAVE = "form[data-once] button[type=submit]"
ACTIVITY_URL = re.compile(r"/activities/(\d+)/$")
BLOOD_QUANTITY = f'#totals tr[data-type="{BLOOD}"] td.quantity'
THUMBNAILS = "#photos img"
_catalog = importlib.import_module("lantoa.movements.migrations.0002_catalog")


@pytest.fixture(autouse=True)
def catalog(transactional_db) -> None:
    """The seeded activity types (absent with --nomigrations, flushed between tests)."""
    _catalog.seed(apps, None)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def small_jpegs(folder, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = folder / f"hien-mau-{n + 1}.jpg"
        Image.new("RGB", (480, 360), (180 + 30 * n, 20, 40 * n)).save(path, "JPEG")
        paths.append(str(path))
    return paths


def expect_blood_total(page, org, year: int, shown: str) -> None:
    page.goto(f"/movements/totals/?org={org.pk}&year={year}")
    expect(page.locator(BLOOD_QUANTITY)).to_have_text(shown)


def test_a_blood_donation_day_with_two_photos_moves_the_totals(
    page, console, login, tree, base_secretary, tmp_path
):
    today = timezone.localdate()
    blood = activity_type(BLOOD)
    # Earlier this year, a cell of her organization gave 1,200 units.
    make_activity(tree.own_cell, BLOOD, title="Hiến máu đợt 1", quantity=1200, date=today)
    login(base_secretary)

    # The totals of her base organization before: 1.200 units of blood.
    expect_blood_total(page, tree.own, today.year, "1.200")

    # She records the day: the type, the figures and two photos at once.
    page.goto("/activities/")
    with page.expect_navigation():
        page.click("#record-activity")
    page.select_option("#id_organization", str(tree.own.pk))
    page.select_option("#id_activity_type", str(blood.pk))
    page.fill("#id_title", "Ngày hội Hiến máu nhân đạo")
    page.fill("#id_date", today.strftime("%d/%m/%Y"))
    page.fill("#id_place", "Hội trường Ban Dân vận Tỉnh ủy")
    page.fill("#id_quantity", "35")
    page.fill("#id_participants", "42")
    page.set_input_files("#id_photos", small_jpegs(tmp_path, 2))
    with page.expect_navigation():
        page.click(SAVE)

    match = ACTIVITY_URL.search(page.url)
    assert match, f"not on the activity's page after saving: {page.url}"
    activity = Activity.objects.get(pk=int(match.group(1)))
    assert (activity.organization_id, activity.activity_type_id) == (tree.own.pk, blood.pk)
    assert activity.quantity == 35
    assert activity.photos.count() == 2

    # Its page shows the figure in the type's unit and two thumbnails that really load.
    expect(page.locator("#quantity")).to_have_attribute("data-value", "35")
    expect(page.locator("#quantity")).to_contain_text(blood.unit)
    expect(page.locator(THUMBNAILS)).to_have_count(2)
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(i => i.complete && i.naturalWidth > 0)",
        arg=THUMBNAILS,
    )
    widths = page.eval_on_selector_all(THUMBNAILS, "imgs => imgs.map(i => i.naturalWidth)")
    assert widths == [320, 320]  # the 480×360 photos, thumbnailed to 320 px

    # The totals after: 1.200 + 35.
    expect_blood_total(page, tree.own, today.year, "1.235")

    assert console.csp_violations() == []
    assert console.errors == []
