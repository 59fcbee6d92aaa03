"""The sitemap and the RSS feed: well-formed XML, absolute addresses on the site's public
address, published stories only, and no email of anyone."""

import datetime
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from lantoa.orgs.models import Organization
from lantoa.public.models import StoryStatus
from tests.awards.test_certificates import make_award, make_decision
from tests.factories import PersonFactory, UserFactory
from tests.public.test_site_pages import (
    SITE,
    make_story,
    public_settings,  # noqa: F401 - autouse
)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(client, url: str) -> tuple[ET.Element, str]:
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    return ET.fromstring(response.content), text  # noqa: S314 - our own output


def stories(tree):
    writer = UserFactory(username="bientap", email="bientap@example.vn")
    shown = make_story(tree.root, title="Bài đã đăng", slug="da-dang", created_by=writer)
    make_story(tree.root, title="Bài nháp", slug="nhap", status=StoryStatus.DRAFT)
    make_story(
        tree.root,
        title="Bài đã gỡ",
        slug="da-go",
        status=StoryStatus.WITHDRAWN,
        published_at=timezone.now() - datetime.timedelta(days=5),
    )
    make_story(
        tree.root,
        title="Bài hẹn giờ",
        slug="hen-gio",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    return shown


def test_the_sitemap_lists_published_stories_and_organizations_with_something(client, tree):
    stories(tree)
    make_story(tree.root, slug="ve-vnpt", subject_organization=tree.other)
    make_award(make_decision(tree.root), person=PersonFactory(organization=tree.own_cell))
    make_award(make_decision(tree.root), collective=tree.own)
    make_award(make_decision(tree.root), collective=tree.other_cell)
    Organization.objects.filter(pk=tree.other_cell.pk).update(archived=True)

    root, _ = parse(client, reverse("public:sitemap"))
    assert root.tag == f"{SITEMAP}urlset"
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")}
    assert f"{SITE}/" in locations and f"{SITE}/bang-vang/" in locations
    assert f"{SITE}/bai-viet/da-dang/" in locations and f"{SITE}/bai-viet/ve-vnpt/" in locations
    for hidden in ("nhap", "da-go", "hen-gio"):
        assert f"{SITE}/bai-viet/{hidden}/" not in locations
    organizations = {loc for loc in locations if "/don-vi/" in loc}
    assert organizations == {
        f"{SITE}/don-vi/BDV-CB1/",  # its member was commended
        f"{SITE}/don-vi/BDV/",  # commended as a collective
        f"{SITE}/don-vi/VNPT/",  # a story is about it
    }
    assert all(loc.startswith(f"{SITE}/") for loc in locations)


def test_the_rss_feed_has_the_latest_published_stories_and_no_email(client, tree):
    shown = stories(tree)
    root, text = parse(client, reverse("public:rss"))
    assert root.tag == "rss"
    channel = root.find("channel")
    assert channel.findtext("link") == f"{SITE}/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Bài đã đăng"]
    item = items[0]
    assert item.findtext("link") == f"{SITE}/bai-viet/da-dang/"
    assert item.findtext("guid") == f"{SITE}/bai-viet/da-dang/"
    assert item.findtext("description") == shown.summary
    assert item.find("pubDate") is not None
    assert item.find("author") is None and channel.find("managingEditor") is None
    assert "@" not in text
    atom = channel.find("{http://www.w3.org/2005/Atom}link")
    assert atom.get("href") == f"{SITE}/rss.xml"


def test_the_rss_feed_keeps_to_the_latest_20(client, tree):
    for n in range(23):
        make_story(tree.root, title=f"Bài số {n}", slug=f"bai-{n}")
    root, _ = parse(client, reverse("public:rss"))
    titles = [item.findtext("title") for item in root.find("channel").findall("item")]
    assert len(titles) == 20
    assert titles[0] == "Bài số 0"  # the newest (make_story dates each one a day earlier)


def test_a_story_without_summary_is_described_by_its_text(client, tree):
    make_story(tree.root, slug="khong-tom-tat", summary="", body="**Lan tỏa** <b>việc tốt</b>.")
    root, _ = parse(client, reverse("public:rss"))
    description = root.find("channel").find("item").findtext("description")
    assert description == "Lan tỏa việc tốt."


def test_the_home_page_announces_the_feed(client, db):
    html = client.get(reverse("public:home")).content.decode()
    assert 'type="application/rss+xml" title="' in html
    assert f'href="{reverse("public:rss")}"' in html
