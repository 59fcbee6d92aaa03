"""URLs for comments: a reader's comment on a story or on a nominee, and the nominees of a
round published for comments."""

from django.urls import path

from lantoa.public.views import comments as views

urlpatterns: list = [
    path("bai-viet/<slug:slug>/binh-luan/", views.story_comment, name="story_comment"),
    # the name the story page's code (views/site.py) reverses for the form's action
    path("bai-viet/<slug:slug>/binh-luan/", views.story_comment, name="comment_post"),
    path("cong-khai/dot-xet/<int:round_pk>/", views.nominees, name="nominees"),
    path(
        "cong-khai/de-nghi/<int:nomination_pk>/binh-luan/",
        views.nominee_comment,
        name="nominee_comment",
    ),
]
