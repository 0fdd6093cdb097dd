"""Sanity check of the open-request cases (tests/data/open_requests/*.jsonl) against ML-100K and ML-1M.

For every case and each dataset it prints how many catalog items satisfy `hard`, and how many satisfy
`hard` and `soft` together while not being a `seen` title, and it fails (exit 1) when
  - hard is satisfied by fewer than 10 items, or hard+soft (minus seen) by fewer than 5, in either dataset;
  - a predicate has an unknown key, a field is missing, or the category is unknown;
  - a title in `seen`/`not_titles` or a person in `person`/`not_person` is missing from either dataset;
  - ids of dev/heldout are not O001..ONNN in order with every third one in heldout;
  - ids of a later split are not <letter>001..<letter>NNN in order (dev2: D, dev3: T, dev4: F, heldout2: H,
    dev5: V, heldout3: G, dev6: W, heldout4: K, dev7: Y, heldout5: Z, dev8: P, heldout6: Q, dev9: E,
    heldout7: J, dev10: B, heldout8: M, dev11: L, heldout9: S, dev12: C, heldout10: R, dev13: A,
    heldout11: N, dev14: I, heldout12: U, dev15: X, heldout13: XH, dev16: AA, heldout14: AH, dev17: AB,
    heldout15: AI, dev18: AC, heldout16: AJ, dev19: AD, heldout17: AK, dev20: AE, heldout18: AL, dev21: AF,
    heldout19: AM, dev22: AG, heldout20: AN, dev23: AO, heldout21: AP, dev24: AQ, heldout22: AR, dev25: AS,
    heldout23: AT, dev26: AU, heldout24: AV, dev27: AW, heldout25: AX, dev28: AY, heldout26: AZ,
    dev29: BA, heldout27: BB).

Run: python bench/check_open_requests.py [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.open_criteria import CatalogStats, satisfies, validate  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "open_requests"
DATASETS = ("ml-100k", "ml-1m")
CATEGORIES = ("mood", "occasion", "quality", "audience", "era", "length", "exclusion", "people", "no_data")
FIELDS = ("id", "text", "category", "hard", "soft", "no_data", "seen", "why")
MIN_HARD, MIN_BOTH = 10, 5


SPLITS = ("dev", "heldout", "dev2", "dev3", "dev4", "heldout2", "dev5", "heldout3", "dev6", "heldout4", "dev7",
          "heldout5", "dev8", "heldout6", "dev9", "heldout7", "dev10", "heldout8", "dev11", "heldout9", "dev12",
          "heldout10", "dev13", "heldout11", "dev14", "heldout12", "dev15", "heldout13",
          "dev16", "heldout14", "dev17", "heldout15", "dev18", "heldout16", "dev19", "heldout17",
          "dev20", "heldout18", "dev21", "heldout19", "dev22", "heldout20", "dev23", "heldout21",
          "dev24", "heldout22", "dev25", "heldout23", "dev26", "heldout24",
          "dev27", "heldout25", "dev28", "heldout26", "dev29", "heldout27")
O_SPLITS = ("dev", "heldout")  # one numbering O001..ONNN, every third case in heldout
# splits written later, each with its own numbering in file order. dev2 .. dev29 are for development; heldout2 ..
# heldout27 are held out (every third request in order of writing of the batch dev4, resp. dev5, ..., dev29, came from;
# for reporting only).
LATER_SPLITS = {"dev2": "D", "dev3": "T", "dev4": "F", "heldout2": "H", "dev5": "V", "heldout3": "G",
                "dev6": "W", "heldout4": "K", "dev7": "Y", "heldout5": "Z", "dev8": "P", "heldout6": "Q",
                "dev9": "E", "heldout7": "J", "dev10": "B", "heldout8": "M", "dev11": "L", "heldout9": "S",
                "dev12": "C", "heldout10": "R", "dev13": "A", "heldout11": "N",
                "dev14": "I", "heldout12": "U", "dev15": "X", "heldout13": "XH",
                "dev16": "AA", "heldout14": "AH", "dev17": "AB", "heldout15": "AI",
                "dev18": "AC", "heldout16": "AJ", "dev19": "AD", "heldout17": "AK",
                "dev20": "AE", "heldout18": "AL", "dev21": "AF", "heldout19": "AM",
                "dev22": "AG", "heldout20": "AN", "dev23": "AO", "heldout21": "AP",
                "dev24": "AQ", "heldout22": "AR", "dev25": "AS", "heldout23": "AT",
                "dev26": "AU", "heldout24": "AV", "dev27": "AW", "heldout25": "AX",
                "dev28": "AY", "heldout26": "AZ", "dev29": "BA", "heldout27": "BB"}
# the per-case table prints no request text for these: nobody who builds the assistant is to read them
TEXT_HIDDEN = ("heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9",
               "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
               "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23",
               "heldout24", "heldout25", "heldout26", "heldout27")


def load_cases() -> dict[str, list[dict]]:
    return {split: [json.loads(line) for line in (DATA / f"{split}.jsonl").read_text().splitlines() if line.strip()]
            for split in SPLITS}


def _walk(pred, key: str) -> list:
    """Every value of `key` anywhere in a predicate tree."""
    if pred is None:
        return []
    out = []
    for k, v in pred.items():
        if k == key:
            out.append(v)
        elif k in ("any_of", "all_of"):
            for p in v:
                out += _walk(p, key)
    return out


def structural_problems(splits: dict[str, list[dict]]) -> list[str]:
    problems = []
    rows = sorted(((c["id"], split, c) for split, cs in splits.items() if split in O_SPLITS for c in cs),
                  key=lambda r: r[0])
    for n, (cid, split, c) in enumerate(rows, 1):
        if cid != f"O{n:03d}":
            problems.append(f"{cid}: expected id O{n:03d} (ids must run without gaps)")
        want = "heldout" if n % 3 == 0 else "dev"
        if split != want:
            problems.append(f"{cid}: in {split}, should be in {want} (every third case is heldout)")
        problems += _case_problems(cid, c)
    # later splits have their own numbering (dev2: D001..DNNN, ..., heldout11: N001..NNNN) in file order
    for split, letter in LATER_SPLITS.items():
        for n, c in enumerate(splits.get(split, []), 1):
            cid = c.get("id")
            if cid != f"{letter}{n:03d}":
                problems.append(f"{cid}: expected id {letter}{n:03d} in {split} "
                                f"(ids must run {letter}001..{letter}NNN in order)")
            problems += _case_problems(cid, c)
    return problems


def _case_problems(cid: str, c: dict) -> list[str]:
    """Fields, category and predicate keys of one case."""
    problems = []
    missing = [f for f in FIELDS if f not in c]
    if missing:
        problems.append(f"{cid}: missing fields {missing}")
    if c.get("category") not in CATEGORIES:
        problems.append(f"{cid}: unknown category {c.get('category')!r}")
    for part in ("hard", "soft"):
        try:
            validate(c.get(part))
        except ValueError as e:
            problems.append(f"{cid}: {part}: {e}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    args = ap.parse_args(argv)

    from assistant.cli import paths_from_env
    from catalog import load_dataset_by_name

    splits = load_cases()
    # dev and heldout interleaved by id (O001..), then each later split in LATER_SPLITS order
    # (D, T, F, H, V, G, W, K, Y, Z, P, Q, E, J, B, M, L, S, C, R, A, N, I, U, X, XH, AA, AH, AB, AI, AC, AJ, AD, AK, AE, AL,
    #  AF, AM, AG, AN, AO, AP, AQ, AR, AS, AT, AU, AV, AW, AX, AY, AZ, BA, BB)
    cases = (sorted((c for s in O_SPLITS for c in splits[s]), key=lambda c: c["id"])
             + [c for s in LATER_SPLITS for c in sorted(splits[s], key=lambda c: c["id"])])
    split_of = {c["id"]: s for s, cs in splits.items() for c in cs}
    problems = structural_problems(splits)

    loaded = {}
    for name in DATASETS:
        ds = load_dataset_by_name(name, paths_from_env())
        people = set()
        for it in ds.catalog:
            people.update(p.casefold() for p in (*it.directors, *it.writers, *it.cast))
        loaded[name] = (list(ds.catalog), CatalogStats.from_dataset(ds), {it.display_title for it in ds.catalog}, people)

    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for c in cases:
        titles = list(c.get("seen") or [])
        for v in _walk(c.get("hard"), "not_titles") + _walk(c.get("soft"), "not_titles"):
            titles += v
        names = [p for part in ("hard", "soft") for k in ("person", "not_person") for p in _walk(c.get(part), k)]
        counts[c["id"]] = {}
        for name, (items, stats, all_titles, people) in loaded.items():
            for t in titles:
                if t not in all_titles:
                    problems.append(f"{c['id']}: title {t!r} not in {name}")
            for p in names:
                if p.casefold() not in people:
                    problems.append(f"{c['id']}: person {p!r} not in {name}")
            seen = set(c.get("seen") or [])
            hard_items = [it for it in items if satisfies(it, c["hard"], stats)]
            both = [it for it in hard_items if satisfies(it, c["soft"], stats) and it.display_title not in seen]
            counts[c["id"]][name] = (len(hard_items), len(both))
            if len(hard_items) < MIN_HARD:
                problems.append(f"{c['id']}: hard satisfied by {len(hard_items)} < {MIN_HARD} items in {name}")
            if len(both) < MIN_BOTH:
                problems.append(f"{c['id']}: hard+soft (minus seen) satisfied by {len(both)} < {MIN_BOTH} items in {name}")

    if not args.quiet:
        print(f"{'id':5} {'split':7} {'category':9} " + " ".join(f"{n + ' hard':>12} {n + ' both':>12}" for n in DATASETS)
              + "  text")
        for c in cases:
            row = " ".join(f"{counts[c['id']][n][0]:12d} {counts[c['id']][n][1]:12d}" for n in DATASETS)
            text = "(held out, not shown)" if split_of[c["id"]] in TEXT_HIDDEN else c["text"][:60]
            print(f"{c['id']:5} {split_of[c['id']]:7} {c['category']:9} {row}  {text}")
        print()

    print("cases per split and category:")
    by = Counter((split_of[c["id"]], c["category"]) for c in cases)
    widths = {s: max(4, len(s)) for s in SPLITS}
    print(f"  {'category':10} " + " ".join(f"{s:>{widths[s]}}" for s in SPLITS) + f" {'total':>6}")
    for cat in CATEGORIES:
        print(f"  {cat:10} " + " ".join(f"{by[(s, cat)]:{widths[s]}d}" for s in SPLITS)
              + f" {sum(by[(s, cat)] for s in SPLITS):6d}")
    print(f"  {'all':10} " + " ".join(f"{len(splits[s]):{widths[s]}d}" for s in SPLITS) + f" {len(cases):6d}")
    for name in DATASETS:
        h = sorted(counts[c["id"]][name][0] for c in cases)
        b = sorted(counts[c["id"]][name][1] for c in cases)
        nh = sum(1 for c in cases if c["hard"] is not None)
        print(f"{name}: hard count min {h[0]} / median {h[len(h) // 2]}  ({nh} cases have a hard predicate); "
              f"hard+soft-seen min {b[0]} / median {b[len(b) // 2]}")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print(f"\nall {len(cases)} cases pass: hard >= {MIN_HARD} and hard+soft (minus seen) >= {MIN_BOTH} in "
          f"{' and '.join(DATASETS)}; titles and people exist in both")
    return 0


if __name__ == "__main__":
    sys.exit(main())
