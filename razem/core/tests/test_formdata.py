"""The one-pass form parser gives exactly the QueryDict Django builds, limits included."""

from __future__ import annotations

import urllib.parse

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from razem.core.formdata import FormDataMiddleware, parse_urlencoded

# Pieces that exercise every branch: separators, "=", "+", good and broken escapes,
# multi-byte UTF-8 escapes, raw non-ASCII text and bytes that are not UTF-8.
PIECES = ["a", "b", "q-1", "&", "&&", "=", "==", "+", "%", "%2", "%20", "%2B", "%26", "%3D",
          "%C5%82", "%C5", "%ZZ", "%e2%82%ac", "ł", "ż", " ", ";", "x" * 30]
bodies = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map(lambda parts: "".join(parts).encode()),
    st.binary(max_size=200),
    st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=20).map(
        lambda pairs: urllib.parse.urlencode(pairs).encode()),
)


def _state(query: QueryDict) -> tuple[list[tuple[str, list[str]]], str, bool]:
    return list(query.lists()), query.encoding, query._mutable


@settings(max_examples=800, deadline=None)
@given(bodies)
def test_the_parse_equals_djangos_query_dict(body: bytes) -> None:
    assert _state(parse_urlencoded(body)) == _state(QueryDict(body, encoding="utf-8"))


def test_a_survey_like_body_keeps_repeats_in_order_and_decodes_polish() -> None:
    body = urllib.parse.urlencode([
        ("obstacles", "workers"), ("obstacles", "taxes"), ("comment", "Łosice, więcej dróg"),
        ("rank:roads", "1"), ("empty", ""),
    ]).encode()
    query = parse_urlencoded(body)
    assert query.getlist("obstacles") == ["workers", "taxes"]
    assert query["comment"] == "Łosice, więcej dróg"
    assert query["empty"] == ""
    with pytest.raises(AttributeError):
        query["comment"] = "changed"  # immutable, like the request's own


def test_too_many_fields_is_refused_as_django_refuses_it(settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    body = b"a=1&b=2&c=3&d=4"
    with pytest.raises(TooManyFieldsSent):
        QueryDict(body, encoding="utf-8")
    with pytest.raises(TooManyFieldsSent):
        parse_urlencoded(body)
    assert parse_urlencoded(b"a=1&b=2&c=3").dict() == {"a": "1", "b": "2", "c": "3"}


def _through_middleware(request) -> QueryDict:
    seen = {}

    def view(request):
        seen["post"] = request.POST
        return None

    FormDataMiddleware(view)(request)
    return seen["post"]


def test_the_middleware_gives_views_the_parsed_form() -> None:
    request = RequestFactory().post("/", data="a=1&a=2&b=%C5%82",
                                    content_type="application/x-www-form-urlencoded")
    post = _through_middleware(request)
    assert post.getlist("a") == ["1", "2"] and post["b"] == "ł"


def test_the_middleware_leaves_uploads_to_django() -> None:
    request = RequestFactory().post("/", data={"title": "Plan", "file": _upload()})
    post = _through_middleware(request)
    assert post["title"] == "Plan" and request.FILES["file"].read() == b"data"


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plan.txt", b"data")
