"""URLs for totals."""

urlpatterns: list = []
