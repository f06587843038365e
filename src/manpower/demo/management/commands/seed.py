"""`manage.py seed`: a synthetic, reproducible registry at any scale (national: 180,000
employers, 2,000,000 workers)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from manpower.core.errors import DomainError
from manpower.demo.seeding import seed_registry


class Command(BaseCommand):
    help = (
        "Fill the registry with synthetic establishments, persons and employments. The same "
        "--seed and --as-of give the same data. Refuses a non-empty registry unless --append "
        "or --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employers", type=int, required=True)
        parser.add_argument("--workers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="the reference date that dates are made around (default: today)",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--append", action="store_true", help="add to the existing registry")
        mode.add_argument(
            "--replace",
            action="store_true",
            help="delete every establishment, person, employment and representation first, "
            "and what refers to them (licences, labour cards, …)",
        )

    def handle(self, *args, employers, workers, seed, as_of, append, replace, **options):
        if employers < 0 or workers < 0:
            raise CommandError("--employers and --workers cannot be negative.")
        if workers and not employers:
            raise CommandError("Workers need at least one employer.")
        try:
            result = seed_registry(
                employers=employers,
                workers=workers,
                seed=seed,
                as_of=as_of or timezone.localdate(),
                append=append,
                replace=replace,
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except DomainError as error:
            raise CommandError(error.text()) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.establishments:,} establishments, {result.persons:,} persons "
                f"({result.nationals:,} nationals) and {result.employments:,} employments "
                f"in {result.seconds:.1f} s."
            )
        )
