"""Typed review lines are found in their common forms and positions, and only those."""

import pytest
from bs4 import BeautifulSoup

from wpimport.claimed_reviews import find_claims, remove_claims, remove_claims_from_text


@pytest.mark.parametrize("text, who", [
    ("Medically reviewed by Dr. Jane Lim, MBBS (Singapore) on 3 May 2019.", "Dr. Jane Lim, MBBS (Singapore)"),
    ("Reviewed by: Dr. J. Lim — Updated May 2019", "Dr. J. Lim"),
    ("Medical reviewer: Dr Tan Wei Ming | Written by Sue", "Dr Tan Wei Ming"),
    ("MEDICALLY REVIEWED BY DR GOH MEI LIN", "DR GOH MEI LIN"),
    ("Clinically reviewed by Arun Nair, MD — Written by Tim — Updated on May 3, 2019", "Arun Nair, MD"),
    ("Reviewed by Sarah Lee, MBBS.", "Sarah Lee, MBBS"),
    ("Written by Sue and reviewed by Dr. Tan for accuracy.", "Dr. Tan"),
    ("Fact-checked by Prof. Ong.", "Prof. Ong"),
    ("Medical review – Dr Lim", "Dr Lim"),
])
def test_claim_is_found_with_the_name_it_gives(text, who):
    assert [claim.who for claim in find_claims(text)] == [who]


@pytest.mark.parametrize("text", [
    "Ask for your plan to be medically reviewed by your GP.",
    "Always have a new mole reviewed by a doctor.",
    "We reviewed by hand every study we cite.",
    "Your skin is reviewed by the laser's sensor.",
])
def test_advice_about_reviews_is_not_a_claim(text):
    assert find_claims(text) == []


def test_claim_in_the_middle_of_a_paragraph_takes_its_sentence_alone():
    text, names = remove_claims_from_text("Acne is common. This article was medically reviewed by Dr Lim. Read on.")

    assert (text, names) == ("Acne is common. Read on.", ["Dr Lim"])


def test_claim_split_across_markup_is_removed_with_its_empty_block():
    soup = BeautifulSoup('<p>Intro.</p><p><em>Medically reviewed by <a href="/dr-lim">Dr Jane Lim</a></em></p>'
                         "<p>Acne is common. It was reviewed by Dr. Tan<br>on 3/5/2019. More <b>here</b>.</p>",
                         "html.parser")

    assert remove_claims(soup) == ["Dr Jane Lim", "Dr. Tan"]
    assert str(soup) == "<p>Intro.</p><p>Acne is common. More <b>here</b>.</p>"
