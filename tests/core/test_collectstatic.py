"""The production image's `collectstatic` (whitenoise's manifest storage) succeeds, and its
manifest names every file a template asks for: without the manifest every page is a 500."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def _template_static_names() -> set[str]:
    names = set()
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        for template in folder.rglob("*.html"):
            names.update(STATIC_TAG.findall(template.read_text()))
    return names


def test_collectstatic_with_the_production_storage_writes_a_complete_manifest(tmp_path):
    # The production storage, as config.settings.base sets it (the test settings swap it).
    production_storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=production_storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "css/portal.css" in manifest
    assert "vendor/bootstrap/portal-bootstrap.min.css" in manifest
    hashed = manifest["vendor/bootstrap/portal-bootstrap.min.css"]
    assert hashed != "vendor/bootstrap/portal-bootstrap.min.css" and (tmp_path / hashed).is_file()
    # Every {% static %} of every template resolves, or that page would be a 500.
    wanted = _template_static_names()
    assert "css/portal.css" in wanted
    assert wanted <= set(manifest), sorted(wanted - set(manifest))
