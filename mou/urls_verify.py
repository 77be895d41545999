"""/verify/: the public page that checks an executed MOU (mounted in config/urls.py)."""

from django.urls import path

from mou.views.verify import verify

app_name = "verify"

urlpatterns = [path("", verify, name="page")]
