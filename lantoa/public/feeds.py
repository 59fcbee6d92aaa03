"""The RSS feed of the latest published stories. Every address in it is absolute, from
settings.SITE_URL; no author and no email appear in it (nor any reader's)."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from lantoa.public.formatting import render_body
from lantoa.public.models import Story
from lantoa.public.queries.site import absolute_url, published_stories

__all__ = ["FEED_SIZE", "LatestStoriesFeed"]

FEED_SIZE = 20
SUMMARY_WORDS = 60


class LatestStoriesFeed(Feed):
    title = _("Lan Tỏa: latest stories")
    description = _(
        "Exemplary collectives, individuals and models in studying and following Ho Chi "
        "Minh's thought, morality and style."
    )
    author_name = None
    author_email = None
    author_link = None

    def link(self) -> str:
        return absolute_url(reverse("public:home"))

    def feed_url(self) -> str:
        return absolute_url(reverse("public:rss"))

    def items(self) -> list[Story]:
        return list(published_stories().order_by("-published_at", "-id")[:FEED_SIZE])

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        if item.summary:
            return item.summary
        return Truncator(strip_tags(render_body(item.body))).words(SUMMARY_WORDS)

    def item_link(self, item: Story) -> str:
        return absolute_url(reverse("public:story", args=[item.slug]))

    def item_guid(self, item: Story) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Story) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Story) -> datetime.datetime | None:
        return item.updated_at

    def item_author_name(self, item: Story) -> None:
        return None

    def item_author_email(self, item: Story) -> None:
        return None
