from django.urls import path

from needs_matrix import views

app_name = "needs_matrix"

urlpatterns = [
    path("", views.grid, name="grid"),
    path("summary/", views.summary, name="summary"),
    path("partners/<int:partner_pk>/", views.row_edit, name="row_edit"),
    path("partners/<int:partner_pk>/history/", views.row_history, name="row_history"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("categories/<int:pk>/retire/", views.category_retire, name="category_retire"),
    path("categories/<int:pk>/restore/", views.category_restore, name="category_restore"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.import_csv, name="import"),
]
