"""Login throttling: a few failed attempts per address and per client, then a pause.

Keys are HMAC digests, so the table never holds an e-mail or IP address in clear.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from razem.core.models import LoginAttempt


def _key(kind: str, value: str) -> str:
    message = f"{kind}:{value.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def keys_for(email: str, client: str) -> list[str]:
    return [_key("email", email), _key("client", client)]


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)


def is_throttled(keys: list[str]) -> bool:
    recent = LoginAttempt.objects.filter(key__in=keys, created_at__gte=_window_start())
    counts: dict[str, int] = {}
    for key in recent.values_list("key", flat=True):
        counts[key] = counts.get(key, 0) + 1
    return any(n >= settings.LOGIN_THROTTLE_ATTEMPTS for n in counts.values())


def record_failure(keys: list[str]) -> None:
    LoginAttempt.objects.bulk_create([LoginAttempt(key=key) for key in keys])
    # Old rows carry no information; dropping them keeps the table small.
    LoginAttempt.objects.filter(created_at__lt=_window_start()).delete()


def clear(keys: list[str]) -> None:
    LoginAttempt.objects.filter(key__in=keys).delete()
