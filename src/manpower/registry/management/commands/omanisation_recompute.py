"""Recompute every establishment's Omanisation figures from the employment ledger."""

from django.core.management.base import BaseCommand

from manpower.registry.services import omanisation_recompute_all


class Command(BaseCommand):
    help = (
        "Recompute every establishment's nationals, workforce and share of nationals from the "
        "employment ledger in one set-based statement (after a bulk load or a repair)."
    )

    def handle(self, *args, **options):
        changed = omanisation_recompute_all()
        self.stdout.write(f"{changed} establishment(s) had their figures changed.")
