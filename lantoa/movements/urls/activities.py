"""URLs for activities."""

urlpatterns: list = []
