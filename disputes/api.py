"""Incidents API (v1): intake one or many, read with repeat history, reveal personal data (audited)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core import filters as core_filters
from core.idempotency import idempotent
from stations.masking import mask_id_number, mask_name, mask_phone
from tasks.models import Instruction
from tasks.policy import may_issue

from . import reveal, search, selectors, services
from .models import Category, Incident, RepeatRule

MAX_BATCH = 5000


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "is_dispute", "is_criminal", "feedback_hours"]


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data: every signed-in user may read the categories."""

    serializer_class = CategorySerializer
    lookup_field = "code"
    filterset_fields = ["is_dispute", "is_criminal"]

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.order_by("sort_order", "code")


class IncidentInSerializer(serializers.Serializer):
    """The shape of an incident the 110 system sends (validated by disputes.intake)."""

    number = serializers.CharField(max_length=32)
    received_at = serializers.DateTimeField(help_text="ISO 8601 with offset")
    category = serializers.CharField(max_length=100, help_text="Code, name or an alias (import aliases)")
    caller_name = serializers.CharField(max_length=50)
    caller_phone = serializers.CharField(max_length=20)
    caller_id_number = serializers.CharField(max_length=18, required=False)
    address = serializers.CharField(max_length=200)
    community = serializers.CharField(max_length=100, help_text="Code, name or an alias (import aliases)")
    summary = serializers.CharField(max_length=2000)
    resolved_at_scene = serializers.BooleanField(required=False)


class RevealSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=reveal.Purpose.choices, help_text="why the full data is needed")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=reveal.NOTE_MAX, default="", help_text="required for other"
    )


class DispatchNowSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class IncidentSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    caller_name = serializers.SerializerMethodField(help_text="masked for roles that do not act on the incident")
    caller_phone = serializers.SerializerMethodField()
    caller_id_number = serializers.SerializerMethodField()
    repeat = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "received_at",
            "category",
            "caller_name",
            "caller_phone",
            "caller_id_number",
            "address",
            "community",
            "station",
            "summary",
            "resolved_at_scene",
            "repeat",
            "created_at",
        ]

    def get_caller_name(self, obj: Incident) -> str:
        shown = self.context.get("callers_shown")
        if shown is None:  # one incident (create, detail): ask once
            request = self.context.get("request")
            shown = selectors.callers_shown(request.user if request else None, [obj.pk])
        return obj.caller_name if shown is True or obj.pk in shown else mask_name(obj.caller_name)

    def get_caller_phone(self, obj: Incident) -> str:
        return mask_phone(obj.caller_phone_norm or obj.caller_phone)

    def get_caller_id_number(self, obj: Incident) -> str:
        return mask_id_number(obj.caller_id_number)

    def get_repeat(self, obj: Incident) -> dict[str, Any]:
        return {
            "caller_count": obj.repeat_caller_count,
            "address_count": obj.repeat_address_count,
            "window_days": self.context["window_days"],
            "flagged": obj.repeat_flagged,
        }


class HistorySerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "received_at", "category", "summary", "address"]


class IncidentDetailSerializer(IncidentSerializer):
    history = serializers.SerializerMethodField()
    instructions = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "history", "instructions"]

    def get_history(self, obj: Incident) -> list[dict[str, Any]]:
        return HistorySerializer(selectors.history_of(obj, self.context["request"].user), many=True).data

    def get_instructions(self, obj: Incident) -> list[dict[str, Any]]:
        visible = Instruction.objects.visible_to(self.context["request"].user).filter(dispatch__incident=obj)
        return [{"id": i.pk, "kind": i.kind, "status": i.status} for i in visible.order_by("issued_at", "pk")]


