"""The kinds of work about incidents, registered with the engine (`tasks.kinds`).

A dispute instruction and a revisit are about an incident (a `Dispatch` row links them): the incident's
category gives the feedback window (3, 6, 9 or 24 hours) and may leave the feedback to the station's duty
leader; pages show the incident, notices its number, category and community; a case's sibling is about
the same incident. `about_incident` builds such a kind, so that the center's other free-form kinds (issued
with an incident or a category through POST /instructions/) behave alike.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stations import permissions
from stations.masking import mask_name, mask_phone
from tasks import hooks, kinds, notices

if TYPE_CHECKING:
    from stations.models import Officer
    from tasks.models import Instruction
    from tasks.notify import Recipients

    from .models import Category

DISPUTE = "dispute"
REVISIT = "revisit"
PUSH_NOTICE = "push"  # the notice an area worker gets for each revisit outcome pushed to his area


def _category(instruction: Instruction) -> Category | None:
    from .selectors import dispatch_of

    link = dispatch_of(instruction)
    return link.category if link is not None else None


def category_reviews(officer: Officer) -> Q | None:
    """A duty leader (a post's chief) accepts or returns his station's feedback of the categories that leave it
    to him."""
    if permissions.leads_station(officer):
        return Q(station_id=officer.station_id, dispatch__category__accepted_by="duty_leader")
    return None


def category_reviewers(instruction: Instruction, recipients: Recipients) -> list[int]:
    category = _category(instruction)
    if category is not None and category.accepted_by == "duty_leader":
        return recipients.duty_leader[instruction.station_id]
    return []  # the center


def category_window(instruction: Instruction) -> timedelta | None:
    category = _category(instruction)
    return timedelta(hours=category.feedback_hours) if category is not None and category.feedback_hours else None


def describe(instruction: Instruction, user: Any) -> kinds.Subject:
    """The incident (number, category, summary, community, address) and, on the instruction page, the caller
    as `user` may see him: the name in full for the roles that act on incidents and the item's officer."""
    from .selectors import dispatch_of

    link = dispatch_of(instruction)
    incident = link.incident if link is not None else None
    category = link.category if link is not None else None
    if incident is None:
        return kinds.Subject(
            title=f"#{instruction.pk}",
            tag=category.name if category is not None else "",
            summary=instruction.note,
            panel="disputes/_instruction_incident.html",
        )
    details: dict[str, Any] = {"incident": incident}
    if user is not None:
        shown = permissions.sees_personal_data(user, instruction.officer_id)
        details["caller_name"] = incident.caller_name if shown else mask_name(incident.caller_name)
        details["caller_phone"] = mask_phone(incident.caller_phone)
    return kinds.Subject(
        title=incident.number,
        tag=category.name if category is not None else "",
        summary=incident.summary,
        community=incident.community,
        address=incident.address,
        panel="disputes/_instruction_incident.html",
        details=details,
    )


def copy_dispatch(source: Instruction, sibling: Instruction) -> None:
    """A case's sibling (another officer) is about the same incident, with the same category."""
    from .models import Dispatch

    link = Dispatch.objects.filter(instruction=source).first()
    if link is not None:
        Dispatch.objects.create(instruction=sibling, incident_id=link.incident_id, category_id=link.category_id)


def about_incident(code: str, label: Any, **more: Any) -> kinds.KindOfWork:
    hooks.on_sibling(code)(copy_dispatch)
    return kinds.KindOfWork(
        code,
        label,
        reviews=category_reviews,
        reviewers=category_reviewers,
        feedback_window=category_window,
        describe=describe,
        subject_related=("dispatch__incident__community", "dispatch__incident__category", "dispatch__category"),
        terms_related=("dispatch__category",),
        **more,
    )


def _visible_pushes(user: Any, ids: set[int]) -> dict[int, Any]:
    from .models import Push

    return {p.pk: p for p in Push.objects.visible_to(user).filter(pk__in=ids).select_related("community", "incident")}


def _push_line(push: Any, payload: dict[str, Any]) -> notices.Line:
    if push is None:  # outside the reader's area now
        return notices.Line(text=gettext("A revisit outcome for your area"))
    values = {"community": push.community.name, "incident": push.incident.number, "outcome": push.outcome or "—"}
    return notices.Line(
        text=gettext("Revisit outcome for %(community)s (%(incident)s): %(outcome)s") % values,
        url=f"{reverse('disputes:pushes')}#push-{push.pk}",
        needs_action=True,
        done=push.acknowledged_at is not None,
    )


def register() -> None:
    kinds.register(about_incident(DISPUTE, _("Dispute")))
    kinds.register(about_incident(REVISIT, _("Revisit")))
    notices.register(
        notices.ObjectNotice(PUSH_NOTICE, key="push", lookup=_visible_pushes, line=_push_line),
        _("Revisit outcome pushed to your area"),
    )
