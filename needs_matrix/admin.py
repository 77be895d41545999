from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from needs_matrix.models import Category, CategoryGroup, MatrixEntry


@admin.register(CategoryGroup)
class CategoryGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    ordering = ["order", "name"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "group", "order", "retired_at"]
    list_filter = ["group", ("retired_at", admin.EmptyFieldListFilter)]
    list_select_related = ["group"]
    search_fields = ["name", "description"]


@admin.register(MatrixEntry)
class MatrixEntryAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "category", "stance", "priority", "updated_by", "updated_at"]
    list_filter = ["stance", "priority", "category__group"]
    list_select_related = ["partner", "category", "updated_by"]
    search_fields = ["partner__name", "category__name", "note", "capacity_note"]
    raw_id_fields = ["partner", "updated_by"]
