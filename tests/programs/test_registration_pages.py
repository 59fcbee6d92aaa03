"""Pages of unit models, commitments and coverage: who may open what (404 otherwise),
forms end to end, exports, malformed input, and query-count guards."""

import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.orgs.models import Role
from lantoa.programs.models import (
    Commitment,
    CommitmentDeadline,
    CommitmentStatus,
    UnitModel,
    UnitModelStatus,
)
from lantoa.programs.services import registration as services
from tests.factories import PersonFactory, UserFactory, grant, make_org

TODAY = timezone.localdate()
YEAR = TODAY.year


def member_in(org, username):
    user = UserFactory(username=username)
    grant(user, Role.MEMBER, org)
    return user, PersonFactory(organization=org, account=user)


@pytest.fixture
def member(tree):
    return member_in(tree.own_cell, "member_a")


@pytest.fixture
def other_member(tree):
    return member_in(tree.own_cell, "member_b")


def post_form(client, url, data):
    return client.post(url, {"form_token": uuid.uuid4().hex, **data})


# --- my commitment -----------------------------------------------------------------------


def test_member_registers_on_my_commitment_page(client, tree, member):
    user, person = member
    client.force_login(user)
    url = reverse("programs:my_commitment")
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="item_1"' in page.content
    heading = page.content.decode().split("<h1>")[1].split("</h1>")[0]
    assert str(YEAR) in heading
    response = post_form(client, url, {"item_1": "Gương mẫu", "item_2": "Đúng giờ"})
    assert response.status_code == 302
    commitment = Commitment.objects.get(person=person, year=YEAR)
    assert [i.text for i in commitment.items.all()] == ["Gương mẫu", "Đúng giờ"]
    page = client.get(url)
    assert "Gương mẫu" in page.content.decode()


def test_after_the_deadline_the_page_is_read_only_and_posts_are_refused(client, tree, member):
    user, _person = member
    client.force_login(user)
    url = reverse("programs:my_commitment")
    post_form(client, url, {"item_1": "Gương mẫu"})
    CommitmentDeadline.objects.create(
        organization=tree.own, year=YEAR, deadline=TODAY - datetime.timedelta(days=1)
    )
    page = client.get(url)
    assert b'id="commitment-locked"' in page.content
    assert b'name="item_1"' not in page.content
    response = post_form(client, url, {"item_1": "Khác"})
    assert response.status_code == 302
    assert [i.text for i in Commitment.objects.get().items.all()] == ["Gương mẫu"]


def test_self_assessment_page(client, tree, member):
    user, _person = member
    client.force_login(user)
    services.save_own_commitment(by=user, year=YEAR, items=["Gương mẫu"])
    url = reverse("programs:my_self_assessment")
    assert client.get(url).status_code == 200
    response = post_form(client, url, {"result": "good", "text": "Đã làm"})
    assert response.status_code == 302
    assert Commitment.objects.get().status == CommitmentStatus.SELF_ASSESSED


def test_a_user_without_a_person_record_gets_a_notice(client, tree, base_secretary):
    client.force_login(base_secretary)
    page = client.get(reverse("programs:my_commitment"))
    assert page.status_code == 200
    assert b'id="not-linked"' in page.content


# --- permissions -------------------------------------------------------------------------


def test_a_member_cannot_see_another_members_commitment(client, tree, member, other_member):
    mine = services.save_own_commitment(by=member[0], year=YEAR, items=["Của tôi"])
    theirs = services.save_own_commitment(by=other_member[0], year=YEAR, items=["Của bạn"])
    client.force_login(member[0])
    assert client.get(reverse("programs:commitment_detail", args=[mine.pk])).status_code == 200
    for name in ("commitment_detail", "commitment_assess"):
        assert client.get(reverse(f"programs:{name}", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("programs:commitment_assess", args=[mine.pk])).status_code == 404
    assert client.get(reverse("programs:commitment_org", args=[tree.own_cell.pk])).status_code == (
        404
    )


def test_organization_staff_only_in_their_subtree(client, tree, base_secretary):
    own = services.save_own_commitment(
        by=member_in(tree.own_cell, "m1")[0], year=YEAR, items=["Một"]
    )
    other = services.save_own_commitment(
        by=member_in(tree.other_cell, "m2")[0], year=YEAR, items=["Hai"]
    )
    own_model = UnitModel.objects.create(organization=tree.own, year_from=YEAR, title="Của mình")
    other_model = UnitModel.objects.create(organization=tree.other, year_from=YEAR, title="Khác")
    client.force_login(base_secretary)
    allowed = [
        reverse("programs:commitment_detail", args=[own.pk]),
        reverse("programs:commitment_assess", args=[own.pk]),
        reverse("programs:commitment_org", args=[tree.own.pk]),
        reverse("programs:commitment_deadline", args=[tree.own_cell.pk]),
        reverse("programs:coverage", args=[tree.own.pk]),
        reverse("programs:unit_model_detail", args=[own_model.pk]),
        reverse("programs:unit_model_edit", args=[own_model.pk]),
    ]
    refused = [
        reverse("programs:commitment_detail", args=[other.pk]),
        reverse("programs:commitment_assess", args=[other.pk]),
        reverse("programs:commitment_org", args=[tree.other.pk]),
        reverse("programs:commitment_org_export", args=[tree.other.pk]),
        reverse("programs:commitment_deadline", args=[tree.other_cell.pk]),
        reverse("programs:coverage", args=[tree.root.pk]),
        reverse("programs:coverage_export", args=[tree.other.pk]),
        reverse("programs:unit_model_detail", args=[other_model.pk]),
        reverse("programs:unit_model_edit", args=[other_model.pk]),
        reverse("programs:unit_model_evaluate", args=[other_model.pk]),
        reverse("programs:unit_model_create") + f"?org={tree.other.pk}",
    ]
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in refused:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("programs:unit_model_start", args=[other_model.pk])).status_code == (
        404
    )
    listing = client.get(reverse("programs:unit_model_list")).content.decode()
    assert "Của mình" in listing and "Khác" not in listing


