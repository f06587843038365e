"""The public verification page, the published public key and the signed payload."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors, signing


@require_GET
def verify(request, code: str):
    try:
        result = selectors.document_verification(code=code, qr_signature=request.GET.get("s"))
    except selectors.DocumentNotFound as error:
        return render(
            request, "documents/verify.html", {"code": code, "error": error.text()}, status=404
        )
    return render(request, "documents/verify.html", {"code": code, "result": result})


@require_GET
def signed_payload(request, code: str):
    try:
        document = selectors.document_by_code(code)
    except selectors.DocumentNotFound as error:
        return JsonResponse({"code": error.code, "detail": error.bilingual()}, status=404)
    return JsonResponse(
        selectors.signed_payload(document), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def public_key(request):
    return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
