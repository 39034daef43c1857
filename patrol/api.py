"""Patrol units in API v1: `GET units/?post=` (in scope) and `POST units/{code}/status/` {status, note?}."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import Conflict
from core.idempotency import idempotent
from stations.models import PatrolUnit

from . import selectors, services
from .models import UnitStatus
from .transitions import StatusNotAllowed


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField()
    is_auxiliary = serializers.BooleanField()


class ShiftSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class UnitSerializer(serializers.ModelSerializer):
    post: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="station", slug_field="code", read_only=True
    )
    call_sign = serializers.CharField(source="name", read_only=True)
    vehicle = serializers.CharField(source="plate_number", read_only=True)
    status = serializers.SerializerMethodField()
    status_since = serializers.SerializerMethodField()
    members = MemberSerializer(many=True, read_only=True)
    shift = serializers.SerializerMethodField(help_text="the current or next shift, null if none")

    class Meta:
        model = PatrolUnit
        fields = ["code", "call_sign", "vehicle", "post", "status", "status_since", "members", "shift"]

    @extend_schema_field(serializers.ChoiceField(choices=UnitStatus.choices))
    def get_status(self, unit: PatrolUnit) -> str:
        return selectors.status_of(unit)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_status_since(self, unit: PatrolUnit) -> str | None:
        since = selectors.since_of(unit)
        return serializers.DateTimeField().to_representation(since) if since else None

    @extend_schema_field(ShiftSerializer(allow_null=True))
    def get_shift(self, unit: PatrolUnit) -> dict[str, Any] | None:
        shifts = getattr(unit, "coming_shifts", [])
        return dict(ShiftSerializer(shifts[0]).data) if shifts else None


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=UnitStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.NOTE_LENGTH)


class UnitFilter(django_filters.FilterSet):
    post = django_filters.CharFilter(field_name="station__code")

    class Meta:
        model = PatrolUnit
        fields = ["post"]


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    lookup_field = "code"
    filterset_class = UnitFilter

    def get_queryset(self) -> QuerySet[PatrolUnit]:
        return selectors.units_for(self.request.user)

    @extend_schema(request=StatusSerializer, responses={200: UnitSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def status(self, request: Request, code: str) -> Response:
        unit = self.get_object()  # 404 outside scope, before anything else
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.unit_set_status(
                unit=unit, actor=request.user, status=data.validated_data["status"], note=data.validated_data["note"]
            )
        except PatrolUnit.DoesNotExist:
            raise exceptions.NotFound from None
        except StatusNotAllowed as refused:
            raise Conflict(refused.message) from None
        fresh = self.get_queryset().get(pk=unit.pk)
        return Response(UnitSerializer(fresh, context=self.get_serializer_context()).data)