def test_anonymous_users_are_sent_to_log_in(client, tree):
    for url in (reverse("programs:my_commitment"), reverse("programs:unit_model_list")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- unit model pages --------------------------------------------------------------------


def test_unit_model_pages_end_to_end(client, tree, committee_staff):
    client.force_login(committee_staff)
    responsible = PersonFactory(organization=tree.own_cell)
    url = reverse("programs:unit_model_create") + f"?org={tree.own.pk}"
    assert client.get(url).status_code == 200
    response = post_form(
        client,
        url,
        {
            "year_from": "2019",
            "title": "Rèn luyện đạo đức, lối sống",
            "content": "Nội dung",
            "responsible": str(responsible.pk),
        },
    )
    assert response.status_code == 302
    model = UnitModel.objects.get()
    assert (model.organization, model.responsible) == (tree.own, responsible)

    start = client.post(reverse("programs:unit_model_start", args=[model.pk]))
    assert start.status_code == 302
    again = client.post(reverse("programs:unit_model_start", args=[model.pk]), follow=True)
    assert again.status_code == 200  # refused with a message, not an error
    evaluate = reverse("programs:unit_model_evaluate", args=[model.pk])
    assert post_form(client, evaluate, {"result": "excellent", "comments": "Tốt"}).status_code == (
        302
    )
    model.refresh_from_db()
    assert (model.status, model.result) == (UnitModelStatus.EVALUATED, "excellent")
    detail = client.get(reverse("programs:unit_model_detail", args=[model.pk]))
    assert b'data-status="evaluated"' in detail.content

    listing = client.get(reverse("programs:unit_model_list") + "?q=ren+luyen&year=2020")
    assert "Rèn luyện đạo đức" in listing.content.decode()


def test_unit_model_create_without_org_offers_the_organizations(client, tree, committee_staff):
    client.force_login(committee_staff)
    url = reverse("programs:unit_model_create")
    assert b'name="organization"' in client.get(url).content
    response = post_form(
        client,
        url,
        {
            "organization": str(tree.other.pk),
            "year_from": "2024",
            "title": "Trung thực, trách nhiệm",
        },
    )
    assert response.status_code == 302
    assert UnitModel.objects.get().organization == tree.other


def test_exports(client, tree, committee_staff):
    UnitModel.objects.create(organization=tree.own, year_from=2019, title="Mô hình một")
    services.save_own_commitment(by=member_in(tree.own_cell, "m1")[0], year=YEAR, items=["x"])
    client.force_login(committee_staff)
    for url, expected in [
        (reverse("programs:unit_model_export"), "Mô hình một"),
        (reverse("programs:coverage_export", args=[tree.root.pk]) + f"?year={YEAR}", "BDV"),
        (reverse("programs:commitment_org_export", args=[tree.own.pk]) + f"?year={YEAR}", None),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        if expected == "BDV":
            assert "Đảng bộ Ban Dân vận Tỉnh ủy" in values
        elif expected:
            assert expected in values
        else:
            assert len(list(sheet.iter_rows())) == 2


def test_coverage_page_shows_the_figures(client, tree, committee_staff):
    PersonFactory.create_batch(2, organization=tree.own_cell)
    services.save_own_commitment(by=member_in(tree.own_cell, "m1")[0], year=YEAR, items=["x"])
    client.force_login(committee_staff)
    page = client.get(reverse("programs:coverage", args=[tree.root.pk]))
    html = page.content.decode()
    assert 'class="num committed" data-value="1"' in html
    assert 'class="num members" data-value="3"' in html
    # years are never written with a thousands separator (Vietnamese: 2.026)
    assert f'value="{YEAR}"' in html and f"{YEAR:,}".replace(",", ".") not in html
    assert str(YEAR) in html.split("<h1>")[1].split("</h1>")[0]
    home = client.get(reverse("programs:coverage_home"))
    assert home.status_code == 302 and f"/coverage/{tree.root.pk}/" in home["Location"]


def test_cell_page_lists_who_has_not_registered(client, tree, committee_staff):
    services.save_own_commitment(by=member_in(tree.own_cell, "m1")[0], year=YEAR, items=["x"])
    PersonFactory(organization=tree.own_cell, family_name="Chưa", given_name="Đăng")
    client.force_login(committee_staff)
    url = reverse("programs:commitment_org", args=[tree.own_cell.pk])
    page = client.get(url + f"?year={YEAR}&status=none").content.decode()
    assert "Chưa" in page and 'id="not-registered-count" data-value="1"' in page
    assert page.count('data-status="none"') == 1


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "%00", "' OR 1=1"])
def test_malformed_query_parameters_never_fail(client, tree, committee_staff, value):
    client.force_login(committee_staff)
    urls = [
        reverse("programs:unit_model_list") + f"?q={value}&year={value}&status={value}&org={value}",
        reverse("programs:unit_model_export") + f"?year={value}&org={value}",
        reverse("programs:unit_model_create") + f"?org={value}",
        reverse("programs:my_commitment") + f"?year={value}",
        reverse("programs:commitment_org", args=[tree.own.pk]) + f"?year={value}&status={value}",
        reverse("programs:coverage", args=[tree.own.pk]) + f"?year={value}&page={value}",
        reverse("programs:coverage_home") + f"?year={value}",
    ]
    for url in urls:
        assert client.get(url).status_code in (200, 302, 404), url


