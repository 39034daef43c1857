"""People are shown by name and role, never by login name: `{{ event.actor|person }}`.

Select the user's officer with the rows (`select_related("actor__officer")`) to keep one query per list."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


def person_label(user: Any) -> str:
    """'王中心（指挥中心民警）' for an officer; the login name only for an account without a profile."""
    if user is None:
        return ""
    try:
        officer = user.officer
    except (ObjectDoesNotExist, AttributeError):
        officer = None
    if officer is None:
        return user.get_username()
    return _("%(name)s (%(role)s)") % {"name": officer.name, "role": officer.get_role_display()}


@register.filter
def person(user: Any) -> str:
    return person_label(user)
