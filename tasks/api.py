"""The dispatch engine's API (v1)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from .models import Category


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
