"""Item facets beyond named entities, and what the catalog can say about them.

Facets read from `Item.attributes` (filled by catalog.movielens from movies.db; a BYO catalog may have
none): MPAA rating, runtime, critics' average, Oscar wins, the finer OMDb genres. `FacetStats` holds
the catalog-level numbers that give a facet meaning: critic-score and popularity percentiles, and how
many items carry each field (so a reply can say "only 375 titles have an MPAA rating").

`MOODS` is the catalog-side meaning of a mood or occasion: which genres serve it and which work against
it. Which words name a mood is the dialogue layer's job (assistant.dialogue.open_slots); what a mood
does to the candidates is the search tool's (tools.search_items).

Rules (an item without the field never satisfies a filter on it):
  kids_ok       a Children's / Family / Animation genre, MPAA G or PG when the item has a rating, and no
                Horror / Thriller / War / Crime genre in MovieLens or OMDb
  clean_ok      rated G or PG, or kids_ok ("no swearing or sex scenes"); never Horror
  no_adult_ok   rated G, PG or PG-13 (or a TV rating below TV-MA); unrated items and the codes of the past
                (M, M/PG, GP) never pass; never Horror
  runtime       minutes (float) or None
  critic        critics' average out of 10 (tomatoes), else Metacritic / 10, else None
  acclaimed     critic percentile >= 0.8 among items that have a critic score
  well_reviewed no filter: "a good comedy" only ranks better-reviewed items higher
  adult         no filter: "raunchy", "R rated is fine, preferred even" only ranks R / NC-17 items higher
  hidden gem    critic percentile >= 0.6 and rating-count percentile <= 0.5
  classic       released before 1976 and critic percentile >= 0.5
  oscar winner  at least one Oscar won
  crowd-pleaser mean user rating percentile >= 0.75 among items with at least 20 ratings

What it does not do: parse text, search, rank, or talk to Chroma.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalog.types import Catalog, Item

KIDS_RATINGS = ("G", "PG", "TV-G", "TV-Y", "TV-Y7")
KIDS_GENRES = ("Children's", "Family", "Animation")
QUALITIES = ("acclaimed", "hidden_gem", "classic", "oscar", "many_oscars", "crowd_pleaser", "well_reviewed", "adult")
MANY_OSCARS = 3  # "won a bunch of oscars": at least this many wins
AUDIENCES = ("kids", "clean", "no_adult")
ADULT_RATINGS = ("R", "NC-17", "X", "TV-MA")
# an allow-list, not "anything but ADULT_RATINGS": a code nobody checks today (1968's M, M/PG, GP) or one a BYO
# catalog brings is not known to be fine for "nothing rated R"
NO_ADULT_RATINGS = ("G", "PG", "PG-13", "TV-Y", "TV-Y7", "TV-G", "TV-PG", "TV-14")
CROWD_PCT, CROWD_MIN_RATINGS = 0.75, 20
ACCLAIMED_PCT = 0.8
HIDDEN_CRITIC_PCT, HIDDEN_POP_PCT = 0.6, 0.5
CLASSIC_BEFORE, CLASSIC_PCT = 1976, 0.5


@dataclass(frozen=True)
class Mood:
    """Genres that serve a mood (an item needs ANY of them) and genres that work against it (NONE)."""

    label: str  # how a reply names it: "feel-good"
    genres: tuple[str, ...]
    avoid: tuple[str, ...] = ()


_DARK = ("Horror", "War", "Crime", "Thriller", "Film-Noir")
MOODS: dict[str, Mood] = {
    "feel_good": Mood("feel-good", ("Comedy", "Family", "Musical", "Animation", "Children's", "Romance"), _DARK),
    "funny": Mood("funny", ("Comedy",), ("Horror", "War")),
    # pure comedy, nothing heavy beside it: "something light", "goofy and dumb on purpose", "zany", "brain off"
    "light": Mood("light", ("Comedy",), ("Drama",) + _DARK),
    "sad": Mood("moving", ("Drama", "Romance"), ("Comedy", "Horror", "Sci-Fi", "Action", "Crime", "Thriller",
                                                 "Children's", "Animation")),
    "romantic": Mood("romantic", ("Romance",), ("Horror", "War")),
    # a date or an anniversary is a romance (a comedy alone is not: 5 of the 6 dev requests read so name Romance)
    "date": Mood("date-night", ("Romance",), ("Horror", "War", "Documentary")),
    "scary": Mood("scary", ("Horror", "Thriller"), ("Comedy", "Children's", "Family")),
    "tense": Mood("tense", ("Thriller", "Mystery", "Crime"), ("Children's", "Family")),
    "mind_bending": Mood("mind-bending", ("Sci-Fi", "Mystery"), ("Children's", "Musical", "Comedy", "Family")),
    "exciting": Mood("action-packed", ("Action", "Adventure"), ("Documentary",)),
    "thoughtful": Mood("thought-provoking", ("Drama", "Documentary"), ("Children's", "Family", "Animation", "Comedy")),
    "true_story": Mood("true-story", ("Biography", "History", "Documentary"), ()),
    "family": Mood("family", KIDS_GENRES, ("Horror",)),
    "dark": Mood("dark", _DARK, ("Children's", "Family", "Animation", "Musical", "Comedy")),
    "escapist": Mood("escapist", ("Fantasy", "Sci-Fi", "Adventure", "Animation"), ("Documentary", "War")),
    "inspiring": Mood("inspiring", ("Sport", "Biography", "History"), ("Horror", "Film-Noir")),
    "sport": Mood("sports", ("Sport",), ()),  # a subject, named: only OMDb's Sport genre serves it
    "biopic": Mood("biopic", ("Biography",), ()),  # the same: "a biopic" is a real person's life, OMDb's Biography
    "history": Mood("historical", ("History",), ()),  # the same: "history films", "a history buff" are OMDb's History
    "calm": Mood("calm", ("Comedy", "Romance", "Family", "Animation", "Musical", "Documentary", "Drama"),
                 ("Horror", "Thriller", "Action", "War", "Crime", "Film-Noir")),
    "whimsical": Mood("whimsical", ("Fantasy", "Animation", "Children's", "Family", "Musical"), _DARK),
    # "nothing sad", "nothing depressing": feel-good with no drama either (OMDb's Drama counts, as for a refusal)
    "upbeat": Mood("upbeat", ("Comedy", "Family", "Musical", "Animation", "Children's", "Romance"), _DARK + ("Drama",)),
    # "a pitch-black comedy", "dark comedies": the dark mood with a comedy named, which "dark" alone would refuse
    "dark_comedy": Mood("darkly comic", ("Crime", "Thriller", "War", "Horror", "Film-Noir"),
                        ("Children's", "Family", "Animation", "Musical")),
}
# a genre named on its own ranks as the mood that is just that genre does: what works against the mood comes last
# ("something romantic" in ML-100K: the Star Wars films are tagged Romance and War). {"Romance": "romantic",
# "Comedy": "funny"}; the first such mood in MOODS, the mildest
GENRE_MOOD = {}
for _k, _m in MOODS.items():
    if len(_m.genres) == 1 and _m.avoid:
        GENRE_MOOD.setdefault(_m.genres[0], _k)


def named_genres_against(genres) -> set[str]:
    """Genres that work against what the named genres stand for (GENRE_MOOD), less the named ones: a ranking
    signal, never a filter (tools.rank_candidates)."""
    out = {g for n in genres if n in GENRE_MOOD for g in MOODS[GENRE_MOOD[n]].avoid}
    return out - set(genres)


# a mood asked *not* to be ("nothing depressing"): the mood that stands for its opposite, where one exists
NOT_MOOD = {"sad": "upbeat", "dark": "feel_good", "scary": "feel_good", "mind_bending": "feel_good",
            "thoughtful": "light", "exciting": "calm", "tense": "calm", "calm": "exciting"}


# OMDb genres that MovieLens lacks. OMDb's lists are broad (Fargo: "Comedy, Crime, Drama, ..."), so for the
# genres MovieLens has, its own labels decide; OMDb only adds these finer ones.
FINER_GENRES = ("Family", "Biography", "History", "Sport", "Music")


def all_genres(item: Item) -> set[str]:
    """MovieLens genres plus the finer OMDb ones (FINER_GENRES)."""
    return set(item.genres) | (set(item.attributes.get("omdb_genres") or ()) & set(FINER_GENRES))


def broad_genres(item: Item) -> set[str]:
    """Every genre MovieLens or OMDb gives the item: what a refusal ("no horror") is checked against."""
    return set(item.genres) | set(item.attributes.get("omdb_genres") or ())


def rated(item: Item) -> str | None:
    r = item.attributes.get("rated")
    return str(r) if r else None


def runtime(item: Item) -> float | None:
    v = item.attributes.get("runtime_min")
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def critic(item: Item) -> float | None:
    a = item.attributes
    if a.get("critic_rating") not in (None, ""):
        return float(a["critic_rating"])
    if a.get("metacritic") not in (None, ""):
        return float(a["metacritic"]) / 10.0
    return None


def oscars(item: Item) -> int | None:
    v = item.attributes.get("oscars")
    return int(v) if v not in (None, "") else None


KIDS_AVOID = ("Horror", "Thriller", "War", "Crime")  # in MovieLens or OMDb genres: not for children


def kids_ok(item: Item) -> bool:
    r = rated(item)
    broad = broad_genres(item)
    return (bool(all_genres(item) & set(KIDS_GENRES)) and (r is None or r in KIDS_RATINGS)
            and not broad & set(KIDS_AVOID))


def clean_ok(item: Item) -> bool:
    """Rated G or PG, or fit for children (kids_ok); no horror: what "no swearing or sex scenes" allows."""
    return (rated(item) in KIDS_RATINGS and "Horror" not in broad_genres(item)) or kids_ok(item)


def no_adult_ok(item: Item) -> bool:
    """Rated G, PG or PG-13 (NO_ADULT_RATINGS), and no horror by MovieLens or OMDb (the reply says "no horror")."""
    return rated(item) in NO_ADULT_RATINGS and "Horror" not in broad_genres(item)


def mood_fit(item: Item, mood: str, named: tuple[str, ...] = ()) -> float:
    """Share of the item's genres that serve the mood (0 when it has one that works against it). `named`: genres
    kept through a mood shift, which no mood works against ("action, then something more emotional")."""
    m, g = MOODS[mood], all_genres(item)
    if not g or g & (set(m.avoid) - set(named)):
        return 0.0
    return len(g & set(m.genres)) / len(g)


def mood_ok(item: Item, mood: str, named: tuple[str, ...] = ()) -> bool:
    m = MOODS[mood]
    # what works against a mood is read as strictly as a refusal: a genre OMDb gives counts too
    return bool(all_genres(item) & set(m.genres)) and not (broad_genres(item) & (set(m.avoid) - set(named)))


def midrank_pct(vals: np.ndarray) -> np.ndarray:
    """(n,) percentile of each value among `vals`, ties placed at the middle of their run. With the run's upper end, a
    critic score many items share counted as "in the top 40%" when only the run's top did (ML-1M: The Tic Code's 6.6
    was at 60.1%, the middle of its run is 59.0%)."""
    s = np.sort(vals)
    below, upto = np.searchsorted(s, vals, side="left"), np.searchsorted(s, vals, side="right")
    return (below + 0.5 * (upto - below)) / len(vals)


class FacetStats:
    """Catalog-level facet numbers, computed once (catalog order)."""

    def __init__(self, catalog: Catalog, popularity: np.ndarray | None = None, mean_rating: np.ndarray | None = None):
        self.catalog = catalog
        n = len(catalog)
        # (n,) mean user rating percentile among items with >= CROWD_MIN_RATINGS ratings; nan otherwise
        self.audience_pct = np.full(n, np.nan)
        if mean_rating is not None and popularity is not None:
            ok = np.asarray(popularity) >= CROWD_MIN_RATINGS
            if ok.any():
                vals = np.asarray(mean_rating, np.float64)[ok]
                self.audience_pct[ok] = midrank_pct(vals)
        crit = np.array([critic(it) if critic(it) is not None else np.nan for it in catalog], np.float64)  # (n,)
        have = ~np.isnan(crit)
        self.critic_pct = np.full(n, np.nan)  # (n,) percentile among items with a score; nan = no score
        if have.any():
            vals = crit[have]
            self.critic_pct[have] = midrank_pct(vals)
        pop = np.zeros(n) if popularity is None else np.asarray(popularity, np.float64)
        self.pop_pct = midrank_pct(pop) if n else np.zeros(0)  # (n,)
        self.counts = {
            "rated": sum(rated(it) is not None for it in catalog),
            "runtime": sum(runtime(it) is not None for it in catalog),
            "critic": int(have.sum()),
            "oscars": sum(oscars(it) is not None for it in catalog),
        }
        self.n = n

    @classmethod
    def from_dataset(cls, dataset) -> "FacetStats":
        """Popularity and mean user rating from the dataset's interactions."""
        inter, n = dataset.interactions, len(dataset.catalog)
        if not len(inter):
            return cls(dataset.catalog)
        pop = np.bincount(inter.items, minlength=n)  # (n,) ratings per item
        mean = np.bincount(inter.items, weights=inter.ratings, minlength=n) / np.maximum(pop, 1)  # (n,)
        return cls(dataset.catalog, pop, mean)

    def request_fit(self, item: Item, moods, qualities, named: tuple[str, ...] = ()) -> float | None:
        """How well an item fits the open part of a request, 0..1 (None when nothing there ranks): the mean of
        its critic percentile (quality words), user-rating percentile ("crowd pleasers"), Oscar wins (award words)
        and mood fit."""
        parts = []
        if set(qualities) & {"acclaimed", "classic", "hidden_gem", "well_reviewed"}:
            parts.append(self.critic_of(item.id))
        if "crowd_pleaser" in qualities:
            parts.append(self.audience_of(item.id))
        if "adult" in qualities:  # grown-up content asked for: rated R or NC-17 ranks first
            parts.append(1.0 if rated(item) in ADULT_RATINGS else 0.0)
        if set(qualities) & {"oscar", "many_oscars"}:  # award words rank by wins: 1 win 0.33, 3 wins 0.67, 7+ 1.0
            parts.append(min(1.0, float(np.log1p(oscars(item) or 0) / np.log1p(7))))
        if moods:
            parts.append(max(mood_fit(item, m, tuple(named)) for m in moods))
        return sum(parts) / len(parts) if parts else None

    def quality_ok(self, item: Item, quality: str) -> bool:
        j = self.catalog.index(item.id)
        cp = self.critic_pct[j]
        if quality == "oscar":
            return (oscars(item) or 0) >= 1
        if quality == "many_oscars":
            return (oscars(item) or 0) >= MANY_OSCARS
        if quality in ("well_reviewed", "adult"):
            return True  # a ranking preference, not a filter
        if quality == "crowd_pleaser":
            ap = self.audience_pct[j]
            return bool(not np.isnan(ap) and ap >= CROWD_PCT)
        if np.isnan(cp):
            return False
        if quality == "acclaimed":
            return cp >= ACCLAIMED_PCT
        if quality == "hidden_gem":
            return cp >= HIDDEN_CRITIC_PCT and self.pop_pct[j] <= HIDDEN_POP_PCT
        if quality == "classic":
            return item.year is not None and item.year < CLASSIC_BEFORE and cp >= CLASSIC_PCT
        raise ValueError(f"unknown quality {quality!r}; one of {QUALITIES}")

    def critic_of(self, item_id: str) -> float:
        """Critic percentile (0..1), 0 for items without a score: a ranking signal."""
        v = self.critic_pct[self.catalog.index(item_id)]
        return 0.0 if np.isnan(v) else float(v)

    def audience_of(self, item_id: str) -> float:
        """Mean user rating percentile (0..1), 0 for items with too few ratings: a ranking signal."""
        v = self.audience_pct[self.catalog.index(item_id)]
        return 0.0 if np.isnan(v) else float(v)

    def coverage_note(self, field: str) -> str:
        """'only 375 of 1682 titles have an MPAA rating' (for replies when a filter used it)."""
        what = {"rated": "an MPAA rating", "runtime": "a known runtime", "critic": "a critic score",
                "oscars": "awards data"}[field]
        return f"only {self.counts[field]} of {self.n} titles have {what}"


