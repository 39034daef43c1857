from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_dispute", "is_criminal", "feedback_hours", "risk_weight", "sort_order"]
    list_filter = ["is_dispute", "is_criminal", "feedback_hours"]
    list_editable = ["feedback_hours", "risk_weight"]
    search_fields = ["code", "name"]
