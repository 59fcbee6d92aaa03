"""The entry page of direction and registration: links to each area the user may open."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.rules import Perm, can

SECTIONS = [
    (
        _("Direction"),
        [
            (
                "programs:document_list",
                _("Documents"),
                _("Higher documents and our own, with the chain they implement."),
            ),
            (
                "programs:plan_list",
                _("Plans and pilots"),
                _("Targets computed from the records; pilot organizations."),
            ),
            ("programs:theme_list", _("Thematic topics"), _("The yearly topics of study.")),
            (
                "programs:session_list",
                _("Study sessions"),
                _("Cell meetings on a topic, with attendance."),
            ),
            ("programs:attendance", _("Attendance"), _("Attendance rates by cell and subtree.")),
        ],
    ),
    (
        _("Registration"),
        [
            (
                "programs:unit_model_list",
                _("Unit models"),
                _("Models and ways of working registered by units."),
            ),
            (
                "programs:my_commitment",
                _("My commitment"),
                _("What I register to follow this year."),
            ),
            (
                "programs:coverage_home",
                _("Commitment coverage"),
                _("Who has registered, by organization."),
            ),
            (
                "programs:rating_lists",
                _("Quality rating"),
                _("Year-end rating of members, with the cap."),
            ),
        ],
    ),
]


def _links(entries):
    links = []
    for name, title, text in entries:
        try:
            links.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    return links


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS) and not hasattr(request.user, "person"):
        raise Http404
    sections = [(title, _links(entries)) for title, entries in SECTIONS]
    return render(request, "programs/hub.html", {"sections": sections})
