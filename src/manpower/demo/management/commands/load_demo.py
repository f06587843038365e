"""`manage.py load_demo`: a small registry from the seed generator, one account per role, and
what each role needs that day (`dataset`): establishments the employer can recruit for, an
application in the officer's queue, a licence with visas the police reserved, labour cards due
for renewal, a contract waiting for the individual to accept, unpaid invoices for the
employer to pay in the sandbox gateway or the Sanad operator to take at the counter.

Idempotent: what exists is kept as it is, so a second run changes nothing (an invoice is added
again only when the employer has none left to pay for that service). Development only
(DEBUG on): every account has the documented demo password, and ministry staff and the college
registrar a TOTP device with a fixed secret printed here, to add to an authenticator app.
"""

import base64
import datetime as dt
import hashlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role, User
from manpower.accounts.services import needs_second_factor
from manpower.core.actor import Actor
from manpower.demo import colleges, complaints, dataset, jobs
from manpower.demo import wages as demo_wages
from manpower.demo.seeding import registry_is_empty, seed_registry
from manpower.payments import selectors as payment_selectors
from manpower.payments import services as payment_services
from manpower.registry import services as registry_services
from manpower.registry.models import Establishment, Person, Representation

DEMO_PASSWORD = "Demo-2026!"
DEMO_SEED = 2016
DEMO_DEVICE = "Demo authenticator"

# username, role, department, English name, Arabic name
ACCOUNTS = (
    ("individual", Role.INDIVIDUAL, "", "", ""),
    ("employer", Role.ESTABLISHMENT_REP, "", "Demo Employer", "صاحب عمل تجريبي"),
    ("sanad", Role.SANAD_OPERATOR, "", "Demo Sanad Operator", "موظف سند تجريبي"),
    ("officer", Role.OFFICER, Department.LICENSING, "Demo Officer", "موظف تجريبي"),
    ("inspector", Role.INSPECTOR, Department.INSPECTION, "Demo Inspector", "مفتش تجريبي"),
    ("care", Role.OFFICER, Department.LABOUR_CARE, "Demo Care Officer", "موظف رعاية تجريبي"),
    ("wages", Role.OFFICER, Department.WAGE_PROTECTION, "Demo Wage Officer", "موظف أجور تجريبي"),
    ("admin", Role.ADMINISTRATOR, Department.INFORMATION_TECHNOLOGY, "Demo Admin", "مدير تجريبي"),
)


# Fees of the payments app's schedule that the employer finds unpaid under "My invoices".
DEMO_INVOICE_SERVICES = ("CARD_RENEWAL_COMMERCIAL", "DEPARTURE_FORM")


def demo_totp_key(username: str) -> bytes:
    """The fixed 20-byte TOTP secret of a demo account (derived from its name, so it is the same
    on every machine and every run)."""
    return hashlib.sha1(f"manpower-demo-totp:{username}".encode()).digest()  # noqa: S324


def base32(key: bytes) -> str:
    return base64.b32encode(key).decode()


