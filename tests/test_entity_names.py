"""Entity names in the joined catalogs are whole names: no suffix split off at a comma ("Jr."), no
list-page or job-title entries, no parenthesised glosses. Checks every person and studio name."""

from __future__ import annotations

import re

import pytest

from catalog.movielens import _split

BAD = re.compile(r"^(?:jr|sr|ii|iii|iv|inc|ltd|llc)\.?$|[()\[\]]|^list of\b|^\s|\s$|^[,;.]|[,;]$", re.I)


def test_split_rejoins_suffixes_and_drops_non_names():
    assert _split("Cuba Gooding, Jr., Helen Hunt", names=True) == ("Cuba Gooding Jr.", "Helen Hunt")
    assert _split("Arch Hall, Sr., Joseph Cranston", names=True) == ("Arch Hall Sr.", "Joseph Cranston")
    assert _split("Kaspien Holdings, Inc.", names=True) == ("Kaspien Holdings Inc.",)
    assert _split("Julianne Moore, art director, list of Harry Potter cast members", names=True) == ("Julianne Moore",)
    assert _split("Sergei (Sergei Vasilievich) Kostin", names=True) == ("Sergei Kostin",)
    assert _split("k.d. lang, will.i.am", names=True) == ("k.d. lang", "will.i.am")  # lowercase names stay
    assert _split("USA, UK") == ("USA", "UK")


@pytest.mark.slow
def test_no_damaged_names_in_the_ml100k_catalog(ml100k):
    bad = sorted({n for it in ml100k.catalog for n in it.directors + it.writers + it.cast + it.studios if BAD.search(n)})
    assert not bad, f"damaged entity names: {bad[:20]}"
    jr = [n for it in ml100k.catalog for n in it.cast if n.endswith("Jr.")]
    assert jr and all(len(n.split()) >= 2 for n in jr)  # the suffix stays with its name
