"""The shape of the house, read from the code: imports run one way, and the layers that
do the work (services, selectors, tasks) know nothing of HTTP.

Layers, bottom up: core → partnership → needs_matrix, meetings → mou → dashboard →
config. An app may import its own modules and those of the layers below it, never one
beside it or above it, not even inside a function. docs/architecture.md explains why.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {
    "core": 0,
    "partnership": 1,
    "needs_matrix": 2,
    "meetings": 2,
    "mou": 3,
    "dashboard": 4,
    "config": 5,
}
# The modules that do the work: no request, no response, no django.http.
WORKING_PARTS = ("services", "selectors", "tasks")


def _python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _import_violations() -> list[str]:
    found = []
    for app, layer in LAYERS.items():
        for path in _python_files(app):
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, module in _imported_modules(tree):
                target = module.split(".")[0]
                if target == app or target not in LAYERS:
                    continue
                if LAYERS[target] >= layer:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_imports_run_only_down_the_layers():
    assert _import_violations() == []


def test_the_walk_sees_an_upward_import(tmp_path, monkeypatch):
    """The check itself: a core module that imports mou is caught."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("def f():\n    from mou.models import RoleBlock\n")
    (tmp_path / "mou").mkdir()
    (tmp_path / "mou" / "fine.py").write_text("from core.models import User\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.LAYERS", {"core": 0, "mou": 3})
    assert _import_violations() == ["core/bad.py:2 imports mou.models"]


def _working_modules():
    for app in LAYERS:
        for path in _python_files(app):
            rel = path.relative_to(ROOT / app).parts
            if rel[0] in WORKING_PARTS or rel[0].removesuffix(".py") in WORKING_PARTS:
                yield path


def _http_violations(paths) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        name = path.relative_to(ROOT)
        for line, module in _imported_modules(tree):
            if module == "django.http" or module.startswith("django.http."):
                found.append(f"{name}:{line} imports {module}")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
                if "request" in names:
                    found.append(f"{name}:{node.lineno} {node.name}() takes a request")
    return found


def test_services_selectors_and_tasks_know_no_http():
    paths = list(_working_modules())
    assert len(paths) > 20  # the walk found the apps' working modules
    assert _http_violations(paths) == []


@pytest.mark.parametrize(
    "source",
    [
        "from django.http import HttpRequest\n",
        "def f(*, actor, request=None):\n    pass\n",
    ],
)
def test_the_http_check_sees_a_request(tmp_path, monkeypatch, source):
    (tmp_path / "core" / "services").mkdir(parents=True)
    path = tmp_path / "core" / "services" / "bad.py"
    path.write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert len(_http_violations([path])) == 1
