"""URLs of lantoa.awards: one module per area, joined here."""

from lantoa.awards.urls import ceremonies, certificates, decisions, nominations, rounds, votes

app_name = "awards"

urlpatterns = [
    *rounds.urlpatterns,
    *nominations.urlpatterns,
    *votes.urlpatterns,
    *decisions.urlpatterns,
    *ceremonies.urlpatterns,
    *certificates.urlpatterns,
]
