from django.conf import settings
from django.template.response import TemplateResponse

from . import conf


class NotFoundPageInDebugMiddleware:
    """With DEBUG on (the demo), Django answers an unknown address with its English debug page
    listing every URL pattern; a visitor of the demo gets the site's bilingual 404 page instead.
    Only HTML pages: the APIs keep their own answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and conf.NOT_FOUND_PAGE_IN_DEBUG.value
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "is_rendered", False)
            and b"DEBUG = True" in response.content
        ):
            return TemplateResponse(request, "404.html", status=404).render()
        return response
