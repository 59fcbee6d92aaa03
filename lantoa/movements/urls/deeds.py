"""URLs for deeds."""

urlpatterns: list = []
