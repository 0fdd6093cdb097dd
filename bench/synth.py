"""A synthetic catalog at scale, written as a BYO dataset directory with precomputed item vectors.

Usage:  .venv/bin/python bench/synth.py --items 1000000 --users 200000 --interactions 10000000 --out DIR [--seed 0]
        then `recassist build --dataset DIR` (it seeds its vector cache from DIR/item_vectors.npz, so nothing
        is embedded) and benchmarks read the vectors with `load_vectors(DIR)`.

DIR holds what `catalog.byo.load_dataset` reads (items.jsonl, interactions.csv with
user_id,item_id,rating,timestamp, meta.json saying it is synthetic, how it was drawn and what came out)
plus two files no loader needs:

item_vectors.npz  (n_items, 384) float32, L2-normalised, in exactly the format of the vector cache that
                  `retrieval.embedders.item_embeddings` keeps at artifacts/<dataset>/item_vectors.npz.
                  That cache is valid per document: entry `hashes[j]` = sha1(embedder name + "\\0" + document)
                  (`embedders._doc_hash`), `vectors[j]` its vector; `item_embeddings` embeds only documents whose
                  hash is absent, and when none is absent it returns the cached rows without touching the
                  embedder or the file. So the hashes here are of `item_documents(catalog, facts=True)` (the
                  documents the index step embeds) under the name "all-MiniLM-L6-v2" (MiniLMEmbedder.name), computed
                  with the project's own `retrieval.documents.item_document` on each item exactly as
                  `catalog.byo` will load it; rows 0..n_items-1 are the items in catalog order. The cast-prominence
                  choice in item_documents only applies above MAX_CAST (8) cast members; items here have at most 5,
                  so per-item documents equal the catalog-wide ones. `key` (sha256 of every document, the earlier
                  whole-file format) is written too. With --scorer-vectors the file also holds, after those rows,
                  the same vector under the hash of the item's facts=False document wherever that document differs
                  (items with an MPAA rating or runtime), so the scorer's `item_embeddings(..., facts=False)` hits
                  the cache as well; this costs ~85% more rows (file and RAM when loaded), hence off by default.
                  The vectors are not MiniLM vectors of the documents: a query embedded with MiniLM against them is
                  meaningless; they are for ANN recall / latency / memory benchmarks.
synth_labels.npz  item_cluster, item_topic (int32, catalog order) and user_clusters: the latent truth.

How it is drawn (the realised values are in meta.json "stats"; those quoted here are of
`--items 1000000 --users 200000 --interactions 10000000 --seed 0`):
  vectors   ~1,000 clusters (min(1000, items/50)) grouped in 50 topics; v = normalise(a.m + b.T[topic] +
            c.C[cluster] + e.noise) with m a shared direction (text embeddings are anisotropic), T, C random unit
            vectors, noise ~ N(0, I/384), a^2, b^2, c^2, e^2 = 0.10, 0.15, 0.30, 0.45. Measured (20k items): cosine
            between two items of one cluster 0.55 (p5..p95 0.50..0.61), of one topic but another cluster 0.25
            (0.17..0.34), of other topics 0.10 (0.02..0.18); the nearest neighbour of 500 of 500 probes is in the
            probe's cluster, so ANN recall@k is meaningful. Cluster sizes are lognormal (sigma 0.8).
  genres    the 18 MovieLens genres, aiming at ML-1M's item frequencies (Drama 41%, Comedy 31%, Action 13%, Thriller
            13%, Romance 12%, ..., Film-Noir 1.1%; realised 37/28/12/13/12/.../1.1%); 1-3 per item (53/35/12%,
            mean 1.5); each cluster prefers 1-3 genres, its items take the j-th preferred one in slot j with
            probability 0.7, so genres correlate with vectors (draw weights calibrated for the marginals).
  years     1920-2020, age ~ exponential with a per-cluster scale (median ~15 years): 78% of items 1990-2020.
  countries 60 real names, Zipf-like (United States 47%, United Kingdom 10%, France 6%); each cluster has a home
            country that takes half of its items' first countries; 20% have a second one. Languages follow the
            country (90%), plus English as a second language for 15%.
  people    300,000 unique names; each role draws ranks with weight (rank + 300)^-0.8 from its own pool
            (directors 60k, writers 100k, cast all), 40-50% of credits from a 30-person roster per cluster (people
            work within a genre): 1 director, 0-2 writers, 2-5 cast (alphabetical, as the source lists them).
            293k people credited, median 7 credits, the most prolific 1,771.
  studios   0-2 from 3,000 Zipf-distributed studios (70% of items have one).
  titles    1-3 words in templates ("X Y", "X Y, The" MovieLens-style, "X of the Y", "Name's X", a few sequels)
            from a 20,000-word vocabulary with weight (rank + 10)^-1 (real words at the head, coined words in the
            tail; no word twice), 25% of the slots from the cluster's theme words: 87% of titles unique, the
            most repeated 67 times ("Castle"-like one-word titles); rare words let title linking narrow the
            fuzzy search (Catalog._fuzzy_pool).
  attrs     "rated" (MPAA: R 45% PG 25% PG-13 15% G 11% NC-17 2% NOT RATED 2%; G/PG for children's/animation) on
            22% of items and "runtime_min" (lognormal, median 103 min, shorter for animation/documentary) on 79%,
            the ML-1M shares; both become fact sentences in the index documents.
  popularity item weight (rank + 10)^-1 over a random rank order (weight^0.7 within a user's preferred cluster):
            the top 1% of items hold 31% of the interactions, Gini 0.65 (ML-1M: 8.9% over 3.9k items, 0.65); the
            most popular item has 24k, the median 4, 3% of items none.
  users     activity 5 + Pareto(1.3), scaled so the total is --interactions, capped at max(25 x mean, 1000)
            (<= n_items/2): median 18, max 1,250. Each user prefers 2-4 clusters (chosen by popularity mass) that
            supply a Beta(7,3) share of their draws (popularity-weighted within the cluster), the rest drawn by
            global popularity; (user, item) pairs are deduplicated and redrawn until each user has their count
            (9,999,919 of 10M). 66% of all interactions, 70% for the median user, are in preferred clusters.
  ratings   1-5 with the ML-1M marginals (5.6/10.8/26.1/34.9/22.6%; 84% >= 3), higher for preferred clusters,
            per-user bias, per-item quality; timestamps within a per-user active window (2000-2020), never
            before the item's year.

Cost (2-core machine shared with other jobs): 1M items / 200k users / 10M interactions took 3 min 23 s with a
peak RSS of 1.44 GB (/usr/bin/time); 100k / 20k / 1M took 21 s, 0.9 GB. Files at 1M: items.jsonl 354 MB,
interactions.csv 283 MB, item_vectors.npz 1.7 GB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIM = 384
VECTORS_FILE = "item_vectors.npz"
LABELS_FILE = "synth_labels.npz"
CHUNK = 50_000

# MovieLens-1M item frequencies of the 18 ML genres (share of items that carry the genre)
GENRE_FREQ = {
    "Drama": 0.413, "Comedy": 0.309, "Action": 0.130, "Thriller": 0.127, "Romance": 0.121, "Horror": 0.088,
    "Adventure": 0.073, "Sci-Fi": 0.071, "Children's": 0.065, "Crime": 0.054, "War": 0.037, "Documentary": 0.033,
    "Musical": 0.029, "Mystery": 0.027, "Animation": 0.027, "Fantasy": 0.018, "Western": 0.018, "Film-Noir": 0.011,
}
GENRES = list(GENRE_FREQ)
N_GENRES_P = (0.53, 0.35, 0.12)  # 1, 2, 3 genres per item
PREF_SLOT = 0.70  # share of genre slots filled from the cluster's preferred genres

# (country, its language), most frequent first; probabilities Zipf-like with the first at ~45%
COUNTRIES = [
    ("United States", "English"), ("United Kingdom", "English"), ("France", "French"), ("India", "Hindi"),
    ("Japan", "Japanese"), ("Canada", "English"), ("Germany", "German"), ("Italy", "Italian"), ("Spain", "Spanish"),
    ("South Korea", "Korean"), ("China", "Mandarin"), ("Australia", "English"), ("Hong Kong", "Cantonese"),
    ("Mexico", "Spanish"), ("Brazil", "Portuguese"), ("Sweden", "Swedish"), ("Russia", "Russian"),
    ("Denmark", "Danish"), ("Argentina", "Spanish"), ("Belgium", "French"), ("Ireland", "English"),
    ("Netherlands", "Dutch"), ("Norway", "Norwegian"), ("Poland", "Polish"), ("Turkey", "Turkish"),
    ("Iran", "Persian"), ("Finland", "Finnish"), ("Austria", "German"), ("Switzerland", "German"),
    ("New Zealand", "English"), ("Czech Republic", "Czech"), ("Taiwan", "Mandarin"), ("Greece", "Greek"),
    ("Hungary", "Hungarian"), ("Israel", "Hebrew"), ("Egypt", "Arabic"), ("Thailand", "Thai"),
    ("Philippines", "Filipino"), ("Indonesia", "Indonesian"), ("Nigeria", "English"), ("South Africa", "English"),
    ("Portugal", "Portuguese"), ("Chile", "Spanish"), ("Colombia", "Spanish"), ("Romania", "Romanian"),
    ("Iceland", "Icelandic"), ("Nepal", "Nepali"), ("Pakistan", "Urdu"), ("Vietnam", "Vietnamese"),
    ("Lebanon", "Arabic"), ("Morocco", "Arabic"), ("Peru", "Spanish"), ("Cuba", "Spanish"), ("Senegal", "French"),
    ("Serbia", "Serbian"), ("Croatia", "Croatian"), ("Ukraine", "Ukrainian"), ("Bulgaria", "Bulgarian"),
    ("Estonia", "Estonian"), ("Georgia", "Georgian"),
]
LANGUAGES = sorted({lang for _, lang in COUNTRIES})

RATED = (("R", 0.45), ("PG", 0.25), ("PG-13", 0.15), ("G", 0.11), ("NC-17", 0.02), ("NOT RATED", 0.02))
RATED_SHARE, RUNTIME_SHARE = 0.22, 0.79
RATING_P = (0.056, 0.108, 0.261, 0.349, 0.226)  # ML-1M marginals of ratings 1..5

POP_EXP = 1.0  # item popularity weight (rank + 10)^-POP_EXP
CLUSTER_TEMPER = 0.7  # draws within a user's preferred cluster use weight^CLUSTER_TEMPER
N_PEOPLE = 300_000
ROLE_POOL = {"directors": 60_000, "writers": 100_000, "cast": N_PEOPLE}
ROSTER = 30  # people per cluster roster
PEOPLE_EXP, PEOPLE_SHIFT = 0.8, 300.0  # role ranks drawn with weight (rank + shift)^-exp
WORD_SHIFT = 10.0  # title words: weight (rank + shift)^-1
N_STUDIOS = 3_000
N_TOPICS = 50
VOCAB = 20_000

FIRST = ("James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
         "Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra Paul "
         "Margaret Steven Ashley Andrew Kimberly Kenneth Emily Joshua Donna Kevin Michelle Brian Carol George "
         "Amanda Timothy Melissa Ronald Deborah Jason Stephanie Edward Rebecca Jeffrey Sharon Ryan Laura Jacob "
         "Cynthia Gary Dorothy Nicholas Amy Eric Kathleen Jonathan Angela Stephen Shirley Larry Emma Justin Brenda "
         "Scott Pamela Brandon Nicole Benjamin Anna Samuel Samantha Gregory Katherine Alexander Christine Patrick "
         "Debra Frank Rachel Raymond Carolyn Jack Janet Dennis Maria Jerry Olivia Tyler Heather Aaron Helen Jose "
         "Catherine Adam Diane Nathan Julie Henry Victoria Zachary Joyce Douglas Lauren Peter Kelly Kyle Christina "
         "Noah Ruth Ethan Joan Jeremy Virginia Walter Judith Christian Evelyn Keith Hannah Roger Andrea Terry Megan "
         "Austin Cheryl Sean Jacqueline Gerald Martha Carl Madison Harold Teresa Dylan Gloria Arthur Sara Lawrence "
         "Janice Jordan Ann Jesse Kathryn Bryan Abigail Billy Sophia Bruce Frances Gabriel Jean Joe Alice Logan "
         "Judy Alan Isabella Juan Julia Albert Grace Willie Amber Elijah Denise Wayne Danielle Randy Marilyn Vincent "
         "Beverly Mason Charlotte Roy Natalie Ralph Theresa Bobby Diana Russell Brittany Bradley Doris Philip Kayla "
         "Eugene Alexis Kenji Yuki Hiro Aiko Raj Priya Arjun Ananya Luca Giulia Marco Chiara Pierre Camille Jean-Luc "
         "Amelie Hans Greta Lars Ingrid Sven Astrid Pablo Lucia Diego Carmen Ivan Olga Dmitri Tatiana Chen Mei Wei Lin "
         "Min-jun Ji-woo Ahmed Fatima Omar Layla Kwame Amara Tomasz Agnieszka Jakub Zofia Mateus Beatriz").split()
_SYL = ("ba ker lin dor mar vel ton ash ri cov sen hal mon tes gra wil ber nov kas lun fer dal rom zel pen sto "
        "var mei gor han lis bro cal den fin jor kel mor nash orr quin rad sul tav ulm vos wex yar zan bel cro "
        "dun eld fal gil hor isk jas kor lem mil nor pell rast sorn tull vey").split()
REAL_WORDS = ("night river silent golden last city dream storm shadow winter king road blue lost star fire "
              "garden secret iron summer ghost heart ocean wild love man woman girl boy day life world time house "
              "death war dark black white red green little big long deep high cold hot first final great new old "
              "return story game blood money power dead kill street light moon sun sky sea island mountain "
              "forest desert train ship castle empire kingdom queen prince princess angel devil hell heaven "
              "paradise journey escape run hunt chase fall rise edge line point zero one two three hundred "
              "thousand million dollar gold silver diamond stone glass paper mirror window door wall bridge "
              "tower crown sword gun bullet knife rose lily flower tree leaf wind rain snow thunder lightning "
              "storm dawn dusk midnight morning evening spring autumn harvest home family brother sister mother "
              "father son daughter child children friend enemy stranger hero legend myth tale song dance music "
              "voice whisper scream silence echo memory promise lie truth justice revenge mercy grace honor glory "
              "fortune luck chance fate destiny soul spirit mind body eye hand face smile kiss touch breath "
              "wolf lion tiger eagle hawk raven snake dragon horse dog cat bird fish bear fox spider "
              "doctor detective soldier captain agent thief killer hunter stranger lady gentleman saint sinner "
              "american english french italian chinese western eastern northern southern cursed broken hidden "
              "forbidden perfect beautiful crazy mad happy lonely brave wicked sweet bitter").split()


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # Linux: KiB


def zipf_p(n: int, s: float, shift: float = 1.0) -> np.ndarray:
    """(n,) probabilities of ranks 0..n-1 proportional to (rank + shift)^-s."""
    p = (np.arange(n, dtype=np.float64) + shift) ** -s
    return p / p.sum()


def draw(rng: np.random.Generator, p: np.ndarray, size) -> np.ndarray:
    """Indices drawn from probabilities p by inverse CDF (fast for large vocabularies and many draws)."""
    c = np.cumsum(p)
    return np.minimum(np.searchsorted(c, rng.random(size) * c[-1], side="right"), len(p) - 1)


def unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def person_names() -> list[str]:
    """N_PEOPLE unique 'First Surname' names; surnames coined from two or three syllables."""
    sur = [(a + b).capitalize() for a in _SYL for b in _SYL if a != b]
    need = -(-N_PEOPLE // len(FIRST))
    rng = np.random.default_rng(12345)
    while len(set(sur)) < need:
        a, b, c = (rng.integers(0, len(_SYL), need) for _ in range(3))
        sur += [(_SYL[x] + _SYL[y] + _SYL[z]).capitalize() for x, y, z in zip(a, b, c)]
    sur = list(dict.fromkeys(sur))
    rng.shuffle(sur)
    return [f"{FIRST[p % len(FIRST)]} {sur[p // len(FIRST)]}" for p in range(N_PEOPLE)]


def vocabulary() -> list[str]:
    """VOCAB title words, most frequent first: real words, then coined ones (the rare tail)."""
    words = list(dict.fromkeys(REAL_WORDS))
    rng = np.random.default_rng(54321)
    seen = set(words)
    while len(words) < VOCAB:
        k = rng.integers(2, 4)
        w = "".join(_SYL[i] for i in rng.integers(0, len(_SYL), k))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return [w.capitalize() for w in words]


def genre_slots(rng: np.random.Generator, cluster: np.ndarray, k: int, wts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) genre indices per item (-1 = none, no repeats) and (k, 3) preferred genres per cluster (-1 = none).
    Each cluster prefers 1-3 genres drawn by `wts`; an item has 1-3 genres, slot j being the cluster's j-th
    preferred genre with probability PREF_SLOT (when the cluster has one), else a draw by `wts`."""
    n = len(cluster)
    pref = np.stack([rng.choice(len(GENRES), 3, replace=False, p=wts) for _ in range(k)])  # (k, 3)
    n_pref = rng.integers(1, 4, k)
    pref[np.arange(3)[None, :] >= n_pref[:, None]] = -1
    n_g = draw(rng, np.array(N_GENRES_P), n) + 1  # (n,) 1..3
    mine = pref[cluster]  # (n, 3)
    g = np.where((rng.random((n, 3)) < PREF_SLOT) & (mine >= 0), mine, draw(rng, wts, (n, 3)))
    g[np.arange(3)[None, :] >= n_g[:, None]] = -1
    g[:, 1] = np.where(g[:, 1] == g[:, 0], -1, g[:, 1])
    g[:, 2] = np.where((g[:, 2] == g[:, 0]) | (g[:, 2] == g[:, 1]), -1, g[:, 2])
    return g, pref


