"""The import pages: upload, preview, mapping, one job per click, progress, results, scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.core.models import FormToken
from lantoa.imports.models import ImportJob
from lantoa.orgs.models import Organization
from tests.imports.helpers import (
    ORG_HEADERS,
    org_rows,
    write_csv,
    write_two_sheets,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
Status = ImportJob.Status


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def _upload(client, path, org, kind="organizations", **extra):
    data = {
        "kind": kind,
        "organization": org.pk,
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "form_token": extra.pop("form_token", "tok-upload-" + path.name),
        **extra,
    }
    return client.post(reverse("imports:job_new"), data)


def _start(client, job, token="tok-start"):  # noqa: S107
    return client.post(reverse("imports:job_start", args=[job.pk]), {"form_token": token})


def test_upload_preview_import_and_results(
    client, tree, committee_staff, media, immediate, tmp_path
):
    client.force_login(committee_staff)
    path = write_xlsx(tmp_path / "tổ chức.xlsx", ORG_HEADERS, org_rows())

    response = _upload(client, path, tree.own)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == Status.READY
    assert job.filename == "tổ chức.xlsx"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="preview"' in html and "BDV-CB3A" in html
    assert 'id="preview-ok"' in html
    assert not Organization.objects.filter(code="BDV-CB2").exists()  # the preview writes nothing

    first = _start(client, job)
    second = _start(client, job)  # a double click: the same token

    assert first.status_code == second.status_code == 302
    assert FormToken.objects.filter(token="tok-start").count() == 1
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert (job.created, job.updated, job.unchanged) == (3, 0, 0)
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="import-percent">100%' in html
    assert 'id="count-created">3<' in html
    progress = client.get(reverse("imports:job_progress", args=[job.pk]) + "?was=open")
    assert progress["HX-Refresh"] == "true"


def test_start_twice_with_new_tokens_runs_one_job(
    client, tree, committee_staff, media, settings, tmp_path
):
    settings.TASKS = DATABASE
    client.force_login(committee_staff)
    _upload(client, write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows()), tree.own)
    job = ImportJob.objects.get()

    _start(client, job, "one")
    _start(client, job, "two")

    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'hx-get="' in html  # the page polls the progress until the job ends


def test_preview_shows_errors_and_the_import_rejects_them(
    client, tree, committee_staff, media, immediate, tmp_path
):
    client.force_login(committee_staff)
    rows = [*org_rows(), ["BDV-CB9", "Chi bộ 9", "", "cell", "NOPE", "32/13/2020"]]
    _upload(client, write_csv(tmp_path / "bad.csv", ORG_HEADERS, rows), tree.own)
    job = ImportJob.objects.get()

    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()

    assert 'id="preview-rejected"' in html
    assert 'class="rejected"' in html
    assert "NOPE" in html
    _start(client, job)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.rejected == 1
    assert (
        not Organization.objects.filter(code__startswith="BDV-CB").exclude(code="BDV-CB1").exists()
    )
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="rejected"' in html and 'id="download-rejected"' in html
    download = client.get(reverse("imports:job_rejected", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    values = list(book.active.values)
    assert values[1][0] == "BDV-CB9"
    assert len(values) == 2


def test_different_headers_are_mapped_by_the_form(
    client, tree, committee_staff, media, immediate, tmp_path
):
    client.force_login(committee_staff)
    headers = ["Ký hiệu", "Tên gọi", "Phân loại", "Trực thuộc"]
    path = write_csv(tmp_path / "other.csv", headers, [["BDV-CB7", "Chi bộ 7", "cell", "BDV"]])
    _upload(client, path, tree.own)
    job = ImportJob.objects.get()
    assert job.status == Status.UPLOADED
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="missing-columns"' in html
    assert 'id="start-import" disabled' in html

    mapping = {"col_code": "0", "col_name": "1", "col_kind": "2", "col_parent": "3"}
    client.post(reverse("imports:job_mapping", args=[job.pk]), mapping)
    job.refresh_from_db()
    assert job.status == Status.READY
    _start(client, job)

    job.refresh_from_db()
    assert job.status == Status.DONE, job.error
    assert Organization.objects.filter(code="BDV-CB7").exists()


def test_another_sheet_of_the_workbook_is_chosen_then_imported(
    client, tree, committee_staff, media, immediate, tmp_path
):
    client.force_login(committee_staff)
    _upload(client, write_two_sheets(tmp_path / "hai trang.xlsx"), tree.own)
    job = ImportJob.objects.get()
    assert (job.sheet, job.status) == ("Ghi chú", Status.UPLOADED)
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="sheet-form"' in html
    assert '<option value="Tổ chức">Tổ chức</option>' in html
    assert 'id="start-import" disabled' in html

    response = client.post(reverse("imports:job_sheet", args=[job.pk]), {"sheet": "Tổ chức"})

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.sheet, job.status, job.headers) == ("Tổ chức", Status.READY, ORG_HEADERS)
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Đã đọc trang tính “Tổ chức”." in html
    assert "BDV-CB3A" in html and 'id="preview-ok"' in html
    _start(client, job)
    job.refresh_from_db()
    assert job.status == Status.DONE, job.error
    assert (job.created, job.sheet) == (3, "Tổ chức")
    assert Organization.objects.filter(code="BDV-CB3A").exists()


def test_a_sheet_not_in_the_workbook_or_a_csv_gets_a_message(
    client, tree, committee_staff, base_secretary, media, tmp_path
):
    client.force_login(committee_staff)
    _upload(client, write_two_sheets(tmp_path / "hai trang.xlsx"), tree.own)
    job = ImportJob.objects.get()

    response = client.post(
        reverse("imports:job_sheet", args=[job.pk]), {"sheet": "Không có"}, follow=True
    )

    assert response.status_code == 200
    assert "Hãy chọn một trang tính của tệp." in response.content.decode()
    job.refresh_from_db()
    assert job.sheet == "Ghi chú"

    _upload(client, write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows()), tree.own)
    csv_job = ImportJob.objects.latest("pk")
    html = client.get(reverse("imports:job", args=[csv_job.pk])).content.decode()
    assert 'id="sheet-form"' not in html
    response = client.post(reverse("imports:job_sheet", args=[csv_job.pk]), {"sheet": "x"})
    assert response.status_code == 302
    client.force_login(base_secretary)
    response = client.post(reverse("imports:job_sheet", args=[job.pk]), {"sheet": "Tổ chức"})
    assert response.status_code == 404


def test_a_refused_file_shows_its_reason_and_keeps_nothing(
    client, tree, committee_staff, media, tmp_path
):
    client.force_login(committee_staff)
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"%PDF-1.4 not a spreadsheet")

    response = _upload(client, path, tree.own)

    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not list(media.rglob("*.xlsx"))


def test_base_secretary_cannot_import_organizations_nor_see_other_jobs(
    client, tree, committee_staff, base_secretary, media, immediate, tmp_path
):
    client.force_login(committee_staff)
    _upload(client, write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows()), tree.own)
    job = ImportJob.objects.get()
    client.force_login(base_secretary)

    response = _upload(
        client, write_csv(tmp_path / "b.csv", ORG_HEADERS, org_rows()), tree.own, form_token="x"
    )

    assert response.status_code == 200
    assert ImportJob.objects.count() == 1
    for name in ("job", "job_progress"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    assert _start(client, job, "y").status_code == 404
    assert (
        client.get(reverse("imports:job_list")).content.decode().count('href="/work/imports/1') == 0
    )


def test_list_is_scoped_searchable_and_bounded_in_queries(
    client, tree, committee_staff, base_secretary, django_assert_max_num_queries
):
    for number in range(12):
        ImportJob.objects.create(
            kind="organizations" if number % 2 else "people",
            organization=tree.own if number < 6 else tree.other,
            filename=f"tệp-{number}.csv",
            requested_by=committee_staff,
        )
    client.force_login(committee_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:job_list"))
    assert response.content.decode().count("tệp-") == 12
    assert (
        client.get(reverse("imports:job_list") + "?q=tệp-1").content.decode().count(".csv</a>") == 3
    )
    client.force_login(base_secretary)
    html = client.get(reverse("imports:job_list")).content.decode()
    # only people imports into BDV: numbers 0, 2, 4
    assert html.count("tệp-") == 3


def test_template_download(client, tree, committee_staff, base_secretary):
    client.force_login(committee_staff)
    response = client.get(reverse("imports:template", args=["organizations"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Dữ liệu", "Hướng dẫn"]
    client.force_login(base_secretary)
    assert client.get(reverse("imports:template", args=["organizations"])).status_code == 404
    assert client.get(reverse("imports:template", args=["nothing"])).status_code == 404
