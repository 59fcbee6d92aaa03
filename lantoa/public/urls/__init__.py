"""URLs of lantoa.public: the public site (no login) and the staff's pages for stories and
comments, one module per area."""

from lantoa.public.urls import comments, site, stories

app_name = "public"

urlpatterns = [
    *site.urlpatterns,
    *stories.urlpatterns,
    *comments.urlpatterns,
]
