"""The public pages, read by an anonymous visitor: the home page with its figures, a story,
an organization, the search; what is not published stays out of sight, and no private data
of a person ever appears."""

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lantoa.awards.models import Award, Ceremony, Decision, DecisionKind, DecisionStatus
from lantoa.orgs.models import Organization, PersonPrivate
from lantoa.programs.models import Term, UnitModel
from lantoa.public.models import Story, StoryPhoto, StoryStatus
from tests.awards.test_certificates import make_award, make_decision
from tests.factories import PersonFactory, UserFactory, make_org
from tests.movements.factories import make_activity, make_deed

SITE = "https://lantoa.example.vn"
HUONG = "Nguyễn Thị Hường"
# what must never appear on a public page: her birth date, phone, citizen id and emails
PRIVATE = (
    "08/03/1980",
    "8/3/1980",
    "1980-03-08",
    "0913123456",
    "096180001234",
    "huong.rieng@example.vn",
    "huong.taikhoan@example.vn",
)


# --- helpers (the other test modules of the public site use them too) ---------------------


@pytest.fixture(autouse=True)
def public_settings(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def catalog(db) -> None:
    """The seeded activity types (absent with --nomigrations)."""
    import importlib

    from django.apps import apps

    importlib.import_module("lantoa.movements.migrations.0002_catalog").seed(apps, None)


def make_story(
    org: Organization,
    title: str = "Tấm gương sáng về tinh thần trách nhiệm",
    slug: str | None = None,
    status: str = StoryStatus.PUBLISHED,
    published_at: datetime.datetime | None = None,
    **fields,
) -> Story:
    n = Story.objects.count() + 1
    if published_at is None and status == StoryStatus.PUBLISHED:
        published_at = timezone.now() - datetime.timedelta(days=n)
    defaults = {
        "summary": "Một tập thể tiêu biểu trong học tập và làm theo Bác.",
        "body": "Đảng bộ đã **lan tỏa** những việc làm tốt.\n\nMỗi đảng viên một việc làm cụ thể.",
    }
    defaults.update(fields)
    return Story.objects.create(
        organization=org,
        title=title,
        slug=slug or f"bai-viet-{n}",
        status=status,
        published_at=published_at,
        **defaults,
    )


def _jpeg(color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(story: Story, caption: str = "", position: int = 0) -> StoryPhoto:
    photo = StoryPhoto(
        story=story, format="jpeg", width=60, height=40, caption=caption, position=position
    )
    photo.image.save("anh.jpg", ContentFile(_jpeg()), save=False)
    photo.thumbnail.save("anh-nho.jpg", ContentFile(_jpeg((30, 30, 200))), save=False)
    photo.save()
    return photo


def huong_with_private_data(org: Organization):
    """Nguyễn Thị Hường, born 08/03/1980, with a phone, a citizen id and two emails."""
    account = UserFactory(username="huong", email="huong.taikhoan@example.vn")
    person = PersonFactory(
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Hường",
        organization=org,
        birth_date=datetime.date(1980, 3, 8),
        account=account,
        position="Chánh Văn phòng",
    )
    PersonPrivate.objects.create(
        person=person,
        citizen_id="096180001234",
        phone="0913123456",
        email="huong.rieng@example.vn",
    )
    return person


def revoke(award: Award) -> Decision:
    """An issued revocation of the award's decision that revokes it."""
    revocation = make_decision(
        award.decision.organization,
        kind=DecisionKind.REVOCATION,
        refers_to=award.decision,
        symbol="20-QĐ/ĐU",
        subject="Về việc thu hồi",
        date=datetime.date(2021, 2, 1),
    )
    award.revoked_by = revocation
    award.save(update_fields=["revoked_by"])
    return revocation


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else None


# --- the home page ------------------------------------------------------------------------


@pytest.fixture
def term(db) -> Term:
    return Term.objects.create(
        name="Nhiệm kỳ 2015–2020",
        code="IX",
        start_date=datetime.date(2015, 7, 1),
        end_date=datetime.date(2020, 7, 15),
    )


def test_the_home_page_shows_the_latest_stories_and_the_figures(client, tree, term, catalog):
    decision = make_decision(tree.root, date=datetime.date(2019, 5, 15))
    make_award(decision, collective=tree.own)
    make_award(decision, collective=tree.other)
    make_award(decision, person=PersonFactory(organization=tree.own_cell))
    later = make_decision(tree.root, symbol="3-QĐ/ĐU", date=datetime.date(2021, 1, 10))
    make_award(later, collective=tree.own_cell)  # a later term: not in these figures
    draft = make_decision(tree.root, status=DecisionStatus.DRAFT, symbol="", date=None)
    make_award(draft, collective=tree.other_cell)  # not issued: not counted
    Ceremony.objects.create(
        organization=tree.root,
        title="Tuyên dương",
        date=datetime.date(2019, 6, 1),
        place="CM",
        held=True,
    )
    make_activity(tree.own, "hien-mau", quantity=1234, date=datetime.date(2019, 6, 14))
    make_activity(tree.other, "hien-mau", quantity=1000, date=datetime.date(2018, 6, 14))
    shown = make_story(tree.root, title="Điện lực Cà Mau thắp sáng đường quê", slug="dien-luc")
    add_photo(shown)
    make_story(tree.root, title="Bản nháp chưa đăng", slug="nhap", status=StoryStatus.DRAFT)
    make_story(tree.root, title="Bài đã gỡ", slug="go", status=StoryStatus.WITHDRAWN)

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Điện lực Cà Mau thắp sáng đường quê" in html
    assert reverse("public:story", args=["dien-luc"]) in html
    assert "Bản nháp chưa đăng" not in html and "Bài đã gỡ" not in html
    assert "Nhiệm kỳ 2015–2020" in html
    figures = {
        name: re.search(rf'id="figure-{name}"><strong>([\d.]+)</strong>', html).group(1)
        for name in ("collectives", "people", "ceremonies", "stories")
    }
    assert figures == {"collectives": "2", "people": "1", "ceremonies": "1", "stories": "1"}
    assert re.search(r'data-type="hien-mau"><strong>2\.234</strong> <span>đơn vị máu', html)
    assert reverse("public:honor_roll") in html and reverse("public:search") in html


def test_the_figures_show_the_last_term_until_the_new_one_commends(client, tree, term):
    Term.objects.create(name="Nhiệm kỳ 2020–2025", code="X", start_date=datetime.date(2020, 7, 16))
    make_award(make_decision(tree.root, date=datetime.date(2020, 6, 3)), collective=tree.own)
    html = page(client, reverse("public:home"))
    assert "Nhiệm kỳ 2015–2020" in html and "Nhiệm kỳ 2020–2025" not in html
    assert 'id="figure-collectives"><strong>1</strong>' in html


def test_the_home_page_is_the_site_root_and_staff_work_under_work(
    client, tree, committee_staff, password
):
    assert reverse("public:home") == "/"
    assert reverse("home") == "/work/"
    assert client.get("/").status_code == 200
    assert client.get(reverse("home")).status_code == 302  # the staff's home wants a login
    response = client.post(
        reverse("login"), {"username": committee_staff.username, "password": password}
    )
    assert response["Location"] == "/work/"
    staff_home = page(client, reverse("home"))
    assert f'href="{reverse("public:home")}"' in staff_home


def test_the_home_page_runs_the_same_queries_for_1_and_12_stories(client, tree, term, catalog):
    make_award(make_decision(tree.root, date=datetime.date(2019, 5, 15)), collective=tree.own)
    add_photo(make_story(tree.root))
    few = count_queries(client, reverse("public:home"))
    for _ in range(11):
        add_photo(make_story(tree.root))
        make_award(make_decision(tree.root, date=datetime.date(2019, 5, 15)), collective=tree.own)
    assert count_queries(client, reverse("public:home")) == few
    assert few <= 12


# --- a story ------------------------------------------------------------------------------


@pytest.fixture
def story(tree) -> Story:
    person = huong_with_private_data(tree.own)
    award = make_award(make_decision(tree.root), person=person)
    model = UnitModel.objects.create(
        organization=tree.own,
        year_from=2017,
        title="Dân vận khéo: gần dân, hiểu dân",
        responsible=person,
    )
    deed = make_deed(tree.own, person=person, title="Giúp đỡ hộ nghèo xây nhà")
    return make_story(
        tree.root,
        title="Chị Hường và những việc làm không tên",
        slug="chi-huong",
        summary="Tấm gương cán bộ dân vận tận tụy.",
        body="## Gần dân\n\nChị luôn **lắng nghe** ý kiến của Nhân dân.\n\n"
        "<script>alert(1)</script>",
        award=award,
        unit_model=model,
        good_deed=deed,
        subject_organization=tree.own,
    )


def test_a_story_shows_its_text_photos_and_what_it_rests_on(client, tree, story):
    first = add_photo(story, caption="Chị Hường thăm hộ nghèo")
    second = add_photo(story, caption="Ngày hội đại đoàn kết", position=1)
    other = make_story(
        tree.root, title="Một tấm gương khác của Ban Dân vận", subject_organization=tree.own
    )

    html = page(client, reverse("public:story", args=["chi-huong"]))
    assert "<h1>Chị Hường và những việc làm không tên</h1>" in html
    assert "Tấm gương cán bộ dân vận tận tụy." in html
    assert "<h2>Gần dân</h2>" in html and "<strong>lắng nghe</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert reverse("public:story_photo", args=[first.pk, "full"]) in html
    assert reverse("public:story_photo", args=[second.pk, "thumb"]) in html
    assert 'alt="Chị Hường thăm hộ nghèo"' in html
    basis = html[html.index('id="basis"') :]
    assert "Giấy khen" in basis and HUONG in basis
    assert "15-QĐ/ĐU" in basis and "20/12/2020" in basis
    assert "Dân vận khéo: gần dân, hiểu dân" in basis and "Đảng bộ Ban Dân vận Tỉnh ủy" in basis
    assert "Giúp đỡ hộ nghèo xây nhà" in basis
    related = html[html.index('id="related"') :]
    assert other.title in related

    assert meta(html, "og:title") == story.title
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == f"{SITE}/bai-viet/chi-huong/"
    assert meta(html, "og:image") == f"{SITE}/bai-viet/anh/{first.pk}/full/"
    assert meta(html, "og:description") == "Tấm gương cán bộ dân vận tận tụy."
    assert meta(html, "twitter:card") == "summary_large_image"
    assert f'<link rel="canonical" href="{SITE}/bai-viet/chi-huong/">' in html


def test_a_revoked_award_is_not_shown_on_the_story(client, story):
    revoke(story.award)
    html = page(client, reverse("public:story", args=["chi-huong"]))
    assert "15-QĐ/ĐU" not in html
    assert "Dân vận khéo" in html  # the rest still stands


@pytest.mark.parametrize("status", [StoryStatus.DRAFT, StoryStatus.WITHDRAWN])
def test_drafts_and_withdrawn_stories_and_their_photos_are_not_found(client, tree, status):
    hidden = make_story(
        tree.root,
        slug="an",
        status=status,
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    photo = add_photo(hidden)
    assert client.get(reverse("public:story", args=["an"])).status_code == 404
    assert client.get(reverse("public:story", args=["an"]) + "?preview=1").status_code == 404
    for variant in ("full", "thumb"):
        assert (
            client.get(reverse("public:story_photo", args=[photo.pk, variant])).status_code == 404
        )
    assert client.get(reverse("public:story", args=["khong-co"])).status_code == 404


def test_a_story_published_for_later_waits(client, tree):
    make_story(tree.root, slug="sau", published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(reverse("public:story", args=["sau"])).status_code == 404


def test_staff_preview_a_draft_and_others_do_not(client, tree, committee_staff, base_secretary):
    draft = make_story(tree.root, title="Bản nháp", slug="ban-nhap", status=StoryStatus.DRAFT)
    photo = add_photo(draft)
    url = reverse("public:story", args=["ban-nhap"])
    client.force_login(committee_staff)
    assert client.get(url).status_code == 404
    response = client.get(url + "?preview=1")
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    html = response.content.decode()
    assert 'class="preview-notice"' in html and 'content="noindex' in html
    assert client.get(reverse("public:story_photo", args=[photo.pk, "full"])).status_code == 200
    client.force_login(base_secretary)  # no right to manage the committee's stories
    assert client.get(url + "?preview=1").status_code == 404
    assert client.get(reverse("public:story_photo", args=[photo.pk, "full"])).status_code == 404


def test_photos_of_a_published_story_are_served_safely(client, tree):
    photo = add_photo(make_story(tree.root))
    for variant in ("full", "thumb"):
        response = client.get(reverse("public:story_photo", args=[photo.pk, variant]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert client.get(reverse("public:story_photo", args=[photo.pk, "raw"])).status_code == 404


def test_a_story_without_photos_has_no_image_tag(client, tree):
    make_story(tree.root, slug="khong-anh", summary="")
    html = page(client, reverse("public:story", args=["khong-anh"]))
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "og:description").startswith("Đảng bộ đã lan tỏa")


# --- organizations ------------------------------------------------------------------------


def test_an_organization_page(client, tree):
    decision = make_decision(tree.root)
    make_award(decision, collective=tree.own)
    make_award(
        decision,
        person=PersonFactory(
            family_name="Lê", middle_name="Văn", given_name="Tám", organization=tree.own_cell
        ),
    )
    make_award(decision, collective=tree.other)  # another subtree
    UnitModel.objects.create(
        organization=tree.own, year_from=2017, year_to=2020, title="Dân vận khéo"
    )
    make_story(tree.root, title="Ban Dân vận gần dân", subject_organization=tree.own)
    make_story(tree.root, title="Chuyện ở Viễn thông", subject_organization=tree.other)

    html = page(client, reverse("public:organization", args=["BDV"]))
    assert "<h1>Đảng bộ Ban Dân vận Tỉnh ủy</h1>" in html
    assert reverse("public:organization", args=["DCD"]) in html  # its parent
    assert reverse("public:organization", args=["BDV-CB1"]) in html  # its cell
    awards = html[html.index('id="awards"') :]
    assert "Lê Văn Tám" in awards and "Chi bộ 1" in awards
    assert "Đảng bộ Viễn thông Cà Mau" not in awards
    assert 'data-count="collectives">1<' in html and 'data-count="people">1<' in html
    assert "Dân vận khéo" in html and "2017–2020" in html
    assert "Ban Dân vận gần dân" in html and "Chuyện ở Viễn thông" not in html
    assert meta(html, "og:url") == f"{SITE}/don-vi/BDV/"


def test_archived_or_unknown_organizations_are_not_found(client, tree):
    Organization.objects.filter(pk=tree.other_cell.pk).update(archived=True)
    assert client.get(reverse("public:organization", args=["VNPT-CB2"])).status_code == 404
    assert client.get(reverse("public:organization", args=["KHONGCO"])).status_code == 404
    assert client.get(reverse("public:organization", args=["bdv"])).status_code == 200


# --- search -------------------------------------------------------------------------------


def test_search_without_diacritics(client, tree):
    person = huong_with_private_data(tree.own)
    make_award(make_decision(tree.root), person=person)
    PersonFactory(
        family_name="Nguyễn", middle_name="Thị", given_name="Hương", organization=tree.own
    )  # no award
    make_award(make_decision(tree.root), collective=tree.other)
    make_story(
        tree.root,
        title="Người thợ điện trên đường dây",
        slug="tho-dien",
        body="Sửa điện trong đêm mưa bão.",
    )
    make_story(
        tree.root, title="Bão về, bản nháp", slug="nhap-bao", status=StoryStatus.DRAFT, body="Bão"
    )

    html = page(client, reverse("public:search") + "?q=nguyen+thi+huong")
    honorees = html[html.index('id="results-honorees"') :]
    assert HUONG in honorees and "Đảng bộ Ban Dân vận Tỉnh ủy" in honorees
    assert "Nguyễn Thị Hương" not in html  # never commended: not an honoree

    html = page(client, reverse("public:search") + "?q=bao")
    stories = html[html.index('id="results-stories"') : html.index('id="results-honorees"')]
    assert "Người thợ điện trên đường dây" in stories and "Bão về, bản nháp" not in stories

    html = page(client, reverse("public:search") + "?q=VIEN+THONG")
    assert "Đảng bộ Viễn thông Cà Mau" in html[html.index('id="results-organizations"') :]
    assert 'data-kind="collective"' in html  # commended as a collective too


def test_search_groups_are_bounded_and_counted(client, tree):
    for n in range(23):
        make_org(tree.root, code=f"TK{n}", name=f"Chi bộ Tìm Kiếm {n}")
    html = page(client, reverse("public:search") + "?q=tim+kiem")
    organizations = html[html.index('id="results-organizations"') :]
    assert "(23)" in organizations
    assert organizations.count("/don-vi/TK") == 20


def test_an_empty_search_shows_the_form(client, db):
    html = page(client, reverse("public:search") + "?q=+++")
    assert 'name="q"' in html and 'id="results-stories"' not in html


def test_search_runs_the_same_queries_for_few_and_many_rows(client, tree):
    def add(n):
        for _ in range(n):
            count = Organization.objects.count()
            org = make_org(tree.root, code=f"ND{count}", name=f"Chi bộ Nguyễn Du {count}")
            person = PersonFactory(
                family_name="Nguyễn", middle_name="Văn", given_name="Du", organization=org
            )
            decision = make_decision(tree.root)
            make_award(decision, person=person)
            make_award(decision, collective=org)
            add_photo(make_story(tree.root, title=f"Nguyễn Du {count}"))

    add(1)
    url = reverse("public:search") + "?q=nguyen+du"
    few = count_queries(client, url)
    add(24)
    assert count_queries(client, url) <= few + 4  # one count per group once it overflows
    assert few <= 8


# --- private data -------------------------------------------------------------------------


def test_no_private_data_on_any_public_page(client, tree, story, term):
    add_photo(story)
    html_pages = [
        reverse("public:home"),
        reverse("public:honor_roll"),
        reverse("public:honor_roll") + "?q=huong",
        reverse("public:honor_roll") + "?org=BDV&year=2020",
        reverse("public:honor_roll") + f"?term={term.pk}",
        reverse("public:story", args=["chi-huong"]),
        reverse("public:organization", args=["BDV"]),
        reverse("public:organization", args=["DCD"]),
        reverse("public:search") + "?q=huong",
        reverse("public:search") + "?q=nguyen+thi+huong",
        reverse("public:sitemap"),
        reverse("public:rss"),
    ]
    for url in html_pages:
        html = page(client, url)
        if url.endswith(".xml"):
            ET.fromstring(html.encode())  # noqa: S314 - our own output
        elif "term" not in url and url != "/":
            assert HUONG in html, url
        for private in PRIVATE:
            assert private not in html, (url, private)
        assert f"/people/{story.award.person_id}/" not in html
        assert "Chánh Văn phòng" not in html, url  # her position is not asked either


def test_a_story_runs_the_same_queries_for_1_and_8_photos_and_related(client, tree, story):
    add_photo(story)
    make_story(tree.root, subject_organization=tree.own)
    url = reverse("public:story", args=["chi-huong"])
    few = count_queries(client, url)
    for n in range(7):
        add_photo(story, position=n + 1)
        add_photo(make_story(tree.root, subject_organization=tree.own))
    assert count_queries(client, url) == few
    html = page(client, url)
    assert re.search(r'<meta property="article:published_time" content="\d{4}-\d\d-\d\dT', html)
