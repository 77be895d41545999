from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        # Every app plugs into core through three modules, found here at start-up (so core
        # names no app): ``permissions`` declares its rules with core.permissions.rule,
        # ``reminders`` registers its deadline sources with core.services.reminders, and
        # ``hooks`` registers what it adds to other apps' moments (core.hooks), to people's
        # calendars (core.calendar) and to the Markdown re-render (core.services.markdown).
        # ``tasks`` are imported too, so services can hand work over by the task's name
        # (core.deferred) in the web process as in the worker; ``portal_tasks`` registers
        # the things a partner does that an action item can be tied to (core.portal_tasks).
        from django.utils.module_loading import autodiscover_modules

        from core import dbtime

        dbtime.install()
        autodiscover_modules("permissions", "reminders", "hooks", "tasks", "portal_tasks")
