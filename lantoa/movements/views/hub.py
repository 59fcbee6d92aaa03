"""The entry page of movements: links to each area the user may open."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.rules import Perm, can

LINKS = [
    (
        "movements:movement_list",
        _("Emulation movements"),
        _("Movements launched for a period, their targets and how far each unit has come."),
    ),
    (
        "movements:activity_list",
        _("Activity ledger"),
        _("Houses, blood donation, trips, visits and gifts, medical check-ups, with figures."),
    ),
    (
        "movements:totals",
        _("Totals"),
        _("Totals by type, year, term and subtree, with a chart and an Excel export."),
    ),
    (
        "movements:initiative_list",
        _("Initiatives and projects"),
        _("Initiatives and applied projects, their authors and recognition."),
    ),
    (
        "movements:deed_list",
        _("Good people, good deeds"),
        _("Examples of people and collectives, to praise and replicate."),
    ),
]


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    links = []
    for name, title, text in LINKS:
        try:
            links.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    return render(request, "movements/hub.html", {"links": links})
