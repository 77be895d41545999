"""`make lint` runs pre-commit with local hooks only: nothing is fetched, and each hook runs
the tool at the version requirements-dev.txt pins, from the project's .venv."""

import re
import shlex
import tomllib
from importlib.metadata import version
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
HOOKS = [hook for repo in CONFIG["repos"] for hook in repo["hooks"]]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        name, sep, pinned = line.partition("==")
        if sep and not line.startswith("#"):
            found[name.strip().lower()] = pinned.strip()
    return found


def as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_every_hook_is_local_and_installs_nothing():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    for hook in HOOKS:
        # "unsupported" (formerly "system"): run the entry as it is, build no environment.
        assert hook["language"] in {"unsupported", "system"}, hook["id"]
        assert not hook.get("additional_dependencies"), hook["id"]


def test_hooks_run_the_pinned_tools_from_the_venv():
    pinned = pins()
    tools = set()
    for hook in HOOKS:
        executable = shlex.split(hook["entry"])[0]
        assert executable.startswith(".venv/bin/"), hook["id"]
        tool = executable.removeprefix(".venv/bin/")
        assert tool in pinned, f"{tool} (hook {hook['id']}) is not pinned in requirements-dev.txt"
        # The environment this suite runs in is the one `make dev-venv` made from the pins.
        assert version(tool) == pinned[tool], tool
        tools.add(tool)
    assert tools == {"ruff", "djlint"}
    assert version("pre-commit") == pinned["pre-commit"]
    assert as_tuple(pinned["pre-commit"]) >= as_tuple(CONFIG["minimum_pre_commit_version"])


def test_djlint_hooks_take_every_html_template_and_no_plain_text_one():
    djlint_hooks = [hook for hook in HOOKS if hook["entry"].startswith(".venv/bin/djlint")]
    assert {hook["id"] for hook in djlint_hooks} == {"djlint-lint", "djlint-check"}
    folders = [ROOT / "templates"] + [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        # the project's apps, not installed packages (a virtualenv may sit in the checkout)
        if Path(app.path).is_relative_to(ROOT) and "site-packages" not in Path(app.path).parts
    ]
    templates = [
        path.relative_to(ROOT).as_posix()
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
    ]
    assert any(name.endswith(".txt") for name in templates)
    for hook in djlint_hooks:
        files = re.compile(hook["files"])
        for name in templates:
            assert bool(files.search(name)) == name.endswith(".html"), (hook["id"], name)
    djlint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["djlint"]
    # The plain-text e-mails are output as written; djlint never reads them.
    assert djlint["extension"] == "html"
