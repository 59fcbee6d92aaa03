"""What the public site reads: published stories, the awards of issued decisions that were
not revoked (the honor roll), headline figures and the search, each a query over records.

Nothing private leaves here: people are loaded with their name and organization only (no
birth date, gender, account or anything of `PersonPrivate`), so a template cannot show
more even by mistake.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lantoa.awards.models import Award, DecisionStatus
from lantoa.awards.services.ceremonies import terms_of
from lantoa.core.text import search_key
from lantoa.movements.models import ActivityType
from lantoa.movements.queries.totals import Figures, Period, totals_by_type
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import subtree_q
from lantoa.programs.models import DocumentSystem, Term, UnitModel
from lantoa.public.models import Story, StoryPhoto, StoryStatus
from lantoa.reports import figures

__all__ = [
    "HEADLINE_ACTIVITY_TYPES",
    "SEARCH_GROUP_SIZE",
    "AwardCounts",
    "Headline",
    "HonorFilter",
    "SearchResults",
    "absolute_url",
    "award_counts",
    "headline",
    "honor_rows",
    "is_published",
    "latest_stories",
    "public_award_q",
    "public_awards",
    "public_organizations",
    "published_stories",
    "related_stories",
    "search",
    "search_words",
    "site_committee",
    "stories_about",
    "term_choices",
    "unit_models_of",
    "with_first_photo",
    "year_choices",
]

SEARCH_GROUP_SIZE = 20
LATEST_STORIES = 6
RELATED_STORIES = 4
# activity types shown on the home page, in this order, when the catalog has them
HEADLINE_ACTIVITY_TYPES = ("hien-mau", "nha-vi-nguoi-ngheo", "tham-tang-qua", "kham-chua-benh")

# the only columns of an award row the public pages read (never a person's private data)
_ROW_FIELDS = (
    "id",
    "position",
    "decision__id",
    "decision__symbol",
    "decision__date",
    "decision__organization__id",
    "decision__organization__name",
    "decision__organization__code",
    "decision__organization__archived",
    "form__id",
    "form__name",
    "form__rank",
    "person__id",
    "person__family_name",
    "person__middle_name",
    "person__given_name",
    "person__organization__id",
    "person__organization__name",
    "person__organization__code",
    "person__organization__archived",
    "collective__id",
    "collective__name",
    "collective__code",
    "collective__archived",
)


def absolute_url(path: str) -> str:
    """The public address of a path on this site (settings.SITE_URL), for feeds and tags."""
    return settings.SITE_URL.rstrip("/") + path


# --- stories ------------------------------------------------------------------------------


def published_stories() -> QuerySet[Story]:
    """Stories the public may read: published, with a publication time already past."""
    return Story.objects.filter(
        status=StoryStatus.PUBLISHED,
        published_at__isnull=False,
        published_at__lte=timezone.now(),
    )


def is_published(story: Story) -> bool:
    """The same test as `published_stories`, on a story already loaded."""
    return story.is_public and story.published_at <= timezone.now()


def with_first_photo(stories: QuerySet[Story]) -> QuerySet[Story]:
    """The stories with `first_photo_id`: their first photo (by position), or None."""
    first = StoryPhoto.objects.filter(story=OuterRef("pk")).order_by("position", "id")
    return stories.annotate(first_photo_id=Subquery(first.values("pk")[:1]))


def latest_stories(limit: int = LATEST_STORIES) -> list[Story]:
    return list(with_first_photo(published_stories()).order_by("-published_at", "-id")[:limit])


def related_stories(story: Story, limit: int = RELATED_STORIES) -> list[Story]:
    """Other published stories about the same organization, model, award's recipient or
    good deed's doer; if there are none, the latest of the committee that wrote it."""
    about = Q(pk__in=[])
    if story.subject_organization_id:
        about |= Q(subject_organization_id=story.subject_organization_id)
    if story.unit_model_id:
        about |= Q(unit_model_id=story.unit_model_id)
    if story.award_id:
        award = story.award
        if award.person_id:
            about |= Q(award__person_id=award.person_id)
        else:
            about |= Q(award__collective_id=award.collective_id)
    if story.good_deed_id:
        about |= Q(good_deed_id=story.good_deed_id)
    others = with_first_photo(published_stories().exclude(pk=story.pk)).order_by(
        "-published_at", "-id"
    )
    related = list(others.filter(about)[:limit])
    if not related:
        related = list(others.filter(organization_id=story.organization_id)[:limit])
    return related


