"""The sitemap: published stories, organizations with public awards or stories, and the
site's fixed pages, at addresses made absolute from settings.SITE_URL."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from lantoa.orgs.models import Organization
from lantoa.public.models import Story
from lantoa.public.queries.site import public_awards, public_organizations, published_stories

__all__ = ["SITEMAPS", "OrganizationSitemap", "PagesSitemap", "StorySitemap"]


class _OurSite(Sitemap):
    """Addresses on settings.SITE_URL, not on whatever host the request named."""

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class StorySitemap(_OurSite):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Story]:
        return published_stories().only("id", "slug", "updated_at").order_by("-published_at")

    def location(self, item: Story) -> str:
        return reverse("public:story", args=[item.slug])

    def lastmod(self, item: Story) -> datetime.datetime:
        return item.updated_at


class OrganizationSitemap(_OurSite):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Organization]:
        awards = public_awards()
        has_awards = Exists(awards.filter(collective=OuterRef("pk"))) | Exists(
            awards.filter(person__organization=OuterRef("pk"))
        )
        has_stories = Exists(published_stories().filter(subject_organization=OuterRef("pk")))
        return (
            public_organizations()
            .filter(Q(has_awards) | Q(has_stories))
            .only("id", "code", "path")
            .order_by("path")
        )

    def location(self, item: Organization) -> str:
        return reverse("public:organization", args=[item.code])


class PagesSitemap(_OurSite):
    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["public:home", "public:honor_roll"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": PagesSitemap, "stories": StorySitemap, "organizations": OrganizationSitemap}
