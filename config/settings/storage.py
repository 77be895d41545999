"""The static files storage of `make run` (config.settings.local)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Production's storage, with hashed names while DEBUG is on too: Django's manifest
    storage names the plain files in DEBUG, which no browser may cache for long."""

    def url(self, name, force=False):
        return super().url(name, force=True)
