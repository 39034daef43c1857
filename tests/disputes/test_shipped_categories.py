"""The incident categories ship with the code (disputes 0010), not only with the demo."""

from __future__ import annotations

from typing import Any

from disputes.models import Category
from tasks.models import AnswerSheet


def test_a_fresh_database_has_the_16_dispute_categories_each_with_its_sheet(db: Any) -> None:
    disputes = list(Category.objects.filter(is_dispute=True))
    assert len(disputes) == 16
    for category in disputes:
        assert category.feedback_hours in (3, 6, 9, 24)
        assert category.answer_sheet_code == f"dispute-{category.code}"
        assert AnswerSheet.objects.filter(code=category.answer_sheet_code).exists(), category.code
    assert [c.code for c in disputes if c.is_severe] == ["domestic_violence"]
    assert Category.objects.filter(is_criminal=True).count() == 4
    assert Category.objects.filter(is_dispute=False, is_criminal=False).count() == 6
