"""URLs for registration."""

urlpatterns: list = []
