"""The dispatch engine's data. Categories decide an instruction's feedback window."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FEEDBACK_HOURS_CHOICES = [(3, _("3 hours")), (6, _("6 hours")), (9, _("9 hours")), (24, _("24 hours"))]


class Category(models.Model):
    """A kind of incident: one of the 16 dispute categories, another non-criminal kind, or a criminal kind."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_dispute = models.BooleanField(_("dispute"), default=False)
    is_criminal = models.BooleanField(_("criminal"), default=False)
    feedback_hours = models.PositiveSmallIntegerField(
        _("feedback hours"), choices=FEEDBACK_HOURS_CHOICES, null=True, blank=True
    )
    risk_weight = models.DecimalField(
        _("risk weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_dispute=False) | models.Q(feedback_hours__in=[3, 6, 9, 24]),
                name="category_dispute_has_feedback_hours",
                violation_error_message=_("A dispute category needs feedback hours of 3, 6, 9 or 24."),
            ),
            models.CheckConstraint(
                condition=~(models.Q(is_dispute=True) & models.Q(is_criminal=True)),
                name="category_dispute_is_not_criminal",
                violation_error_message=_("A dispute category cannot be criminal."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
