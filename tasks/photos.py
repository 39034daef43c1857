"""Feedback photos: the officer's phone uploads each photo under an id it chose (a UUID), and the answer
sheet's photo item lists those ids. Every photo is re-encoded here: JPEG or PNG in, a JPEG of bounded
size out, with nothing of the original's metadata (EXIF, GPS location, ICC profile) left.

    POST /api/v1/instructions/{id}/photos/   multipart {id, photo} → 201 {id, url, width, height, size}
                                             (the same id again: 200 with the stored photo, nothing stored twice)
    GET  /api/v1/photos/{id}/                the stored JPEG, to whoever may see the instruction
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from PIL import Image, ImageOps, UnidentifiedImageError
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Conflict

from . import policy
from .models import FeedbackPhoto, Instruction

FORMATS = ("JPEG", "PNG")
# Refuse decompression bombs before decoding: the header's size is read by Image.open, which decodes
# nothing. The phone scales photos down to PHOTO_MAX_SIDE before sending; a 24 MP original still passes.
MAX_PIXELS = 24_000_000
MAX_PER_INSTRUCTION = 30


def reencode(upload: Any) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of an uploaded JPEG or PNG, turned upright, scaled down, metadata-free."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(_("A photo may be at most %(mb)d MB.") % {"mb": settings.PHOTO_MAX_BYTES // 2**20})
    try:
        with Image.open(upload) as original:
            if original.format not in FORMATS:
                raise ValidationError(_("Only JPEG or PNG photos."))
            if original.width * original.height > MAX_PIXELS:
                raise ValidationError(
                    _("This photo has too many pixels (at most %(mp)d million).") % {"mp": MAX_PIXELS // 10**6}
                )
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale when that is enough for the stored size.
            original.draft("RGB", (settings.PHOTO_MAX_SIDE, settings.PHOTO_MAX_SIDE))
            image = ImageOps.exif_transpose(original).convert("RGBA")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(_("Only JPEG or PNG photos.")) from None
    image.thumbnail((settings.PHOTO_MAX_SIDE, settings.PHOTO_MAX_SIDE))
    clean = Image.new("RGB", image.size, "white")  # a fresh image carries no metadata at all
    clean.paste(image, mask=image.getchannel("A"))
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def photo_store(*, instruction: int, actor: Any, photo_id: uuid.UUID, upload: Any) -> tuple[FeedbackPhoto, bool]:
    """Store a photo for feedback on `instruction` (the assigned officer, while feedback is open):
    (photo, created). The same id again returns the stored photo; an id used elsewhere is refused."""
    target = get_object_or_404(Instruction.objects.filter(policy.actionable(actor, "submit_feedback")), pk=instruction)
    existing = FeedbackPhoto.objects.filter(pk=photo_id).first()
    if existing is not None:
        if existing.instruction_id != target.pk or existing.uploaded_by_id != actor.pk:
            raise ValidationError({"id": [_("This id is taken.")]})
        return existing, False
    if target.status not in Instruction.FEEDBACK_OPEN:
        raise Conflict(_("Photos can be added only while feedback is open."))
    if target.photos.count() >= MAX_PER_INSTRUCTION:
        raise ValidationError({"photo": [_("Too many photos for one instruction.")]})
    data, width, height = reencode(upload)
    photo = FeedbackPhoto(
        id=photo_id, instruction=target, uploaded_by=actor, width=width, height=height, size=len(data)
    )
    photo.file.save(f"{photo_id}.jpg", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            photo.save(force_insert=True)
    except IntegrityError:  # the same upload, twice at once: the first one stands
        photo.file.delete(save=False)
        return FeedbackPhoto.objects.get(pk=photo_id, uploaded_by=actor), False
    return photo, True


class PhotoInSerializer(serializers.Serializer):
    id = serializers.UUIDField(required=False, help_text="chosen by the client, so that a retry stores nothing twice")
    photo = serializers.FileField()


PhotoOut = inline_serializer(
    "FeedbackPhoto",
    {
        "id": serializers.UUIDField(),
        "url": serializers.CharField(),
        "width": serializers.IntegerField(),
        "height": serializers.IntegerField(),
        "size": serializers.IntegerField(),
    },
)


def _out(photo: FeedbackPhoto) -> dict[str, Any]:
    url = reverse("tasks:photo", args=[photo.pk])
    return {"id": str(photo.pk), "url": url, "width": photo.width, "height": photo.height, "size": photo.size}


class PhotoUpload(APIView):
    """Attach a photo to the feedback of an instruction assigned to the caller."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": PhotoInSerializer}, responses={201: PhotoOut, 200: PhotoOut})
    def post(self, request: Request, pk: int) -> Response:
        data = PhotoInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo_id = data.validated_data.get("id") or uuid.uuid4()
        try:
            photo, created = photo_store(
                instruction=pk, actor=request.user, photo_id=photo_id, upload=data.validated_data["photo"]
            )
        except ValidationError as exc:
            raise exceptions.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"photo": exc.messages}
            ) from None
        return Response(_out(photo), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PhotoFile(APIView):
    """A stored photo, for whoever may see its instruction (404 otherwise)."""

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    def get(self, request: Request, photo_id: uuid.UUID) -> FileResponse:
        visible = Instruction.objects.visible_to(request.user).values("pk")
        photo = get_object_or_404(FeedbackPhoto.objects.filter(instruction__in=visible), pk=photo_id)
        response = FileResponse(photo.file.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=86400, immutable"
        return response