class Command(BaseCommand):
    help = (
        "Load the demo: a small synthetic registry and one account per role (DEBUG only). "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employers", type=int, default=300)
        parser.add_argument("--workers", type=int, default=5000)
        parser.add_argument(
            "--totp-code",
            metavar="USERNAME",
            help="print the current TOTP code of a demo staff account and stop",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="the day the demo is built for (default: today)",
        )

    def handle(self, *args, employers, workers, totp_code, today, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates accounts with a published password: it runs only with DEBUG on."
            )
        if totp_code:
            self.stdout.write(self.current_code(totp_code))
            return
        now = timezone.now()
        if today:
            now += today - timezone.localdate(now)
        today = timezone.localdate(now)
        actor = Actor.system("load_demo")
        if registry_is_empty():
            result = seed_registry(
                employers=employers, workers=workers, seed=DEMO_SEED, as_of=today
            )
            self.stdout.write(
                f"Registry: {result.establishments:,} establishments and {result.persons:,} "
                f"workers loaded in {result.seconds:.1f} s."
            )
        else:
            self.stdout.write("Registry: already holds data; kept as it is.")
        with transaction.atomic():
            users = {username: self.account(username, *rest) for username, *rest in ACCOUNTS}
            self.link_individual(users["individual"])
            self.link_representative(users["employer"], actor=actor, now=now)
            invoices = self.invoices_to_pay(users["employer"], actor=actor, now=now)
            users["registrar"] = colleges.colleges_keep(
                actor=actor, now=now, individual=users["individual"], password=DEMO_PASSWORD
            )
            for username, user in users.items():
                self.device_keep(username, user)
        self.prepare_the_day(users, actor=actor, today=today, now=now)
        self.print_accounts(users)
        self.print_invoices(invoices)

    def prepare_the_day(self, users: dict[str, User], *, actor: Actor, today: dt.date, now):
        """The employer's first establishment recruits, renews cards and holds a licence with
        visas reserved; the second, whose
        chamber membership is about to expire, has an application waiting for the officer."""
        represented = [r.establishment for r in users["employer"].representations.order_by("id")]
        if not represented:
            return
        main, queued = represented[0], represented[-1]
        with transaction.atomic():
            dataset.chamber_membership_keep(
                actor=actor,
                establishment=main,
                today=today,
                expires_within=dataset.CHAMBER_VALID,
                now=now,
            )
            if queued != main:
                dataset.chamber_membership_keep(
                    actor=actor,
                    establishment=queued,
                    today=today,
                    expires_within=dataset.CHAMBER_EXPIRING,
                    now=now,
                )
            due = dataset.cards_due_for_renewal_keep(actor=actor, establishment=main, today=today)
            complaints.complaint_keep(users=users, today=today, now=now)
            contract = dataset.contract_for_individual_keep(
                actor=actor,
                establishment=main,
                individual=users["individual"],
                today=today,
                now=now,
            )
            jobs.jobs_keep(
                actor=actor,
                establishment=main,
                individual=users["individual"],
                today=today,
                now=now,
            )
        demo_wages.last_month_keep(establishment=main, today=today, now=now)
        with dataset.agencies_simulated():
            application = dataset.application_for_officer(
                actor=actor, applicant=users["employer"], establishment=queued, now=now
            )
            licence = dataset.licence_with_visas_keep(
                actor=actor, applicant=users["employer"], establishment=main, now=now
            )
        self.stdout.write(
            f"\nOn {today.isoformat()}: establishment {main.cr_number} can recruit "
            f"(more than 10 workers go to the officer) and has {due} labour cards due for "
            f"renewal; application {application or '-'} of {queued.cr_number} waits in the "
            f"officer's queue (/licences/queue/)."
        )
        if contract is not None:
            self.stdout.write(
                f"Contract {contract.number} of {main.cr_number} with the individual is "
                f"{contract.get_status_display()}: sign in as individual and open My contracts "
                f"(/contracts/mine/) to accept it; the employer sees it under "
                f"/contracts/{main.cr_number}/."
            )
        if licence is not None:
            self.stdout.write(
                f"Licence {licence.number} of {main.cr_number} has visas reserved by the police "
                f"and one worker arrived: sign in as employer and open /licences/{licence.number}/."
            )

    def account(self, username, role, department, name_en, name_ar) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                department=department,
                full_name_en=name_en,
                full_name_ar=name_ar,
                email=f"{username}@demo.manpower.example",
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def device_keep(self, username: str, user: User) -> None:
        """Accounts that sign in with a code (staff, the registrar) get the fixed demo secret."""
        if needs_second_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name=DEMO_DEVICE, key=demo_totp_key(username).hex(), confirmed=True
            )

    def link_individual(self, user: User) -> None:
        """The individual is a seeded national: their own employment shows on their dashboard."""
        if user.civil_number:
            return
        person = Person.objects.filter(is_national=True).order_by("id").first()
        if person is None:
            return
        user.civil_number = person.civil_number
        user.full_name_en, user.full_name_ar = person.name_en, person.name_ar
        user.save(update_fields=["civil_number", "full_name_en", "full_name_ar"])

    def link_representative(self, user: User, *, actor: Actor, now) -> None:
        """The representative acts for the two establishments with the most room to recruit
        under the Omanisation share (else the largest and a small one)."""
        if Representation.objects.filter(user=user).exists():
            return
        chosen = dataset.recruiting_establishments(2)
        if not chosen:
            active = Establishment.objects.annotate(
                workers=Count("employments", filter=Q(employments__status="ACTIVE"))
            ).filter(status=Establishment.Status.ACTIVE)
            largest = active.order_by("-workers", "id").first()
            smaller = active.filter(workers__range=(2, 25)).order_by("id").first()
            chosen = [e for e in (largest, smaller) if e]
        for establishment in {e.pk: e for e in chosen}.values():
            registry_services.representation_grant(
                actor=actor, user=user, establishment=establishment, now=now
            )

    def invoices_to_pay(self, user: User, *, actor: Actor, now) -> list[str]:
        """An unpaid invoice per demo service for the employer's main establishment, unless one
        can still be paid; returns the numbers it can pay."""
        representation = user.representations.order_by("id").first()
        if representation is None:
            return []
        cr = representation.establishment.cr_number
        numbers = []
        for service_code in DEMO_INVOICE_SERVICES:
            payable = payment_selectors.payable_invoice_numbers(
                payer_cr_number=cr, service_code=service_code, now=now
            )
            if not payable:
                invoice = payment_services.invoice_create(
                    actor=actor, now=now, service_code=service_code, payer_cr_number=cr
                )
                payable = [invoice.number]
            numbers.extend(payable)
        return numbers

    def print_invoices(self, numbers: list[str]) -> None:
        if not numbers:
            return
        self.stdout.write(
            f"\nThe employer has invoices to pay ({', '.join(numbers)}): sign in as employer, "
            f"open My invoices (/payments/invoices/) and pay with the sandbox test card "
            f"{dataset.TEST_CARD}; 4000 0000 0000 0002 is declined. Or sign in as sanad and take "
            f"one at the counter (/payments/counter/)."
        )

    def current_code(self, username: str) -> str:
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE).first()
        if device is None:
            raise CommandError(f"{username} is not a demo staff account with a TOTP device.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    def print_accounts(self, users: dict[str, User]) -> None:
        rows = [("role", "username", "password", "TOTP secret (base32)")]
        for username, user in users.items():
            secret = base32(demo_totp_key(username)) if needs_second_factor(user) else "-"
            rows.append((user.role, username, DEMO_PASSWORD, secret))
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        self.stdout.write("\nDemo accounts (development only):")
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            )
        employer = users["employer"]
        crs = ", ".join(
            employer.representations.order_by("establishment__cr_number").values_list(
                "establishment__cr_number", flat=True
            )
        )
        self.stdout.write(f"\n  employer represents establishments {crs or '-'}")
        self.stdout.write(f"  individual has civil number {users['individual'].civil_number}")
        self.stdout.write(
            "\nStaff and the registrar sign in with a TOTP code too. Add the secret to an "
            "authenticator app (or scan the otpauth URI), or print the current code with\n"
            "  python manage.py load_demo --totp-code <username>"
        )
        for device in TOTPDevice.objects.filter(user__in=users.values(), name=DEMO_DEVICE):
            self.stdout.write(f"  {device.config_url}")
