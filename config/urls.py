from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views_mfa
from dashboard import views as dashboard_views

# The admin signs in through the portal's page (password, then the second factor); set
# before admin.site.urls below reads it.
admin.site.login = views_mfa.admin_login

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dashboard/", include("dashboard.urls")),
    path("accounts/", include("core.urls")),
    path("accounts/", include("core.urls_mfa")),
    path(
        "people/<int:pk>/second-factor/reset/",
        views_mfa.second_factor_reset,
        name="second_factor_reset",
    ),
    # The development mailbox exists only where the settings turn it on (never production).
    *([path("dev/", include("core.urls_dev"))] if settings.DEV_MAILBOX else []),
    path("", include("partnership.urls")),
    path("mou/", include("mou.urls")),
    path("matrix/", include("needs_matrix.urls")),
    path("meetings/", include("meetings.urls")),
    path("verify/", include("mou.urls_verify")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "STEM Partnership Portal administration"
admin.site.site_title = "Portal admin"
