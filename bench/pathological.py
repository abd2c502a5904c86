"""Pathological Markdown bodies, and the bench's worker that sends each through the editor's live preview.

    python -m bench.pathological SIZE [SHAPE ...]   -> one JSON line per shape: its bytes, seconds, status

A body of each shape fills SIZE bytes (MAX_BODY_BYTES in `make bench`): runs of `[`, `![`, backticks, `*`,
`_` and `<`, deeply nested lists and quotes, long lines, many footnotes. The preview request renders the
body as readers would see it and runs the claims check on it, which is what a writer's every pause in typing
costs the server. The bench runs this worker in its own process so that it can stop a shape that runs far
over its budget (see bench.run.measure_pathological).
"""

import json
import os
import sys
import time


def repeated(unit: str, head: str = ""):
    """A shape: `head`, then `unit` as many times as fits."""
    return lambda size: head + unit * max(0, (size - len(head.encode())) // len(unit.encode()))


def nested_lists(size: int) -> str:
    """Lists nested 500 deep, again and again."""
    lines, total, depth = [], 0, 0
    while total + 2 * depth + 7 <= size:
        lines.append("  " * depth + "- item\n")
        total += 2 * depth + 7
        depth = (depth + 1) % 500
    return "".join(lines)


def nested_quotes(size: int) -> str:
    """One quote nested as deep as the size allows."""
    return "> " * ((size - 4) // 2) + "deep"


def many_footnotes(size: int) -> str:
    """A footnote reference per claim, and all the footnotes at the end."""
    refs, notes, total, n = [], [], 2, 0
    while True:
        ref, note = f"Claim[^{n}] ", f"[^{n}]: Source {n}.\n"
        if total + len(ref) + len(note) > size:
            return "".join(refs) + "\n\n" + "".join(notes)
        refs.append(ref)
        notes.append(note)
        total, n = total + len(ref) + len(note), n + 1


SHAPES = {
    "open brackets": repeated("["),
    "image openers": repeated("!["),
    "backticks": repeated("`"),
    "backtick runs": repeated("``` ` `` "),
    "asterisks": repeated("*"),
    "underscores": repeated("_"),
    "emphasis pairs": repeated("*a _b "),
    "angle brackets": repeated("<"),
    "unclosed tags": repeated("<a "),
    "link soup": repeated("[a](b [c](d "),
    "nested lists": nested_lists,
    "nested quotes": nested_quotes,
    "long line of words": repeated("Botox is 100% safe, best results guaranteed "),
    "one long word": repeated("a"),
    "many footnotes": many_footnotes,
    "many headings": repeated("# Heading\n"),
    "table rows": repeated("| a | b |\n", head="| a | b |\n|---|---|\n"),
    "numbers and claims": repeated("Results in 3 days for 95% of patients. "),
}


def bodies(size: int) -> dict[str, str]:
    """Every shape as a body of at most `size` bytes in UTF-8."""
    return {name: shape(size) for name, shape in SHAPES.items()}


def main(argv: list[str]) -> int:
    import django

    sys.path.insert(0, os.getcwd())
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    size, names = int(argv[0]), argv[1:] or list(SHAPES)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-publisher"))
    url = reverse("editor:preview")
    client.post(url, {"title": "Warm-up", "summary": "", "body": "Rules, templates and connections load here."})
    corpus = bodies(size)
    for name in names:
        body = corpus[name]
        started = time.perf_counter()
        response = client.post(url, {"title": "A pathological body", "summary": "", "body": body})
        elapsed = time.perf_counter() - started
        print(json.dumps({"shape": name, "bytes": len(body.encode()), "seconds": round(elapsed, 3),
                          "status": response.status_code}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
