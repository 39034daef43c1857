"""The dispatch engine's API (v1): instructions and their verbs, notifications. What an instruction is about
(an incident, its category) is added by the app whose kind it is (disputes/instruction_api.py)."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core import filters as core_filters
from core.errors import Conflict
from core.idempotency import idempotent
from stations.models import Officer, Station
from stations.templatetags.people import person_label

from . import kinds, notices, selectors, services
from .answer_sheets import InvalidAnswers
from .models import Instruction, InstructionMilestone, Notification
from .transitions import TransitionNotAllowed

# --- instructions -----------------------------------------------------------------------------


class SheetChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label


class SheetFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    type = serializers.ChoiceField(choices=["choice", "multi", "text", "number", "date", "bool", "photo"])
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like Field.required
    choices = SheetChoiceSerializer(many=True)


class AnswerSheetSchema(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    fields = SheetFieldSerializer(many=True)  # type: ignore[assignment]  # a field named like Serializer.fields


@extend_schema_field(AnswerSheetSchema)
class AnswerSheetField(serializers.Field):
    def to_representation(self, sheet: Any) -> dict[str, Any]:
        fields = [
            {
                "name": f["name"],
                "label": f["label"],
                "type": f["type"],
                "required": bool(f.get("required")),
                "choices": f.get("choices", []),
            }
            for f in sheet.fields
        ]
        return {"code": sheet.code, "version": sheet.version, "title": sheet.title, "fields": fields}


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    actor = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    actor_name = serializers.SerializerMethodField(help_text="the actor by name and role, as people read it")

    def get_actor(self, event: Any) -> str | None:
        return event.actor.get_username() if event.actor else None

    def get_actor_name(self, event: Any) -> str | None:
        return person_label(event.actor) if event.actor else None


class InstructionSerializer(serializers.ModelSerializer):
    station: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    officer = serializers.CharField(source="officer.user.username", read_only=True, default=None, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Instruction
        fields = [
            "id",
            "kind",
            "status",
            "station",
            "officer",
            "note",
            "issued_at",
            "sign_off_due",
            "signed_at",
            "sign_off_late",
            "sign_off_late_minutes",
            "feedback_due",
            "feedback_at",
            "feedback_late",
            "feedback_late_minutes",
            "return_count",
            "closed_at",
            "overdue",
        ]

    def get_overdue(self, obj: Instruction) -> bool:
        due = obj.current_due
        return bool(due and due < self.context.get("now", timezone.now()))


class MilestoneSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.SerializerMethodField()  # type: ignore[assignment]  # a field, not Field.label
    due_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)
    late_minutes = serializers.IntegerField(allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="not done, the instruction open and the due time past")

    def get_label(self, obj: InstructionMilestone) -> str:
        return str(obj.label)

    def get_overdue(self, obj: InstructionMilestone) -> bool:
        return obj.is_overdue(self.context.get("now", timezone.now()))


class InstructionDetailSerializer(InstructionSerializer):
    answer_sheet = AnswerSheetField(read_only=True)
    timeline = EventSerializer(source="events", many=True, read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    siblings = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(InstructionSerializer.Meta):
        fields = [
            *InstructionSerializer.Meta.fields,
            "answer_sheet",
            "answers",
            "timeline",
            "case",
            "siblings",
            "milestones",
        ]

    def get_siblings(self, obj: Instruction) -> list[int]:
        """The other instructions of the same case the caller may see (one case, several officers)."""
        request = self.context.get("request")
        return [i.pk for i in selectors.case_of(request.user, obj)] if request is not None else []


class IssueSerializer(serializers.Serializer):
    """An instruction into a station's queue. The kinds about something (an incident) extend it: see the
    router's instruction view set."""

    kind = serializers.ChoiceField(choices=kinds.choices())
    station = serializers.SlugField(required=False, max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if "station" not in data:
            raise serializers.ValidationError({"station": [_("Give a station.")]})
        station = Station.objects.visible_to(user).filter(code=data["station"]).first()
        if station is None:
            raise serializers.ValidationError({"station": [_("No such station.")]})
        data["station"] = station
        return data

    def issue(self, actor: Any) -> Instruction:
        return services.instruction_issue(actor=actor, **self.validated_data)


class SignOffSerializer(serializers.Serializer):
    officer = serializers.CharField(max_length=150, help_text="username of an officer of the station")
    also = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=20,
        default=list,
        help_text="usernames of more officers of the station: each gets a sibling instruction of the same case",
    )


