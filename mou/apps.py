from django.apps import AppConfig


class MouConfig(AppConfig):
    name = "mou"
    verbose_name = "MOU versions and role blocks"