def genre_has(slots: np.ndarray) -> np.ndarray:
    """(n, 18) bool: item has genre."""
    has = np.zeros((len(slots), len(GENRES)), bool)
    for j in range(slots.shape[1]):
        m = slots[:, j] >= 0
        has[np.flatnonzero(m), slots[m, j]] = True
    return has


class Truth:
    """Every per-item / per-cluster latent and attribute, as numpy arrays (drawn once, written in chunks)."""

    def __init__(self, n_items: int, n_clusters: int, seed: int):
        rng = np.random.default_rng([seed, 0])
        self.n, self.k = n_items, n_clusters
        # clusters and topics
        sizes = rng.lognormal(0.0, 0.8, n_clusters)
        self.cluster = draw(rng, sizes / sizes.sum(), n_items).astype(np.int32)  # (n,)
        self.cluster_topic = rng.integers(0, min(N_TOPICS, n_clusters), n_clusters).astype(np.int32)  # (k,)
        # genres: 1-3 preferred per cluster; weights calibrated so the item shares match GENRE_FREQ
        target = np.array(list(GENRE_FREQ.values()))
        wts = target / target.sum()
        sim = self.cluster[:50_000]
        for _ in range(8):
            share = genre_has(genre_slots(np.random.default_rng([seed, 9]), sim, n_clusters, wts)[0]).mean(0)
            wts = wts * (target / np.maximum(share, 1e-6)) ** 0.8
            wts /= wts.sum()
        self.genre_weights = wts
        self.genre_slots, self.pref_genres = genre_slots(rng, self.cluster, n_clusters, wts)  # (n, 3), (k, 3)
        # years: age ~ exponential with a per-cluster scale
        scale = rng.lognormal(np.log(15.0), 0.45, n_clusters)
        age = rng.exponential(scale[self.cluster])
        self.year = np.clip(2020 - np.floor(age), 1920, 2020).astype(np.int32)
        # countries and languages
        cp = zipf_p(len(COUNTRIES), 1.25, 1.0)
        cp[0] = 0.0
        cp = cp / cp.sum() * 0.55
        cp[0] = 0.45
        home = draw(rng, cp, n_clusters)
        first = np.where(rng.random(n_items) < 0.5, home[self.cluster], draw(rng, cp, n_items))
        second = np.where(rng.random(n_items) < 0.20, draw(rng, cp, n_items), -1)
        self.countries = np.stack([first, np.where(second == first, -1, second)], 1)  # (n, 2)
        lang_of = np.array([LANGUAGES.index(lang) for _, lang in COUNTRIES])
        lp = np.bincount(lang_of, weights=cp, minlength=len(LANGUAGES))
        l1 = np.where(rng.random(n_items) < 0.9, lang_of[first], draw(rng, lp, n_items))
        eng = LANGUAGES.index("English")
        l2 = np.where((rng.random(n_items) < 0.15) & (l1 != eng), eng, -1)
        self.languages = np.stack([l1, l2], 1)
        # people: role-specific rank -> person permutations, a roster per cluster
        prng = np.random.default_rng([seed, 7])
        self.role_people = {r: prng.permutation(N_PEOPLE)[:size].astype(np.int32) for r, size in ROLE_POOL.items()}
        self.role_p = {r: zipf_p(size, PEOPLE_EXP, PEOPLE_SHIFT) for r, size in ROLE_POOL.items()}
        self.rosters = {r: self.role_people[r][draw(rng, self.role_p[r], (n_clusters, ROSTER))] for r in ROLE_POOL}
        self.people = {}
        for role, (lo, hi, local) in {"directors": (1, 1, 0.5), "writers": (0, 2, 0.4), "cast": (2, 5, 0.4)}.items():
            cnt = rng.integers(lo, hi + 1, n_items)
            glob = self.role_people[role][draw(rng, self.role_p[role], (n_items, hi))]
            loc = self.rosters[role][self.cluster[:, None], draw(rng, zipf_p(ROSTER, 0.7), (n_items, hi))]
            ppl = np.where(rng.random((n_items, hi)) < local, loc, glob)
            for j in range(1, hi):  # a person twice in one credit list: redraw catalog-wide (uniform, no repeat)
                for _ in range(10):
                    dup = (ppl[:, j : j + 1] == ppl[:, :j]).any(1)
                    if not dup.any():
                        break
                    ppl[dup, j] = self.role_people[role][rng.integers(0, ROLE_POOL[role], int(dup.sum()))]
            ppl[np.arange(hi)[None, :] >= cnt[:, None]] = -1
            self.people[role] = ppl  # (n, hi), -1 = none
        self.studios = np.where(rng.random((n_items, 2)) < np.array([0.7, 0.15]), draw(rng, zipf_p(N_STUDIOS, 1.0, 5.0), (n_items, 2)), -1)
        # titles: template, word ranks, cluster theme words
        self.template = draw(rng, np.array([0.10, 0.30, 0.20, 0.15, 0.15, 0.10]), n_items)
        wp = zipf_p(VOCAB, 1.0, WORD_SHIFT)
        self.words = draw(rng, wp, (n_items, 3))
        self.words[:, 2] = draw(rng, zipf_p(VOCAB, 0.6, 200.0), n_items)  # a lone word / a name: from the tail
        themes = draw(rng, zipf_p(VOCAB, 0.6, 50.0), (n_clusters, 5))
        use_theme = rng.random((n_items, 3)) < 0.25
        self.words = np.where(use_theme, themes[self.cluster[:, None], rng.integers(0, 5, (n_items, 3))], self.words)
        for j in (1, 2):  # no word twice in a title ("Night Night"): redraw from the tail
            for _ in range(10):
                dup = (self.words[:, j : j + 1] == self.words[:, :j]).any(1)
                if not dup.any():
                    break
                self.words[dup, j] = draw(rng, zipf_p(VOCAB, 0.6, 200.0), int(dup.sum()))
        self.sequel = np.where(rng.random(n_items) < 0.03, rng.integers(2, 5, n_items), 0)
        # attributes
        has_kids = np.isin(self.genre_slots, [GENRES.index("Children's"), GENRES.index("Animation")]).any(1)
        rated = draw(rng, np.array([p for _, p in RATED]), n_items)
        kids = np.where(rng.random(n_items) < 0.5, 3, 1)  # G or PG
        self.rated = np.where(rng.random(n_items) < RATED_SHARE, np.where(has_kids, kids, rated), -1)
        short = np.isin(self.genre_slots, [GENRES.index("Animation"), GENRES.index("Documentary")]).any(1)
        rt = rng.lognormal(np.log(103.0), 0.17, n_items) * np.where(short, 0.85, 1.0)
        self.runtime = np.where(rng.random(n_items) < RUNTIME_SHARE, np.round(np.clip(rt, 40, 240)), 0.0)
        # vectors: a shared direction, topic and cluster directions
        vrng = np.random.default_rng([seed, 3])
        self.mean_dir = unit_rows(vrng.standard_normal(DIM))
        self.topic_dirs = unit_rows(vrng.standard_normal((N_TOPICS, DIM)))
        self.cluster_dirs = unit_rows(vrng.standard_normal((n_clusters, DIM)))
        self.vec_rng = np.random.default_rng([seed, 4])

    W_MEAN, W_TOPIC, W_CLUSTER, W_NOISE = np.sqrt([0.10, 0.15, 0.30, 0.45])

    def vectors(self, rows: slice) -> np.ndarray:
        """(len(rows), DIM) float32 unit vectors for items rows (call in order: the noise stream is sequential)."""
        cl = self.cluster[rows]
        noise = self.vec_rng.standard_normal((len(cl), DIM)) / np.sqrt(DIM)
        v = (self.W_MEAN * self.mean_dir + self.W_TOPIC * self.topic_dirs[self.cluster_topic[cl]]
             + self.W_CLUSTER * self.cluster_dirs[cl] + self.W_NOISE * noise)
        return unit_rows(v).astype(np.float32)


