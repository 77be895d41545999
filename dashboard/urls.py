from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("blocks/<int:pk>/remind/", views.remind, name="remind"),
    path("blocks/<int:pk>/remind/confirm/", views.remind_confirm, name="remind_confirm"),
    path("remind-all/", views.remind_all, name="remind_all"),
]
