from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.payments.services import invoices_expire


class Command(BaseCommand):
    help = "Expire unpaid invoices whose payment period has ended."

    def handle(self, *args, **options):
        count = invoices_expire(actor=Actor.system("invoice-expiry"), now=timezone.now())
        self.stdout.write(f"{count} invoice(s) expired.")
