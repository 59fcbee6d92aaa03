"""The entry page of commendation: links to each area the user may open."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.rules import Perm, can

# (url name, title, text, permission needed besides viewing)
LINKS = [
    (
        "awards:round_list",
        _("Rounds of commendation"),
        _("Rounds by year, their criteria, deadlines, quotas and councils."),
        None,
    ),
    (
        "awards:nomination_list",
        _("Nominations"),
        _("Individuals and collectives put up, where each nomination stands, with an export."),
        None,
    ),
    (
        "awards:ballot",
        _("Council vote"),
        _("The nominations a council member votes on."),
        Perm.VOTE,
    ),
    (
        "awards:decision_list",
        _("Decisions"),
        _("Numbered decisions of commendation and the awards they make."),
        None,
    ),
    (
        "awards:ceremony_list",
        _("Ceremonies"),
        _("Ceremonies honoring those commended, with their program and honor list."),
        None,
    ),
    (
        "awards:committee",
        _("Commendation by the committee"),
        _("Rounds, decisions and ceremonies of a committee, with the figures of each year."),
        None,
    ),
    ("awards:verify", _("Verify a certificate"), _("The public page a QR code opens."), None),
    (
        "public:story_list",
        _("Exemplary stories"),
        _("Stories of exemplary people, collectives and models for the public site."),
        None,
    ),
    (
        "public:moderation",
        _("Comments to moderate"),
        _("Readers' comments on stories and nominees, approved before they are shown."),
        Perm.MANAGE_ROUNDS,
    ),
]


def _with_count(name: str, title: object, user: object) -> object:
    """The title of the moderation link carries the number of comments waiting."""
    if name != "public:moderation":
        return title
    from lantoa.public.services.moderation import pending_count

    return f"{title} ({pending_count(user)})"


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    links = []
    for name, title, text, perm in LINKS:
        if perm is not None and not can(request.user, perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "title": _with_count(name, title, request.user), "text": text})
    return render(request, "awards/hub.html", {"links": links})
