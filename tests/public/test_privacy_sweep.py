"""The private-data sweep: every public URL of the Cà Mau demo, requested by an anonymous
reader, shows no private data of anyone.

The whole `manage.py load_demo` (orgs, programs, movements, awards, public) is loaded once
for the module, inside a transaction rolled back at the end. The sweep then requests the
home page, the honor roll (every year and term its filters offer, a few organizations, and
the pages they link to), the sitemap and every URL in it (every published story), the RSS
feed, the search for a few queries, the nominees of the round that published them (its
window replayed today), the draft and the withdrawn story (404), and every public page
linked from any of these (same host, public pages only: never /work/, /admin/, /accounts/
nor a staff page), up to a bound.

No response may contain any of these, anywhere in its body (also once URL-decoded and
HTML-unescaped): a person's birth date (dd/mm/yyyy or yyyy-mm-dd), a phone, citizen ID or
email of PersonPrivate, a user's email, a reader's comment email, or a comment's address
hash. The demo's birth dates (1960–2000) never coincide with a date the public pages show
(decisions, ceremonies, stories and comments of 2017 on), so no allow-list is needed; the
test checks that none of the shown years is a birth year before relying on it.
"""

import datetime
import html
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from lantoa.awards.models import Award, Nomination, NominationStatus, Round
from lantoa.core.text import search_key
from lantoa.orgs.models import Person, PersonPrivate
from lantoa.public.models import Comment, Story, StoryPhoto, StoryStatus

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE = "https://lantoa.example.vn"
HOSTS = {"", "testserver", urlsplit(SITE).netloc}
MAX_PAGES = 400  # the crawl's bound (the pages named explicitly come first)
MIN_PAGES = 100
ORGANIZATION_FILTERS = 5  # organizations of the honor roll's filter requested directly
# the public site's pages an anonymous reader may request with GET (namespace "public")
PUBLIC_VIEWS = {
    "home",
    "honor_roll",
    "story",
    "story_photo",
    "organization",
    "search",
    "sitemap",
    "rss",
    "nominees",
}
STAFF_PREFIXES = ("/work/", "/admin/", "/accounts/", "/i18n/")
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")
XML_LINK = re.compile(r"<(?:loc|link|guid)>([^<]+)</(?:loc|link|guid)>")
OPTIONS = r'<select id="{id}"[^>]*>(.*?)</select>'
OPTION_VALUE = re.compile(r'<option value="([^"]+)"')


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo, once for the module (rolled back at the end)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db, settings) -> None:
    settings.SITE_URL = SITE


# --- what must never appear -------------------------------------------------------------


def _overlapping(pattern: str) -> re.Pattern:
    """Every substring of that shape, at every position (overlapping)."""
    return re.compile(f"(?=({pattern}))")


DMY = _overlapping(r"\d{2}/\d{2}/\d{4}")
ISO = _overlapping(r"\d{4}-\d{2}-\d{2}")
HEX64 = _overlapping(r"[0-9a-f]{64}")


@dataclass
class Secrets:
    """Private strings, each with what it is, found in a text by shape (exactly as a
    substring search would, but fast enough for thousands of strings over hundreds of
    pages): dates, digit strings by length, 64-hex hashes, emails around their "@"."""

    dates: dict[str, str] = field(default_factory=dict)
    digits: dict[int, dict[str, str]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)  # lower-cased
    other: dict[str, str] = field(default_factory=dict)
    _by_domain: dict[str, set[int]] = field(default_factory=dict)  # domain → local lengths

    def add(self, value: str | None, what: str) -> None:
        value = (value or "").strip()
        if not value:
            return
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2}", value):
            self.dates[value] = what
        elif value.isdigit() and value.isascii():
            self.digits.setdefault(len(value), {})[value] = what
        elif re.fullmatch(r"[0-9a-f]{64}", value):
            self.hashes[value] = what
        elif value.count("@") == 1 and value.split("@")[0] and value.split("@")[1]:
            value = value.lower()
            self.emails[value] = what
            local, domain = value.split("@")
            self._by_domain.setdefault(domain, set()).add(len(local))
        else:
            self.other[value] = what

    def __len__(self) -> int:
        return (
            len(self.dates)
            + sum(len(group) for group in self.digits.values())
            + len(self.hashes)
            + len(self.emails)
            + len(self.other)
        )

    def found_in(self, text: str) -> list[str]:
        found: set[str] = set()
        for pattern in (DMY, ISO):
            found |= {m for m in pattern.findall(text) if m in self.dates}
        for length, group in self.digits.items():
            found |= {m for m in _overlapping(rf"\d{{{length}}}").findall(text) if m in group}
        found |= {m for m in HEX64.findall(text) if m in self.hashes}
        lowered = text.lower()
        for at in (match.start() for match in re.finditer("@", lowered)):
            for domain, lengths in self._by_domain.items():
                if lowered.startswith(domain, at + 1):
                    for length in lengths:
                        candidate = f"{lowered[max(at - length, 0) : at]}@{domain}"
                        if candidate in self.emails:
                            found.add(candidate)
        found |= {value for value in self.other if value in text}
        what = {
            **self.dates,
            **self.hashes,
            **self.emails,
            **self.other,
            **{k: v for group in self.digits.values() for k, v in group.items()},
        }
        return sorted(f"{value} ({what[value]})" for value in found)


