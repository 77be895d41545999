"""The portal's addresses plus the benchmarks' baseline page (bench settings only)."""

from django.urls import path

from bench import views
from config.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    *portal_urlpatterns,
]
