"""What the MOU adds to other apps' moments (discovered by core.apps)."""

from core.calendar import calendar_source_register
from core.hooks import PARTNER_ACTIVATED, hook_register
from core.services.markdown import markdown_rerenderer_register
from mou.selectors import mou_calendar_entries
from mou.services import blocks_ensure_for_partner
from mou.services.signing import frozen_html_rerender_stale

# A partner that joins (or returns) while an MOU version is open gets its block too.
hook_register(PARTNER_ACTIVATED, blocks_ensure_for_partner)

# The open version's block deadline and the signing deadline in people's calendars.
calendar_source_register(mou_calendar_entries)

# The frozen MOU's texts are stored as HTML beside the record, not in its columns.
markdown_rerenderer_register("mou.FrozenMouHtml", frozen_html_rerender_stale)
