"""A photo whose header announces too many pixels is refused before it is decoded: a few KB of PNG
cannot cost the server hundreds of MB and seconds."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.test import Client
from PIL import Image

from tasks import services
from tasks.models import FeedbackPhoto
from tests.factories import PASSWORD, IncidentFactory, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png_bomb(width: int, height: int) -> bytes:
    """A valid greyscale PNG of width × height black pixels, a few KB compressed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = zlib.compressobj(9)
    line = b"\0" + b"\0" * width
    body = b"".join(raw.compress(line) for _ in range(height)) + raw.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def assigned(cast):
    instruction = issue(IncidentFactory(community=cast.home_community), by=cast.center)
    return services.instruction_sign_off(instruction=instruction, actor=cast.command_room.user, officer=cast.officer)


def test_a_49_megapixel_png_of_a_few_kb_is_refused_before_decoding(cast):
    bomb = png_bomb(7000, 7000)
    assert len(bomb) < 100_000
    with Image.open(io.BytesIO(bomb)) as header_only:
        assert header_only.size == (7000, 7000)
    instruction = assigned(cast)
    client = Client()
    assert client.login(username=cast.officer.user.username, password=PASSWORD)
    url = f"/api/v1/instructions/{instruction.pk}/photos/"
    assert client.post(url, {"photo": io.BytesIO(b"not an image")}).status_code == 400  # warm: imports, caches
    started = time.monotonic()
    response = client.post(
        f"/api/v1/instructions/{instruction.pk}/photos/",
        {"photo": io.BytesIO(bomb)},
    )
    took = time.monotonic() - started
    assert response.status_code == 400, response.content
    assert "photo" in response.json()
    assert took < 1.0
    assert FeedbackPhoto.objects.count() == 0


def test_a_large_jpeg_within_the_limit_is_still_taken_and_scaled_down(cast, settings):
    instruction = assigned(cast)
    jpeg = io.BytesIO()
    Image.new("RGB", (4000, 3000), "green").save(jpeg, "JPEG")
    jpeg.seek(0)
    jpeg.name = "big.jpg"
    client = Client()
    assert client.login(username=cast.officer.user.username, password=PASSWORD)
    response = client.post(f"/api/v1/instructions/{instruction.pk}/photos/", {"photo": jpeg})
    assert response.status_code == 201, response.content
    assert max(response.json()["width"], response.json()["height"]) <= settings.PHOTO_MAX_SIDE
    assert FeedbackPhoto.objects.count() == 1