def private_strings() -> Secrets:
    secrets = Secrets()
    for pk, born in Person.objects.exclude(birth_date=None).values_list("pk", "birth_date"):
        secrets.add(f"{born:%d/%m/%Y}", f"birth date of person {pk}")
        secrets.add(born.isoformat(), f"birth date of person {pk}")
    for row in PersonPrivate.objects.values("person_id", "phone", "citizen_id", "email"):
        for name in ("phone", "citizen_id", "email"):
            secrets.add(row[name], f"{name} of person {row['person_id']}")
    for pk, email in get_user_model().objects.values_list("pk", "email"):
        secrets.add(email, f"email of user {pk}")
    for pk, email, hashed in Comment.objects.values_list("pk", "email", "address_hash"):
        secrets.add(email, f"email of comment {pk}")
        secrets.add(hashed, f"address hash of comment {pk}")
    return secrets


def test_the_scanner_finds_each_kind_of_private_string(demo):
    secrets = private_strings()
    person = Person.objects.exclude(birth_date=None).filter(private__isnull=False).first()
    private = person.private
    comment = Comment.objects.first()
    user = get_user_model().objects.exclude(email="").first()
    planted = {
        f"sinh ngày {person.birth_date:%d/%m/%Y}.": "birth date",
        f'<time datetime="{person.birth_date.isoformat()}T00:00">': "birth date",
        f"Điện thoại: 84{private.phone}9": "phone",
        f"CCCD {private.citizen_id}</td>": "citizen_id",
        f'<a href="mailto:{private.email.upper()}">': "email of person",
        f"liên hệ: {user.email}, cảm ơn": "email of user",
        f"<p>x{comment.email}y</p>": "email of comment",
        f'data-h="{comment.address_hash}"': "address hash",
    }
    for text, what in planted.items():
        found = secrets.found_in(text)
        assert len(found) == 1 and what in found[0], (text, found)
    assert secrets.found_in("Quyết định số 15-QĐ/ĐU ngày 20/12/2020, tel 0290") == []


# --- the public URLs ------------------------------------------------------------------------


@dataclass
class Sweep:
    client: object
    secrets: Secrets
    visited: dict[str, int] = field(default_factory=dict)  # path → status
    leaks: list[str] = field(default_factory=list)
    queue: deque = field(default_factory=deque)
    queued: set[str] = field(default_factory=set)
    photos: set[str] = field(default_factory=set)
    threads: set[str] = field(default_factory=set)  # pages showing approved comments

    def get(self, url: str, status: int = 200) -> str:
        """Request one URL as an anonymous reader, check it, and queue what it links to."""
        response = self.client.get(url)
        self.visited[url] = response.status_code
        assert response.status_code == status, (url, response.status_code)
        body = b"".join(response) if response.streaming else response.content
        kind = response.get("Content-Type", "")
        if not kind.startswith(("text/", "application/rss", "application/xml")):
            text = body.decode("latin-1")  # a photo: its bytes, as they are
        else:
            text = body.decode()
        for shown in (text, html.unescape(unquote(text))):
            found = self.secrets.found_in(shown)
            if found:
                self.leaks.append(f"{url}: {', '.join(found)}")
                break
        if kind.startswith("text/html"):
            if 'class="comment-list"' in text:
                self.threads.add(url)
            self.follow(url, (html.unescape(link) for link in LINK.findall(text)))
        elif "xml" in kind:
            self.follow(url, (html.unescape(link) for link in XML_LINK.findall(text)))
        return text

    def follow(self, base: str, links: Iterable[str]) -> None:
        for link in links:
            url = public_url(urljoin(base, link.strip()))
            if url and url not in self.queued and url not in self.visited:
                self.queued.add(url)
                self.queue.append(url)
                if "/bai-viet/anh/" in url:
                    self.photos.add(url)

    def crawl(self, bound: int) -> None:
        while self.queue and len(self.visited) < bound:
            url = self.queue.popleft()
            if url not in self.visited:
                self.get(url)


