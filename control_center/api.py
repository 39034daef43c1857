"""The daily selection API (v1): run, read, review, dispatch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core import api_fields
from core.idempotency import idempotent
from disputes.models import Incident
from stations.scoping import scope_of

from . import services
from .models import Selection, SelectionEvent, SelectionItem


class SelectionItemSerializer(serializers.ModelSerializer):
    incident = serializers.PrimaryKeyRelatedField(read_only=True)
    number = serializers.CharField(source="incident.number", read_only=True)
    instruction = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SelectionItem
        fields = ["incident", "number", "score", "reasons", "rank", "included", "added_by_hand", "instruction"]


class SelectionEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    incident = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = SelectionEvent
        fields = ["at", "kind", "actor", "incident", "note"]


class SelectionSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()
    removed = serializers.SerializerMethodField()
    history = SelectionEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Selection
        fields = [
            "date",
            "status",
            "candidates",
            "created_at",
            "dispatch_due",
            "dispatched_at",
            "auto_dispatched",
            "items",
            "removed",
            "history",
        ]

    def get_items(self, obj: Selection) -> list[dict[str, Any]]:
        return SelectionItemSerializer([i for i in obj.items.all() if i.included], many=True).data

    def get_removed(self, obj: Selection) -> list[dict[str, Any]]:
        return SelectionItemSerializer([i for i in obj.items.all() if not i.included], many=True).data


class DateSerializer(serializers.Serializer):
    date = api_fields.DateField()


class ItemChangeSerializer(serializers.Serializer):
    incident = api_fields.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500)


def selections() -> Any:
    items = SelectionItem.objects.select_related("incident").order_by("rank", "pk")
    events = SelectionEvent.objects.select_related("actor").order_by("at", "pk")
    return Selection.objects.prefetch_related(Prefetch("items", queryset=items), Prefetch("events", queryset=events))


class SelectionViewSet(viewsets.GenericViewSet):
    """The daily selection, named by the date of its incidents. Center roles only; others get 404."""

    lookup_field = "date"
    lookup_value_regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    serializer_class = SelectionSerializer

    def get_queryset(self) -> Any:
        return selections() if scope_of(self.request.user).is_district else Selection.objects.none()

    def _answer(self, selection: Selection, status: int = 200) -> Response:
        return Response(SelectionSerializer(selections().get(pk=selection.pk)).data, status=status)

    def _call(self, fn: Any, **kwargs: Any) -> Any:
        try:
            return fn(actor=self.request.user, **kwargs)
        except PermissionDenied:
            raise exceptions.PermissionDenied(_("Only the control center selects and dispatches.")) from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None

    def _incident(self, pk: int) -> Incident:
        incident = Incident.objects.visible_to(self.request.user).filter(pk=pk).first()
        if incident is None:
            raise exceptions.ValidationError({"incident": [_("No such incident.")]})
        return incident

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-date"))
        return self.get_paginated_response(SelectionSerializer(page, many=True).data)

    def retrieve(self, request: Request, date: str) -> Response:
        return Response(SelectionSerializer(self.get_object()).data)

    @extend_schema(request=DateSerializer, responses={200: SelectionSerializer, 201: SelectionSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        data = DateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        day: dt.date = data.validated_data["date"]
        existed = Selection.objects.filter(date=day).exists()
        selection = self._call(services.selection_run, day=day)
        return self._answer(selection, 200 if existed else 201)

    @extend_schema(request=None, responses={200: SelectionSerializer})
    @action(detail=True, methods=["post"], url_path="dispatch")
    @idempotent
    def dispatch_selection(self, request: Request, date: str) -> Response:
        return self._answer(self._call(services.selection_dispatch, selection=self.get_object()))

    @extend_schema(request=ItemChangeSerializer, responses={200: SelectionSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def add(self, request: Request, date: str) -> Response:
        selection = self.get_object()
        data = ItemChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        incident = self._incident(data.validated_data["incident"])
        self._call(services.selection_add, selection=selection, incident=incident, reason=data.validated_data["reason"])
        return self._answer(selection)

    @extend_schema(request=ItemChangeSerializer, responses={200: SelectionSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def remove(self, request: Request, date: str) -> Response:
        selection = self.get_object()
        data = ItemChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        incident = self._incident(data.validated_data["incident"])
        self._call(
            services.selection_remove, selection=selection, incident=incident, reason=data.validated_data["reason"]
        )
        return self._answer(selection)
