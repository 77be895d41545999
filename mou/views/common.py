"""Helpers the MOU pages share."""

from django.shortcuts import get_object_or_404

from core.views_helpers import check
from mou.models import MouVersion

BLOCKS_PER_PAGE = 50
VERSIONS_PER_PAGE = 20
HISTORY_PER_PAGE = 50


def version_for(request, pk: int, action: str = "mou.version.view") -> MouVersion:
    version = get_object_or_404(MouVersion.objects.select_related("previous"), pk=pk)
    check(request, action, version)
    return version
