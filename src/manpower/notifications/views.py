"""The signed-in user's notices. Thin: a selector reads, a service marks read."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from manpower.core.actor import Actor

from . import selectors, services


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_of(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


def _back(request):
    """Back to the page of the list the form was on."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request, notification_id: int):
    services.notification_mark_read(
        actor=Actor.from_request(request), notification_id=notification_id, now=timezone.now()
    )
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(actor=Actor.from_request(request), now=timezone.now())
    return _back(request)
