from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dashboard/", include("dashboard.urls")),
    path("accounts/", include("core.urls")),
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
