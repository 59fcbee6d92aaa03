"""Initiatives and applied projects: the services (who may record what, authors, bounds,
attachments, nothing half-saved) and the pages (404 outside the grant, the author picker,
one record per double submit, list filters with query-count guards, the export, the
download)."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.core.models import AuditEntry
from lantoa.movements.forms.initiatives import InitiativeForm
from lantoa.movements.models import (
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    InitiativeKind,
    RecognitionLevel,
)
from lantoa.movements.services import initiatives as services
from lantoa.movements.services import proposals
from lantoa.orgs.models import Organization, Person
from lantoa.programs.uploads import MAX_DOCUMENT_SIZE
from tests.factories import PersonFactory
from tests.movements.factories import make_initiative
from tests.programs.test_documents_support import docx_bytes, pdf_bytes, upload

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def field_errors(raised) -> dict[str, list[str]]:
    return {name: [str(m) for m in errors] for name, errors in raised.value.message_dict.items()}


@pytest.fixture
def people(tree):
    """Two people of `own` (one in its cell) and one of `other`."""
    return {
        "lan": PersonFactory(
            family_name="Nguyễn", middle_name="Thị", given_name="Lan", organization=tree.own
        ),
        "duc": PersonFactory(
            family_name="Trần", middle_name="Văn", given_name="Đức", organization=tree.own_cell
        ),
        "hai": PersonFactory(
            family_name="Lê", middle_name="Minh", given_name="Hải", organization=tree.other
        ),
    }


def create(by, org, authors, **fields) -> Initiative:
    defaults = {"title": "Số hóa hồ sơ đảng viên", "year": 2019}
    defaults.update(fields)
    return services.create_initiative(by=by, organization=org, authors=authors, **defaults)


# --- services: who may record ------------------------------------------------------------


def test_organization_staff_record_in_their_subtree_with_ordered_authors(
    tree, base_secretary, people
):
    initiative = create(
        base_secretary,
        tree.own_cell,
        [people["duc"], people["lan"], people["duc"]],
        kind=InitiativeKind.PROJECT,
        field="Cải cách hành chính",
        benefit=1_500_000,
    )

    assert services.initiative_authors(initiative) == [people["duc"], people["lan"]]
    assert initiative.recorded_by == base_secretary
    assert initiative.search_key == "so hoa ho so dang vien cai cach hanh chinh"


def test_staff_cannot_record_outside_their_subtree_nor_council_members_at_all(
    tree, base_secretary, council_member, people
):
    with pytest.raises(PermissionDenied):
        create(base_secretary, tree.other, [people["lan"]])
    with pytest.raises(PermissionDenied):
        create(council_member, tree.own, [people["lan"]])
    assert Initiative.objects.count() == 0


def test_authors_are_people_the_user_may_see_and_at_least_one(tree, base_secretary, people):
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, tree.own, [people["lan"], people["hai"]])
    assert "authors" in field_errors(raised)
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, tree.own, [])
    assert "authors" in field_errors(raised)
    assert Initiative.objects.count() == 0


def test_an_author_moved_away_stays_on_a_correction(tree, base_secretary, committee_staff, people):
    initiative = create(committee_staff, tree.own, [people["lan"], people["hai"]])

    services.update_initiative(
        initiative,
        by=base_secretary,
        organization=tree.own,
        kind=InitiativeKind.INITIATIVE,
        title="Số hóa (sửa)",
        year=2019,
        authors=[people["hai"], people["lan"], people["duc"]],
    )

    assert services.initiative_authors(initiative) == [people["hai"], people["lan"], people["duc"]]
    assert list(
        InitiativeAuthor.objects.filter(initiative=initiative).values_list("position", flat=True)
    ) == [0, 1, 2]


# --- services: bounds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"year": 1929}, "year"),
        ({"year": timezone.localdate().year + 1}, "year"),
        ({"year": None}, "year"),
        ({"title": "  "}, "title"),
        ({"benefit": -1}, "benefit"),
        ({"level": RecognitionLevel.BASE}, "recognized_on"),
        ({"level": RecognitionLevel.BASE, "recognized_on": D(2018, 12, 31)}, "recognized_on"),
        ({"level": RecognitionLevel.NONE, "recognized_on": D(2019, 5, 1)}, "recognized_on"),
        ({"level": "galactic"}, "level"),
        ({"kind": "poem"}, "kind"),
    ],
)
def test_bad_values_are_refused_with_a_field_message(tree, base_secretary, people, fields, field):
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, tree.own, [people["lan"]], **fields)
    assert field in field_errors(raised)
    assert Initiative.objects.count() == 0


def test_recognition_within_or_after_the_year(tree, base_secretary, people):
    same_year = create(
        base_secretary,
        tree.own,
        [people["lan"]],
        level=RecognitionLevel.PROVINCE,
        recognized_on=D(2019, 1, 1),
    )
    later = create(
        base_secretary,
        tree.own,
        [people["lan"]],
        level=RecognitionLevel.BASE,
        recognized_on=D(2021, 3, 2),
    )
    assert same_year.recognized_on.year == 2019 and later.level == RecognitionLevel.BASE


# --- services: attachments ---------------------------------------------------------------


def test_pdf_and_docx_are_stored_under_random_names(tree, base_secretary, people, media):
    initiative = create(
        base_secretary, tree.own, [people["lan"]], attachments=[upload("Báo cáo.pdf")]
    )
    docx = services.add_attachment(
        initiative, by=base_secretary, file=upload("Thuyết minh.pdf", docx_bytes())
    )

    pdf = initiative.attachments.get(file_type="pdf")
    assert pdf.file_name == "Báo cáo.pdf" and "Báo cáo" not in pdf.file.name
    assert docx.file_type == "docx" and docx.file.name.endswith(".docx")
    assert len(stored_files(media)) == 2


@pytest.mark.parametrize(
    "bad",
    [
        upload("gia.pdf", b"Day khong phai PDF"),
        upload("anh.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 100),
        upload("rong.pdf", b""),
    ],
    ids=["text", "png", "empty"],
)
def test_a_file_that_is_not_pdf_or_docx_is_refused(tree, base_secretary, people, media, bad):
    initiative = create(base_secretary, tree.own, [people["lan"]])
    with pytest.raises(ValidationError) as raised:
        services.add_attachment(initiative, by=base_secretary, file=bad)
    assert "file" in field_errors(raised)
    with pytest.raises(ValidationError):
        create(base_secretary, tree.own, [people["lan"]], attachments=[bad])
    assert InitiativeAttachment.objects.count() == 0
    assert Initiative.objects.count() == 1
    assert stored_files(media) == []


def test_a_file_over_20_mb_is_refused(tree, base_secretary, people, media):
    initiative = create(base_secretary, tree.own, [people["lan"]])
    big = SimpleUploadedFile("lon.pdf", pdf_bytes() + b"0" * (MAX_DOCUMENT_SIZE + 1))
    with pytest.raises(ValidationError) as raised:
        services.add_attachment(initiative, by=base_secretary, file=big)
    assert "20" in field_errors(raised)["file"][0]
    assert stored_files(media) == []


def test_no_file_is_left_when_the_save_fails_after_writing(
    tree, base_secretary, people, media, monkeypatch
):
    """The disk fills up while the second file is written: the first one is removed and
    nothing of the initiative is saved."""
    real_save = FileSystemStorage._save
    calls = []

    def failing_save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    with pytest.raises(OSError):
        create(
            base_secretary,
            tree.own,
            [people["lan"]],
            attachments=[upload("a.pdf"), upload("b.docx", docx_bytes())],
        )
    assert len(calls) == 2
    assert stored_files(media) == []
    assert Initiative.objects.count() == 0


def test_a_deleted_file_is_removed_once_committed(
    tree, base_secretary, people, media, django_capture_on_commit_callbacks
):
    initiative = create(base_secretary, tree.own, [people["lan"]], attachments=[upload()])
    attachment = initiative.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(attachment, by=base_secretary)
    assert stored_files(media) == []

    services.add_attachment(initiative, by=base_secretary, file=upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_initiative(initiative, by=base_secretary)
    assert stored_files(media) == []
    assert Initiative.objects.count() == 0 and InitiativeAuthor.objects.count() == 0


def test_one_put_forward_is_withdrawn_before_it_is_deleted(tree, base_secretary, people):
    initiative = create(base_secretary, tree.own, [people["lan"]])
    proposals.put_forward(initiative, by=base_secretary, note="Hiệu quả cao")
    with pytest.raises(ValidationError):
        services.delete_initiative(initiative, by=base_secretary)
    proposals.withdraw(initiative, by=base_secretary)
    services.delete_initiative(initiative, by=base_secretary)
    assert Initiative.objects.count() == 0


def test_writes_are_audited(tree, base_secretary, people):
    initiative = create(base_secretary, tree.own, [people["lan"]])
    services.update_initiative(
        initiative,
        by=base_secretary,
        organization=tree.own,
        kind=initiative.kind,
        title="Tên mới",
        year=2019,
        authors=[people["lan"]],
    )
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative), object_pk=str(initiative.pk)
    )
    assert entries.get(action=AuditEntry.Action.CREATE).organization_path == tree.own.path
    assert entries.get(action=AuditEntry.Action.UPDATE).changes["title"] == [
        "Số hóa hồ sơ đảng viên",
        "Tên mới",
    ]


# --- pages -------------------------------------------------------------------------------


def form_data(tree_org, authors, **fields) -> dict:
    data = {
        "form_token": "token-1",
        "title": "Phần mềm quản lý đảng viên",
        "kind": "initiative",
        "organization": tree_org.pk,
        "year": 2020,
        "field": "Công nghệ thông tin",
        "level": "base",
        "recognized_on": "15/12/2020",
        "effect": "Tiết kiệm thời gian",
        "benefit": "1.500.000",
        "authors": [person.pk for person in authors],
    }
    data.update(fields)
    return data


def test_the_form_records_once_with_money_typed_with_dots(client, tree, base_secretary, people):
    client.force_login(base_secretary)
    data = form_data(
        tree.own_cell,
        [people["lan"], people["duc"]],
        **{f"position_{people['lan'].pk}": "2", f"position_{people['duc'].pk}": "1"},
    )
    first = client.post(reverse("movements:initiative_create"), data)
    again = client.post(reverse("movements:initiative_create"), data)

    initiative = Initiative.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/initiatives/{initiative.pk}/"
    assert initiative.benefit == 1_500_000
    assert initiative.recognized_on == D(2020, 12, 15)
    assert services.initiative_authors(initiative) == [people["duc"], people["lan"]]

    page = client.get(first["Location"]).content.decode()
    assert "1.500.000" in page and "Trần Văn Đức" in page


def test_the_form_shows_the_errors_and_keeps_the_authors(client, tree, base_secretary, people):
    client.force_login(base_secretary)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("movements:initiative_create"),
        form_data(tree.own, [people["lan"]], benefit="-3", recognized_on=""),
    )
    page = response.content.decode()
    assert response.status_code == 200 and Initiative.objects.count() == 0
    assert f'name="authors" value="{people["lan"].pk}" form="initiative-form" checked' in page
    assert "cannot be negative" in page


def test_an_author_out_of_sight_or_none_is_refused_by_the_form(
    client, tree, base_secretary, people
):
    client.force_login(base_secretary)
    for authors in ([people["hai"]], []):
        response = client.post(reverse("movements:initiative_create"), form_data(tree.own, authors))
        assert response.status_code == 200
        assert 'id="authors_error"' in response.content.decode()
    assert Initiative.objects.count() == 0


def test_the_author_search_offers_visible_people_without_diacritics(
    client, tree, base_secretary, people
):
    client.force_login(base_secretary)
    found = client.get(reverse("movements:initiative_author_search"), {"find": "tran van duc"})
    hidden = client.get(reverse("movements:initiative_author_search"), {"find": "le minh hai"})
    page = client.get(reverse("movements:initiative_create"), {"find": "nguyen thi"})

    assert f'value="{people["duc"].pk}"' in found.content.decode()
    assert f'value="{people["hai"].pk}"' not in hidden.content.decode()
    assert f'value="{people["lan"].pk}" form="initiative-form"' in page.content.decode()


def test_pages_outside_the_grant_answer_404(client, tree, base_secretary, committee_staff, people):
    theirs = create(committee_staff, tree.other, [people["hai"]], attachments=[upload()])
    attachment = theirs.attachments.get()
    client.force_login(base_secretary)
    urls = [
        reverse("movements:initiative_detail", args=[theirs.pk]),
        reverse("movements:initiative_edit", args=[theirs.pk]),
        reverse("movements:initiative_attachment_add", args=[theirs.pk]),
        reverse("movements:initiative_attachment", args=[theirs.pk, attachment.pk]),
        reverse("movements:initiative_put_forward", args=[theirs.pk]),
        reverse("movements:initiative_list") + f"?org={tree.other.pk}",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("movements:initiative_delete", args=[theirs.pk]),
        reverse("movements:initiative_attachment_delete", args=[theirs.pk, attachment.pk]),
        reverse("movements:initiative_withdraw", args=[theirs.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    assert Initiative.objects.filter(pk=theirs.pk).exists()
    assert theirs.title not in client.get(reverse("movements:initiative_list")).content.decode()


def test_council_members_read_but_do_not_record(client, tree, council_member, people):
    initiative = make_initiative(tree.own, [people["lan"]])
    client.force_login(council_member)
    detail = client.get(reverse("movements:initiative_detail", args=[initiative.pk]))
    assert detail.status_code == 200
    assert reverse("movements:initiative_edit", args=[initiative.pk]) not in detail.content.decode()
    assert client.get(reverse("movements:initiative_create")).status_code == 404
    assert client.get(reverse("movements:initiative_edit", args=[initiative.pk])).status_code == 404


def test_edit_and_delete_through_the_pages(client, tree, base_secretary, people):
    initiative = make_initiative(tree.own, [people["lan"]], title="Cũ")
    client.force_login(base_secretary)
    edit = reverse("movements:initiative_edit", args=[initiative.pk])
    form = client.get(edit).content.decode()
    assert f'name="authors" value="{people["lan"].pk}"' in form

    data = form_data(tree.own, [people["lan"], people["duc"]], title="Mới", level="none")
    data["recognized_on"] = ""
    assert client.post(edit, data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Mới"
    assert services.initiative_authors(initiative) == [people["lan"], people["duc"]]

    response = client.post(reverse("movements:initiative_delete", args=[initiative.pk]))
    assert response.status_code == 302 and not Initiative.objects.exists()
    assert client.get(reverse("movements:initiative_delete", args=[1])).status_code == 405


def test_attachments_through_the_pages_and_the_download(client, tree, base_secretary, people):
    initiative = make_initiative(tree.own, [people["lan"]])
    client.force_login(base_secretary)
    add = reverse("movements:initiative_attachment_add", args=[initiative.pk])
    refused = client.post(add, {"file": upload("gia.pdf", b"khong phai"), "form_token": "x1"})
    assert refused.status_code == 200 and not InitiativeAttachment.objects.exists()

    response = client.post(add, {"file": upload("Báo cáo tổng kết.pdf"), "form_token": "x2"})
    assert response.status_code == 302
    attachment = InitiativeAttachment.objects.get()
    download = client.get(
        reverse("movements:initiative_attachment", args=[initiative.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert "B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    delete = reverse("movements:initiative_attachment_delete", args=[initiative.pk, attachment.pk])
    assert client.post(delete).status_code == 302
    assert not InitiativeAttachment.objects.exists()


def test_the_list_searches_and_filters(client, tree, committee_staff, people):
    make_initiative(tree.own, [people["lan"]], title="Số hóa hồ sơ", year=2019)
    make_initiative(
        tree.own_cell,
        [people["duc"]],
        title="Mô hình dân vận khéo",
        year=2020,
        kind=InitiativeKind.PROJECT,
        level=RecognitionLevel.PROVINCE,
        recognized_on=D(2020, 11, 1),
    )
    proposed = make_initiative(tree.other, [people["hai"]], title="Cáp quang nông thôn", year=2020)
    proposals.put_forward(proposed, by=committee_staff, note="Có hiệu quả")
    client.force_login(committee_staff)
    url = reverse("movements:initiative_list")

    def titles(**params) -> set[str]:
        page = client.get(url, params).content.decode()
        return {t for t in ("Số hóa hồ sơ", "Mô hình dân vận khéo", "Cáp quang") if t in page}

    assert titles() == {"Số hóa hồ sơ", "Mô hình dân vận khéo", "Cáp quang"}
    assert titles(q="SO HOA") == {"Số hóa hồ sơ"}
    assert titles(year=2020) == {"Mô hình dân vận khéo", "Cáp quang"}
    assert titles(org=tree.own.pk) == {"Số hóa hồ sơ", "Mô hình dân vận khéo"}
    assert titles(kind="project") == {"Mô hình dân vận khéo"}
    assert titles(level="province") == {"Mô hình dân vận khéo"}
    assert titles(put_forward="yes") == {"Cáp quang"}
    assert titles(put_forward="no") == {"Số hóa hồ sơ", "Mô hình dân vận khéo"}
    assert titles(year="abc", kind="zzz") == {"Số hóa hồ sơ", "Mô hình dân vận khéo", "Cáp quang"}
    assert 'class="tag put-forward"' in client.get(url, {"put_forward": "yes"}).content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", ["", "?q=sang+kien", "?year=2019&put_forward=no"])
def test_the_list_runs_the_same_queries_for_1_and_40_rows(client, tree, committee_staff, params):
    client.force_login(committee_staff)
    url = reverse("movements:initiative_list") + params
    author = PersonFactory(organization=tree.own)
    make_initiative(tree.own, [author], title="Sáng kiến 0")
    one = count_queries(client, url)
    for n in range(1, 40):
        authors = [author, PersonFactory(organization=tree.own_cell)]
        make_initiative(tree.own_cell if n % 2 else tree.own, authors, title=f"Sáng kiến {n}")
    assert count_queries(client, url) == one
    assert one <= 12


def test_the_export_reads_back(client, tree, committee_staff, council_member, people):
    make_initiative(
        tree.own,
        [people["duc"], people["lan"]],
        title="Số hóa hồ sơ",
        benefit=2_000_000,
        level=RecognitionLevel.BASE,
        recognized_on=D(2019, 12, 1),
    )
    make_initiative(tree.other, [people["hai"]], title="Cáp quang", year=2018)
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("movements:initiative_export"), {"year": 2019})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["Title"] == "Số hóa hồ sơ"
    assert values["Authors"] == "Trần Văn Đức, Nguyễn Thị Lan"
    assert values["Estimated benefit (đồng)"] == 2_000_000
    assert values["Recognized at"] == "Base level"

    client.force_login(council_member)  # no Perm.EXPORT
    assert client.get(reverse("movements:initiative_export")).status_code == 404


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u00a0000 đ", 1_500_000),
        ("2.000.000 đồng", 2_000_000),
        ("", 0),
    ],
)
def test_money_is_typed_as_printed(tree, base_secretary, people, typed, amount):
    form = InitiativeForm(
        form_data(tree.own, [people["lan"]], benefit=typed),
        organizations=Organization.objects.all(),
        people=Person.objects.all(),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["benefit"] == amount


@pytest.mark.parametrize("typed", ["1,5", "1.50.000", "-1.000", "mười nghìn", "12.5e3"])
def test_money_that_is_not_a_whole_amount_is_refused(tree, base_secretary, people, typed):
    form = InitiativeForm(
        form_data(tree.own, [people["lan"]], benefit=typed),
        organizations=Organization.objects.all(),
        people=Person.objects.all(),
    )
    assert not form.is_valid() and "benefit" in form.errors
