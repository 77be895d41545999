"""Input shapes for the matrix pages: filters, a partner's row, categories, the import."""

from dataclasses import dataclass

from django import forms

from core.forms import SingleLineField
from needs_matrix.models import Category, CategoryGroup, MatrixEntry, Priority, Stance
from needs_matrix.selectors import MatrixFilters, PartnerRow
from needs_matrix.services import EntryValues
from partnership.models import PartnerKind, Workgroup

MAX_IMPORT_BYTES = 5 * 1024 * 1024


SMALL_SELECT = {"class": "form-select form-select-sm"}


class MatrixFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Partner kind",
        required=False,
        choices=[("", "All kinds"), *PartnerKind.choices],
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    workgroup = forms.ModelChoiceField(
        label="Workgroup",
        required=False,
        queryset=Workgroup.objects.only("id", "name"),
        empty_label="All workgroups",
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    group = forms.ModelChoiceField(
        label="Category group",
        required=False,
        queryset=CategoryGroup.objects.all(),
        empty_label="All groups",
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    retired = forms.BooleanField(
        label="Show retired categories",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, with_retired: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_retired:
            del self.fields["retired"]

    def filters(self) -> MatrixFilters:
        """The filters asked for. A value that is not understood is left out (the page
        still shows something useful) and named by ``problems()``, so the view can say
        so and answer 400, as the dashboard's filters do."""
        if not self.is_valid():
            for name in self.errors:
                attrs = self.fields[name].widget.attrs if name in self.fields else {}
                if name in self.fields and "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                    attrs["aria-invalid"] = "true"
        data = getattr(self, "cleaned_data", {})
        workgroup = data.get("workgroup")
        group = data.get("group")
        return MatrixFilters(
            kind=data.get("kind") or "",
            workgroup_id=workgroup.pk if workgroup else None,
            group_id=group.pk if group else None,
            include_retired=bool(data.get("retired")),
        )

    def problems(self) -> list[str]:
        """One sentence per filter value that is not understood."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            f"{self.fields[name].label}: {' '.join(errors)}" if name in self.fields else errors[0]
            for name, errors in self.errors.items()
        ]

    def applied(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) in words, for the page and the files."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        applied = []
        if data.get("kind"):
            applied.append((self.fields["kind"].label, str(PartnerKind(data["kind"]).label)))
        for name in ("workgroup", "group"):
            if data.get(name):
                applied.append((self.fields[name].label, str(data[name])))
        if data.get("retired"):
            applied.append((self.fields["retired"].label, "yes"))
        return applied

    @property
    def narrows_partners(self) -> bool:
        """Whether the figures count only some partners (kind or workgroup)."""
        filters = self.filters()
        return bool(filters.kind or filters.workgroup_id)

    def querystring(self) -> str:
        """The filters understood, as a query string, for pagination and export links."""
        from django.http import QueryDict

        self.is_valid()
        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name)
            if value and name not in self.errors:
                query[name] = value
        return query.urlencode()


@dataclass
class RowLine:
    category: Category
    stance: forms.BoundField
    priority: forms.BoundField
    capacity_note: forms.BoundField
    note: forms.BoundField
    helpers: list[str]
    entry: MatrixEntry | None

    @property
    def has_errors(self) -> bool:
        return bool(
            self.stance.errors
            or self.priority.errors
            or self.capacity_note.errors
            or self.note.errors
        )


@dataclass
class RowGroup:
    group: CategoryGroup
    lines: list[RowLine]


class RowForm(forms.Form):
    """One partner's whole row: four fields per current category."""

    def __init__(self, *args, row: PartnerRow, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        for category in row.categories:
            entry: MatrixEntry | None = row.entries.get(category.pk)
            pk = category.pk
            self.fields[f"stance_{pk}"] = forms.ChoiceField(
                label=f"Stance on {category.name}",
                choices=Stance.choices,
                # A category missing from the POST (added since the page was loaded) is
                # left as it is rather than refused.
                required=False,
                initial=entry.stance if entry else Stance.NOT_ASSESSED,
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "data-matrix-stance": str(pk)}
                ),
            )
            self.fields[f"priority_{pk}"] = forms.ChoiceField(
                label=f"Priority of the need for {category.name}",
                choices=[("", "—"), *Priority.choices],
                required=False,
                initial=entry.priority if entry else "",
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "data-matrix-priority": str(pk)}
                ),
            )
            self.fields[f"capacity_{pk}"] = forms.CharField(
                label=f"What you can contribute to {category.name}",
                max_length=500,
                required=False,
                initial=entry.capacity_note if entry else "",
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "data-matrix-capacity": str(pk)}
                ),
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label=f"Note on {category.name}",
                max_length=2000,
                required=False,
                initial=entry.note if entry else "",
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def clean(self):
        cleaned = super().clean()
        for category in self.row.categories:
            stance = cleaned.get(f"stance_{category.pk}")
            if stance in (Stance.NEED, Stance.BOTH) and not cleaned.get(f"priority_{category.pk}"):
                self.add_error(f"priority_{category.pk}", "Choose a priority for this need.")
        return cleaned

    def values(self) -> dict[int, EntryValues]:
        """What the row says, for the categories the form sent a stance for."""
        data = self.cleaned_data
        return {
            c.pk: EntryValues(
                stance=data[f"stance_{c.pk}"],
                priority=data.get(f"priority_{c.pk}", ""),
                capacity_note=data.get(f"capacity_{c.pk}", ""),
                note=data.get(f"note_{c.pk}", ""),
            )
            for c in self.row.categories
            if data.get(f"stance_{c.pk}")
        }

    def groups(self) -> list[RowGroup]:
        """The fields laid out by category group, for the template."""
        groups: list[RowGroup] = []
        for category in self.row.categories:
            if not groups or groups[-1].group.pk != category.group_id:
                groups.append(RowGroup(group=category.group, lines=[]))
            pk = category.pk
            groups[-1].lines.append(
                RowLine(
                    category=category,
                    stance=self[f"stance_{pk}"],
                    priority=self[f"priority_{pk}"],
                    capacity_note=self[f"capacity_{pk}"],
                    note=self[f"note_{pk}"],
                    helpers=self.row.helpers.get(pk, []),
                    entry=self.row.entries.get(pk),
                )
            )
        return groups


class CategoryForm(forms.ModelForm):
    name = SingleLineField(max_length=Category._meta.get_field("name").max_length)

    class Meta:
        model = Category
        fields = ["group", "name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"order": "Position within the group, smaller first. Empty: at the end."}


class CategoryGroupForm(forms.ModelForm):
    name = SingleLineField(max_length=CategoryGroup._meta.get_field("name").max_length)

    class Meta:
        model = CategoryGroup
        fields = ["name", "order"]
        help_texts = {"order": "Position among the groups, smaller first. Empty: at the end."}


class MatrixImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # the import service explains an empty file itself
        help_text="UTF-8 CSV with the columns partner, category, stance, priority, "
        "capacity_note, note (the same as the CSV export).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; split it in parts.")
        return upload


def row_field_of(name: str) -> str:
    """The row form's field for a field the row service names (its capacity notes are
    ``capacity_<category>`` on the form)."""
    return name.replace("capacity_note_", "capacity_")
