"""Issue or revoke a partner agency's API key: `partner_key create rop --scopes police`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.integration import services


class Command(BaseCommand):
    help = "Create (the key is printed once) or revoke a partner API key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a key to an agency")
        create.add_argument("agency", help="agency code, e.g. rop")
        create.add_argument("--scopes", required=True, help="comma-separated, e.g. police,wps")
        create.add_argument("--days", type=int, default=None, help="days until it expires")
        create.add_argument("--rate-limit", type=int, default=None, help="requests a minute")
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, **options):
        actor, now = Actor.system("manage.py partner_key"), timezone.now()
        try:
            if options["action"] == "create":
                credential, key = services.partner_key_create(
                    actor=actor,
                    agency=services.agency_by_code(options["agency"]),
                    scopes=options["scopes"].split(","),
                    days=options["days"],
                    rate_limit_per_minute=options["rate_limit"],
                    now=now,
                )
                self.stdout.write(key)
                self.stderr.write(
                    f"Key {credential.prefix} for {credential.agency.code}, scopes "
                    f"{','.join(credential.scopes)}, expires {credential.expires_at:%Y-%m-%d}. "
                    "It is shown only now: give it to the agency over a secure channel."
                )
            else:
                credential = services.partner_key_revoke(
                    actor=actor, prefix=options["prefix"], now=now
                )
                self.stdout.write(f"Revoked {credential.prefix} ({credential.agency.code}).")
        except DomainError as exc:
            raise CommandError(exc.text("en")) from exc
