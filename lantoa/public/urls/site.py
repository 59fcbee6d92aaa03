"""URLs of the public site (no login): paths in Vietnamese, names in English."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from lantoa.public.feeds import LatestStoriesFeed
from lantoa.public.sitemaps import SITEMAPS
from lantoa.public.views import site as views

urlpatterns: list = [
    path("", views.home, name="home"),
    path("bang-vang/", views.honor_roll, name="honor_roll"),
    path("bai-viet/anh/<int:pk>/<str:variant>/", views.story_photo, name="story_photo"),
    path("bai-viet/<slug:slug>/", views.story, name="story"),
    path("don-vi/<str:code>/", views.organization, name="organization"),
    path("tim-kiem/", views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("rss.xml", LatestStoriesFeed(), name="rss"),
]
