"""URLs for plans."""

urlpatterns: list = []