def public_url(url: str) -> str | None:
    """The path and query of a public page of this site (no fragment), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in HOSTS:
        return None
    path = parts.path or "/"
    if path.startswith(STAFF_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace != "public" or match.url_name not in PUBLIC_VIEWS:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def options(page: str, select_id: str) -> list[str]:
    block = re.search(OPTIONS.format(id=select_id), page, re.S)
    assert block, f"no <select id={select_id}> on the page"
    return OPTION_VALUE.findall(block.group(1))


def shown_years(page: str) -> set[int]:
    return {int(year) for year in options(page, "f-year")}


def replay_the_nominees_window() -> Round:
    """The round that published its nominees, as it was during its window: the window
    moved to today and its nominations back to submitted (rolled back with the test)."""
    round_ = Round.objects.get(public_comments_from__isnull=False)
    today = timezone.localdate()
    Round.objects.filter(pk=round_.pk).update(
        public_comments_from=today - datetime.timedelta(days=1),
        public_comments_until=today + datetime.timedelta(days=1),
    )
    Nomination.objects.filter(round=round_).update(status=NominationStatus.SUBMITTED)
    return round_


def test_no_public_url_of_the_demo_shows_private_data(demo, client):
    started = time.monotonic()
    secrets = private_strings()
    assert len(secrets) > 5000  # the birth dates of ~3,000 people, and the rest
    sweep = Sweep(client, secrets)

    # The draft and the withdrawn story are not there.
    hidden = Story.objects.exclude(status=StoryStatus.PUBLISHED)
    assert hidden.count() == 2
    for story in hidden:
        sweep.get(f"/bai-viet/{story.slug}/", status=404)

    # The home page, the sitemap (every story and organization it lists) and the feed.
    sweep.get("/")
    listed = XML_LINK.findall(sweep.get("/sitemap.xml"))
    sitemap = {public_url(html.unescape(url)) for url in listed}
    sweep.get("/rss.xml")
    published = Story.objects.filter(status=StoryStatus.PUBLISHED).values_list("slug", flat=True)
    assert len(published) == 12
    assert {f"/bai-viet/{slug}/" for slug in published} <= sitemap

    # The honor roll, with every year and term it offers and a few organizations.
    roll = sweep.get("/bang-vang/")
    years = shown_years(roll)
    born = set(Person.objects.exclude(birth_date=None).dates("birth_date", "year"))
    assert years and not years & {day.year for day in born}, "a birth year is shown"
    for year in sorted(years):
        sweep.get(f"/bang-vang/?{urlencode({'year': year})}")
    terms = options(roll, "f-term")
    assert terms
    for term in terms:
        sweep.get(f"/bang-vang/?{urlencode({'term': term})}")
    for code in options(roll, "f-org")[:ORGANIZATION_FILTERS]:
        sweep.get(f"/bang-vang/?{urlencode({'org': code})}")
    sweep.get(f"/bang-vang/?{urlencode({'year': max(years), 'page': 2})}")

    # The search: the names of people commended, a cell, words of the stories.
    honored = Award.objects.filter(person__isnull=False).select_related("person").order_by("id")[:3]
    queries = [award.person.full_name for award in honored]
    queries += [search_key(name) for name in queries]
    queries += ["nguyen", "chi bo", "dan van", "hien mau", "ca mau"]
    for query in queries:
        sweep.get(f"/tim-kiem/?{urlencode({'q': query})}")

    # The nominees' page of the round with a publication window: closed today, then
    # as it was while open (its pages are linked from the first).
    round_ = Round.objects.get(public_comments_from__isnull=False)
    sweep.get(f"/cong-khai/dot-xet/{round_.pk}/")
    replay_the_nominees_window()
    del sweep.visited[f"/cong-khai/dot-xet/{round_.pk}/"]
    nominees = sweep.get(f"/cong-khai/dot-xet/{round_.pk}/")
    assert "nominee-" in nominees
    sweep.visited[f"/cong-khai/dot-xet/{round_.pk}/ (closed)"] = 200

    # Every public page linked from all of these, up to the bound.
    sweep.crawl(MAX_PAGES)

    # Every story's photos (the demo writes none; any linked would have been requested).
    photos = StoryPhoto.objects.filter(story__status=StoryStatus.PUBLISHED)
    for photo in photos:
        for variant in ("full", "thumb"):
            url = f"/bai-viet/anh/{photo.pk}/{variant}/"
            if url not in sweep.visited:
                sweep.get(url)

    elapsed = time.monotonic() - started
    statuses = set(sweep.visited.values())
    kinds: dict[str, int] = {}
    for url in sweep.visited:
        name = resolve(url.split("?")[0].split(" ")[0]).url_name
        kinds[name] = kinds.get(name, 0) + 1
    print(
        f"\nprivacy sweep: {len(sweep.visited)} URLs checked in {elapsed:.1f} s "
        f"({', '.join(f'{name} {count}' for name, count in sorted(kinds.items()))}); "
        f"{len(sweep.queue)} more linked, left out by the bound of {MAX_PAGES}; "
        f"{len(secrets)} private strings; statuses {sorted(statuses)}"
    )
    assert sweep.leaks == [], "private data on public pages:\n" + "\n".join(sweep.leaks)
    assert len(sweep.visited) >= MIN_PAGES
    # the nominees' approved comments were seen, as were the stories'
    assert any(url.startswith("/cong-khai/") for url in sweep.threads)
    assert any(url.startswith("/bai-viet/") for url in sweep.threads)
    assert kinds.get("organization", 0) >= 50 and kinds.get("story", 0) >= 12
