"""URLs for study."""

urlpatterns: list = []
