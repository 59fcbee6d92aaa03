"""URLs for the council vote: the ballot, the round's tally and its minutes."""

from django.urls import path

from lantoa.awards.views import votes as views

urlpatterns = [
    path("awards/vote/", views.ballot, name="ballot"),
    path("awards/vote/<int:pk>/", views.vote, name="vote"),
    path("awards/rounds/<int:pk>/tally/", views.round_tally, name="round_tally"),
    path(
        "awards/rounds/<int:pk>/tally/export.xlsx",
        views.round_tally_export,
        name="round_tally_export",
    ),
    path(
        "awards/rounds/<int:pk>/tally/export.csv",
        views.round_tally_export,
        {"fmt": "csv"},
        name="round_tally_export_csv",
    ),
    path("awards/rounds/<int:pk>/tally/close/", views.round_tally_close, name="round_tally_close"),
    path("awards/rounds/<int:pk>/minutes.docx", views.round_minutes, name="round_minutes"),
]
