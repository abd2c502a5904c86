"""Bodies of pathological shapes for timing the claims check (and rendering): each as large as a body may be.

    from claims.shapes import bodies
    for name, body in bodies(): ...          # (name, text) pairs, each about `size` characters

The shapes repeat what makes regular expressions and naive loops slow: runs of one markup
character without a closer, openers that never close, very long "sentences", dense matches of
rules and of the classifier's features, and ordinary articles repeated. tests/claims/test_speed.py
checks the linter's results on each; bench can time `linter.lint(body)` on each.
"""

from __future__ import annotations

MAX_BODY = 204_800  # settings.MAX_BODY_BYTES by default

ARTICLE = """## Pico laser for open pores

Pico laser delivers very short pulses that may stimulate collagen. A trial found a 52% reduction in
pore size.[^1] Most patients need 3 to 5 sessions, spaced four weeks apart. We are the best clinic in
town and results are guaranteed! Unlike other clinics, we never rush.

- Redness usually settles within a day.
- Apply SPF 50 every morning.

![Diagram of skin layers](image:1/skin-layers.jpg "Epidermis and dermis")

[^1]: Lee J, et al. Pico laser and pores. https://doi.org/10.1000/lee.2020

"""

UNITS = {
    "backticks": "`",
    "fence-runs": "```` ` ``",
    "open-brackets": "[",
    "open-images": "![",
    "footnote-openers": "[^",
    "link-openers": "[a](b \"",
    "angle-urls": "<http://x",
    "html-openers": "<a ",
    "emphasis": "*_",
    "exclamations": "!",
    "dots": ".",
    "quotes": "\"I ",
    "bare-urls": "http://a.",
    "dois": "10.1000/",
    "parens": "(",
    "pipes": "| a ",
    "hashes": "# ",
    "one-long-sentence": "the treatment may help some patients with mild acne and ",
    "dense-rules": "best guaranteed cure 100% no risk ",
    "dense-negation": "no other clinic never again nothing beats not ",
    "dense-numbers": "90% of patients saw 3 times more ",
    "long-words": "a" * 5000 + " ",
    "newlines": "\n",
    "blank-lines-and-quotes": "> \n",
    "mixed-unicode": "😀 é 你好 best ",
    "articles": ARTICLE,
}


def bodies(size: int = MAX_BODY):
    """(name, body) for every shape, each `size` characters long (a repeated unit, cut to size)."""
    for name, unit in UNITS.items():
        yield name, (unit * (size // len(unit) + 1))[:size]