def title_of(t: Truth, i: int, vocab: list[str]) -> str:
    w = [vocab[x] for x in t.words[i]]
    tpl = int(t.template[i])
    if tpl == 0:
        s = w[2]
    elif tpl == 1:
        s = f"{w[0]} {w[1]}"
    elif tpl == 2:
        s = f"{w[0]} {w[1]}, The"
    elif tpl == 3:
        s = f"{w[0]} of the {w[1]}"
    elif tpl == 4:
        s = f"{w[0]} {w[1]} {w[2]}"
    else:
        s = f"{w[2]}'s {w[0]}"
    return f"{s} {int(t.sequel[i])}" if t.sequel[i] else s


def item_record(t: Truth, i: int, names: list[str], vocab: list[str]) -> dict:
    genres = [GENRES[g] for g in dict.fromkeys(int(x) for x in t.genre_slots[i] if x >= 0)]
    people = {r: [names[p] for p in dict.fromkeys(int(x) for x in t.people[r][i] if x >= 0)] for r in t.people}
    attrs: dict = {}
    if t.rated[i] >= 0:
        attrs["rated"] = RATED[int(t.rated[i])][0]
    if t.runtime[i] > 0:
        attrs["runtime_min"] = float(t.runtime[i])
    return {
        "id": f"s{i}", "title": title_of(t, i, vocab), "year": int(t.year[i]), "text": "",
        "genres": genres, "directors": people["directors"], "writers": people["writers"],
        "cast": sorted(people["cast"]),
        "countries": [COUNTRIES[int(c)][0] for c in dict.fromkeys(t.countries[i]) if c >= 0],
        "languages": [LANGUAGES[int(x)] for x in dict.fromkeys(t.languages[i]) if x >= 0],
        "studios": [f"Studio {int(s)}" for s in dict.fromkeys(t.studios[i]) if s >= 0],
        "attributes": attrs,
    }


