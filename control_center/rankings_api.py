"""The weekly rankings API (v1): GET rankings/weekly/?week=2026-W48. Supervisors and center staff: every unit,
stored or live; a station's command room and duty leader: the published (stored) rows of their own kind;
others 404."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.inputs import ascii_int
from core.time import Week

from . import ranking_pages, rankings


class RankingRowSerializer(serializers.Serializer):
    station = serializers.CharField(help_text="the unit's code")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=rankings.KINDS)
    rank = serializers.IntegerField(allow_null=True, help_text="within the kind; null: nothing to judge this week")
    score = serializers.FloatField(allow_null=True)
    metrics = serializers.DictField(help_text="the published figures; see the definitions on the rankings page")
    components = serializers.DictField(help_text="each figure as a 0–100 component of the score")


class WeeklyRankingSerializer(serializers.Serializer):
    week = serializers.CharField()
    generated_at = serializers.DateTimeField()
    revision = serializers.IntegerField(allow_null=True, help_text="the stored revision; null when computed live")
    provisional = serializers.BooleanField(help_text="true when computed live (the week is running or not stored yet)")
    revisions = serializers.ListField(child=serializers.IntegerField(), help_text="every stored revision of the week")
    weights = serializers.DictField(child=serializers.IntegerField())
    rows = RankingRowSerializer(many=True)


class WeeklyRankingView(APIView):
    """Every police station's and patrol post's figures, score and rank for an ISO week. A station's command
    room and duty leader get the published bulletin: the stored rows of their unit's kind (404 until the week
    is stored)."""

    @extend_schema(
        operation_id="rankings_weekly",
        parameters=[
            OpenApiParameter("week", str, description="ISO week like 2026-W48; default: the last complete week"),
            OpenApiParameter("revision", int, description="a stored revision; default: the latest"),
        ],
        responses=WeeklyRankingSerializer,
    )
    def get(self, request: Request) -> Response:
        own = None if rankings.may_view(request.user) else rankings.bulletin_station(request.user)
        if own is None and not rankings.may_view(request.user):
            raise exceptions.NotFound
        params = request.query_params
        try:
            week = Week.parse(params["week"]) if params.get("week") else None
        except ValueError:
            raise exceptions.ValidationError({"week": [_("Give an ISO week like 2026-W48.")]}) from None
        revision = params.get("revision") or None
        if revision is not None and ascii_int(revision) is None:
            raise exceptions.ValidationError({"revision": [_("A revision is a number.")]})
        week = week or Week.of(timezone.now()).shift(-1)
        try:
            kind = {"kind": own.kind, "published_only": True} if own is not None else {}
            board = ranking_pages.board(week, revision=int(revision) if revision else None, **kind)
        except LookupError:
            raise exceptions.NotFound(_("No such revision of this week.")) from None
        if own is not None and board.snapshot is None:
            raise exceptions.NotFound(_("This week's bulletin is not published yet."))
        data: dict[str, Any] = {
            "week": board.week.label,
            "generated_at": board.generated_at,
            "revision": board.snapshot.revision if board.snapshot else None,
            "provisional": board.provisional,
            "revisions": sorted(s.revision for s in board.revisions),
            "weights": board.weights,
            "rows": board.rows,
        }
        return Response(WeeklyRankingSerializer(data).data)
