"""The picture upload request: a camera-sized JPEG through the editor's upload view, timed.

Information for now, not a budget: the upload decodes, cleans and re-encodes the picture within the request and
enqueues its resized copies, which a background worker makes (content.tasks); their time is measured apart.
"""

import io
import statistics
import tempfile
import time

from PIL import Image


def camera_jpeg(megapixels: float) -> tuple[bytes, int, int]:
    """A 4:3 JPEG of about `megapixels`, with enough grain to weigh what a phone's photo weighs (a few MB)."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    grain = Image.effect_noise((width, height), 20)
    light = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (grain, light, light.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue(), width, height


def measure_upload(client, *, megapixels: float, reps: int) -> dict:
    """Median time of the upload request; each runs in a transaction rolled back afterwards, and its files go
    to a temporary folder, so the bench's database and media stay as they were."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test.utils import override_settings
    from django.urls import reverse

    from content import images
    from content.models import Image

    data, width, height = camera_jpeg(megapixels)
    url = reverse("editor:image_upload")
    times, background = [], []
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        for _ in range(reps):
            with transaction.atomic():
                upload = SimpleUploadedFile("treatment-room.jpg", data, content_type="image/jpeg")
                started = time.perf_counter()
                response = client.post(url, {"file": upload, "alt": "The treatment room", "caption": "",
                                             "credit": ""}, HTTP_ACCEPT="application/json")
                times.append(time.perf_counter() - started)
                if response.status_code == 201:  # what the worker then does, off the request
                    started = time.perf_counter()
                    images.make_renditions(Image.objects.get(pk=response.json()["id"]))
                    background.append(time.perf_counter() - started)
                transaction.set_rollback(True)
            if response.status_code != 201:
                raise RuntimeError(f"the upload answered {response.status_code}: {response.content[:300]!r}")
    return {"width": width, "height": height, "megapixels": round(width * height / 1e6, 1),
            "bytes": len(data), "requests": reps, "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3), "renditions_median_s": round(statistics.median(background), 3)}
