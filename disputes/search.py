"""Find any incident: the filters of the incident list page and of `GET /api/v1/incidents/?search=`,
within the user's scope, fast at a million incidents.

- Pages go by keyset (received_at, pk) descending: no OFFSET, no COUNT(*) over the table; the number
  found is counted up to a cap.
- The caller phone matches the normalised number exactly (the phone index); the address matches a
  substring through a pg_trgm GIN index (at least three characters, the least a trigram can use).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.time import day_bounds
from disputes.models import Category
from stations.models import Community, Station
from stations.scoping import Reach, scope_of
from tasks.models import Instruction

from .identity import normalise_phone
from .models import Incident

PAGE_SIZE = 50
COUNT_CAP = 1_000
MIN_ADDRESS = 3
CURSOR = re.compile(r"^([0-9]{1,20})\.([0-9]{1,12})$", re.ASCII)
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$", re.ASCII)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def open_instruction() -> Exists:
    return Exists(Instruction.objects.filter(dispatch__incident=OuterRef("pk"), status__in=Instruction.OPEN_STATUSES))


def _day(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(_("Give a date between %(first)s and %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY})
    return value


def phone_key(raw: str) -> str:
    """The normalised form of a searched phone, or ValidationError (a field error)."""
    return normalise_phone(raw)


def _boolean_choices() -> list[tuple[str, str]]:
    return [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class IncidentSearchForm(forms.Form):
    """The list page's filters; every value a user can send is either valid or a field error."""

    number = forms.CharField(label=gettext_lazy("Incident number"), required=False, max_length=32)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.none(), required=False, to_field_name="code"
    )
    station = forms.ModelChoiceField(
        label=gettext_lazy("Station"), queryset=Station.objects.none(), required=False, to_field_name="code"
    )
    community = forms.ModelChoiceField(
        label=gettext_lazy("Community"), queryset=Community.objects.none(), required=False, to_field_name="code"
    )
    address = forms.CharField(label=gettext_lazy("Address contains"), required=False, max_length=100)
    phone = forms.CharField(label=gettext_lazy("Caller phone"), required=False, max_length=32)
    flagged = forms.ChoiceField(label=gettext_lazy("Repeat risk"), required=False, choices=_boolean_choices)
    open = forms.ChoiceField(label=gettext_lazy("Open instruction"), required=False, choices=_boolean_choices)
    cursor = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("sort_order", "code")
        self.fields["station"].queryset = Station.objects.visible_to(user).order_by("code")
        self.fields["community"].queryset = Community.objects.visible_to(user).order_by("code")

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if number and not NUMBER.match(number):
            raise ValidationError(_("An incident number holds letters, digits or dashes."))
        return number

    def clean_date_from(self) -> dt.date | None:
        return _day(self.cleaned_data["date_from"])

    def clean_date_to(self) -> dt.date | None:
        return _day(self.cleaned_data["date_to"])

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        if address and len(address) < MIN_ADDRESS:
            raise ValidationError(_("Give at least %(n)d characters of the address.") % {"n": MIN_ADDRESS})
        return address

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return phone_key(phone) if phone else ""

    def clean_cursor(self) -> tuple[dt.datetime, int] | None:
        raw = self.cleaned_data["cursor"].strip()
        if not raw:
            return None
        match = CURSOR.match(raw)
        if match is None:
            raise ValidationError(_("This page link is not valid; start again from the first page."))
        try:
            at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(match.group(1)))
        except OverflowError:
            raise ValidationError(_("This page link is not valid; start again from the first page.")) from None
        return at, int(match.group(2))


def cursor_of(incident: Incident) -> str:
    delta = incident.received_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return f"{delta // dt.timedelta(microseconds=1)}.{incident.pk}"


def filtered(queryset: QuerySet[Incident], data: dict[str, Any]) -> QuerySet[Incident]:
    """The incidents matching the cleaned filters (the cursor aside)."""
    if data.get("number"):
        queryset = queryset.filter(number=data["number"])
    if data.get("date_from"):
        queryset = queryset.filter(received_at__gte=day_bounds(data["date_from"])[0])
    if data.get("date_to"):
        queryset = queryset.filter(received_at__lt=day_bounds(data["date_to"])[1])
    for name in ("category", "station", "community"):
        if data.get(name) is not None:
            queryset = queryset.filter(**{name: data[name]})
    if data.get("address"):
        queryset = queryset.filter(address__contains=data["address"])
    if data.get("phone"):
        queryset = queryset.filter(caller_phone_norm=data["phone"])
    if data.get("flagged") in ("yes", "no"):
        queryset = queryset.filter(repeat_flagged=data["flagged"] == "yes")
    if data.get("open") in ("yes", "no"):
        queryset = queryset.filter(has_open=data["open"] == "yes")
    return queryset


@dataclass
class Page:
    incidents: list[Incident]
    found: int  # up to COUNT_CAP + 1
    next_cursor: str

    @property
    def capped(self) -> bool:
        return self.found > COUNT_CAP


def search_page(user: Any, data: dict[str, Any]) -> Page:
    """One page of the user's incidents matching the filters, newest first: two queries."""
    base = (
        Incident.objects.visible_to(user)
        .annotate(has_open=open_instruction())
        .select_related("category", "community", "station")
    )
    matching = filtered(base, data)
    found = matching.order_by()[: COUNT_CAP + 1].count()
    page = matching.order_by("-received_at", "-pk")
    if data.get("cursor"):
        at, pk = data["cursor"]
        page = page.filter(Q(received_at__lt=at) | Q(received_at=at, pk__lt=pk))
    rows = list(page[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(incidents=rows, found=found, next_cursor=cursor_of(rows[-1]) if more else "")


def text_search(queryset: QuerySet[Incident], text: str) -> QuerySet[Incident]:
    """The API's `search`: the 110 number, a phone (matched on its normalised form) or address text."""
    text = text.strip()
    if not text:
        return queryset
    found = Q(number=text) if NUMBER.match(text) else Q(pk__in=[])
    with contextlib.suppress(ValidationError):
        found |= Q(caller_phone_norm=normalise_phone(text))
    if len(text) >= MIN_ADDRESS:
        found |= Q(address__contains=text)
    return queryset.filter(found)


def may_search(user: Any) -> bool:
    """Center staff and the stations' command rooms and duty leaders (their station's incidents)."""
    from tasks.policy import may_issue

    return may_issue(user) or scope_of(user).reach is Reach.STATION
