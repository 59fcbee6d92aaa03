"""URLs for movements."""

urlpatterns: list = []
