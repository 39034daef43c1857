"""Forms of the instruction pages. The feedback form is built from the instruction's answer sheet;
the sheet's rules (required items, choices, limits) are checked by the engine, whose errors the form shows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stations.models import Officer

from .answer_sheets import DEFAULT_TEXT_LENGTH

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return obj.name


class OfficersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return obj.name


class SignOffForm(forms.Form):
    officer = OfficerChoiceField(queryset=Officer.objects.none(), label=_("Officer"), empty_label="—")
    also = OfficersChoiceField(
        queryset=Officer.objects.none(),
        label=_("Also assign to (one case, each officer with his own instruction and clock)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["also"].queryset = officers  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What is missing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def _sheet_field(item: dict[str, Any]) -> forms.Field:
    """A form field for one sheet item. Never required here: the engine says what is missing."""
    kind, label = item["type"], item["label"]
    required = {"required": True} if item.get("required") else {}
    choices = [(str(c["value"]), c["label"]) for c in item.get("choices", [])]
    field: forms.Field
    if kind == "choice":
        field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=required))
    elif kind == "multi":
        field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
    elif kind == "bool":
        field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect(attrs=required))
    elif kind == "number":
        limits: dict[str, Any] = {k: item[k] for k in ("min", "max") if k in item}
        field = forms.CharField(widget=forms.NumberInput(attrs={"step": "any", **limits, **required}))
    elif kind == "date":
        field = forms.CharField(widget=forms.DateInput(attrs={"type": "date", **required}))
    else:  # text
        limit = int(item.get("max_length", DEFAULT_TEXT_LENGTH))
        widget = forms.Textarea(attrs={"rows": 3}) if limit > 100 else forms.TextInput()
        widget.attrs.update({"maxlength": limit, **required})
        field = forms.CharField(widget=widget)
    field.required = False
    field.label = label
    field.sheet_required = bool(item.get("required"))  # type: ignore[union-attr]
    return field


class FeedbackForm(forms.Form):
    """One field per item of the sheet; photo items are left to the phone app (`omitted`)."""

    def __init__(self, sheet_fields: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = {item["name"]: item["type"] for item in sheet_fields}
        self.labels = {item["name"]: item["label"] for item in sheet_fields}
        self.omitted = [item for item in sheet_fields if item["type"] == "photo"]
        for item in sheet_fields:
            if item["type"] != "photo":
                self.fields[item["name"]] = _sheet_field(item)

    def answers(self) -> dict[str, Any]:
        """The filled-in items, as the engine takes them."""
        answers: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in ("", None, []):
                continue
            answers[name] = value == "yes" if self.kinds[name] == "bool" else value
        return answers

    def add_sheet_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the engine's errors (by item name) next to their fields."""
        for name, messages in errors.items():
            if name in self.fields:
                self.add_error(name, messages)
            else:
                label = self.labels.get(name)
                self.add_error(None, [f"{label}: {m}" if label else m for m in messages])
