"""Idempotency-Key on unsafe API requests: the same key and body again returns the first answer
and changes nothing; the same key with another body is refused.

The key is claimed by inserting a row in the same transaction as the change, so a
concurrent copy waits on the unique index and then replays the stored answer.
Failed requests store nothing: retrying them runs them again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"


class _Failed(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view(self, request, *args, **kwargs)
        if len(key) > 64:
            return Response({HEADER: [_("At most 64 characters.")]}, status=status.HTTP_400_BAD_REQUEST)
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(
                            user_id=cast(int, request.user.pk), key=key, method=request.method or "",
                            path=request.path[:255], request_hash=fingerprint,
                        )  # fmt: skip
                except IntegrityError:
                    return _replay(request, key, fingerprint)
                response = view(self, request, *args, **kwargs)
                if response.status_code >= 400:
                    raise _Failed(response)
                record.status_code = response.status_code
                record.response = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                record.save(update_fields=["status_code", "response"])
                return response
        except _Failed as failed:
            return failed.response

    return wrapper


def _replay(request: Request, key: str, fingerprint: str) -> Response:
    record = IdempotencyRecord.objects.get(user_id=cast(int, request.user.pk), key=key)
    if record.request_hash != fingerprint:
        return Response({HEADER: [_("This key was used for a different request.")]}, status=status.HTTP_400_BAD_REQUEST)
    response = Response(record.response, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