@dataclass
class FacetFilter:
    """The open constraints of a request, checked on items (an item without the field never passes).

    moods       the item suits ALL of them (catalog.facets.MOODS)                       soft
    audience    "kids": kids_ok; "clean": clean_ok; "no_adult": no_adult_ok
    rated       its MPAA rating is ANY of them
    runtime     runtime_min <= minutes < runtime_max
    qualities   ALL of them (FacetStats.quality_ok)                                     soft
    oscars_min  at least this many Oscar wins ("2+ oscars")
    Soft parts are dropped (and the reply says so) when no item that meets the rest suits them.
    """

    moods: tuple[str, ...] = ()
    audience: str = ""
    rated: tuple[str, ...] = ()
    runtime_min: float | None = None
    runtime_max: float | None = None
    qualities: tuple[str, ...] = ()
    oscars_min: int | None = None
    named_genres: tuple[str, ...] = ()  # genres kept through a mood shift: no mood works against them

    def __post_init__(self):
        for m in self.moods:
            if m not in MOODS:
                raise ValueError(f"unknown mood {m!r}; one of {', '.join(MOODS)}")
        for q in self.qualities:
            if q not in QUALITIES:
                raise ValueError(f"unknown quality {q!r}; one of {', '.join(QUALITIES)}")
        if self.audience not in ("",) + AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}; one of {', '.join(AUDIENCES)}, or empty")

    def is_empty(self) -> bool:
        return not (self.moods or self.audience or self.rated or self.runtime_min is not None
                    or self.runtime_max is not None or self.qualities or self.oscars_min is not None)

    def hard_only(self) -> "FacetFilter":
        """Without the soft parts (moods, qualities): what is left when nothing suits those."""
        return FacetFilter((), self.audience, self.rated, self.runtime_min, self.runtime_max, (), self.oscars_min,
                           self.named_genres)

    def ok(self, item: Item, stats: FacetStats) -> bool:
        if self.moods and not all(mood_ok(item, m, self.named_genres) for m in self.moods):
            return False
        if self.audience == "kids" and not kids_ok(item):
            return False
        if self.audience == "clean" and not clean_ok(item):
            return False
        if self.audience == "no_adult" and not no_adult_ok(item):
            return False
        if self.rated and rated(item) not in self.rated:
            return False
        if self.runtime_min is not None or self.runtime_max is not None:
            rt = runtime(item)
            if rt is None or (self.runtime_min is not None and rt < self.runtime_min) \
                    or (self.runtime_max is not None and rt >= self.runtime_max):
                return False
        if self.oscars_min is not None and (oscars(item) or 0) < self.oscars_min:
            return False
        return all(stats.quality_ok(item, q) for q in self.qualities)

    def fields_used(self) -> list[str]:
        """FacetStats.counts keys this filter depends on (for "only N titles have ..." notes)."""
        out = []
        if self.rated or self.audience in ("clean", "no_adult"):
            out.append("rated")
        if self.runtime_min is not None or self.runtime_max is not None:
            out.append("runtime")
        if set(self.qualities) & {"acclaimed", "hidden_gem", "classic"}:
            out.append("critic")
        if {"oscar", "many_oscars"} & set(self.qualities) or self.oscars_min is not None:
            out.append("oscars")
        return out
