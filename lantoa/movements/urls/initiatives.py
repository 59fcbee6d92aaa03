"""URLs for initiatives."""

urlpatterns: list = []
