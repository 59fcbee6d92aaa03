"""URLs of the staff's pages for stories and the moderation queue (under "work/")."""

from django.urls import path, re_path

from lantoa.public.views import moderation, stories

urlpatterns = [
    path("work/stories/", stories.story_list, name="story_list"),
    path("work/stories/export.xlsx", stories.story_export, name="story_export"),
    path("work/stories/export.csv", stories.story_export, {"fmt": "csv"}, name="story_export_csv"),
    path("work/stories/new/", stories.story_create, name="story_create"),
    path("work/stories/<int:pk>/", stories.story_detail, name="story_detail"),
    path("work/stories/<int:pk>/edit/", stories.story_edit, name="story_edit"),
    path("work/stories/<int:pk>/publish/", stories.story_publish, name="story_publish"),
    path("work/stories/<int:pk>/withdraw/", stories.story_withdraw, name="story_withdraw"),
    path("work/stories/<int:pk>/delete/", stories.story_delete, name="story_delete"),
    path("work/stories/<int:pk>/photos/", stories.story_photo_add, name="story_photo_add"),
    path(
        "work/stories/photos/<int:pk>/caption/",
        stories.story_photo_edit,
        name="story_photo_edit",
    ),
    re_path(
        r"^work/stories/photos/(?P<pk>[0-9]+)/move/(?P<direction>up|down)/$",
        stories.story_photo_move,
        name="story_photo_move",
    ),
    path(
        "work/stories/photos/<int:pk>/delete/",
        stories.story_photo_delete,
        name="story_photo_delete",
    ),
    re_path(
        r"^work/stories/photos/(?P<pk>[0-9]+)/(?P<variant>full|thumb)/$",
        stories.story_photo_file,
        name="story_photo_file",
    ),
    path("work/comments/", moderation.moderation, name="moderation"),
    path("work/comments/export.xlsx", moderation.moderation_export, name="moderation_export"),
    path(
        "work/comments/export.csv",
        moderation.moderation_export,
        {"fmt": "csv"},
        name="moderation_export_csv",
    ),
    path("work/comments/moderate/", moderation.moderation_bulk, name="moderation_bulk"),
]