def test_garbage_posted_to_forms_gives_messages_not_errors(client, tree, committee_staff):
    model = UnitModel.objects.create(organization=tree.own, year_from=2019, title="Một")
    client.force_login(committee_staff)
    garbage = {
        "form_token": "x" * 200,
        "year_from": "năm ngoái",
        "year_to": "-3",
        "title": "",
        "organization": "null",
        "responsible": "abc",
        "result": "best",
        "deadline": "32/13/2020",
        "item_1": "x" * 5000,
    }
    for url in [
        reverse("programs:unit_model_create"),
        reverse("programs:unit_model_edit", args=[model.pk]),
        reverse("programs:unit_model_evaluate", args=[model.pk]),
        reverse("programs:commitment_deadline", args=[tree.own_cell.pk]),
    ]:
        assert client.post(url, garbage).status_code == 200, url
    assert UnitModel.objects.count() == 1 and CommitmentDeadline.objects.count() == 0


# --- query counts ------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_people(tree, count, with_commitments=True):
    for person in PersonFactory.create_batch(count, organization=tree.own_cell):
        if with_commitments:
            Commitment.objects.create(
                person=person, year=YEAR, organization=tree.own_cell, submitted_at=timezone.now()
            )


def add_models(tree, count):
    responsible = PersonFactory(organization=tree.own_cell)
    for i in range(count):
        UnitModel.objects.create(
            organization=tree.own, year_from=YEAR, title=f"Mô hình {i}", responsible=responsible
        )


def add_orgs(tree, count):
    start = tree.own.numchild
    for i in range(count):
        org = make_org(tree.own, code=f"CB-{start + i}", name=f"Chi bộ {start + i}")
        PersonFactory(organization=org)
        tree.own.refresh_from_db()


PAGES = {
    "models": (lambda t: reverse("programs:unit_model_list"), add_models),
    "models_search": (lambda t: reverse("programs:unit_model_list") + "?q=mo+hinh", add_models),
    "cell": (lambda t: reverse("programs:commitment_org", args=[t.own_cell.pk]), add_people),
    "cell_none": (
        lambda t: reverse("programs:commitment_org", args=[t.own_cell.pk]) + "?status=none",
        lambda t, n: add_people(t, n, with_commitments=False),
    ),
    "coverage": (lambda t: reverse("programs:coverage", args=[t.own.pk]), add_orgs),
}


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_run_the_same_queries_for_1_and_50_rows(client, tree, committee_staff, name):
    url_of, add = PAGES[name]
    client.force_login(committee_staff)
    add(tree, 1)
    one = queries_for(client, url_of(tree))
    add(tree, 49)
    fifty = queries_for(client, url_of(tree))
    assert one == fifty
