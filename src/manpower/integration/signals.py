"""What the adapters tell the apps that asked another agency a question that had to wait.

`queued_check_answered` is sent when `adapters.run_queued_checks` got the answer of a check that
was queued while the agency was down, so that the app which asked completes what waited for it
at once (contracts decide the contracts waiting for social insurance). Receivers get
`check_name`, `key`, `answer` (the agency's JSON) and `now`. A receiver that fails is logged
and leaves the check done; each app's periodic job stays as the safety net.
"""

from __future__ import annotations

from django.dispatch import Signal

queued_check_answered = Signal()
