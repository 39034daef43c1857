"""Reference data of the organisation and token auth (API v1)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .auth import is_locked
from .models import Community, Officer, Station
from .selectors import community_officers


class StationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = ["code", "name", "kind", "address"]


class StationFilter(django_filters.FilterSet):
    class Meta:
        model = Station
        fields = ["kind"]


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StationSerializer
    lookup_field = "code"
    filterset_class = StationFilter

    def get_queryset(self) -> QuerySet[Station]:
        return Station.objects.visible_to(self.request.user).order_by("kind", "code")


class CommunitySerializer(serializers.ModelSerializer):
    station: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subdistrict: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    officers = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = ["code", "name", "station", "subdistrict", "officers"]

    def get_officers(self, obj: Community) -> list[str]:
        return [o.user.username for o in obj.officers.all()]


class CommunityFilter(django_filters.FilterSet):
    station = django_filters.CharFilter(field_name="station__code")
    subdistrict = django_filters.CharFilter(field_name="subdistrict__code")

    class Meta:
        model = Community
        fields = ["station", "subdistrict"]


class CommunityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommunitySerializer
    lookup_field = "code"
    filterset_class = CommunityFilter

    def get_queryset(self) -> QuerySet[Community]:
        officers = community_officers().select_related("user").order_by("user__username")
        return (
            Community.objects.visible_to(self.request.user)
            .select_related("station", "subdistrict")
            .prefetch_related(Prefetch("officers", queryset=officers))
            .order_by("code")
        )


class OfficerSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    station: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    department: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    communities: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Officer
        fields = ["username", "name", "role", "station", "department", "communities", "is_auxiliary"]


class OfficerFilter(django_filters.FilterSet):
    station = django_filters.CharFilter(field_name="station__code")
    community = django_filters.CharFilter(field_name="communities__code")

    class Meta:
        model = Officer
        fields = ["station", "role", "community"]


class OfficerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficerSerializer
    lookup_field = "user__username"
    lookup_url_kwarg = "username"
    filterset_class = OfficerFilter

    def get_queryset(self) -> QuerySet[Officer]:
        return (
            Officer.objects.visible_to(self.request.user)
            .filter(is_active=True)
            .select_related("user", "station", "department")
            .prefetch_related(Prefetch("communities", queryset=Community.objects.order_by("code")))
            .order_by("user__username")
        )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class LoginThrottle(AnonRateThrottle):
    rate = "30/min"


class ObtainToken(APIView):
    """POST {username, password} → {token}. Wrong credentials: 400; locked: 429."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        from django.contrib.auth import authenticate

        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        user = authenticate(request._request, username=username, password=data.validated_data["password"])
        if user is None:
            if is_locked(username):
                return Response(
                    {"detail": "Too many failed logins: this account is locked."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"non_field_errors": ["Unable to log in with the given username and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