class IncidentFilter(django_filters.FilterSet):
    station = django_filters.CharFilter(field_name="station__code")
    community = django_filters.CharFilter(field_name="community__code")
    category = django_filters.CharFilter(field_name="category__code")
    received_after = core_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = core_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    flagged = django_filters.BooleanFilter(field_name="repeat_flagged")
    dispute = django_filters.BooleanFilter(field_name="category__is_dispute")
    search = django_filters.CharFilter(
        method="search_text",
        max_length=100,
        help_text="The 110 number (exact), a caller phone (matched on its normalised form) or address text "
        "(3 characters or more).",
    )

    def search_text(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        return search.text_search(queryset, value)

    class Meta:
        model = Incident
        fields = ["station", "community", "category", "flagged", "dispute"]


def _may_post(request: Request) -> None:
    if not may_issue(request.user):
        raise exceptions.PermissionDenied(_("Only the control center and the 110 system record incidents."))


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = IncidentFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Incident]:
        return selectors.incidents_for(self.request.user).order_by("-received_at", "-pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return IncidentDetailSerializer if self.action == "retrieve" else IncidentSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "window_days": RepeatRule.current().window_days}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ids = [incident.pk for incident in page] if page is not None else None
        context = {**self.get_serializer_context(), "callers_shown": selectors.callers_shown(request.user, ids)}
        data = IncidentSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(request=IncidentInSerializer, responses={201: IncidentSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        _may_post(request)
        result = services.incidents_intake([request.data], actor=request.user)
        if result.errors:
            raise exceptions.ValidationError(result.errors[0]["errors"])
        if result.duplicates:
            return Response(
                {"detail": _("Incident %(number)s is already recorded.") % {"number": result.duplicates[0]["number"]}},
                status=status.HTTP_409_CONFLICT,
            )
        incident = self.get_queryset().get(pk=result.created[0].pk)
        return Response(IncidentSerializer(incident, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        request=IncidentInSerializer(many=True),
        responses={
            200: inline_serializer(
                "IncidentBatchResult",
                {
                    "created": serializers.IntegerField(),
                    "duplicates": serializers.IntegerField(),
                    "flagged": serializers.IntegerField(),
                    "errors": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def batch(self, request: Request) -> Response:
        _may_post(request)
        rows = request.data
        if not isinstance(rows, list):
            raise exceptions.ValidationError({"non_field_errors": [_("Send a list of incidents.")]})
        if len(rows) > MAX_BATCH:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("At most %(n)d incidents per batch.") % {"n": MAX_BATCH}]}
            )
        result = services.incidents_intake(rows, actor=request.user)
        return Response(
            {
                "created": len(result.created),
                "duplicates": len(result.duplicates),
                "flagged": len(result.flagged),
                "created_ids": [i.pk for i in result.created],
                "duplicate_indexes": [d["index"] for d in result.duplicates],
                "errors": result.errors,
            }
        )

    @extend_schema(
        request=DispatchNowSerializer,
        responses={
            200: inline_serializer(
                "DispatchNow", {"instruction": serializers.IntegerField(), "created": serializers.BooleanField()}
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="dispatch")
    @idempotent
    def dispatch_now(self, request: Request, pk: str) -> Response:
        """Dispatch this incident now as a dispute instruction (an open one is returned, not doubled)."""
        incident = self.get_object()
        _may_post(request)
        data = DispatchNowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        instruction, created = services.dispatch_incident_now(
            incident=incident, actor=request.user, note=data.validated_data["note"]
        )
        return Response({"instruction": instruction.pk, "created": created}, status=201 if created else 200)

    @extend_schema(
        request=RevealSerializer,
        responses={
            200: inline_serializer(
                "Revealed",
                {
                    "caller_phone": serializers.CharField(),
                    "caller_id_number": serializers.CharField(),
                    "caller_name": serializers.CharField(),
                },
            ),
            400: OpenApiResponse(description="no purpose, an unknown one, or `other` without a note"),
            404: OpenApiResponse(description="outside the user's scope, or the user's work does not need it"),
            429: OpenApiResponse(description="over REVEAL_LIMIT_PER_HOUR; the center has been notified"),
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str) -> Response:
        """The caller's full phone, ID number and name, for those whose work needs them and for a stated
        purpose; limited per user per hour (429 over it, and the center is told); every reveal is audited."""
        incident = self.get_object()
        if not selectors.may_reveal(request.user, incident):
            raise exceptions.NotFound
        data = RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            revealed = reveal.incident_reveal(
                incident=incident, actor=request.user, request=request._request, **data.validated_data
            )
        except reveal.RevealRefused as refused:
            return Response({refused.field: [str(refused.message)]}, status=refused.status)
        return Response(
            {
                "caller_phone": revealed.caller_phone,
                "caller_id_number": revealed.caller_id_number,
                "caller_name": revealed.caller_name,
            }
        )
