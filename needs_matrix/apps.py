from django.apps import AppConfig


class NeedsMatrixConfig(AppConfig):
    name = "needs_matrix"
    verbose_name = "Needs, contributions and gaps"
