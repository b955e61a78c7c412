"""Pages of a partnership's statistical data: import history and the BDL export upload.

The upload runs in two steps. Step 1 validates the whole file and keeps its
bytes server-side (PendingUpload, bound to the partnership and the user); step 2
shows what the import would do and imports only on confirmation. The client
holds only an unguessable token, so nothing it sends can change what is imported.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from razem.core.models import Partnership
from razem.core.views import load_partnership
from razem.indicators.bdl_csv import BdlCsvError, BdlTable, default_dataset, parse_bdl_csv
from razem.indicators.forms import PreviewForm, UploadForm, max_upload_bytes
from razem.indicators.importing import import_bdl_table, match_units, plan_import, variable_ids
from razem.indicators.models import ImportRun, PendingUpload

PREVIEW_ROWS = 10
RUNS_SHOWN = 50
CHANGES_SHOWN = 500
# An abandoned preview is removed after a day; its bytes are not worth keeping longer.
PENDING_LIFETIME = timedelta(days=1)


def _visible_runs(partnership: Partnership) -> QuerySet[ImportRun]:
    # This partnership's uploads and the command-line imports of public statistics;
    # never another partnership's uploads (they name its coordinators).
    return ImportRun.objects.filter(Q(partnership=partnership) | Q(partnership__isnull=True))


@login_required
@require_GET
def imports(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "indicators.view_data")
    runs = (_visible_runs(partnership).select_related("user")
            .annotate(change_count=Count("changes"))[:RUNS_SHOWN])
    return render(request, "indicators/imports.html", {
        "partnership": partnership,
        "runs": runs,
        "can_import": request.user.has_perm("indicators.import_data", partnership),
    })


@login_required
@require_GET
def import_run(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "indicators.view_data")
    run = get_object_or_404(_visible_runs(partnership).select_related("user"), pk=run_id)
    changes = [
        (change, _number(change.old_value), _number(change.new_value))
        for change in run.changes.select_related("observation__unit", "observation__variable")
        .order_by("pk")[:CHANGES_SHOWN]
    ]
    return render(request, "indicators/import_run.html", {
        "partnership": partnership, "run": run, "changes": changes,
        "change_count": run.changes.count(), "changes_shown": CHANGES_SHOWN,
    })


def _number(value: Decimal | None) -> str | None:
    # Stored values carry four decimal places; show them as the source wrote them.
    return None if value is None else number_format(value.normalize())


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "indicators.import_data")
    if request.method != "POST":
        return _upload_page(request, partnership, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, partnership, form, status=413 if form.too_large else 400)
    uploaded = form.cleaned_data["file"]
    dataset = form.cleaned_data["dataset"] or default_dataset(uploaded.name)
    data = b"".join(uploaded.chunks())
    try:
        parse_bdl_csv(data, dataset=dataset)
    except BdlCsvError as error:
        return _upload_page(request, partnership, form, status=400, error=error,
                            file_name=uploaded.name)
    pending = _keep(partnership=partnership, user=request.user, file_name=uploaded.name,
                    dataset=dataset, data=data)
    return redirect("indicators:preview", slug, pending.token)


def _upload_page(request: HttpRequest, partnership: Partnership, form: UploadForm, *,
                 status: int = 200, error: BdlCsvError | None = None,
                 file_name: str = "") -> HttpResponse:
    return render(request, "indicators/upload.html", {
        "partnership": partnership, "form": form, "error": error, "file_name": file_name,
        "max_upload_bytes": max_upload_bytes(),
    }, status=status)


def _keep(*, partnership: Partnership, user, file_name: str, dataset: str,
          data: bytes) -> PendingUpload:
    PendingUpload.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    return PendingUpload.objects.create(
        token=secrets.token_urlsafe(32), partnership=partnership, user=user,
        file_name=file_name[:255], dataset=dataset, data=data,
    )


def _pending(request: HttpRequest, partnership: Partnership, token: str) -> PendingUpload:
    """The upload only its own user may preview, in its own partnership, while it is fresh."""
    return get_object_or_404(
        PendingUpload, token=token, partnership=partnership, user=request.user,
        created_at__gte=timezone.now() - PENDING_LIFETIME,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "indicators.import_data")
    pending = _pending(request, partnership, token)
    if request.method != "POST":
        return _preview_page(request, partnership, pending, PreviewForm(
            initial={"dataset": pending.dataset}))
    action = request.POST.get("action")
    if action == "discard":
        pending.delete()
        messages.info(request, _("The uploaded file has been discarded; nothing was imported."))
        return redirect("indicators:upload", slug)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return _preview_page(request, partnership, pending, form, status=400)
    dataset = form.cleaned_data["dataset"]
    if action == "import" and dataset == pending.dataset:
        return _confirm(request, partnership, pending)
    if dataset != pending.dataset:
        # Importing under a name the coordinator has not previewed would surprise them.
        pending.dataset = dataset
        pending.save(update_fields=["dataset"])
        messages.info(request, _("The dataset name has been changed. Check the preview and "
                                 "confirm the import."))
    return redirect("indicators:preview", slug, token)


def _confirm(request: HttpRequest, partnership: Partnership,
             pending: PendingUpload) -> HttpResponse:
    try:
        table = parse_bdl_csv(bytes(pending.data), dataset=pending.dataset)
    except BdlCsvError:
        return redirect("indicators:preview", partnership.slug, pending.token)
    with transaction.atomic():
        # The lock makes a double-submitted confirmation import once.
        if not PendingUpload.objects.select_for_update().filter(pk=pending.pk).exists():
            raise Http404
        run = import_bdl_table(table, source_name=pending.file_name, user=request.user,
                               partnership=partnership)
        pending.delete()
    messages.success(request, _(
        "Imported %(file)s: %(created)d new values, %(updated)d changed, %(unchanged)d "
        "unchanged.") % {"file": run.file_name, "created": run.created, "updated": run.updated,
                         "unchanged": run.unchanged})
    return redirect("indicators:import_run", partnership.slug, run.pk)


def _preview_page(request: HttpRequest, partnership: Partnership, pending: PendingUpload,
                  form: PreviewForm, *, status: int = 200) -> HttpResponse:
    context = {"partnership": partnership, "pending": pending, "form": form}
    try:
        table = parse_bdl_csv(bytes(pending.data), dataset=pending.dataset)
    except BdlCsvError as error:
        # Only a renamed dataset can make a validated file fail (codes grow too long).
        context["error"] = error
        return render(request, "indicators/preview.html", context, status=400)
    context.update(_preview(table))
    return render(request, "indicators/preview.html", context, status=status)


def _preview(table: BdlTable) -> dict:
    match = match_units(table)
    plan = plan_import(table, match, variable_ids(table))
    return {
        "table": table,
        "variables": table.variables,
        "years": table.years,
        "row_count": len(table.rows),
        "match": match,
        "first_rows": table.rows[:PREVIEW_ROWS],
        "preview_rows": PREVIEW_ROWS,
        "will_create": len(plan.to_create),
        "will_update": len(plan.to_update),
        "will_keep": plan.unchanged,
    }