class NpyStream:
    """One .npy member of an open ZipFile (ZIP_STORED, zip64), written row block by row block."""

    def __init__(self, zf: zipfile.ZipFile, name: str, dtype, shape: tuple[int, ...]):
        self.fh = zf.open(name, "w", force_zip64=True)
        self.dtype, self.rows, self.expected = np.dtype(dtype), 0, shape[0]
        np.lib.format.write_array_header_1_0(self.fh, {"descr": np.lib.format.dtype_to_descr(self.dtype),
                                                      "fortran_order": False, "shape": shape})

    def write(self, block: np.ndarray) -> None:
        self.fh.write(np.ascontiguousarray(block, self.dtype).tobytes())
        self.rows += len(block)

    def close(self) -> None:
        assert self.rows == self.expected, (self.rows, self.expected)
        self.fh.close()


def write_items(out: Path, t: Truth, scorer_vectors: bool, log) -> dict:
    """items.jsonl and item_vectors.npz (cache format of retrieval.embedders.item_embeddings), streamed."""
    from catalog.byo import _item_from_record
    from retrieval.documents import MAX_CAST, item_document
    from retrieval.embedders import MiniLMEmbedder, _doc_hash

    assert MAX_CAST >= 5, "documents would pick cast by catalog-wide prominence; hash them from the whole catalog"
    name = MiniLMEmbedder.name
    names, vocab = person_names(), vocabulary()
    n = t.n
    # rows whose facts=False document differs: exactly the items with a fact sentence (rated, runtime)
    extra = np.flatnonzero((t.rated >= 0) | (t.runtime > 0)) if scorer_vectors else np.zeros(0, np.int64)
    n_rows = n + len(extra)
    hashes = np.empty(n_rows, "<U40")
    key = hashlib.sha256((name + "\x00").encode())
    sample_n = min(n, 20_000)
    sample = np.empty((sample_n, DIM), np.float32)
    extra_vecs = []  # (len(extra), DIM) blocks, appended after the catalog-order rows
    titles: dict[str, int] = {}
    tmp_items = out / "items.jsonl.tmp"
    tmp_vec = out / (VECTORS_FILE + ".tmp")
    with tmp_items.open("w", encoding="utf-8") as fh, zipfile.ZipFile(tmp_vec, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        vs = NpyStream(zf, "vectors.npy", np.float32, (n_rows, DIM))
        e = 0
        for start in range(0, n, CHUNK):
            rows = slice(start, min(n, start + CHUNK))
            vecs = t.vectors(rows)  # (chunk, DIM)
            lines = []
            for i in range(rows.start, rows.stop):
                rec = item_record(t, i, names, vocab)
                lines.append(json.dumps(rec, ensure_ascii=False))
                it = _item_from_record(rec, out / "items.jsonl", i + 1)  # the Item exactly as catalog.byo loads it
                doc = item_document(it, None, facts=True)
                hashes[i] = _doc_hash(name, doc)
                key.update(((b"\x00" if i else b"") + doc.encode()))
                norm = rec["title"].lower()
                titles[norm] = titles.get(norm, 0) + 1
                if e < len(extra) and extra[e] == i:
                    plain = item_document(it, None, facts=False)
                    assert plain != doc
                    hashes[n + e] = _doc_hash(name, plain)
                    extra_vecs.append(vecs[i - rows.start])
                    e += 1
            fh.write("\n".join(lines) + "\n")
            vs.write(vecs)
            if start < sample_n:
                sample[start : min(sample_n, rows.stop)] = vecs[: min(sample_n, rows.stop) - start]
            if (start // CHUNK) % 4 == 0:
                log(f"items {rows.stop:,}/{n:,}")
        for b in range(0, len(extra_vecs), CHUNK):
            vs.write(np.stack(extra_vecs[b : b + CHUNK]))
        vs.close()
        del extra_vecs
        with zf.open("hashes.npy", "w", force_zip64=True) as hf:
            np.lib.format.write_array(hf, hashes, allow_pickle=False)
        with zf.open("key.npy", "w", force_zip64=True) as kf:
            np.lib.format.write_array(kf, np.array(key.hexdigest()), allow_pickle=False)
    tmp_items.replace(out / "items.jsonl")
    tmp_vec.replace(out / VECTORS_FILE)
    return {"vector_rows": int(n_rows), "scorer_vector_rows": int(len(extra)),
            "titles_unique_share": round(len(titles) / n, 4),
            "titles_max_repeat": max(titles.values()), **vector_stats(sample, t.cluster[:sample_n], t.cluster_topic)}


def vector_stats(v: np.ndarray, cl: np.ndarray, topic: np.ndarray, pairs: int = 20_000) -> dict:
    """Cosine between items of one cluster, of one topic (other clusters), of other topics; nearest-neighbour purity."""
    rng = np.random.default_rng(1)
    order = np.argsort(cl, kind="stable")  # rows grouped by cluster
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    start = np.searchsorted(cl[order], np.arange(int(cl.max()) + 1))
    counts = np.bincount(cl, minlength=int(cl.max()) + 1)
    a = rng.integers(0, len(v), pairs)
    a = a[counts[cl[a]] > 1]
    r = rng.integers(0, counts[cl[a]] - 1)  # another member of a's cluster: skip a's own position
    r = r + (r >= inv[a] - start[cl[a]])
    same = order[start[cl[a]] + r]
    within = np.einsum("ij,ij->i", v[a], v[same])
    b = rng.integers(0, len(v), (pairs, 2))
    cos = np.einsum("ij,ij->i", v[b[:, 0]], v[b[:, 1]])
    diff_cl = cl[b[:, 0]] != cl[b[:, 1]]
    same_topic = topic[cl[b[:, 0]]] == topic[cl[b[:, 1]]]
    q = rng.integers(0, len(v), min(500, len(v)))
    s = v[q] @ v.T  # (q, sample) to find each probe's nearest other item
    s[np.arange(len(q)), q] = -2
    nn = np.argmax(s, axis=1)

    def d(x):
        return {"mean": round(float(x.mean()), 3), "p5": round(float(np.percentile(x, 5)), 3),
                "p95": round(float(np.percentile(x, 95)), 3)} if len(x) else None

    return {"cos_within_cluster": d(within), "cos_same_topic_other_cluster": d(cos[diff_cl & same_topic]),
            "cos_other_topic": d(cos[diff_cl & ~same_topic]),
            "nn_same_cluster_rate": round(float(np.mean(cl[nn] == cl[q])), 3),
            "measured_on_items": int(len(v))}


def draw_interactions(t: Truth, n_users: int, target: int, seed: int, log) -> tuple:
    rng = np.random.default_rng([seed, 1])
    n, k = t.n, t.k
    if target < 5 * n_users:
        raise SystemExit(f"--interactions {target:,} is below 5 per user ({5 * n_users:,})")
    # item popularity: Zipf over a random rank order
    w = (rng.permutation(n) + 10.0) ** -POP_EXP  # (n,)
    gcum = np.cumsum(w)
    order = np.argsort(t.cluster, kind="stable")
    ccum = np.cumsum(w[order] ** CLUSTER_TEMPER)  # within a preferred cluster popularity is tempered (users explore)
    starts = np.searchsorted(t.cluster[order], np.arange(k))
    ends = np.searchsorted(t.cluster[order], np.arange(k), side="right")
    mass = np.bincount(t.cluster, weights=w, minlength=k)  # (k,) popularity mass per cluster
    # users: activity, preferred clusters, preference share
    mean = target / n_users
    cap = int(min(max(n // 2, 5), max(25 * mean, 1000)))
    raw = rng.pareto(1.3, n_users)
    lo, hi = 0.0, 1e6
    for _ in range(100):  # scale so that sum(min(cap, 5 + s * raw)) = target
        s = (lo + hi) / 2
        tot = np.minimum(cap, 5 + s * raw).sum()
        lo, hi = (s, hi) if tot < target else (lo, s)
    counts = np.minimum(cap, np.floor(5 + s * raw)).astype(np.int64)
    short = target - counts.sum()
    if short > 0:  # rounding: one more to as many users (below the cap) as needed
        room = np.flatnonzero(counts < cap)
        counts[rng.choice(room, min(short, len(room)), replace=False)] += 1
    n_pref = rng.integers(2, 5, n_users)
    ucl = draw(rng, mass / mass.sum(), (n_users, 4)).astype(np.int32)  # (n_users, 4), first n_pref used
    p_pref = rng.beta(7, 3, n_users)

    def sample(need: np.ndarray, pref_scale: float) -> np.ndarray:
        u = np.repeat(np.arange(n_users, dtype=np.int64), need)
        is_pref = rng.random(len(u)) < p_pref[u] * pref_scale
        items = np.empty(len(u), np.int64)
        g = ~is_pref
        items[g] = np.minimum(np.searchsorted(gcum, rng.random(int(g.sum())) * gcum[-1], side="right"), n - 1)
        up = u[is_pref]
        c = ucl[up, (rng.random(len(up)) * n_pref[up]).astype(np.int64)]
        base = np.where(starts[c] > 0, ccum[np.maximum(starts[c] - 1, 0)], 0.0)
        top = ccum[ends[c] - 1]
        j = np.searchsorted(ccum, base + rng.random(len(up)) * (top - base), side="right")
        items[is_pref] = order[np.clip(j, starts[c], ends[c] - 1)]
        return u * n + items

    keys = np.unique(sample(counts, 1.0))
    for rnd, scale in enumerate((1.0, 1.0, 0.7, 0.4, 0.0, 0.0, 0.0)):
        have = np.bincount(keys // n, minlength=n_users)
        need = np.maximum(counts - have, 0)
        log(f"interactions: {len(keys):,} distinct pairs, redrawing {int(need.sum()):,} (round {rnd + 1})")
        if need.sum() == 0:
            break
        more = sample(need, scale)
        keys = np.unique(np.concatenate([keys, more]))
        # a redraw can overshoot a user's count: drop their newest extras
        have = np.bincount(keys // n, minlength=n_users)
        over = np.flatnonzero(have > counts)
        if len(over):
            drop_mask = np.zeros(len(keys), bool)
            newk = np.isin(keys, more)
            for uu in over:  # few users, few rows each
                lo_i, hi_i = np.searchsorted(keys, [uu * n, (uu + 1) * n])
                cand = lo_i + np.flatnonzero(newk[lo_i:hi_i])
                drop_mask[cand[: have[uu] - counts[uu]]] = True
            keys = keys[~drop_mask]
    users = (keys // n).astype(np.int32)
    items = (keys % n).astype(np.int32)
    del keys
    # ratings: latent score -> ML-1M marginals by quantile
    pref = np.zeros(len(users), bool)
    for j in range(4):
        pref |= (ucl[users, j] == t.cluster[items]) & (j < n_pref[users])
    z = (0.9 * pref + rng.normal(0, 0.5, n_users)[users] + rng.normal(0, 0.6, n)[items]
         + 0.15 * (np.log(w) - np.log(w).mean())[items] + rng.standard_normal(len(users)))
    cuts = np.quantile(z, np.cumsum(RATING_P)[:-1])
    ratings = (np.searchsorted(cuts, z) + 1).astype(np.int8)
    del z
    # timestamps: a per-user window within 2000..2020, never before the item's year
    t2000, t2020 = 946_684_800, 1_609_459_200
    start = rng.integers(t2000, t2020 - 86_400 * 30, n_users)
    span = np.minimum(rng.lognormal(np.log(60 * 86_400), 1.5, n_users), t2020 - start)
    ts = (start[users] + rng.random(len(users)) * span[users]).astype(np.int64)
    released = ((t.year[items].astype(np.int64) - 1970) * 31_557_600)
    ts = np.minimum(np.maximum(ts, released + rng.integers(0, 31_557_600, len(users))), t2020 + 31_557_600)
    o = np.lexsort((ts, users))
    users, items, ratings, ts, pref = users[o], items[o], ratings[o], ts[o], pref[o]
    del o
    pop = np.bincount(items, minlength=n)
    srt = np.sort(pop)
    top1 = srt[::-1][: max(1, n // 100)].sum() / max(1, srt.sum())
    gini = float(2 * np.sum(np.arange(1, n + 1) * srt) / (n * srt.sum()) - (n + 1) / n)
    act = np.bincount(users, minlength=n_users)
    stats = {"n_interactions": int(len(users)), "target": int(target),
             "item_top1pct_share": round(float(top1), 4), "item_gini": round(gini, 4),
             "item_max_interactions": int(pop.max()), "item_median_interactions": float(np.median(pop)),
             "items_without_interactions": int((pop == 0).sum()),
             "user_min": int(act.min()), "user_median": float(np.median(act)), "user_max": int(act.max()),
             "user_cap": cap, "preferred_cluster_share": round(float(pref.mean()), 4),
             "preferred_cluster_share_median_user": round(float(np.median(
                 np.bincount(users, weights=pref, minlength=n_users) / np.maximum(act, 1))), 4),
             "rating_shares": [round(float(x), 4) for x in np.bincount(ratings, minlength=6)[1:] / len(ratings)]}
    return users, items, ratings, ts, np.column_stack([ucl, n_pref]), stats


def write_interactions(out: Path, users, items, ratings, ts) -> None:
    tmp = out / "interactions.csv.tmp"
    step = 1_000_000
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write("user_id,item_id,rating,timestamp\n")
        for s in range(0, len(users), step):
            fh.write("".join(f"u{u},s{i},{r},{t}\n" for u, i, r, t in zip(
                users[s : s + step].tolist(), items[s : s + step].tolist(), ratings[s : s + step].tolist(),
                ts[s : s + step].tolist())))
    tmp.replace(out / "interactions.csv")


def catalog_stats(t: Truth) -> dict:
    n = t.n
    has = genre_has(t.genre_slots)
    credits = np.bincount(np.concatenate([t.people[r][t.people[r] >= 0] for r in t.people]), minlength=N_PEOPLE)
    c1 = np.bincount(t.countries[:, 0], minlength=len(COUNTRIES)) / n
    decade = np.bincount((t.year - 1920) // 10, minlength=11) / n
    return {
        "genre_shares": {g: round(float(x), 4) for g, x in zip(GENRES, has.mean(0))},
        "genres_per_item": round(float(has.sum(1).mean()), 3),
        "decade_shares": {f"{1920 + 10 * i}s": round(float(x), 4) for i, x in enumerate(decade)},
        "first_country_top": {COUNTRIES[i][0]: round(float(c1[i]), 4) for i in np.argsort(-c1)[:5]},
        "countries_used": int((c1 > 0).sum()), "languages_used": int(len(np.unique(t.languages[t.languages >= 0]))),
        "people_credited": int((credits > 0).sum()), "person_max_credits": int(credits.max()),
        "person_median_credits": float(np.median(credits[credits > 0])),
        "rated_share": round(float((t.rated >= 0).mean()), 4), "runtime_share": round(float((t.runtime > 0).mean()), 4),
    }


def generate(out: Path, n_items: int, n_users: int, n_interactions: int, seed: int = 0, clusters: int | None = None,
             scorer_vectors: bool = False, quiet: bool = False) -> dict:
    """Write the dataset directory `out`; returns the meta dict (also in out/meta.json)."""
    t0 = time.perf_counter()

    def log(msg):
        if not quiet:
            print(f"[{time.perf_counter() - t0:6.1f}s rss_peak {peak_rss_gb():.2f} GB] {msg}", file=sys.stderr, flush=True)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    k = clusters or int(min(1000, max(4, n_items // 50)))
    t = Truth(n_items, k, seed)
    log(f"latents for {n_items:,} items in {k} clusters")
    seconds = {}
    t1 = time.perf_counter()
    users, items, ratings, ts, user_clusters, istats = draw_interactions(t, n_users, n_interactions, seed, log)
    seconds["interactions_draw"] = round(time.perf_counter() - t1, 1)
    t1 = time.perf_counter()
    write_interactions(out, users, items, ratings, ts)
    seconds["interactions_write"] = round(time.perf_counter() - t1, 1)
    log(f"interactions.csv: {len(users):,} rows")
    del users, items, ratings, ts
    t1 = time.perf_counter()
    vstats = write_items(out, t, scorer_vectors, log)
    seconds["items_and_vectors"] = round(time.perf_counter() - t1, 1)
    log("items.jsonl and item_vectors.npz written")
    np.savez(out / LABELS_FILE, item_cluster=t.cluster, item_topic=t.cluster_topic[t.cluster],
             user_clusters=user_clusters.astype(np.int32))
    seconds["total"] = round(time.perf_counter() - t0, 1)
    meta = {
        "source": "synthetic: bench/synth.py (no real titles, people or ratings)",
        "synthetic": True,
        "generator": {"script": "bench/synth.py", "seed": seed, "items": n_items, "users": n_users,
                      "interactions": n_interactions, "clusters": k, "topics": min(N_TOPICS, k), "people": N_PEOPLE,
                      "vectors": f"{VECTORS_FILE}: item_embeddings cache format (hashes of item_documents(facts=True) "
                                 f"under 'all-MiniLM-L6-v2'); not real MiniLM vectors",
                      "how": "see the module docstring of bench/synth.py"},
        "n_items": n_items, "n_users": n_users, "n_interactions": istats["n_interactions"],
        "stats": {"catalog": catalog_stats(t), "interactions": istats, "vectors": vstats, "seconds": seconds,
                  "peak_rss_gb": round(peak_rss_gb(), 2)},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2))
    log(f"done: {out}")
    return meta


def load_vectors(directory: Path, n_items: int | None = None) -> np.ndarray:
    """(n_items, 384) float32 item vectors in catalog order from DIR/item_vectors.npz (rows past n_items, the
    scorer-document copies, are not read)."""
    directory = Path(directory)
    if n_items is None:
        n_items = int(json.loads((directory / "meta.json").read_text())["n_items"])
    with zipfile.ZipFile(directory / VECTORS_FILE) as zf, zf.open("vectors.npy") as fh:
        version = np.lib.format.read_magic(fh)
        shape, fortran, dtype = (np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0)(fh)
        assert not fortran and shape[1] == DIM and shape[0] >= n_items, shape
        buf = fh.read(n_items * DIM * dtype.itemsize)
    return np.frombuffer(buf, dtype=dtype).reshape(n_items, DIM).copy()


def load_labels(directory: Path) -> dict:
    with np.load(Path(directory) / LABELS_FILE) as z:
        return {k: z[k] for k in z.files}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=200_000)
    ap.add_argument("--interactions", type=int, default=10_000_000)
    ap.add_argument("--clusters", type=int, help="latent clusters (default min(1000, items/50))")
    ap.add_argument("--out", required=True, help="dataset directory to write")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scorer-vectors", action="store_true",
                    help="also cache the vectors under the scorer's facts=False document hashes (~85%% more rows)")
    a = ap.parse_args()
    meta = generate(Path(a.out), a.items, a.users, a.interactions, a.seed, a.clusters, a.scorer_vectors)
    print(json.dumps(meta["stats"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
