from django.apps import AppConfig


class MouConfig(AppConfig):
    name = "mou"
    verbose_name = "MOU versions and role blocks"

    def ready(self) -> None:
        # The open version's block deadline and the signing deadline in people's calendars.
        from meetings.selectors import calendar_source_register
        from mou.selectors import mou_calendar_entries

        calendar_source_register(mou_calendar_entries)

        # The frozen MOU's texts are stored as HTML beside the record, not in its columns.
        from core.services.markdown import markdown_rerenderer_register
        from mou.services.signing import frozen_html_rerender_stale

        markdown_rerenderer_register("mou.FrozenMouHtml", frozen_html_rerender_stale)
