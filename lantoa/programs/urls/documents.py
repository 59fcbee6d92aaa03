"""URLs for documents."""

urlpatterns: list = []
