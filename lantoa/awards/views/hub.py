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
]


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    links = []
    for name, title, text, perm in LINKS:
        if perm is not None and not can(request.user, perm):
            continue
        try:
            links.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    return render(request, "awards/hub.html", {"links": links})
