from django.urls import path  # noqa: F401

app_name = "needs_matrix"

urlpatterns: list = []
