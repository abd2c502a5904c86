"""The bench's worker for pathological Markdown: every shape of content.pathological through the live preview.

    python -m bench.pathological SIZE [SHAPE ...]   -> one JSON line per shape: its bytes, seconds, status

The preview request renders the body as readers would see it and runs the claims check on it, which is
what a writer's every pause in typing costs the server. The bench runs this worker in its own process so
that it can stop a shape that runs far over its budget (bench.run.measure_pathological).

Everything the worker writes is rolled back when it ends: it signs in a writer and uploads one small
picture, because the picture shapes refer to an upload. The bench lifts the preview's per-writer limit
(PREVIEWS_PER_10_SECONDS in bench.run.BENCH_ENV): the shapes go one after another, as no writer types.
"""

import json
import os
import sys
import time

from content.pathological import SHAPES, corpus


def _signed_in_writer():
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-publisher"))
    return client


def _upload_picture(client) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from bench.upload import camera_jpeg

    data, _, _ = camera_jpeg(0.3)
    response = client.post(reverse("editor:image_upload"),
                           {"file": SimpleUploadedFile("picture.jpg", data, content_type="image/jpeg"),
                            "alt": "A treatment room", "caption": "", "credit": ""}, HTTP_ACCEPT="application/json")
    if response.status_code != 201:
        raise RuntimeError(f"the worker's picture upload answered {response.status_code}")
    return response.json()["id"]


def _post(client, url, data):
    """The preview's answer, its wall time and its CPU time.

    The request runs in this process, so its CPU time is what the render and the claims check cost, whatever
    else the machine's cores are doing; the wall time is shown beside it.
    """
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.post(url, data)
    return response, time.perf_counter() - started, time.process_time() - started_cpu


def main(argv: list[str]) -> int:
    import django

    sys.path.insert(0, os.getcwd())
    django.setup()
    from django.db import transaction
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    size, names = int(argv[0]), argv[1:] or list(SHAPES)
    url = reverse("editor:preview")
    with transaction.atomic():
        client = _signed_in_writer()
        picture = _upload_picture(client)
        bodies = corpus(size)
        # A sentence long enough for the classifier to read it: the model is trained on first use in a process,
        # which a shape must not pay for (the claims check asks it only about sentences of six words or more).
        warm_up = f"The rules and the sentence classifier load here, before any shape. ![a](image:{picture})"
        _post(client, url, {"title": "Warm-up", "summary": "", "body": warm_up})
        for name in names:
            # The picture shapes name upload 1: this upload's id instead, within the same number of bytes.
            body = bodies[name].replace("image:1", f"image:{picture}").encode()[:size].decode()
            response, elapsed, cpu = _post(client, url, {"title": "A pathological body", "summary": "", "body": body})
            print(json.dumps({"shape": name, "bytes": len(body.encode()), "seconds": round(elapsed, 3),
                              "cpu_seconds": round(cpu, 3), "status": response.status_code}), flush=True)
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
