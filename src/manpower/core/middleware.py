import re
import uuid

from django.http import Http404

from .errors import NotFound

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives each request an id (the caller's `X-Request-ID` when it is sane) for audit and logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class NotFoundIs404Middleware:
    """A portal view that asks for a record missing or outside the user's scope raises the
    selector's `NotFound`; this makes it the site's 404 page, which says nothing more, so views
    need no wrapper of their own. (The APIs answer `NotFound` as a problem, see core.problems.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.text()) from exception
        return None