def stories_about(org: Organization, limit: int = 10) -> list[Story]:
    """Published stories about the organization or its subtree (as their subject, or
    through a unit model of theirs)."""
    about = subtree_q(org.path, "subject_organization__path") | subtree_q(
        org.path, "unit_model__organization__path"
    )
    return list(published_stories().filter(about).order_by("-published_at", "-id")[:limit])


# --- awards -------------------------------------------------------------------------------


def public_award_q(prefix: str = "") -> Q:
    """Awards the public may see: made by an issued decision, and not revoked."""
    return Q(
        **{
            f"{prefix}decision__status": DecisionStatus.ISSUED,
            f"{prefix}revoked_by__isnull": True,
        }
    )


def public_awards() -> QuerySet[Award]:
    return Award.objects.filter(public_award_q())


def search_words(text: str) -> list[str]:
    """The words of a query, without diacritics; every one of them must match."""
    return search_key(text or "").split()[:8]


@dataclass(frozen=True)
class HonorFilter:
    """The honor roll's filters; None (or "") leaves one out."""

    year: int | None = None
    term: Term | None = None
    organization: Organization | None = None
    text: str = ""

    def bounds(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last decision dates the year and the term allow (None: open)."""
        start = end = None
        if self.year is not None:
            start, end = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        if self.term is not None:
            start = max(filter(None, (start, self.term.start_date)))
            if self.term.end_date is not None:
                end = min(filter(None, (end, self.term.end_date)))
        return start, end

    def apply(self, awards: QuerySet[Award]) -> QuerySet[Award]:
        # the organization and the dates select awards as the results' "commended" does
        # (lantoa.reports.figures), so the honor roll's counts and the dashboard agree
        start, end = self.bounds()
        if self.organization is not None or start is not None or end is not None:
            awards = awards.filter(figures.commended_q(self.organization, start, end))
        for word in search_words(self.text):
            awards = awards.filter(
                Q(person__search_key__contains=word) | Q(collective__search_key__contains=word)
            )
        return awards

    @property
    def active(self) -> bool:
        return any((self.year, self.term, self.organization, self.text))


def honor_rows(awards: QuerySet[Award] | None = None) -> QuerySet[Award]:
    """Award rows as the honor roll shows them, latest decisions first, in one query."""
    awards = public_awards() if awards is None else awards
    return (
        awards.select_related(
            "decision__organization", "form", "person__organization", "collective"
        )
        .only(*_ROW_FIELDS)
        .order_by("-decision__date", "-decision__id", "position", "id")
    )


def received_by(org: Organization) -> QuerySet[Award]:
    """Public awards received by the organization's subtree: collectives and people."""
    return public_awards().filter(
        subtree_q(org.path, "person__organization__path") | subtree_q(org.path, "collective__path")
    )


@dataclass(frozen=True)
class AwardCounts:
    collectives: int = 0
    people: int = 0

    @property
    def total(self) -> int:
        return self.collectives + self.people


def award_counts(awards: QuerySet[Award]) -> AwardCounts:
    """Awards to collectives and to individuals among these: one query."""
    figures = awards.order_by().aggregate(
        collectives=Count("id", filter=Q(collective__isnull=False)),
        people=Count("id", filter=Q(person__isnull=False)),
    )
    return AwardCounts(figures["collectives"] or 0, figures["people"] or 0)


def year_choices() -> list[int]:
    """Years in which public awards were made, latest first."""
    return [day.year for day in public_awards().dates("decision__date", "year", order="DESC")]


def site_committee() -> Organization | None:
    """The committee the public site speaks for: the highest organization that numbers its
    own party documents here (it has an issuer), else the first root of the tree."""
    committee = (
        Organization.objects.filter(archived=False, issuers__system=DocumentSystem.PARTY)
        .order_by("depth", "path")
        .first()
    )
    if committee is not None:
        return committee
    return Organization.objects.filter(depth=1, archived=False).order_by("path").first()


def term_choices(root: Organization | None) -> list[Term]:
    """The terms of the committee's issuer (or the terms of no issuer), latest first."""
    terms = terms_of(root) if root is not None else list(Term.objects.filter(issuer__isnull=True))
    return sorted(terms, key=lambda term: term.start_date, reverse=True)


def public_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(archived=False)


def unit_models_of(org: Organization) -> list[UnitModel]:
    return list(
        UnitModel.objects.filter(organization=org)
        .only("id", "title", "year_from", "year_to", "status", "organization_id")
        .order_by("-year_from", "id")
    )


# --- headline figures ---------------------------------------------------------------------


@dataclass
class Headline:
    """The home page's figures, over a term (or all time when there is no term)."""

    term: Term | None
    counts: AwardCounts
    ceremonies: int
    stories: int
    activities: list[tuple[ActivityType, Figures]] = field(default_factory=list)


def _within(term: Term, day_field: str) -> Q:
    within = Q(**{f"{day_field}__gte": term.start_date})
    if term.end_date is not None:
        within &= Q(**{f"{day_field}__lte": term.end_date})
    return within


def headline_term(terms: list[Term], today: datetime.date | None = None) -> Term | None:
    """The current term if awards were made in it, else the latest term that has some
    (the term just ended, before the new one commends anyone); one query."""
    today = today or timezone.localdate()
    begun = [term for term in terms if term.start_date <= today]
    if not begun:
        return None
    counts = public_awards().aggregate(
        **{f"t{term.pk}": Count("id", filter=_within(term, "decision__date")) for term in begun}
    )
    for term in begun:  # latest first
        if counts[f"t{term.pk}"]:
            return term
    return begun[0]


def headline(today: datetime.date | None = None) -> Headline:
    """Collectives and individuals commended and ceremonies held over the term, stories
    published, and a few activity totals of the term."""
    term = headline_term(term_choices(site_committee()), today)
    period = Period()
    if term is not None:
        period = Period(term.start_date, term.end_date)
    # the same selections as the results' figures (lantoa.reports.figures), whole tree
    awards = figures.commended_awards(None, period.start, period.end)
    ceremonies = figures.ceremonies_held(None, period.start, period.end)
    types = {t.code: t for t in ActivityType.objects.filter(code__in=HEADLINE_ACTIVITY_TYPES)}
    totals = totals_by_type("", period)
    activities = [
        (types[code], totals[types[code].pk])
        for code in HEADLINE_ACTIVITY_TYPES
        if code in types and types[code].pk in totals
    ]
    return Headline(
        term=term,
        counts=award_counts(awards),
        ceremonies=ceremonies.count(),
        stories=published_stories().count(),
        activities=activities,
    )


# --- search -------------------------------------------------------------------------------


@dataclass
class SearchResults:
    """Each group holds at most SEARCH_GROUP_SIZE rows; the counts say how many matched."""

    words: list[str]
    stories: list[Story] = field(default_factory=list)
    story_count: int = 0
    organizations: list[Organization] = field(default_factory=list)
    organization_count: int = 0
    people: list[Person] = field(default_factory=list)
    people_count: int = 0
    collectives: list[Organization] = field(default_factory=list)
    collective_count: int = 0

    @property
    def total(self) -> int:
        return (
            self.story_count + self.organization_count + self.people_count + self.collective_count
        )

    @property
    def honoree_count(self) -> int:
        return self.people_count + self.collective_count


def _matching(rows: QuerySet, words: list[str], column: str = "search_key") -> QuerySet:
    for word in words:
        rows = rows.filter(**{f"{column}__contains": word})
    return rows


def _bounded(rows: QuerySet, size: int) -> tuple[list, int]:
    """At most `size` rows, and how many there are (no count query when fewer)."""
    shown = list(rows[: size + 1])
    if len(shown) <= size:
        return shown, len(shown)
    return shown[:size], rows.order_by().count()


def search(text: str, size: int = SEARCH_GROUP_SIZE) -> SearchResults:
    """Published stories, organizations and honorees (people and collectives with a
    public award) whose text holds every word of the query, diacritics ignored."""
    words = search_words(text)
    results = SearchResults(words=words)
    if not words:
        return results
    stories = _matching(with_first_photo(published_stories()), words).order_by(
        "-published_at", "-id"
    )
    results.stories, results.story_count = _bounded(stories, size)
    organizations = _matching(public_organizations(), words).only("id", "code", "name", "path")
    results.organizations, results.organization_count = _bounded(
        organizations.order_by("path"), size
    )
    awarded = public_awards().filter(person=OuterRef("pk"))
    people = (
        _matching(Person.objects.all(), words)
        .filter(Exists(awarded))
        .select_related("organization")
        .only(
            "id",
            "family_name",
            "middle_name",
            "given_name",
            "organization__id",
            "organization__name",
            "organization__code",
            "organization__archived",
        )
        .annotate(award_count=Count("awards", filter=public_award_q("awards__")))
        .order_by("sort_key", "id")
    )
    results.people, results.people_count = _bounded(people, size)
    collectives = (
        _matching(Organization.objects.all(), words)
        .filter(Exists(public_awards().filter(collective=OuterRef("pk"))))
        .only("id", "code", "name", "archived", "path")
        .annotate(award_count=Count("awards_received", filter=public_award_q("awards_received__")))
        .order_by("path")
    )
    results.collectives, results.collective_count = _bounded(collectives, size)
    return results
