"""What a response leaves behind: in anonymous mode the answers and the day, nothing else.

A signed-in user answers from a known address; afterwards neither the response, nor the
code, nor the audit log, nor the cache, nor anything else in the database holds the
address, the account or the time of day.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.core import ratelimit
from razem.surveys.answers import post_data
from razem.surveys.models import CodeBatch, OneTimeCode, Response
from razem.surveys.tests.factories import make_survey, small_definition

ADDRESS = "203.0.113.77"  # TEST-NET-3, appears nowhere else
ANSWERS = {"gmina": "1410023", "lives_here": "no", "idea": "ławki"}
# Reviewed for anonymity; a new column must be reviewed too before this test passes.
RESPONSE_FIELDS = {"id", "survey", "answers", "channel", "submitted_on", "submitted_at",
                   "respondent", "submission_key"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def post(survey, user, code: str | None = None):
    data = post_data(small_definition(), ANSWERS)
    data["submission_key"] = ["ab" * 16]
    if code:
        data["code"] = [code]
    return client_for(user).post(f"/p/{survey.partnership.slug}/s/{survey.slug}/", data,
                                 REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=ADDRESS)


def row_text(instance) -> str:
    return json.dumps({f.attname: f.value_from_object(instance)
                       for f in instance._meta.concrete_fields}, default=str)


def test_the_response_model_has_only_reviewed_fields():
    assert {f.name for f in Response._meta.concrete_fields} == RESPONSE_FIELDS


def test_an_anonymous_response_keeps_no_trace_of_the_respondent(partnership_a, coordinator):
    survey = make_survey(partnership_a, codes_required=True)
    batch = CodeBatch.objects.create(survey=survey, label="klasa")
    OneTimeCode.objects.create(batch=batch, survey=survey, code="ABCDEFGH")
    audit_before = set(AuditLogEntry.objects.values_list("id", flat=True))

    assert post(survey, coordinator, code="ABCDEFGH").status_code == 303

    response = Response.objects.get(survey=survey)
    assert response.respondent is None
    assert response.submitted_at is None
    assert response.submitted_on == timezone.localdate()
    assert response.answers == ANSWERS
    text = row_text(response)
    assert ADDRESS not in text
    assert coordinator.email not in text and "ABCDEFGH" not in text
    # The code knows only the day it was used; nothing points from it to the response.
    code = OneTimeCode.objects.get(survey=survey)
    assert code.used_on == timezone.localdate()
    assert ADDRESS not in row_text(code)
    # No audit entry about the response, none with the address.
    new_entries = AuditLogEntry.objects.exclude(id__in=audit_before)
    assert all(ADDRESS not in row_text(entry) for entry in new_entries)
    assert not new_entries.filter(object_type="surveys.response").exists()
    # The rate limiter's keys are keyed hashes, not the address.
    keys = ratelimit.counter_keys()  # process memory only
    assert any(key.startswith(ratelimit.KEY_PREFIX) for key in keys)
    assert all(ADDRESS not in key for key in keys)
    assert all(ADDRESS not in key for key in cache._cache)  # LocMemCache
    # And nowhere in the whole database.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert ADDRESS not in dump.getvalue()


def test_a_confidential_response_keeps_the_time_and_the_account(partnership_a, coordinator):
    survey = make_survey(partnership_a, anonymity="confidential")
    before = timezone.now()
    assert post(survey, coordinator).status_code == 303
    response = Response.objects.get(survey=survey)
    assert response.respondent == coordinator
    assert response.submitted_at is not None and response.submitted_at >= before
    assert ADDRESS not in row_text(response)


def test_a_confidential_response_without_login_has_no_respondent(partnership_a):
    survey = make_survey(partnership_a, anonymity="confidential")
    assert post(survey, None).status_code == 303
    response = Response.objects.get(survey=survey)
    assert response.respondent is None and response.submitted_at is not None
