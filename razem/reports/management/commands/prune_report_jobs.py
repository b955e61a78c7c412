"""Delete old report files: they are regenerated on request, and they are large."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from razem.reports.models import PENDING, ReportJob


class Command(BaseCommand):
    help = "Delete finished report jobs (and their files) older than --days days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options) -> None:
        if days < 0:
            self.stderr.write("--days must not be negative")
            return
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = (ReportJob.objects.exclude(status__in=PENDING)
                      .filter(created_at__lt=cutoff).delete())
        self.stdout.write(f"Deleted {deleted} report jobs older than {days} days.")
