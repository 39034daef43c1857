from typing import Any

from django.core.management.base import BaseCommand

from tasks.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Send due reminders and escalate overdue instructions now (what Celery beat runs every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(sweep_deadlines()))
