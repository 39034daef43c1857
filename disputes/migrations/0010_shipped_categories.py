"""Ship the district's incident categories, so a real deployment starts with them rather than only the demo:
the 16 dispute categories (each answered on its own `dispute-<code>` sheet, shipped by tasks 0007), the other
non-criminal kinds and the criminal kinds. The data are frozen here (a copy, not an import of the demo).

Forwards creates a category only where its code does not exist yet: an admin's edits are never overwritten.
Backwards removes only the rows that still equal the shipped ones and that nothing references."""

from decimal import Decimal

from django.db import migrations

# code, name, is_dispute, is_criminal, feedback_hours, risk_weight, is_severe, answer_sheet_code
# (sort_order is the position in this list, from 1; accepted_by is "center" for all)
CATEGORIES = [
    ("family", "家庭纠纷", True, False, 3, "1.5", False, "dispute-family"),
    ("marriage", "婚恋纠纷", True, False, 6, "1.5", False, "dispute-marriage"),
    ("neighbour", "邻里纠纷", True, False, 9, "1.2", False, "dispute-neighbour"),
    ("property_land", "房屋土地纠纷", True, False, 24, "1.0", False, "dispute-property_land"),
    ("labour", "劳资纠纷", True, False, 9, "1.3", False, "dispute-labour"),
    ("economic", "经济纠纷", True, False, 24, "1.0", False, "dispute-economic"),
    ("medical", "医疗纠纷", True, False, 6, "1.4", False, "dispute-medical"),
    ("property_management", "物业纠纷", True, False, 24, "1.0", False, "dispute-property_management"),
    ("traffic_dispute", "交通事故纠纷", True, False, 9, "1.0", False, "dispute-traffic_dispute"),
    ("consumer", "消费纠纷", True, False, 24, "1.0", False, "dispute-consumer"),
    ("enterprise", "企业纠纷", True, False, 24, "1.2", False, "dispute-enterprise"),
    ("demolition", "拆迁纠纷", True, False, 24, "1.5", False, "dispute-demolition"),
    ("loan", "借贷纠纷", True, False, 24, "1.2", False, "dispute-loan"),
    ("support", "赡养抚养纠纷", True, False, 6, "1.3", False, "dispute-support"),
    ("noise", "噪音扰民纠纷", True, False, 9, "1.0", False, "dispute-noise"),
    ("domestic_violence", "家庭暴力", True, False, 3, "3.0", True, "dispute-domestic_violence"),
    ("help", "求助", False, False, None, "1.0", False, ""),
    ("traffic", "交通事故", False, False, None, "1.0", False, ""),
    ("fire", "火情", False, False, None, "1.0", False, ""),
    ("inquiry", "咨询", False, False, None, "1.0", False, ""),
    ("suspicious", "可疑情况", False, False, None, "1.0", False, ""),
    ("lost", "遗失物品", False, False, None, "1.0", False, ""),
    ("theft", "盗窃", False, True, None, "2.0", False, ""),
    ("fraud", "诈骗", False, True, None, "2.0", False, ""),
    ("robbery", "抢劫", False, True, None, "2.0", False, ""),
    ("assault", "故意伤害", False, True, None, "2.0", False, ""),
]


def shipped():
    """Each shipped category as the field values of its row."""
    for order, (code, name, dispute, criminal, hours, weight, severe, sheet) in enumerate(CATEGORIES, start=1):
        yield {
            "code": code,
            "name": name,
            "is_dispute": dispute,
            "is_criminal": criminal,
            "feedback_hours": hours,
            "risk_weight": Decimal(weight),
            "sort_order": order,
            "is_severe": severe,
            "answer_sheet_code": sheet,
            "accepted_by": "center",
        }


def forwards(apps, schema_editor):
    Category = apps.get_model("disputes", "Category")
    for values in shipped():
        Category.objects.get_or_create(code=values["code"], defaults=values)


def backwards(apps, schema_editor):
    Category = apps.get_model("disputes", "Category")
    # Every row naming a category, hidden relations included (the import aliases have related_name="+").
    relations = [
        f for f in Category._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete and f.is_relation
    ]
    for values in shipped():
        row = Category.objects.filter(**values).first()
        if row is None:
            continue  # gone, or edited since: an admin's category stays
        if any(r.related_model._base_manager.filter(**{r.field.name: row}).exists() for r in relations):
            continue  # incidents, dispatches or import aliases name it
        row.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0009_dispatch"),
        ("tasks", "0007_dispute_answer_sheets"),  # the categories' answer sheets
        # After the engine dropped its category column, so that backwards asks only the rows that name a category
        ("tasks", "0020_incident_link_leaves_the_engine"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
