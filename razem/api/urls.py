"""Public read-only API, version 1. Later capabilities add routers here."""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from razem.api.consultations import router as consultations_router
from razem.api.indicators import router as indicators_router
from razem.api.partnerships import router as partnerships_router
from razem.api.strategy import router as strategy_router
from razem.api.surveys import router as surveys_router

api = NinjaAPI(
    title="Razem API",
    version="1",
    description="Publiczne API platformy Razem (tylko do odczytu). Public read-only API.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    # The interactive docs page loads its scripts from a CDN, which the CSP forbids.
    docs_url=None,
)
api.add_router("/partnerships/", partnerships_router)
api.add_router("/partnerships/", indicators_router)
api.add_router("/partnerships/", surveys_router)
api.add_router("/partnerships/", consultations_router)
api.add_router("/partnerships/", strategy_router)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    # Field-level details stay in English (machine-readable); the sentence is Polish.
    return api.create_response(
        request,
        {"detail": "Niepoprawne parametry zapytania.", "errors": exc.errors},
        status=400,
    )
