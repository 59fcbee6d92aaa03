from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from lantoa.api.api import api
from lantoa.core import views as core_views
from lantoa.orgs.forms_auth import LoginForm

urlpatterns = [
    # the staff's home; the site root "/" is the public home page (public:home)
    path("work/", core_views.home, name="home"),
    path("healthz", core_views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("home")),
        name="password_change",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("lantoa.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("lantoa.orgs.urls")),
    path("", include("lantoa.programs.urls")),
    path("", include("lantoa.movements.urls")),
    path("", include("lantoa.awards.urls")),
    path("", include("lantoa.reports.urls")),
    path("", include("lantoa.imports.urls")),
    path("", include("lantoa.public.urls")),
]
