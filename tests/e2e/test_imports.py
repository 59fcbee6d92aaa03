"""Importing organizations in a real browser: upload, preview, import, progress, results.

Elements are found by id, never by translated text.
"""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from lantoa.imports.models import ImportJob
from lantoa.orgs.models import Organization
from tests.imports.helpers import ORG_HEADERS, org_rows, write_two_sheets, write_xlsx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_URL = re.compile(r"/work/imports/(\d+)/$")


def test_upload_preview_import_and_follow_the_progress(
    page, login, console, tree, committee_staff, settings, tmp_path
):
    settings.TASKS = DATABASE
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_xlsx(tmp_path / "to-chuc.xlsx", ORG_HEADERS, org_rows())
    login(committee_staff)

    page.goto("/work/imports/")
    page.click("#new-import")
    page.select_option("#id_kind", "organizations")
    page.select_option("#id_organization", str(tree.own.pk))
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("form[data-once] button[type=submit]")

    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#preview tbody tr")).to_have_count(3)
    expect(page.locator("#preview-ok")).to_be_visible()
    assert not Organization.objects.filter(code="BDV-CB2").exists()

    with page.expect_navigation():
        page.click("#start-import")
    expect(page.locator("#import-progress")).to_be_visible()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED

    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    expect(page.locator("#count-created")).to_have_text("3", timeout=10_000)
    expect(page.locator("#import-percent")).to_have_text("100%")
    page.reload()
    expect(page.locator("#count-created")).to_have_text("3")
    expect(page.locator("#count-unchanged")).to_have_text("0")
    assert Organization.objects.filter(code__in=["BDV-CB2", "BDV-CB3", "BDV-CB3A"]).count() == 3
    assert not console.errors
    assert not console.csp_violations()


def test_another_sheet_is_chosen_with_the_keyboard(
    page, login, console, tree, committee_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_two_sheets(tmp_path / "hai-trang.xlsx")
    login(committee_staff)
    page.goto("/work/imports/new/")
    page.select_option("#id_kind", "organizations")
    page.select_option("#id_organization", str(tree.own.pk))
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("form[data-once] button[type=submit]")
    expect(page.locator("#missing-columns")).to_be_visible()
    expect(page.locator("#start-import")).to_be_disabled()

    page.focus("#id_sheet")
    page.keyboard.press("ArrowDown")  # the second sheet
    page.focus("#read-sheet")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("#id_sheet")).to_have_value("Tổ chức")
    expect(page.locator("#preview tbody tr")).to_have_count(3)
    expect(page.locator("#preview-ok")).to_be_visible()
    expect(page.locator("#start-import")).to_be_enabled()
