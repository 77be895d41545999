"""The "Second factor" panel of a person's page, for the coordinators who may reset it."""

from django import template

from core.permissions import user_may
from core.services.second_factor import second_factor_status

register = template.Library()

KIND_LABELS = {"totp": "authenticator app", "recovery_codes": "recovery codes"}


@register.inclusion_tag("core/_second_factor_panel.html", takes_context=True)
def second_factor_panel(context, person) -> dict:
    viewer = context["request"].user
    privileged = person.is_coordinator or person.is_staff or person.is_superuser
    if not privileged or not user_may(viewer, "coordinator"):
        return {"second_factor": {"show": False}}
    return {
        "second_factor": {
            "show": True,
            "person_pk": person.pk,
            "kinds": [KIND_LABELS.get(kind, kind) for kind in second_factor_status(user=person)],
            "may_reset": user_may(viewer, "second_factor.reset", person),
        }
    }
