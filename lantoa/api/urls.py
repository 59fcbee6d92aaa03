from django.urls import path

from lantoa.api import views

app_name = "api_pages"

urlpatterns = [
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/assets/<str:name>", views.asset, name="asset"),
]
