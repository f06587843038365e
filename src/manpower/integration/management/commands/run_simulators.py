"""Serve the partner simulators (commerce, chamber, social insurance, manpower register)."""

from django.core.management.base import BaseCommand

from manpower.integration import conf
from manpower.integration.simulator import make_server


class Command(BaseCommand):
    help = "Run the partner agency simulators on 127.0.0.1 (INTEGRATION_SIMULATOR_PORT)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, **options):
        port = options["port"] or conf.SIMULATOR_PORT.value
        server = make_server(port=port)
        self.stdout.write(f"Partner simulators on http://127.0.0.1:{server.server_port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
