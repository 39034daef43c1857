"""How a notification reads for the person who receives it: what happened (in the user's language),
where its object is for this person, and whether the object still needs him.

A page of notifications is described in a constant number of queries: the instructions of the page
(digest items included) are read once, within the reader's scope; anything outside that scope is
left out, never shown. Notices about an app's own objects (disputes' pushes to an area) are read the same
way, through what the app registers (`ObjectNotice`): the engine never names a kind of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import permissions
from stations.scoping import scope_of

from . import kinds
from .models import Instruction, Notification

K = Notification.Kind
S = Instruction.Status

# The status(es) in which the instruction still needs the person a notice of this kind told.
WAITING_FOR: dict[str, tuple[str, ...]] = {
    K.NEW_INSTRUCTION: (S.ISSUED,),
    K.SIGN_OFF_REMINDER: (S.ISSUED,),
    K.SIGN_OFF_OVERDUE: (S.ISSUED,),
    K.ASSIGNED: Instruction.FEEDBACK_OPEN,
    K.RETURNED: Instruction.FEEDBACK_OPEN,
    K.FEEDBACK_REMINDER: Instruction.FEEDBACK_OPEN,
    K.FEEDBACK_OVERDUE: Instruction.FEEDBACK_OPEN,
    K.NOTE: Instruction.FEEDBACK_OPEN,
    K.FEEDBACK: (S.FEEDBACK_SUBMITTED,),
    # A milestone's notices are also settled when it is done (`services.instruction_milestone_done`).
    K.MILESTONE_REMINDER: Instruction.OPEN_STATUSES,
    K.MILESTONE_OVERDUE: Instruction.OPEN_STATUSES,
}

# Where a field officer reads an instruction on his phone (registered by the phone's app, field/); None: the
# instruction page for everybody.
field_url: Callable[[int], str] | None = None


@dataclass
class Line:
    """One notice, or one item of a digest, as the reader sees it."""

    text: str
    url: str = ""
    needs_action: bool = False  # the kind asks the reader to do something
    done: bool = False  # ... and the object no longer needs it
    at: datetime | None = None


@dataclass(frozen=True)
class ObjectNotice:
    """A kind of notice about an app's own object, registered by the app (`register`): the payload key that
    holds the object's id, the objects a reader may see by id (one query for a page), and how it reads
    (`line(None, payload)` when the object is outside the reader's scope)."""

    kind: str
    key: str
    lookup: Callable[[Any, set[int]], dict[int, Any]]
    line: Callable[[Any, dict[str, Any]], Line]


_object_notices: dict[str, ObjectNotice] = {}


def register(notice: ObjectNotice, label: Any) -> None:
    _object_notices[notice.kind] = notice
    kinds.register_notice_kind(notice.kind, label)


@dataclass
class Row:
    notification: Notification
    line: Line
    items: list[Line] = field(default_factory=list)
    hidden_items: int = 0  # digest items outside the reader's scope (not shown)
    item_ids: set[int] = field(default_factory=set)  # the digest items shown
    in_scope: bool = True  # False: its object is outside the reader's scope now (payload withheld)

    @property
    def is_read(self) -> bool:
        return self.notification.read_at is not None


def _subject(instruction: Instruction) -> str:
    """Which instruction: its kind, then its subject as the kind shows it (e.g. the incident's number, the
    category and the community), else its own #. No personal data."""
    subject = kinds.describe(instruction)
    parts = [instruction.get_kind_display(), subject.title, subject.tag, subject.community and subject.community.name]
    return " · ".join(p for p in parts if p)


def _when(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return ""
    return timezone.localtime(value).strftime("%m-%d %H:%M")


def _milestone(payload: dict[str, Any], instruction: Instruction | None) -> str:
    """The milestone a notice is about, by the label its kind registers."""
    name = str(payload.get("milestone", ""))
    milestone = kinds.get(instruction.kind).milestone(name) if instruction is not None and name else None
    return str(milestone.label) if milestone is not None else name


def text_for(kind: str, payload: dict[str, Any], instruction: Instruction | None) -> str:
    """What happened, in one sentence."""
    subject = _subject(instruction) if instruction is not None else _("an instruction")
    values = {
        "subject": subject,
        "due": _when(payload.get("due")),
        "comment": str(payload.get("comment", ""))[:200],
        "reason": str(payload.get("reason", ""))[:200],
        "note": str(payload.get("note", ""))[:200],
        "outcome": str(payload.get("outcome", "")) or "—",
        "last": _when(payload.get("last_success")) or "—",
        "milestone": _milestone(payload, instruction),
    }
    texts: dict[str, str] = {
        K.NEW_INSTRUCTION: _("New instruction to sign off: %(subject)s"),
        K.ASSIGNED: _("Assigned to you: %(subject)s"),
        K.FEEDBACK: _("Feedback to review: %(subject)s"),
        K.RETURNED: _("Your feedback was returned (%(comment)s): %(subject)s"),
        K.CLOSED: _("Feedback accepted, closed: %(subject)s"),
        K.CANCELLED: _("Cancelled (%(reason)s): %(subject)s"),
        K.SIGN_OFF_REMINDER: _("Sign-off due at %(due)s: %(subject)s"),
        K.FEEDBACK_REMINDER: _("Feedback due at %(due)s: %(subject)s"),
        K.SIGN_OFF_OVERDUE: _("Escalation: not signed off by %(due)s: %(subject)s"),
        K.FEEDBACK_OVERDUE: _("Escalation: no feedback by %(due)s: %(subject)s"),
        K.NOTE: _("New information (%(note)s): %(subject)s"),
        K.MILESTONE_REMINDER: _("%(milestone)s due at %(due)s: %(subject)s"),
        K.MILESTONE_OVERDUE: _("Escalation: %(milestone)s not done by %(due)s: %(subject)s"),
        K.REPORT: _("Revisit report, outcome %(outcome)s: %(subject)s"),
        K.SWEEP_LATE: _("The deadline sweep has not succeeded since %(last)s: reminders and escalations are held up"),
        K.SWEEP_RECOVERED: _("The deadline sweep runs again (it had stopped after %(last)s)"),
    }
    return texts.get(kind, str(kind)) % values


def url_for(user: Any, instruction: Instruction) -> str:
    """Where the instruction is for this reader: the phone's item for officers, else the instruction page."""
    if field_url is not None and permissions.is_field_officer(scope_of(user).officer):
        return field_url(instruction.pk)
    return reverse("tasks:instruction-detail", args=[instruction.pk])


def _line(user: Any, kind: str, payload: dict[str, Any], instruction: Instruction | None) -> Line:
    waiting = WAITING_FOR.get(kind)
    if instruction is None:
        return Line(text=text_for(kind, payload, None), needs_action=waiting is not None)
    return Line(
        text=text_for(kind, payload, instruction),
        url=url_for(user, instruction),
        needs_action=waiting is not None,
        done=waiting is not None and instruction.status not in waiting,
    )


def _ids(notifications: Iterable[Notification]) -> tuple[set[int], dict[str, set[int]]]:
    instruction_ids: set[int] = set()
    object_ids: dict[str, set[int]] = {}
    for n in notifications:
        if n.instruction_id:
            instruction_ids.add(n.instruction_id)
        notice = _object_notices.get(n.kind)
        if notice is not None and isinstance(n.payload.get(notice.key), int):
            object_ids.setdefault(n.kind, set()).add(n.payload[notice.key])
        if n.kind == K.DIGEST:
            for item in n.payload.get("items", []):
                if isinstance(item, dict) and isinstance(item.get("instruction"), int):
                    instruction_ids.add(item["instruction"])
    return instruction_ids, object_ids


def describe(user: Any, notifications: Iterable[Notification]) -> list[Row]:
    """The rows of a page of the user's notifications: one query for the instructions and one per kind of
    object notice on the page, whatever the page holds."""
    notifications = list(notifications)
    instruction_ids, object_ids = _ids(notifications)
    visible: dict[int, Instruction] = {}
    if instruction_ids:
        visible = {
            i.pk: i
            for i in Instruction.objects.visible_to(user)
            .filter(pk__in=instruction_ids)
            .select_related(*kinds.subject_related())
        }
    objects = {kind: _object_notices[kind].lookup(user, ids) for kind, ids in object_ids.items()}
    rows = []
    for n in notifications:
        if n.kind == K.DIGEST:
            items, hidden, shown = [], 0, set()
            for item in n.payload.get("items", []):
                instruction = visible.get(item.get("instruction") or 0) if isinstance(item, dict) else None
                if instruction is None:
                    hidden += 1
                    continue
                shown.add(instruction.pk)
                items.append(_line(user, str(item.get("kind", "")), item, instruction))
            raw = [i for i in n.payload.get("items", []) if isinstance(i, dict) and i.get("instruction") in shown]
            notice_kinds = {str(i.get("kind")) for i in raw} & set(K.values)
            text = _("%(n)d notices at once: %(kinds)s") % {
                "n": len(items),
                "kinds": "、".join(sorted(str(K(k).label) for k in notice_kinds)),
            }
            line = Line(
                text=text,
                needs_action=any(i.needs_action for i in items),
                done=bool(items) and all(i.done or not i.needs_action for i in items),
                at=n.created_at,
            )
            rows.append(Row(n, line, items, hidden, shown))
            continue
        notice = _object_notices.get(n.kind)
        if notice is not None:
            obj = objects.get(n.kind, {}).get(n.payload.get(notice.key) or 0)
            line = notice.line(obj, n.payload if obj is not None else {})
            line.at = n.created_at
            rows.append(Row(n, line, in_scope=obj is not None))
            continue
        instruction = visible.get(n.instruction_id) if n.instruction_id else None
        in_scope = instruction is not None or not n.instruction_id
        line = _line(user, n.kind, n.payload if in_scope else {}, instruction)
        line.at = n.created_at
        rows.append(Row(n, line, in_scope=in_scope))
    return rows


def api_payload(row: Row) -> dict[str, Any]:
    """The notification's payload as the API shows it: a digest lists only the items in the reader's scope."""
    if not row.in_scope:
        return {}
    payload = dict(row.notification.payload)
    if row.notification.kind == K.DIGEST:
        items = [i for i in payload.get("items", []) if isinstance(i, dict) and i.get("instruction") in row.item_ids]
        counts: dict[str, int] = {}
        for item in items:
            counts[str(item.get("kind", ""))] = counts.get(str(item.get("kind", "")), 0) + 1
        payload["items"], payload["counts"] = items, counts
    return payload