class FeedbackSerializer(serializers.Serializer):
    answers = serializers.JSONField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class InstructionFilter(django_filters.FilterSet):
    station = django_filters.CharFilter(field_name="station__code")
    officer = django_filters.CharFilter(field_name="officer__user__username")
    status = django_filters.MultipleChoiceFilter(choices=Instruction.Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=kinds.choices())  # registered by the time urls load
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    open = django_filters.BooleanFilter(method="filter_open")
    issued_after = core_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="gte")
    issued_before = core_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="lt")

    class Meta:
        model = Instruction
        fields = ["station", "officer", "status", "kind", "overdue", "open"]

    def filter_overdue(self, qs: QuerySet[Instruction], name: str, value: bool | None) -> QuerySet[Instruction]:
        if value is None:
            return qs
        q = selectors.overdue_q(timezone.now())
        return qs.filter(q) if value else qs.exclude(q)

    def filter_open(self, qs: QuerySet[Instruction], name: str, value: bool | None) -> QuerySet[Instruction]:
        if value is None:
            return qs
        return (
            qs.filter(status__in=Instruction.OPEN_STATUSES)
            if value
            else qs.exclude(status__in=Instruction.OPEN_STATUSES)
        )


class InstructionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Instructions in the caller's scope; each verb is its own action. 404 outside scope, 409 when the
    instruction's status does not allow the verb."""

    filterset_class = InstructionFilter
    lookup_value_regex = r"[0-9]+"
    # The serializers, which an app may extend with what its kinds are about (disputes: the incident).
    list_serializer: type[serializers.Serializer] = InstructionSerializer
    detail_serializer: type[serializers.Serializer] = InstructionDetailSerializer
    issue_serializer: type[IssueSerializer] = IssueSerializer

    def get_queryset(self) -> QuerySet[Instruction]:
        if self.action == "list":
            return selectors.instructions_for(self.request.user).order_by("-issued_at", "-pk")
        return selectors.instruction_detail(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return self.list_serializer if self.action == "list" else self.detail_serializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _answer(self, instruction: Instruction, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.instruction_detail(self.request.user).get(pk=instruction.pk)
        return Response(self.detail_serializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _run(self, verb: Any, **kwargs: Any) -> Response:
        try:
            instruction = verb(actor=self.request.user, **kwargs)
        except Instruction.DoesNotExist:
            raise exceptions.NotFound from None
        except TransitionNotAllowed as exc:
            raise Conflict(exc.message) from None
        except InvalidAnswers as exc:
            raise exceptions.ValidationError({"answers": exc.errors}) from None
        return self._answer(instruction)

    def _target(self, pk: str) -> int:
        """The instruction must at least be visible: otherwise 404 before anything else."""
        return get_object_or_404(Instruction.objects.visible_to(self.request.user).only("pk"), pk=pk).pk

    @extend_schema(request=IssueSerializer, responses={201: InstructionDetailSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        data = self.issue_serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            instruction = data.issue(request.user)
        except PermissionDenied:
            raise exceptions.PermissionDenied(_("Only the control center issues instructions.")) from None
        return self._answer(instruction, status.HTTP_201_CREATED)

    @extend_schema(request=SignOffSerializer, responses={200: InstructionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="sign-off")
    @idempotent
    def sign_off(self, request: Request, pk: str) -> Response:
        target = self._target(pk)
        data = SignOffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # An unknown username and an officer of another station get the same answer (from the service).
        officer = Officer.objects.filter(user__username=data.validated_data["officer"]).select_related("user").first()
        also = data.validated_data["also"]
        if officer is None or not also:
            return self._run(services.instruction_sign_off, instruction=target, officer=officer)
        more = {o.user.username: o for o in Officer.objects.filter(user__username__in=also).select_related("user")}
        if [name for name in also if name not in more]:
            # Unknown usernames answer as officers of another station do: the same 400, nothing signed off.
            raise exceptions.ValidationError({"also": [_("Choose active officers of this station.")]})

        def several(**kwargs: Any) -> Instruction:
            try:
                return services.instruction_sign_off_to_several(**kwargs)[0]
            except DjangoValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
                if "officers" in errors:
                    errors["also"] = errors.pop("officers")
                raise exceptions.ValidationError(errors) from None

        return self._run(several, instruction=target, officers=[officer, *(more[name] for name in also)])

    @extend_schema(request=FeedbackSerializer, responses={200: InstructionDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def feedback(self, request: Request, pk: str) -> Response:
        target = self._target(pk)
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(
            services.instruction_submit_feedback, instruction=target, answers=data.validated_data["answers"]
        )

    @extend_schema(request=NoteSerializer, responses={200: InstructionDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request: Request, pk: str) -> Response:
        target = self._target(pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(services.instruction_accept, instruction=target, note=data.validated_data["note"])

    @extend_schema(request=ReturnSerializer, responses={200: InstructionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    @idempotent
    def return_(self, request: Request, pk: str) -> Response:
        target = self._target(pk)
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(services.instruction_return, instruction=target, comment=data.validated_data["comment"])

    @extend_schema(request=CancelSerializer, responses={200: InstructionDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request: Request, pk: str) -> Response:
        target = self._target(pk)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(services.instruction_cancel, instruction=target, reason=data.validated_data["reason"])


# --- notifications ------------------------------------------------------------------------------


class NotificationItemSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField()
    needs_action = serializers.BooleanField()
    done = serializers.BooleanField()


class NotificationSerializer(serializers.ModelSerializer):
    """A notice as its reader sees it: `text` says what happened, `url` is its object for this reader,
    `done` says the object no longer needs him; a digest's `items` list what it stands for. Only rows in
    the reader's scope appear (in `items` and in `payload`)."""

    text = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    needs_action = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    payload = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "instruction", "created_at", "read_at", "payload", "text", "url", "needs_action"]
        fields += ["done", "items"]

    def _row(self, obj: Notification) -> notices.Row:
        rows = cast(dict[str, Any], self.context).setdefault("notice_rows", {})
        if obj.pk not in rows:  # a single notice (retrieve, read): described alone
            rows[obj.pk] = notices.describe(self.context["request"].user, [obj])[0]
        return rows[obj.pk]

    def get_text(self, obj: Notification) -> str:
        return self._row(obj).line.text

    def get_url(self, obj: Notification) -> str:
        return self._row(obj).line.url

    def get_needs_action(self, obj: Notification) -> bool:
        return self._row(obj).line.needs_action

    def get_done(self, obj: Notification) -> bool:
        return self._row(obj).line.done

    @extend_schema_field(NotificationItemSerializer(many=True))
    def get_items(self, obj: Notification) -> list[dict[str, Any]]:
        return [
            {"text": i.text, "url": i.url, "needs_action": i.needs_action, "done": i.done} for i in self._row(obj).items
        ]

    @extend_schema_field(serializers.DictField())
    def get_payload(self, obj: Notification) -> dict[str, Any]:
        return notices.api_payload(self._row(obj))


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user).order_by("-created_at", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if page is None:  # no pagination configured: the whole list
            page = list(self.filter_queryset(self.get_queryset()))
        rows = {row.notification.pk: row for row in notices.describe(request.user, page)}  # constant queries
        data = self.get_serializer(page, many=True, context={**self.get_serializer_context(), "notice_rows": rows}).data
        response = self.get_paginated_response(data) if self.paginator is not None else Response(data)
        response.data["unread_count"] = selectors.unread_count(request.user)
        return response

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked})
