"""One-time codes under concurrent submissions: each code is accepted exactly once.

Runs on PostgreSQL only: SQLite serialises all writers, so it cannot show the race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from razem.surveys import collection
from razem.surveys.models import Channel, CodeBatch, OneTimeCode, Response
from razem.surveys.tests.factories import make_survey

THREADS = 8

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, no race to test",
)


def run_together(target, count: int) -> list:
    """Call target(index) in `count` threads released at once; their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = target(index)
        except Exception as error:  # noqa: BLE001 - the test inspects what each got
            results[index] = error
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_a_code_is_accepted_exactly_once_under_concurrent_submissions(partnership_a):
    survey = make_survey(partnership_a, codes_required=True)
    batch = CodeBatch.objects.create(survey=survey, label="klasa")
    OneTimeCode.objects.create(batch=batch, survey=survey, code="ABCDEFGH")

    results = run_together(
        lambda i: collection.submit(survey, {"idea": f"wątek {i}"}, channel=Channel.WEB,
                                    code="ABCDEFGH", submission_key=f"{i:02x}" * 16),
        THREADS,
    )

    stored = [r for r in results if isinstance(r, Response)]
    refused = [r for r in results if isinstance(r, collection.CodeError)]
    assert len(stored) == 1, results
    assert len(refused) == THREADS - 1, results
    assert all(error.reason == collection.CodeError.USED for error in refused)
    assert Response.objects.filter(survey=survey).count() == 1
    assert OneTimeCode.objects.get(survey=survey).used_on is not None


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_concurrently_is_stored_once(partnership_a):
    survey = make_survey(partnership_a, codes_required=True)
    batch = CodeBatch.objects.create(survey=survey, label="klasa")
    OneTimeCode.objects.create(batch=batch, survey=survey, code="ABCDEFGH")

    results = run_together(
        lambda i: collection.submit(survey, {"idea": "raz"}, channel=Channel.WEB,
                                    code="ABCDEFGH", submission_key="ab" * 16),
        THREADS,
    )

    assert all(isinstance(r, Response) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Response.objects.filter(survey=survey).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_forms_without_codes_with_one_key_store_one(partnership_a):
    survey = make_survey(partnership_a)
    results = run_together(
        lambda i: collection.submit(survey, {"idea": "raz"}, channel=Channel.WEB,
                                    submission_key="cd" * 16),
        THREADS,
    )
    assert all(isinstance(r, Response) for r in results), results
    assert Response.objects.filter(survey=survey).count() == 1
