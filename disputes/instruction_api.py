"""The engine's instructions API (v1), extended with what the kinds about incidents are about: each
instruction shows its incident (the caller masked unless the reader acts on it) and category, the list
filters by them, and POST /instructions/ takes an incident or a category. The router serves this view set
at /api/v1/instructions/; the engine's own (tasks.api) knows no incident."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core import api_fields
from stations import permissions
from stations.masking import mask_name, mask_phone
from stations.models import Station
from tasks import api as engine
from tasks.models import Instruction

from . import services
from .models import Category, Incident


class IncidentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    received_at = serializers.DateTimeField()
    category = serializers.CharField(source="category.code")
    address = serializers.CharField()
    summary = serializers.CharField()
    caller_name = serializers.CharField(help_text="masked for roles that do not act on the incident")
    caller_phone = serializers.SerializerMethodField()

    def get_caller_phone(self, incident: Any) -> str:
        return mask_phone(incident.caller_phone)


FIELDS = ["id", "kind", "status", "station", "category", "incident"]


class InstructionSerializer(engine.InstructionSerializer):
    category: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="dispatch.category", slug_field="code", read_only=True, allow_null=True
    )
    incident = IncidentBriefSerializer(source="dispatch.incident", read_only=True, allow_null=True)

    class Meta(engine.InstructionSerializer.Meta):
        fields = [*FIELDS, *(f for f in engine.InstructionSerializer.Meta.fields if f not in FIELDS)]

    def to_representation(self, obj: Instruction) -> dict[str, Any]:
        data = super().to_representation(obj)
        request = self.context.get("request")
        brief = data.get("incident")
        if brief and not (request is not None and permissions.sees_personal_data(request.user, obj.officer_id)):
            brief["caller_name"] = mask_name(brief["caller_name"])
        return data


class InstructionDetailSerializer(InstructionSerializer, engine.InstructionDetailSerializer):
    class Meta(engine.InstructionDetailSerializer.Meta):
        fields = [
            *InstructionSerializer.Meta.fields,
            *(f for f in engine.InstructionDetailSerializer.Meta.fields if f not in InstructionSerializer.Meta.fields),
        ]


class IssueSerializer(engine.IssueSerializer):
    """An instruction into a station's queue: about an incident (to its station, with its category's sheet,
    window and reviewer), or to a station, with a category if given."""

    incident = api_fields.IntegerField(required=False, min_value=1)
    category = serializers.SlugField(required=False, max_length=32)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if "incident" in data:
            incident = (
                Incident.objects.visible_to(user)
                .select_related("station", "category")
                .filter(pk=data["incident"])
                .first()
            )
            if incident is None:
                raise serializers.ValidationError({"incident": [_("No such incident.")]})
            data["incident"] = incident
        elif "station" in data:
            station = Station.objects.visible_to(user).filter(code=data["station"]).first()
            if station is None:
                raise serializers.ValidationError({"station": [_("No such station.")]})
            data["station"] = station
        else:
            raise serializers.ValidationError({"incident": [_("Give an incident, or a station.")]})
        if "category" in data:
            category = Category.objects.filter(code=data["category"]).first()
            if category is None:
                raise serializers.ValidationError({"category": [_("No such category.")]})
            data["category"] = category
        return data

    def issue(self, actor: Any) -> Instruction:
        return services.issue_about(actor=actor, **self.validated_data)


class InstructionFilter(engine.InstructionFilter):
    category = django_filters.CharFilter(field_name="dispatch__category__code")
    incident = django_filters.NumberFilter(field_name="dispatch__incident")

    class Meta(engine.InstructionFilter.Meta):
        fields = ["station", "category", "officer", "status", "kind", "incident", "overdue", "open"]


_DETAIL = {200: InstructionDetailSerializer}


@extend_schema_view(
    list=extend_schema(responses={200: InstructionSerializer(many=True)}),
    retrieve=extend_schema(responses=_DETAIL),
    create=extend_schema(request=IssueSerializer, responses={201: InstructionDetailSerializer}),
    sign_off=extend_schema(responses=_DETAIL),
    feedback=extend_schema(responses=_DETAIL),
    accept=extend_schema(responses=_DETAIL),
    return_=extend_schema(responses=_DETAIL),
    cancel=extend_schema(responses=_DETAIL),
)
class InstructionViewSet(engine.InstructionViewSet):
    """Instructions in the caller's scope; each verb is its own action. 404 outside scope, 409 when the
    instruction's status does not allow the verb."""

    filterset_class = InstructionFilter
    list_serializer = InstructionSerializer
    detail_serializer = InstructionDetailSerializer
    issue_serializer = IssueSerializer
