from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        # Each app declares its rules in its own permissions module; importing them here
        # registers them with the one permission entry point, core.permissions.user_may; their
        # reminders modules register deadline sources with core.services.reminders.
        from importlib import import_module

        from django.apps import apps

        from core import dbtime

        dbtime.install()

        for config in apps.get_app_configs():
            if config.name in {"core", "partnership", "mou", "needs_matrix", "meetings"}:
                for module in ("permissions", "reminders"):
                    try:
                        import_module(f"{config.name}.{module}")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{config.name}.{module}":
                            raise
