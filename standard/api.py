"""Standard tasks in the API (v1): the catalogue, issuing, progress, and the officer's combined answer sheet."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import Conflict
from core.idempotency import idempotent
from core.inputs import ascii_int
from stations.models import Community, Officer, Station
from stations.scoping import scope_of
from tasks.answer_sheets import InvalidAnswers
from tasks.api import AnswerSheetField, SheetFieldSerializer
from tasks.models import Instruction
from tasks.transitions import TransitionNotAllowed

from . import recurrence, selectors, services
from .combined import combined_sheet, combined_submit
from .models import StandardTask, StandardTaskIssue
from .progress import task_progress


class TimeLimitSerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=["hours", "days", "weekly", "monthly", "quarterly"])
    value = serializers.IntegerField()
    label = serializers.CharField()


class StandardTaskSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField(source="current.version")
    name = serializers.CharField(source="current.name")
    lead_department = serializers.CharField(source="current.lead_department.code")
    basis = serializers.CharField(source="current.basis")
    measures = serializers.CharField(source="current.measures")
    work_standard = serializers.CharField(source="current.work_standard")
    time_limit = serializers.SerializerMethodField()
    consumers = serializers.SerializerMethodField()
    answer_sheet = AnswerSheetField(source="current.answer_sheet")

    @extend_schema(responses=TimeLimitSerializer)
    def get_time_limit(self, task: StandardTask) -> dict[str, Any]:
        version = task.current
        return {
            "unit": version.limit_unit,  # type: ignore[union-attr]
            "value": version.limit_value,  # type: ignore[union-attr]
            "label": recurrence.limit_label(version.limit_unit, version.limit_value),  # type: ignore[union-attr]
        }

    def get_consumers(self, task: StandardTask) -> list[str]:
        return sorted(d.code for d in task.current.consumers.all())  # type: ignore[union-attr]


class StandardTaskFilter(django_filters.FilterSet):
    lead_department = django_filters.CharFilter(field_name="current__lead_department__code")
    consumer = django_filters.CharFilter(field_name="current__consumers__code")
    limit = django_filters.CharFilter(field_name="current__limit_unit")

    class Meta:
        model = StandardTask
        fields = ["lead_department", "consumer", "limit"]


class IssueInputSerializer(serializers.Serializer):
    task = serializers.SlugField(max_length=32)
    scope = serializers.ChoiceField(choices=StandardTaskIssue.Scope.choices)
    officer = serializers.CharField(required=False, max_length=150, help_text="username, for scope officer")
    station = serializers.SlugField(required=False, max_length=32, help_text="for scope station")
    community = serializers.SlugField(required=False, max_length=32, help_text="for scope community")
    subject = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    recurrence = serializers.ChoiceField(
        choices=StandardTaskIssue.Recurrence.choices, required=False, help_text="default: the task's own"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        task = selectors.catalogue_tasks().filter(code=data["task"]).first()
        if task is None:
            raise serializers.ValidationError({"task": [_("No such standard task.")]})
        data["task"] = task
        lookups = {
            "officer": (Officer.objects.visible_to(user).select_related("station"), "user__username"),
            "station": (Station.objects.visible_to(user), "code"),
            "community": (Community.objects.visible_to(user), "code"),
        }
        for name, (qs, key) in lookups.items():
            if name in data:
                found = qs.filter(**{key: data[name]}).first()
                if found is None:
                    raise serializers.ValidationError({name: [_("Not found.")]})
                data[name] = found
        return data


class IssueSerializer(serializers.ModelSerializer):
    task = serializers.CharField(source="task.code")
    department = serializers.CharField(source="department.code", default=None, allow_null=True)
    issued_by = serializers.CharField(source="issued_by.username", default=None, allow_null=True)
    officer = serializers.CharField(source="officer.user.username", default=None, allow_null=True)
    station = serializers.CharField(source="station.code", default=None, allow_null=True)
    community = serializers.CharField(source="community.code", default=None, allow_null=True)

    class Meta:
        model = StandardTaskIssue
        fields = [
            "id",
            "task",
            "department",
            "issued_by",
            "scope",
            "officer",
            "station",
            "community",
            "subject",
            "recurrence",
            "note",
            "created_at",
            "is_active",
            "next_run_at",
        ]


class OccurrenceBriefSerializer(serializers.Serializer):
    instruction = serializers.IntegerField(source="instruction_id")
    officer = serializers.CharField(source="officer.user.username")
    target = serializers.CharField(source="target_label")
    target_key = serializers.CharField()
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()


class IssueResultSerializer(serializers.Serializer):
    issue = IssueSerializer()
    created = OccurrenceBriefSerializer(many=True)
    merged = OccurrenceBriefSerializer(many=True)


class RateSerializer(serializers.Serializer):
    name = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    late = serializers.IntegerField()
    rate = serializers.FloatField()


class ProgressRowSerializer(serializers.Serializer):
    instruction = serializers.IntegerField(source="occurrence.instruction_id")
    status = serializers.CharField(source="occurrence.instruction.status")
    station = serializers.CharField(source="occurrence.instruction.station.code")
    officer = serializers.CharField(source="occurrence.officer.name")
    community = serializers.CharField(source="occurrence.community.code", default=None, allow_null=True)
    target = serializers.CharField(source="occurrence.target_label")
    period_start = serializers.DateTimeField(source="occurrence.period_start")
    feedback_due = serializers.DateTimeField(source="occurrence.instruction.feedback_due")
    feedback_at = serializers.DateTimeField(source="occurrence.instruction.feedback_at", allow_null=True)
    version = serializers.IntegerField(source="occurrence.version.version")
    done = serializers.BooleanField()
    late = serializers.BooleanField()
    requested_by = serializers.ListField(child=serializers.CharField(), source="requesters")


class ProgressSerializer(serializers.Serializer):
    task = serializers.CharField(source="task.code")
    issuer = serializers.CharField()
    overall = RateSerializer()
    by_station = RateSerializer(many=True)
    by_community = RateSerializer(many=True)
    rows = ProgressRowSerializer(many=True)


class CombinedFieldSerializer(SheetFieldSerializer):
    shared_by = serializers.IntegerField()


class CombinedItemSerializer(serializers.Serializer):
    instruction = serializers.IntegerField(source="instruction.pk")
    task = serializers.CharField(source="occurrence.task.code")
    name = serializers.CharField(source="occurrence.version.name")
    lead_department = serializers.CharField(source="occurrence.version.lead_department.name")
    feedback_due = serializers.DateTimeField(source="instruction.feedback_due")
    fields = serializers.DictField(child=serializers.CharField(), source="names")


class CombinedSheetSerializer(serializers.Serializer):
    target_key = serializers.CharField()
    target = serializers.CharField(source="target_label")
    items = CombinedItemSerializer(many=True)
    fields = CombinedFieldSerializer(many=True)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.JSONField()


class StandardTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of standard tasks (any signed-in user), issuing and progress (the district's people),
    and an officer's combined answer sheet for one target."""

    serializer_class = StandardTaskSerializer
    lookup_field = "code"
    filterset_class = StandardTaskFilter

    def get_queryset(self) -> QuerySet[StandardTask]:
        return selectors.catalogue_tasks()

    def _district(self) -> None:
        if not scope_of(self.request.user).is_district:
            raise exceptions.NotFound

    @extend_schema(
        request=IssueInputSerializer, responses={200: IssueSerializer(many=True), 201: IssueResultSerializer}
    )
    @action(detail=False, methods=["get", "post"], filterset_class=None)
    def issues(self, request: Request) -> Response:
        """GET: the issues, newest first (paginated); POST: issue a standard task, answered with what was
        created and what was merged into items the officers already had."""
        self._district()
        if request.method == "GET":
            issues = selectors.issues_for(request.user).select_related("officer__user").order_by("-created_at", "-pk")
            page = self.paginate_queryset(issues)
            return self.get_paginated_response(IssueSerializer(page, many=True).data)
        return self._issue(request)

    @idempotent
    def _issue(self, request: Request) -> Response:
        data = IssueInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            result = services.standard_task_issue(actor=request.user, **data.validated_data)
        except PermissionDenied:
            raise exceptions.PermissionDenied(_("Only the center and the departments issue standard tasks.")) from None
        return Response(IssueResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"], filterset_class=None)
    def progress(self, request: Request, code: str) -> Response:
        """`?issuer=center|<department code>`, `?issue=<id>`: who answered, who is late, rates by station
        and community."""
        self._district()
        task = get_object_or_404(StandardTask, code=code)
        issue = request.query_params.get("issue") or None
        if issue is not None and ascii_int(issue) is None:
            raise exceptions.NotFound
        progress = task_progress(
            request.user,
            task,
            issuer=request.query_params.get("issuer", ""),
            issue=ascii_int(issue) if issue else None,
        )
        return Response(ProgressSerializer(progress).data)

    @extend_schema(request=AnswersSerializer, responses={200: CombinedSheetSerializer})
    @action(detail=False, methods=["get", "post"], url_path=r"combined/(?P<key>[\w-]+)", filterset_class=None)
    def combined(self, request: Request, key: str) -> Response:
        """The officer's open items for one target as one sheet; POST `{answers}` answers them all at once
        (then `{"answered": [instruction ids]}`)."""
        officer = scope_of(request.user).officer
        if request.method == "GET":
            try:
                sheet = combined_sheet(officer, key) if officer else None
            except Instruction.DoesNotExist:
                sheet = None
            if sheet is None:
                raise exceptions.NotFound
            return Response(CombinedSheetSerializer(sheet).data)
        return self._combined_submit(request, key)

    @idempotent
    def _combined_submit(self, request: Request, key: str) -> Response:
        data = AnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            done = combined_submit(actor=request.user, target_key=key, answers=data.validated_data["answers"])
        except Instruction.DoesNotExist:
            raise exceptions.NotFound from None
        except TransitionNotAllowed as exc:
            raise Conflict(exc.message) from None
        except InvalidAnswers as exc:
            raise exceptions.ValidationError({"answers": exc.errors}) from None
        return Response({"answered": [i.pk for i in done]})
