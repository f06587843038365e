from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@require_POST
def set_language(request):
    """Django's language switch, and for a signed-in user the choice is kept on the account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {"ar", "en"}:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def locked_out(request, credentials, *args, **kwargs):
    from django.shortcuts import render

    return render(request, "accounts/locked_out.html", status=429)


__all__ = ["HttpResponseRedirect", "url_has_allowed_host_and_scheme"]
