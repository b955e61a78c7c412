"""QR codes of a survey's public address, for the staff pages, the poster and code cards.

The code holds only the public address: never a one-time code, which would then sit in
phone histories and server logs.
"""

from __future__ import annotations

import base64
import io

import segno
from django.conf import settings
from django.http import HttpRequest

# "M" survives a crease or a smudge on a printed poster yet keeps the symbol small.
ERROR_CORRECTION = "m"
# ODK and the QR standard ask for a quiet zone of four modules around the symbol.
BORDER = 4


def public_url(survey, request: HttpRequest | None = None) -> str:
    """The absolute address respondents open; from the request when there is one
    (the host people actually use), else from settings.SITE_URL (commands, tasks)."""
    path = survey.get_absolute_url()
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def _symbol(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def svg(url: str, *, title: str | None = None) -> bytes:
    """A standalone SVG (with its namespace, no XML declaration) that scales to any size."""
    output = io.BytesIO()
    _symbol(url).save(
        output, kind="svg", scale=1, border=BORDER, xmldecl=False, svgns=True,
        title=title, unit=None, omitsize=True, dark="#000000", light="#ffffff",
    )
    return output.getvalue()


def png(url: str, *, scale: int = 10) -> bytes:
    output = io.BytesIO()
    _symbol(url).save(output, kind="png", scale=scale, border=BORDER,
                      dark="#000000", light="#ffffff")
    return output.getvalue()


def data_uri(content: bytes, mime: str) -> str:
    """For the HTML WeasyPrint lays out: everything inline, nothing fetched."""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
