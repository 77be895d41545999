"""The portal ships only the parts of Bootstrap its pages use (static/scss/portal-bootstrap.scss,
built by `bin/build-css`). Every class a page's markup names, in the templates, the form
templates of crispy-bootstrap5 and the HTML built in Python, is styled by that build or by
the portal's own stylesheets, so a page cannot use a class that was left out of the build."""

import re
from pathlib import Path

import crispy_bootstrap5
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BUILT = ROOT / "static" / "vendor" / "bootstrap" / "portal-bootstrap.min.css"
OWN_CSS = sorted((ROOT / "static" / "css").glob("*.css"))
CRISPY = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5"
# The crispy templates that the `|crispy` filter renders (the portal uses no FormHelper
# layouts, so none of accordions, modals, tabs or floating fields).
CRISPY_USED = [
    "uni_form.html",
    "errors.html",
    "field.html",
    "layout/attrs.html",
    "layout/help_text.html",
    "layout/help_text_and_errors.html",
    "layout/field_errors.html",
    "layout/field_errors_block.html",
    "layout/field_file.html",
    "layout/radio_checkbox_select.html",
]
# Markup that is not a page of the portal's layout: e-mails carry inline styles and PDFs
# their own stylesheet.
NOT_PAGES = ("templates/emails/", "templates/mou/pdf/")

# Classes that no stylesheet styles on purpose: names that scripts, htmx or tests look for,
# or that only say what a part of a page is; and crispy's markers.
HOOKS = {
    "alert-block",
    "attendance-summary",
    "asteriskField",
    "categories",
    "dashboard-filters",
    "item-status",
    "messages",
    "mou-block-text",
    "mou-doc-block",
    "mou-readonly",
    "mou-resolve",
    "mou-sign-behalf",
    "mou-signing",
    "partner-card",
    "partner-description",
    "recovery-codes",
    "rendered",
    "requiredField",
    "totp-qr",
}
# crispy's file field shows an input group (and Bootstrap 4's ml-2) only for a file the
# form already holds, which no form of the portal has: its attachments are only uploaded.
NEVER_SHOWN = {"input-group-text", "ml-2"}
# Classes built from a value at render time, as `alert-{{ message.tags }}`: each name the
# code can produce.
BUILT_AT_RENDER = {
    "alert-danger",
    "alert-info",
    "alert-success",
    "alert-warning",
    "text-bg-danger",
    "text-bg-light",
    "text-bg-primary",
    "text-bg-secondary",
    "text-bg-success",
    "text-bg-warning",
}

CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S)
PY_CLASS = re.compile(r"""["']class["']\s*:\s*["']([^"']*)["']""")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\{\}|%s", re.S)
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)")


def names_in(value: str) -> set[str]:
    """The whole class names in a class attribute's value. A name glued to a template tag
    (`alert-{{ kind }}`, `{% if x %}danger{% endif %}`) is only part of a name, and left out."""
    names = set()
    for token in TEMPLATE_TAG.sub("\0", value).split():
        if "\0" in token:
            token = token.split("\0")[0]
            if not token or token.endswith("-"):
                continue
        names.add(token)
    return names


def _template_files() -> list[Path]:
    files = [
        path
        for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
        for path in folder.rglob("*.html")
        if not str(path.relative_to(ROOT)).startswith(NOT_PAGES)
    ]
    return files + [CRISPY / name for name in CRISPY_USED]


def _python_files() -> list[Path]:
    # Not the settings: their LOGGING names handler classes.
    skip = {".venv", "tests", "migrations", "bench", "static", "var", "config"}
    apps = [p for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    return [
        path
        for app in apps
        if app.name not in skip
        for path in app.rglob("*.py")
        if not skip & set(path.relative_to(ROOT).parts) and "pdf" not in path.name
    ]


def used_classes() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in _template_files():
        # Tags first, as their arguments may hold quotes: class="{{ x|slice:"4:7" }}".
        for match in CLASS_ATTR.finditer(TEMPLATE_TAG.sub("\0", path.read_text())):
            for name in names_in(match.group(1) if match.group(1) is not None else match.group(2)):
                used.setdefault(name, set()).add(path.name)
    for path in _python_files():
        text = path.read_text()
        values = [m.group(1) or m.group(2) or "" for m in CLASS_ATTR.finditer(text)]
        values += PY_CLASS.findall(text)
        for value in values:
            for name in names_in(value):
                used.setdefault(name, set()).add(path.name)
    return used


def styled_classes(css: str) -> set[str]:
    without_urls = re.sub(r"url\([^)]*\)", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    selectors = re.findall(r"([^{}]+)\{", without_urls)
    return {name for selector in selectors for name in CSS_CLASS.findall(selector)}


def test_the_build_is_bootstraps_subset_and_small():
    css = BUILT.read_text().lstrip("\ufeff")
    assert "Bootstrap" in css[:300] and "v5.3.8" in css[:300]
    # The full stylesheet was 232 KB; the portal's parts are about half of it.
    assert len(css.encode()) < 125_000
    for left_out in (".modal", ".carousel", ".accordion", ".toast", ".popover", ".tooltip"):
        assert left_out + "{" not in css and left_out + " " not in css, left_out


def test_every_class_the_pages_use_is_styled():
    styled = styled_classes(BUILT.read_text())
    for sheet in OWN_CSS:
        styled |= styled_classes(sheet.read_text())
    used = used_classes()
    assert "navbar-toggler" in used and "table-stack" in used and "fw-semibold" in used
    missing = {
        name: sorted(where)
        for name, where in used.items()
        if name not in styled | HOOKS | NEVER_SHOWN
    }
    assert not missing, "Classes no stylesheet styles (add the Bootstrap part to " + (
        "static/scss/portal-bootstrap.scss and run bin/build-css, or style them):\n"
        + "\n".join(f"  {name}: {', '.join(where)}" for name, where in sorted(missing.items()))
    )
    assert styled >= BUILT_AT_RENDER, sorted(BUILT_AT_RENDER - styled)


def test_a_class_glued_to_a_template_tag_is_only_part_of_a_name():
    assert names_in("alert alert-{% if x %}danger{% else %}{{ y }}{% endif %} fade") == {
        "alert",
        "fade",
    }
    assert names_in("nav-link{% if on %} active{% endif %}") == {"nav-link", "active"}
    assert names_in("badge block-status-{}") == {"badge"}
