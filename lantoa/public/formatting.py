"""Story bodies: a small Markdown subset rendered to HTML, then sanitized (nh3, an allow
list of tags and attributes), so that nothing a writer types can run in a reader's page."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

__all__ = ["ALLOWED_TAGS", "render_body"]

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_body(text: str) -> SafeString:
    """The story's text as safe HTML: headings start at h2 (the page's h1 is the title)."""
    html = markdown.markdown(text or "", extensions=[], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above
