"""Open requests: facets on items, reading mood / quality / audience / length words, applying them, saying
what was applied and what has no data, and the reply checker's claim check.

Facet rules run on hand-made items (fast); reading and answering run on the real ML-100K assistant
(real linker, MiniLM, Chroma, scorer). The request-level evaluation is bench/bench_open_requests.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from catalog.facets import FacetFilter, FacetStats, all_genres, broad_genres, kids_ok, mood_ok, no_adult_ok
from catalog.types import Catalog, Item

ROOT = Path(__file__).resolve().parents[1]


def item(i, genres=(), year=1990, **attrs) -> Item:
    return Item(id=i, title=f"Film {i}", year=year, genres=tuple(genres), attributes=attrs)


def test_facets_fail_when_the_field_is_missing():
    unrated_drama = item("a", ["Drama"])
    pg_cartoon = item("b", ["Animation", "Children's"], rated="PG", runtime_min=80.0)
    r_cartoon = item("c", ["Animation"], rated="R")
    unrated_cartoon = item("d", ["Animation"])
    assert kids_ok(pg_cartoon) and kids_ok(unrated_cartoon)
    assert not kids_ok(r_cartoon) and not kids_ok(unrated_drama)
    assert no_adult_ok(pg_cartoon) and not no_adult_ok(r_cartoon) and not no_adult_ok(unrated_drama)
    assert not no_adult_ok(unrated_cartoon)  # no rating: never passes a rating filter
    # "nothing rated R" allows only the ratings a parent checks today: not 1968's M or M/PG, nor GP, nor a code
    # nobody knows
    for code in ("M", "M/PG", "GP", "Not Rated", "XYZ"):
        assert not no_adult_ok(item("e", ["Drama"], rated=code)), code
    assert no_adult_ok(item("f", ["Drama"], rated="PG-13")) and no_adult_ok(item("g", ["Drama"], rated="TV-PG"))
    cat = Catalog([unrated_drama, pg_cartoon, r_cartoon, unrated_cartoon])
    stats = FacetStats(cat, np.array([10, 20, 30, 40]))
    short = FacetFilter(runtime_max=100)
    assert [i.id for i in cat if short.ok(i, stats)] == ["b"]  # no runtime: never short
    assert FacetFilter(rated=("PG",)).ok(pg_cartoon, stats) and not FacetFilter(rated=("PG",)).ok(unrated_drama, stats)
    assert stats.counts["runtime"] == 1 and stats.coverage_note("runtime") == "only 1 of 4 titles have a known runtime"
    with pytest.raises(ValueError, match="unknown mood 'happy'"):
        FacetFilter(moods=("happy",))


def test_a_count_of_oscar_wins_filters_and_missing_awards_data_never_passes():
    two, one, none = item("2", ["Drama"], oscars=2), item("1", ["Drama"], oscars=1), item("n", ["Drama"])
    cat = Catalog([two, one, none])
    stats = FacetStats(cat, np.array([1, 2, 3]))
    f = FacetFilter(qualities=("oscar",), oscars_min=2)
    assert [i.id for i in cat if f.ok(i, stats)] == ["2"]
    assert f.hard_only().oscars_min == 2 and "oscars" in f.fields_used()  # a count is kept when moods are relaxed


def test_percentiles_put_ties_at_the_middle_of_their_run():
    """A score many items share is not in the top 40% because the last of its run is: ten items, the top four tied."""
    from catalog.facets import midrank_pct

    pct = midrank_pct(np.array([1, 2, 3, 4, 5, 6, 7, 7, 7, 7], np.float64))
    assert pct[0] == pytest.approx(0.05) and pct[5] == pytest.approx(0.55)
    assert all(p == pytest.approx(0.8) for p in pct[6:])  # not 1.0 (the run's upper end), not 0.6 (its lower end)


def test_quality_percentiles_and_moods():
    items = [item(str(k), ["Comedy"], critic_rating=float(k)) for k in range(1, 11)] + [item("x", ["Comedy"])]
    cat = Catalog(items)
    pop = np.array([100] * 5 + [1] * 5 + [50])  # items 6-10 are rarely rated
    stats = FacetStats(cat, pop)
    acclaimed = [i.id for i in cat if stats.quality_ok(i, "acclaimed")]
    assert acclaimed == ["9", "10"]  # top 20% of the ten scored items: two (mid-rank percentile >= 0.8)
    assert [i.id for i in cat if stats.quality_ok(i, "hidden_gem")] == ["7", "8", "9", "10"]  # top 40%, rarely rated
    assert not stats.quality_ok(cat["x"], "acclaimed")  # unscored: never acclaimed
    assert mood_ok(item("f", ["Comedy", "Romance"]), "feel_good") and not mood_ok(item("g", ["Comedy", "Horror"]), "feel_good")
    assert mood_ok(item("h", ["Drama"]), "sad") and not mood_ok(item("i", ["Drama", "Sci-Fi"]), "sad")


def _assert_read(reader, text: str, expect: dict, act: str | None = None) -> None:
    """The NLU's reading of `text` in a new session has each field of `expect` (item ids compared by title)."""
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context())
    assert act is None or u.act == act, (text, u.act)
    for k, v in expect.items():
        got = getattr(u.entities, k)
        if k in ("reference", "seen", "liked", "excluded"):
            got = [reader.linker.catalog[i].display_title for i in got]
        assert got == v, (text, k, got)


@pytest.fixture(scope="module")
def reader(ml100k_assistant):
    return ml100k_assistant.nlu


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    ("feel-good movie for a rainy sunday", {"moods": ["feel_good"]}),
    ("I want to cry tonight", {"moods": ["sad"]}),
    ("best films of 1994", {"qualities": ["acclaimed"], "year_min": 1994, "year_max": 1994}),
    ("something short for my 6 year old", {"audience": "kids", "runtime_max": 100}),
    ("nothing over 2 hours", {"runtime_max": 121}),
    ("only got about an hour and a half", {"runtime_max": 91}),  # a 90-minute film fits
    ("hidden gems nobody has heard of", {"qualities": ["hidden_gem"]}),
    ("clean movies only, no R rated stuff", {"audience": "no_adult"}),
    ("classic black and white films", {"qualities": ["classic"], "unmatched": ["black and white"], "year_max": 1959}),
    ("late 90s comedies", {"genres": ["Comedy"], "year_min": 1996, "year_max": 1999}),
    ("westerns or musicals", {"genres": ["Western", "Musical"], "any_of": ["genres"]}),
    ("my little brother is 7 and gets scared easily", {"audience": "kids", "not_genres": ["Horror", "Thriller"]}),
    # written after the dev2 split showed them misread (not from the held-out split)
    ("cant do anything longer than 1h45 tonight", {"runtime_max": 106}),  # 105 minutes is not longer: kept
    ("quick one, 80 min max", {"runtime_max": 81}),
    ("anything except sci fi or fantasy", {"not_genres": ["Sci-Fi", "Fantasy"], "genres": []}),
    ("im so done with war movies. literally anything else", {"not_genres": ["War"], "genres": []}),
    ("my daughter just turned 4. whats a good first movie to show her?", {"audience": "kids"}),
    ("nothing R pls, my mom is watching w me", {"audience": "no_adult"}),
    ("what was actually good in '97", {"year_min": 1997, "year_max": 1997}),
    ("horror but nothing from the eighties, the 80s ones are cheesy", {"genres": ["Horror"], "decades": [],
                                                                       "not_decades": ["1980s"]}),
    ("movies from the year i was born (1986)", {"year_min": 1986, "year_max": 1986}),
    ("a musical, 1980 onwards", {"genres": ["Musical"], "year_min": 1980, "year_max": None}),
    ("newer stuff, like the last few years of the 90s", {"year_min": 1996, "year_max": 1999}),
    ("i was born in 1985, show me good stuff from before i was born", {"year_max": 1984}),
    ("pg movies only", {"rated": ["G", "GP", "PG"]}),
    ("whats a good movie under an hour and 40 mins", {"runtime_max": 100}),
    ("babysitting 2 boys tonite (8 and 10), they want action", {"audience": "kids", "genres": ["Action"]}),
    ("the whole family? youngest is 6, oldest is a grumpy 15 year old", {"audience": "kids"}),
    ("deniro movies pls", {"people": ["Robert De Niro"]}),
    ("anything w/ sam jackson", {"people": ["Samuel L. Jackson"]}),
    ("somethin with morgan freemen", {"people": ["Morgan Freeman"]}),
    ("buscemi or william h macy, either works", {"people": ["Steve Buscemi", "William H. Macy"], "any_of": ["people"]}),
    ("not in the mood for anything with bruce willis or arnold", {"people": [], "not_people": [
        "Bruce Willis", "Arnold Schwarzenegger"]}),
    ("a drama but nothing depressing", {"genres": ["Drama"], "moods": ["feel_good"]}),
    ("something dark and gritty", {"moods": ["dark"]}),
    ("what do people rate highest from the 80s?", {"qualities": ["crowd_pleaser"], "decades": ["1980s"]}),
    ("a movie about a dog", {"query": "dog"}),
    ("stuff that won a bunch of oscars", {"qualities": ["many_oscars"]}),
    ("oscar winning dramas", {"qualities": ["oscar"], "genres": ["Drama"]}),
    # dev3 (tests/data/open_requests/dev3.jsonl): phrasing written by someone who had not read the parser
    ("keanu pls", {"people": ["Keanu Reeves"]}),
    ("nothing with stallone, van damme or seagal pls", {"people": [], "not_people": [
        "Sylvester Stallone", "Jean-Claude Van Damme", "Steven Seagal"]}),
    ("romcom w/o hugh grant lol, im so sick of his face", {"people": [], "not_people": ["Hugh Grant"], "unknown_titles": [],
                                                            "query": ""}),  # what they think of him is no description
    ("comedy, but no jim carrey pls i cant stand him", {"not_people": ["Jim Carrey"], "query": ""}),
    ("tom hanks movies about a boy and his dog", {"people": ["Tom Hanks"], "query": "boy dog"}),
    ("adventure but minus the scifi/fantasy stuff", {"genres": ["Adventure"], "not_genres": ["Sci-Fi", "Fantasy"]}),
    ("anything from like 85-90, i love that era", {"year_min": 1985, "year_max": 1990, "unknown_titles": []}),
    ("sub 90 min horror", {"runtime_max": 90}),
    ("got exactly 2 hrs before my shift starts", {"runtime_max": 121}),
    ("a crime drama, the long slow burn kind, 2.5hrs ish", {"runtime_min": 135, "runtime_max": 166}),
    ("my grandad is 90 and gets really upset by swearing or violence", {
        "audience": "clean", "not_genres": ["Horror", "War", "Crime", "Thriller", "Action"]}),
    ("grandma's visiting, no swearing or sex scenes whatsoever", {"audience": "clean", "query": ""}),
    ("my 14 yo wants a romance movie", {"audience": "no_adult", "genres": ["Romance"]}),
    ("sleepover w 10-12 yr old boys, they want something kinda scary but NOT rated R", {
        "audience": "", "rated": ["G", "GP", "PG"], "genres": ["Horror"]}),
    ("slept-on horror movies", {"qualities": ["hidden_gem"], "genres": ["Horror"]}),
    ("stuff critics AND normal people both loved", {"qualities": ["crowd_pleaser", "acclaimed"]}),
    ("greatest war flicks of all time", {"qualities": ["acclaimed"], "genres": ["War"]}),
    ("hungover af. need something that requires zero brain cells", {"moods": ["feel_good", "light"]}),
    ("something uplifting, ideally a true story", {"moods": ["feel_good", "true_story"], "reference": []}),
    ("rainy afternoon w the gf, nothing too heavy", {"moods": ["date", "light", "feel_good"]}),
    # dev4 (tests/data/open_requests/dev4.jsonl), again written by someone who had not read the parser
    ("late 70s early 80s sci fi", {"genres": ["Sci-Fi"], "year_min": 1976, "year_max": 1983, "decades": []}),
    ("mid to late 90s", {"year_min": 1993, "year_max": 1999}),
    ("newest stuff u got, 98 or 99", {"year_min": 1998, "year_max": 1999}),
    ("family friendly stuff from before the 80s", {"year_max": 1979, "decades": []}),
    ("anything rated exactly pg-13?", {"rated": ["PG-13"]}),
    ("school says U or PG rated only and it has to fit in 100 mins", {"rated": ["G", "GP", "PG"], "runtime_max": 101}),
    ("no subtitles, nothing before 1960", {"languages": ["English"], "unmatched": [], "year_min": 1960}),
    ("i fall asleep in anything over an hour and a half lol. horror pls", {"runtime_max": 91, "moods": [],
                                                                          "genres": ["Horror"]}),
    ("escapist stuff, i wanna be transported somewhere else", {"moods": ["escapist"]}),
    ("cant sleep, its 3am, want something mellow to doze off to", {"moods": ["calm"], "query": ""}),
    ("cheer me up pls", {"moods": ["feel_good"]}),
    ("zombie movies", {"genres": ["Horror"], "unmatched": ["zombie"], "stand_ins": ["horror films"]}),
    ("any xmas films?", {"genres": ["Children's"], "unmatched": ["xmas"], "stand_ins": ["children's films"]}),
    ("christmas movies", {"genres": ["Children's"], "unmatched": ["christmas"]}),  # "christmas" minus "s" is no key
    ("a road trip movie", {"query": "road trip"}),  # a topic with an article and a singular noun is a request
    ("nothing with zombies, something funny", {"genres": ["Comedy"], "unmatched": ["zombies"]}),
    ("action but none of that comic book superhero junk", {"genres": ["Action"], "not_genres": [],
                                                           "unmatched": ["comic book", "superhero"], "query": ""}),
    ("she loves a good weepy but cant stand violence or bad language", {"unknown_titles": [], "audience": "clean",
                                                                        "moods": ["sad"]}),
    ("movies that won best picture", {"qualities": ["oscar"], "unmatched": ["best picture"], "query": ""}),
    ("12 yo boy, thinks hes way too old for cartoons", {"not_genres": ["Animation"], "audience": "kids"}),
    ("charley sheen action movies", {"people": ["Charlie Sheen"], "genres": ["Action"], "query": ""}),
    ("brian depalma thrillers", {"people": ["Brian De Palma"], "query": ""}),  # not Rossy de Palma
    ("over the top action comedies", {"genres": ["Action", "Comedy"], "not_genres": []}),  # "over" is no refusal here
    ("im so over superhero movies", {"genres": [], "unmatched": ["superhero"]}),  # no stand-in for a refused topic
    ("james earl johns, nothing after 1995", {"people": ["James Earl Jones"], "year_max": 1995}),
    ("putting something on while i cook dinner", {"people": []}),  # "cook" is a verb, not Rachael Leigh Cook
    ("something from before i was born (92) but after star wars came out", {"year_min": 1978, "year_max": 1991,
                                                                            "reference": []}),
    ("short comedy, like 80-95 mins", {"genres": ["Comedy"], "runtime_min": 80, "runtime_max": 96}),
    # (history is OMDb's History genre, its own mood: refusing it no longer refuses every biography and documentary)
    ("drama w/o any war or history stuff", {"genres": ["Drama"], "moods": [], "not_genres": ["War", "History"]}),
    # a seen title written as a run of its words (dev3's T025 showed a card the user had seen)
    ("jack nicholson movies, seen cuckoos nest and the shining tho", {"people": ["Jack Nicholson"], "unknown_titles": [],
                                                                      "query": ""}),
    ("bachelor party weekend, want raunchy comedies, R rated is fine", {"genres": ["Comedy"], "qualities": ["adult"],
                                                                        "query": ""}),
    ("no raunchy stuff pls, something funny", {"qualities": [], "audience": "clean"}),  # a refusal is no wish
    ("no subtitles, no black and white, nothing before 1960", {"excluded": [], "unmatched": ["black and white"],
                                                                "year_max": None}),  # nothing stands in for a refusal
    # the mood of an ending is a mood, not a twist with thrillers standing in (dev4's F058 got "tense feel-good")
    ("something w a happy ending, under 2 hrs", {"moods": ["feel_good"], "unmatched": ["ending"], "stand_ins": []}),
    ("a film with a twist ending", {"moods": ["tense"], "unmatched": ["twist ending"]}),
    # written after dev5 showed them misread (its own wording varied here)
    ("anything as long as it's not a western or a musical", {"not_genres": ["Western", "Musical"], "genres": [],
                                                            "runtime_min": None}),
    ("anti-romance please", {"not_genres": ["Romance"], "moods": []}),
    ("another hugh grant film, great. nothing with him or julia roberts", {"people": [],
                                                                          "not_people": ["Julia Roberts", "Hugh Grant"]}),
    ("tom hanks, but nothing with her or meg ryan", {"people": ["Tom Hanks"], "not_people": ["Meg Ryan"]}),
    ("not julia roberts, sandra bullock", {"people": ["Sandra Bullock"], "not_people": ["Julia Roberts"]}),  # a correction
    ("no horror, war, something light", {"not_genres": ["Horror", "War"], "genres": []}),  # genres: a bare comma lists
    ("nothing with tom cruise, mel gibson or brad pitt", {"people": [],
                                                         "not_people": ["Tom Cruise", "Mel Gibson", "Brad Pitt"]}),
    ("we've got an hour 40 max", {"runtime_max": 101}),
    ("3 hours minimum, i have all night", {"runtime_min": 180}),
    ("scout troop movie night (9-12)", {"audience": "kids"}),
    ("a mystery that isn't rated R", {"genres": ["Mystery"], "audience": "no_adult"}),
    ("a thriller please, i get scared easily though", {"genres": ["Thriller"], "not_genres": ["Horror"]}),
    ("nothing foreign language, no documentaries", {"languages": ["English"], "not_genres": ["Documentary"]}),
    ("comedies or foreign films", {"languages": []}),  # "or" is no refusal
    ("anything but westerns or foreign films", {"languages": ["English"], "not_genres": ["Western"]}),
    ("dramas that deserve more love", {"genres": ["Drama"], "qualities": ["hidden_gem"]}),
    ("best westerns of all time", {"genres": ["Western"], "qualities": ["acclaimed"]}),
    ("films made during world war 2", {"year_min": 1939, "year_max": 1945}),
    ("ww2 movies", {"year_min": None}),  # about the war, not made during it
    ("the clinton years", {"year_min": 1993, "year_max": 2000}),
    ("horror but nothing after like 85", {"genres": ["Horror"], "year_max": 1985}),
    ("good movies from the year i got married (94)", {"year_min": 1994, "year_max": 1994}),
    ("something deep, i really liked 2001 and alien", {"year_min": None, "year_max": None}),
    ("comedies that are not about the war", {"genres": ["Comedy"], "not_genres": ["War"], "excluded": []}),
    ("something to escape reality", {"seen": [], "reference": []}),
    ("a movie with a great villain", {"unmatched": ["villain"]}),
    ("i don't want anything that makes me think, my brain is fried", {"moods": ["light"]}),
    ("my aunt leaves the room whenever anyone swears, so keep it clean", {"audience": "clean"}),
    ("a scary one, nothing gory though", {"genres": ["Horror"], "not_genres": ["War", "Crime", "Action"]}),
    # "kids" is linked as the Children's genre first; the ages still decide the audience
    ("our children are 5 and 8, nothing scary", {"audience": "kids"}),
    ("the kids are 13 and 15, something fun", {"audience": "no_adult"}),
    # a sport named is a subject, served by OMDb's Sport genre only (it had read as "inspiring": Schindler's List)
    ("got any baseball films", {"moods": ["sport"]}),
    ("movies about athletes", {"moods": ["sport"]}),
    ("something motivational", {"moods": ["inspiring"]}),
    # dev6 round (new sentences, same classes): ages said as "he's 7" / "just turned 4" once a child is named
    ("my grandson (he's 7) loves space stuff", {"audience": "kids"}),
    ("babysitting my niece tomorrow, she just turned 4", {"audience": "kids"}),
    ("she scares super easy, any fantasy?", {"genres": ["Fantasy"], "not_genres": ["Horror", "Thriller"]}),
    ("the school says nothing rated R, a western?", {"genres": ["Western"], "audience": "no_adult"}),
    # lengths: time until something else happens, time waited, ranges in hours and minutes, "N minutes long"
    ("my bus leaves in 85 minutes, what fits", {"runtime_max": 86}),
    ("sitting in the waiting room, about an hour and a half", {"runtime_min": None, "runtime_max": 91}),
    ("around 2 hours", {"runtime_min": 105, "runtime_max": 136}),  # no waiting: about that long
    ("anything 1h50 to 2h20", {"runtime_min": 110, "runtime_max": 141, "unknown_titles": []}),
    ("a 90 minute long comedy", {"genres": ["Comedy"], "runtime_min": 75, "runtime_max": 106}),
    # refusals: genres named before "anything but those"; a plot word of a genre asked for refuses only itself
    ("i've watched way too many westerns and war movies lately, anything but those",
     {"genres": [], "not_genres": ["Western", "War"]}),
    ("a crime film but no heists", {"genres": ["Crime"], "not_genres": [], "unmatched": ["heists"]}),
    ("no heists", {"not_genres": ["Crime"]}),
    # years: before someone else was born, and a period named by what happened
    ("movies from before my dad was born (1961)", {"year_max": 1960}),
    ("a comedy made between the wars", {"genres": ["Comedy"], "year_min": 1919, "year_max": 1939}),
    ("a short doc for my lunch break", {"genres": ["Documentary"], "runtime_max": 100}),
    ("an old-fashioned swashbuckler movie please", {"year_max": None, "moods": ["exciting"]}),
    # quality and mood words
    ("underwatched thrillers", {"genres": ["Thriller"], "qualities": ["hidden_gem"]}),
    ("the most beloved musicals of all time", {"genres": ["Musical"], "qualities": ["crowd_pleaser"]}),
    ("flawless dramas", {"genres": ["Drama"], "qualities": ["acclaimed"]}),
    ("something the whole group will enjoy", {"qualities": ["crowd_pleaser"]}),
    ("something wacky", {"moods": ["light"]}),
    ("a hopeful film", {"moods": ["inspiring"]}),
    ("something meditative", {"moods": ["calm"]}),
    ("sci fi with fewer explosions", {"genres": ["Sci-Fi"], "moods": ["calm"]}),
    ("an animal adventure but with real actors, not a cartoon", {"not_genres": ["Animation"]}),
    # a count of Oscar wins is a number, not just "won one" / "won several"
    ("dramas with at least two academy awards", {"oscars_min": 2, "qualities": ["oscar"]}),
    ("something that won more than 4 oscars", {"oscars_min": 5, "qualities": ["many_oscars"]}),
    ("oscar sweepers only, 6+ wins", {"oscars_min": 6}),
    ("an oscar winning comedy", {"oscars_min": None, "qualities": ["oscar"]}),
    # "insane" qualifies the length, it refuses no mood (it had refused Comedy); "longish" is not 150+
    ("something longish but not crazy long", {"runtime_min": 120, "runtime_max": 170, "not_genres": [], "query": ""}),
    ("a fairly long western", {"genres": ["Western"], "runtime_min": 120, "runtime_max": None}),
    ("on the long side but not crazy, say 2h10 to 2h30", {"runtime_min": 130, "runtime_max": 151, "not_genres": [],
                                                          "query": ""}),
    ("a war film, the longer the better", {"genres": ["War"], "runtime_min": 150}),
    ("the longer the better honestly, any drama", {"genres": ["Drama"], "runtime_min": 150, "query": ""}),
    # a year named by an event needs a cue ("the year", "when"); the event's name alone is a topic
    ("anything from the year the berlin wall came down", {"year_min": 1989, "year_max": 1989}),
    ("comedies from when elvis died", {"genres": ["Comedy"], "year_min": 1977, "year_max": 1977}),
    ("a chernobyl documentary", {"year_min": None, "year_max": None}),
    # a place in a year-by-year run is one year; without a run "up to 1990 now" is a bound
    ("one film from every year of the 70s challenge, up to 1974 now", {"year_min": 1974, "year_max": 1974}),
    ("dramas up to 1990 now please", {"year_min": None, "year_max": 1990}),
    # refusals only are a request ("no westerns and no biopics"), and "any" after a comma asks anew
    ("no westerns and no biopics, my dad watches them all day", {"genres": []}),
    ("no horror, any comedies?", {"genres": ["Comedy"], "not_genres": ["Horror"]}),
    ("no horror or any thrillers", {"not_genres": ["Horror", "Thriller"]}),
    # a film older than someone is from before their birth; a year written short, then on
    ("anything older than my mum, she was born in 58", {"year_max": 1957}),
    ("85 onwards, a thriller", {"genres": ["Thriller"], "year_min": 1985}),
    ("films from the watergate years", {"year_min": 1972, "year_max": 1974}),
    ("what was out the year of the barcelona olympics", {"year_min": 1992, "year_max": 1992}),
    # an aside about someone else is no description of the film ("my uncle ran ..."), unless it says what they like
    ("what was out the year of the seoul olympics? my uncle ran a leg of the torch relay lol",
     {"year_min": 1988, "query": ""}),
    ("a thriller. my sister swears the ending of the last one ruined her week", {"genres": ["Thriller"], "query": ""}),
    # lengths: two spoken amounts as a range, a stated margin, the battery left
    ("between an hour and a half and an hour 50", {"runtime_min": 90, "runtime_max": 111}),
    ("90 mins give or take 10", {"runtime_min": 80, "runtime_max": 101}),
    ("about 80 mins of battery left", {"runtime_max": 81, "query": ""}),
    # praise no pattern lists, read by its nearness to quality examples (data/qualities.txt)
    ("a sleeper hit from the 80s", {"qualities": ["hidden_gem"]}),
    ("essential viewing only, a western", {"genres": ["Western"], "qualities": ["acclaimed"]}),
    ("my best friend is visiting, a comedy", {"qualities": [], "query": "", "liked": [], "reference": []}),
    # a subject read as a mood is said to have no data; a refused subject too ("no kidnapping plots")
    ("a hockey movie", {"moods": ["sport"], "unmatched": ["hockey"]}),
    ("a crime movie but no kidnapping plots", {"genres": ["Crime"], "unmatched": ["kidnapping"], "query": ""}),
    # a dark mood with a comedy named is a dark comedy, not a refusal of comedy
    ("a black comedy", {"genres": ["Comedy"], "moods": ["dark_comedy"]}),
    ("dark comedies from the 90s", {"genres": ["Comedy"], "moods": ["dark_comedy"]}),
    # genre words with a suffix; "wary of" refuses
    ("something adventure-y", {"genres": ["Adventure"]}),
    ("i'm wary of war films, any comedies", {"not_genres": ["War"], "genres": ["Comedy"]}),
    ("a movie with lots of singing for my 5 year old", {"genres": ["Musical"], "audience": "kids"}),
    ("a comedy with great songs", {"genres": ["Comedy"]}),  # songs in a film do not make a musical
    ("my foster son is 7, something for him", {"audience": "kids", "query": ""}),
    # inoffensive, and grown-up content said to be fine
    ("something nobody would object to at the office party", {"audience": "no_adult"}),
    ("a war film, R is perfectly fine", {"genres": ["War"], "qualities": ["adult"]}),
    ("something loud and american", {"countries": ["United States"], "moods": ["exciting"]}),
    ("a thriller for the 5th of november", {"genres": ["Thriller"], "cards": [], "query": ""}),
    # a taste in words, not an unknown title
    ("we're really into the supernatural type of stuff", {"query": "supernatural", "unknown_titles": []}),
    # one genre and a choice between two others: Comedy AND (Crime OR Romance)
    ("a comedy but with a bit of crime or romance", {"genres": ["Comedy", "Crime", "Romance"], "any_of": ["genres"],
                                                     "core_genres": ["Comedy"]}),
    ("sci-fi or fantasy, ideally with some horror", {"any_of": ["genres"], "core_genres": ["Horror"]}),
    # "old" before a genre (and a place) is the era, as "old movies" is
    ("some old westerns", {"genres": ["Western"], "year_max": 1969}),
    ("she loved the old hollywood musicals", {"genres": ["Musical"], "year_max": 1969, "countries": ["United States"]}),
    # two opposite moods: the one the asking clause says is kept (the setting is not the film wanted)
    ("stuck in a silent library all day, want something to get my pulse racing", {"moods": ["tense"]}),
    ("want something that is happy and sad at once", {"moods": ["feel_good", "sad"]}),  # both asked for: both kept
    # rated R as the floor; a refused R is the no-R audience, also after "isnt"
    ("an r-rated thriller please", {"genres": ["Thriller"], "rated": ["R", "NC-17"]}),
    ("i only watch R rated stuff, a drama", {"genres": ["Drama"], "rated": ["R", "NC-17"]}),
    ("a comedy that isnt rated R", {"genres": ["Comedy"], "rated": [], "audience": "no_adult"}),
    # a bare number after a bound, with a length word, is minutes; a trip's length is the most a film can take
    ("the shortest comedy you have, under 85", {"genres": ["Comedy"], "runtime_max": 85}),
    ("my flight is 3 hours, something to pass it", {"runtime_max": 181}),
    # two parts of decades joined by "to" / "through": the span between them
    ("late 60s through the mid 70s please", {"year_min": 1966, "year_max": 1976, "decades": []}),
    # a scary mood asked for keeps its genres when violence is refused
    ("something hair-raising, but no blood please", {"moods": ["scary"], "not_genres": ["War", "Crime", "Action"]}),
    ("six of us and we agree on nothing, any ideas", {"qualities": ["crowd_pleaser"]}),  # a film nobody fights over
    ("a mystery with detectives in long coats", {"genres": ["Mystery"], "runtime_min": None}),  # long coats, not a long film
    ("a long mystery please", {"genres": ["Mystery"], "runtime_min": 150}),
    # years named by a US presidency, and bounds at the start or end of one
    ("comedies from when carter was president", {"genres": ["Comedy"], "year_min": 1977, "year_max": 1980}),
    ("nothing made after clinton took office", {"year_max": 1993, "query": ""}),
    ("the year reagan left office", {"year_min": 1988, "year_max": 1988, "query": ""}),
    # an election is the year before the term, and a president named as a time is no person in the cast
    ("whatever came out the year bill clinton first got elected", {"year_min": 1992, "year_max": 1992, "people": []}),
    ("dramas from when jimmy carter was president", {"genres": ["Drama"], "year_min": 1977, "year_max": 1980, "people": []}),
    # widely known events as years, bounds and decades
    ("a thriller from the same time as the oj trial", {"genres": ["Thriller"], "year_min": 1995, "year_max": 1995}),
    ("nothing made after columbine", {"year_min": None, "year_max": 1999}),
    ("anything from the decade three mile island happened", {"year_min": 1970, "year_max": 1979}),
    ("a western. waco is near us", {"genres": ["Western"], "year_min": None, "year_max": None}),  # a place, no "when"
    # what a film must not be about is said to have no data; words with digits stay whole
    ("a war film thats not about vietnam pls", {"genres": ["War"], "unmatched": ["vietnam"], "query": ""}),
    ("a movie about r2d2", {"query": "r2d2"}),
    ("I loved Independence Day (ID4), more sci-fi please", {"query": "", "genres": ["Sci-Fi"]}),  # a title's other name
    ("feel-good movies from the 60s", {"moods": ["feel_good"], "qualities": []}),  # not "good movies"
    # a refusal reaches four words back over "one of the"
    ("a war film but not one of the depressing ones", {"genres": ["War"], "moods": ["feel_good"]}),
    # words left beside what was read are no description (said, not searched), unless a topic cue introduces them
    ("hot day, brain off, explosions", {"moods": ["exciting"], "query": "", "unused": ["hot brain off"]}),
    ("a thriller featuring submarines", {"genres": ["Thriller"], "query": "submarines", "unused": []}),
    # a span of years without "between" / "from"
    ("westerns 1962 to 1968 pls", {"genres": ["Western"], "year_min": 1962, "year_max": 1968}),
    # lengths: a bound before a number with a unit is no title; hours with the unit written once, or not at all
    ("comedy, no more than 95 mins", {"genres": ["Comedy"], "runtime_max": 96, "unknown_titles": []}),
    ("between 1 and 1.5 hrs", {"runtime_min": 60, "runtime_max": 91}),
    ("more than 2 hrs but less than 2.5", {"runtime_min": 121, "runtime_max": 150}),  # "more than": strictly
    ("nothing long, 100 tops", {"runtime_max": 101}),
    ("i have 2 kids and 3 hours", {"runtime_min": None, "runtime_max": 181}),  # "kids" between: no range of hours; the 3 hours are the time there is
    # "swap" is a noun before a genre, not the verb that replaces one
    ("wife swap comedies", {"genres": ["Comedy"], "relax_values": []}),
    # "AND" in capitals joins two people as "and" does
    ("tom hanks AND meg ryan", {"listed": ["people"]}),
    # a year named by a film's release
    ("thrillers from the same year jurassic park came out", {"genres": ["Thriller"], "year_min": 1993, "year_max": 1993}),
    # a refusal of everything that is not a genre asks for that genre
    ("my dad won't watch anything that isn't a western", {"genres": ["Western"], "not_genres": []}),
    ("a movie that isn't a western", {"not_genres": ["Western"]}),
    # "<topic> movies" names what the films are: searched, also beside a decade; the other words are said as unused
    ("submarine movies from the 60s, tense ones, the claustrophobia gets me", {"decades": ["1960s"], "query": "submarine"}),
    ("a spooky island horror movie", {"genres": ["Horror"], "query": "island"}),  # a word right before a genre: a topic
    ("over 100 mins, at least", {"runtime_min": 101}),  # "over": strictly more
    # light is pure comedy (no drama or dark strand beside it); funny is any comedy
    ("a really slapstick one", {"moods": ["light"]}),
    ("i need a laugh", {"genres": ["Comedy"], "moods": []}),
    # refused content, in other words than "no": the clean reading (rated G/PG or a family film)
    ("my dad won't tolerate swearing of any kind", {"audience": "clean"}),
    ("she can't handle sex scenes, so keep that in mind", {"audience": "clean"}),
    # the kids are not watching, or a film for grown-ups is asked for: no children's films (none is asked for)
    ("the children are at a sleepover tonight, we want a thriller", {"genres": ["Thriller"],
                                                                      "not_genres": ["Children's", "Family", "Animation"]}),
    ("something for the grown ups after the kids go to bed", {"genres": [], "not_genres": ["Children's", "Family", "Animation"]}),
    ("our kids are 7 and 10", {"audience": "kids", "not_genres": []}),
    ("animated films for adults", {"genres": ["Animation"], "not_genres": ["Children's", "Family"]}),
    # songs refused: no musicals
    ("a kids movie with no singing", {"not_genres": ["Musical"]}),
    ("animation, but he skips all the songs", {"genres": ["Animation"], "not_genres": ["Musical"]}),
])
def test_open_words_are_read(reader, text, expect):
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context())
    assert u.act == "recommend", (text, u.act)
    for k, v in expect.items():
        assert getattr(u.entities, k) == v, (text, k, getattr(u.entities, k))


@pytest.mark.slow
def test_praise_is_feedback_not_a_mood_request(reader):
    from assistant.dialogue.nlu import Context

    u = reader.understand("sabrina was so charming, and so was roman holiday", Context())
    assert u.act == "feedback" and not u.entities.moods and len(u.entities.liked) == 2


def test_praise_clauses_pair_the_masked_and_the_read_text():
    from assistant.dialogue.open_slots import praise_spans

    def low(masked):  # what the open reader reads: the linked spans blanked
        import re
        return re.sub(r"\b(?:TITLE|GENRE|PERSON)\b", " ", masked).lower()

    masked = "big fan of TITLE, TITLE and TITLE -- got any GENRE picks? the best ones"
    spans = praise_spans(masked, low(masked))
    assert [low(masked)[a:b].strip() for a, b in spans] == ["big fan of"]
    # the clause that praises, not the one that asks, names a genre or gives titles as examples
    for masked in ("i love dark GENRE like TITLE", "TITLE is great, want something darker", "films like TITLE are the best"):
        got = [low(masked)[a:b].strip() for a, b in praise_spans(masked, low(masked))]
        assert got == (["is great"] if masked.startswith("TITLE is") else []), (masked, got)
    # clauses that do not pair up (a quoted sentence blanked in one of them): nothing is taken
    assert praise_spans("TITLE was great. \"so. good\"", "  was great.             ") == []


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # how much the titles named were liked is taste (they are liked), not a request for acclaimed or crowd-pleasing
    # films; what was liked about them may be a mood
    ("huge fan of heat and fargo, any thrillers?", {"qualities": [], "moods": [], "genres": ["Thriller"]}),
    ("babe and toy story were the best thing i saw all year. what else?", {"qualities": [], "moods": []}),
    ("the godfather is a masterpiece imo. something darker?", {"qualities": [], "moods": ["dark"]}),
    ("loved how gripping the fugitive was, more like that", {"qualities": [], "moods": ["tense"]}),
    # a kind of film described with titles as examples, or asked beside the praise, is read
    ("i love dark thrillers like seven", {"moods": ["dark"], "genres": ["Thriller"]}),
    ("loved fargo. critically acclaimed crime films please", {"qualities": ["acclaimed"], "genres": ["Crime"]}),
    # an age in the praising clause is still read
    ("my 6 year old loved toy story, more like that", {"audience": "kids"}),
])
def test_praise_of_named_titles_is_taste_not_a_request(reader, text, expect):
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context())
    for k, v in expect.items():
        assert getattr(u.entities, k) == v, (text, k, getattr(u.entities, k))


@pytest.mark.slow
def test_a_mood_that_only_refused_items_suit_is_relaxed_not_an_empty_answer(ml100k_assistant):
    """Refused genres are applied before the moods: on Valentine's day "anything but a love story" leaves the
    date-night mood its comedies, and "anti-romance" leaves the romantic mood nothing, which is then left out (and
    said) instead of every card (dev5's V054 got none)."""
    a = ml100k_assistant
    r = a.respond("open-valentine", "valentines day and we're both single lol. anything but a love story")
    assert len(r.cards) == 5
    assert not any("Romance" in broad_genres(a.catalog[c.item_id]) for c in r.cards)
    # the tool itself: a mood whose genres are all refused is relaxed, and said
    from tools import search_items
    from tools.state import SessionState

    ctx = a._ctx(SessionState("open-valentine-tool"))
    res = search_items.run(ctx, search_items.SearchItemsArgs(moods=["romantic"], not_genres=["Romance"], k=20))
    assert res.ok and len(res.ids) == 20 and "romantic" in ctx.relaxed and any("left that part out" in n for n in ctx.notes)
    assert not any("Romance" in broad_genres(a.catalog[i]) for i in res.ids)


@pytest.mark.slow
@pytest.mark.parametrize("text, refused", [
    ("time loop films like groundhog day, seen it loads, and not a comedy this time", "Comedy"),
    ("something like fargo but no crime", "Crime"),
])
def test_a_genre_refused_beside_a_film_liked_holds_for_every_candidate_source(ml100k_assistant, text, refused):
    """"Like X" adds candidates that share X's people or studio (KG) and what the scorer ranks for X; the refusal
    holds for them as for the vector search (When Harry Met Sally had come in as a comedy after "not a comedy")."""
    a = ml100k_assistant
    r = a.respond(f"like-but-no-{refused}", text)
    assert len(r.cards) == 5
    assert not any(refused in broad_genres(a.catalog[c.item_id]) for c in r.cards), [c.title for c in r.cards]
    # the candidates behind later pages too
    for _ in range(3):
        r = a.respond(f"like-but-no-{refused}", "more")
        assert not any(refused in broad_genres(a.catalog[c.item_id]) for c in r.cards), [c.title for c in r.cards]


@pytest.mark.slow
def test_of_two_moods_nothing_suits_together_the_earlier_read_is_kept(ml100k_assistant):
    """Scary and feel-good have no film in common: the relaxation drops the later-read one only (it had dropped
    both, and "scared out of our minds ... sleep with the lights on" got Liar Liar), keeps a part only when a page
    is left, and says what it left out."""
    from catalog.facets import mood_ok
    from tools import search_items
    from tools.state import SessionState

    a = ml100k_assistant
    for moods in (["scary", "feel_good"], ["feel_good", "scary"]):
        ctx = a._ctx(SessionState("open-two-moods-" + moods[0]))
        res = search_items.run(ctx, search_items.SearchItemsArgs(moods=moods, k=20))
        assert res.ok and len(res.ids) == 20 and ctx.relaxed == moods[1:], (moods, ctx.relaxed)
        assert all(mood_ok(a.catalog[i], moods[0]) for i in res.ids)
        label = "feel-good" if moods[1] == "feel_good" else "scary"
        assert any(n.endswith(f"so I left out {label}") for n in ctx.notes), ctx.notes
    r = a.respond("open-two-moods", "we want to be scared out of our minds, the kind where you sleep with the lights on")
    assert len(r.cards) == 5 and all(mood_ok(a.catalog[c.item_id], "scary") for c in r.cards), r.text


@pytest.mark.slow
def test_a_request_that_reads_as_nothing_gets_its_nearest_mood_said_as_a_stand_in(ml100k_assistant):
    """"just something cozy" had the help text; its nearest mood is used, and the reply says that it stands in for a
    word the catalog has no data on. Small talk keeps the help text. ("cozy" is now a mood example, as "cosy" was:
    "comfy" is the word no example holds.)"""
    from catalog.facets import mood_ok

    a = ml100k_assistant
    r = a.respond("open-cozy", "just something comfy")
    assert len(r.cards) == 5 and all(mood_ok(a.catalog[c.item_id], "feel_good") for c in r.cards), r.text
    assert "no data on \u201ccomfy\u201d" in r.text and "feel-good films instead" in r.text
    for chat in ("hello", "thanks!", "hmm not sure"):
        r = a.respond("open-chat", chat)
        assert not r.cards, (chat, r.text)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # "none of them" after titles refuses those titles (they are seen), not the genre named before them
    ("westerns please, ive seen unforgiven and tombstone so none of those", {"genres": ["Western"], "not_genres": []}),
    ("romcoms and musicals all term. anything but those two", {"not_genres": ["Comedy", "Romance", "Musical"]}),
    # a refused rating asks for the others (it had read "rated g" as for kids)
    ("no g or pg stuff, im an adult", {"rated": ["PG-13", "R", "NC-17"], "audience": ""}),
    # the time now and the time to leave ("leave at 6:20 and its 4:45 now": 95 minutes)
    ("bus goes at 9:05 and its 7:20 now, what fits", {"runtime_max": 106}),
    # quarters of an hour, minutes shy of hours, and a margin either way
    ("a thriller between an hour and a quarter and an hour and three quarters", {"runtime_min": 75, "runtime_max": 106}),
    ("something fifteen minutes short of two hours, tops", {"runtime_max": 106}),
    ("about the 100 minute mark, give or take 10", {"runtime_min": 90, "runtime_max": 111}),
])
def test_refusals_of_titles_and_ratings_and_lengths_worked_out(reader, text, expect):
    _assert_read(reader, text, expect)


@pytest.mark.slow
def test_a_terse_description_of_what_to_watch_gets_films_and_small_talk_does_not(ml100k_assistant):
    """A first message that only describes the film, with no asking word ("tiny cast, one room, all dialogue"), had the
    help text: the act classifier had learned from few such messages and called it out of scope, and a mood read by
    embedding alone does not make a request. The classifier now also learns from the open-request development sets.
    (Of eleven such messages of my own, 7 had films before and 9 now; "ugly cry material" and "courtroom stuff,
    lawyers yelling objection" still have none.)"""
    a = ml100k_assistant
    generic = [c.item_id for c in a.respond("terse-generic", "recommend something").cards]
    for n, text in enumerate(("brooding and slow, lots of silence", "tiny cast, one room, all dialogue")):
        r = a.respond(f"terse-{n}", text)
        assert len(r.cards) == 5 and [c.item_id for c in r.cards] != generic, (text, r.text)
    for chat in ("cheers mate", "who built this thing", "what is the capital of peru", "nah im good"):
        r = a.respond("terse-chat", chat)
        assert not r.cards, (chat, r.text)


@pytest.mark.slow
def test_a_first_request_of_which_nothing_could_be_read_gets_the_help_naming_its_words_not_the_generic_list(ml100k_assistant):
    """A first message that describes what it wants in four or more words, none of which could be read, had the list
    "recommend something" gets (once the act classifier called it a request): it gets the help, naming the words,
    instead. A request without a description, or after cards were shown, still gets films."""
    a = ml100k_assistant
    r = a.respond("unread-1", "my cat just died and i need a distraction from everything going on")
    assert not r.cards and "I could not match \u201ccat died distraction everything\u201d" in r.text, r.text
    assert "Try:" in r.text
    assert len(a.respond("unread-2", "what should i watch tonight?").cards) == 5
    assert len(a.respond("unread-3", "surprise me with a film i would never pick myself").cards) == 5  # three words
    a.respond("unread-4", "a western")
    r = a.respond("unread-4", "my cat just died and i need a distraction from everything going on")
    assert "I could not match" not in r.text, r.text


@pytest.mark.slow
def test_the_act_classifier_learns_every_open_request_dev_set_and_no_held_out_one(reader):
    """acts.jsonl holds each development request of tests/data/open_requests (masked as the ML-100K linker masks it:
    a stale file fails here) and none of the held-out ones, not even one a development split repeats."""
    from assistant.dialogue.classifier import training_rows

    def texts(pattern: str) -> set[str]:
        return {c["text"] for f in sorted((ROOT / "tests/data/open_requests").glob(pattern))
                for c in map(json.loads, f.read_text().splitlines()) if c.get("text")}

    def masked(texts: set[str]) -> set[str]:
        return {reader.linker.link(t).masked(t) for t in texts}

    rows = {r["masked"] for r in training_rows() if r["source"] == "open_dev"}
    held_texts = texts("heldout*.jsonl")
    # a development request written word for word as a held-out one (dev2's D059) is left out too
    assert texts("dev*.jsonl") & held_texts
    dev, held = masked(texts("dev*.jsonl") - held_texts), masked(held_texts)
    assert len(rows) >= 700 and rows == dev, ("acts.jsonl is stale (a dev split or the linker changed): "
                                              "run .venv/bin/python bench/build_act_data.py")
    assert not rows & (held - dev)


@pytest.mark.slow
def test_replies_apply_the_open_part_and_say_what_they_applied(ml100k_assistant):
    a = ml100k_assistant
    cat = a.catalog
    from catalog.facets import runtime

    r = a.respond("open-1", "something short for my 6 year old")
    assert r.cards and all(kids_ok(cat[c.item_id]) and runtime(cat[c.item_id]) < 100 for c in r.cards)
    assert "for kids" in r.text and "under 100 minutes" in r.text and "have a known runtime" in r.text
    generic = {c.item_id for c in a.respond("open-generic", "recommend something").cards}
    r = a.respond("open-2", "I want to cry tonight")
    assert r.cards and {c.item_id for c in r.cards} != generic
    assert all(mood_ok(cat[c.item_id], "sad") for c in r.cards) and "moving picks (Drama/Romance" in r.text
    r = a.respond("open-3", "classic black and white films")
    assert "I have no data on \u201cblack and white\u201d" in r.text and "before 1960" in r.text
    assert r.cards and all(cat[c.item_id].year < 1960 for c in r.cards)
    r = a.respond("open-4", "anything with Tom Hanks except Forrest Gump")
    gump = a.linker.link_title("Forrest Gump")[0]
    assert r.cards and gump not in {c.item_id for c in r.cards}
    assert all("Tom Hanks" in cat[c.item_id].cast + cat[c.item_id].directors + cat[c.item_id].writers for c in r.cards)
    r = a.respond("open-5", "spielberg films i haven't seen, i've seen jaws and e.t.")
    seen = set(a.profile("open-5")["seen"])
    assert len(seen) == 2 and not seen & {c.item_id for c in r.cards}
    assert all("Steven Spielberg" in cat[c.item_id].directors + cat[c.item_id].writers + cat[c.item_id].cast
               for c in r.cards)
    r = a.respond("open-6", "a heist movie")
    assert "read \u201cheist\u201d as the Crime genre" in r.text and all("Crime" in c.genres for c in r.cards)
    r = a.respond("open-7", "pg movies only")
    assert r.cards and all(cat[c.item_id].attributes.get("rated") in ("G", "GP", "PG") for c in r.cards)
    assert "rated G or PG" in r.text and "have an MPAA rating" in r.text
    r = a.respond("open-oscars", "films that won at least 4 oscars")
    assert r.cards and all(int(cat[c.item_id].attributes["oscars"]) >= 4 for c in r.cards)
    assert "that won at least 4 Oscars" in r.text
    r = a.respond("open-oscars", "more")  # the count stays with the request
    assert r.cards and all(int(cat[c.item_id].attributes["oscars"]) >= 4 for c in r.cards)
    r = a.respond("open-8", "horror movie but nothing from the eighties")
    assert r.cards and all("Horror" in c.genres and cat[c.item_id].decade != "1980s" for c in r.cards)
    assert "nothing from the 1980s" in r.text
    r = a.respond("open-8", "more")  # the refusal stays with the request
    assert r.cards and all(cat[c.item_id].decade != "1980s" for c in r.cards)
    r = a.respond("open-9", "not in the mood for anything with bruce willis or arnold")
    people = lambda c: cat[c.item_id].cast + cat[c.item_id].directors + cat[c.item_id].writers  # noqa: E731
    assert r.cards and not any({"Bruce Willis", "Arnold Schwarzenegger"} & set(people(c)) for c in r.cards)
    assert "nothing with Bruce Willis, Arnold Schwarzenegger" in r.text
    # an item with no people data cannot be shown to be free of them: left out, and said
    assert all(people(c) for c in r.cards) and "no cast or crew data are left out" in r.text
    r = a.respond("open-13", "jack nicholson movies, seen cuckoos nest and the shining tho")
    assert r.cards and not {"One Flew Over the Cuckoo's Nest (1975)", "Shining, The (1980)"} & {
        cat[c.item_id].display_title for c in r.cards}
    r = a.respond("open-12", "oscar winning dramas")  # award words rank by wins, not only filter
    wins = [cat[c.item_id].attributes.get("oscars") or 0 for c in r.cards]
    assert r.cards and min(wins) >= 1 and sum(wins) / len(wins) > 2
    r = a.respond("open-15", "a baseball movie from the 80s")  # a subject is read as sports, and said
    assert r.cards and all("Sport" in all_genres(cat[c.item_id]) for c in r.cards)
    assert "I have no data on \u201cbaseball\u201d" in r.text and "sports films instead" in r.text
    r = a.respond("open-16", "a thriller but no kidnapping stuff")  # a refused subject is said, not dropped
    assert r.cards and "I have no data on \u201ckidnapping\u201d" in r.text
    # asked, nothing readable: say what, and ask which years (the words that date it are no search words)
    r = a.respond("open-10", "what came out the year the old bridge opened")
    assert not r.cards and ("I could not match \u201cbridge opened\u201d" in r.text
                            or "Which years should the films be from?" in r.text) and "matching" not in r.text
    # a year named by a widely known event is that year; the personal aside around it is not a query
    r = a.respond("open-10b", "what came out the year mandela walked free? my grandad still talks about it")
    assert r.cards and all(cat[c.item_id].year == 1990 for c in r.cards) and "from 1990" in r.text
    r = a.respond("open-11", "anything from after titanic came out?")  # a title that dates the request
    assert r.cards and all(cat[c.item_id].year >= 1998 for c in r.cards)
    r = a.respond("open-14", "any good sports movies?")
    assert len(r.cards) == 5 and all("Sport" in all_genres(cat[c.item_id]) for c in r.cards)
    assert "sports picks (Sport by genre)" in r.text


def test_the_checker_rejects_claims_the_constraints_do_not_guarantee(tiny_dataset):
    from assistant.dialogue.entities import EntityLinker
    from assistant.dialogue.nlg import Card, FactSheet, check
    from tools.state import Request

    linker = EntityLinker(tiny_dataset)
    cat = tiny_dataset.catalog

    def problems(text, **request):
        sheet = FactSheet("recommend", request=Request(**request))
        return check(text, sheet.allowed(cat), linker)

    assert problems("Here are some classic black and white films you might enjoy.")
    assert problems("These might be a bit scary.", moods=["sad"])
    assert problems("Here are some movies that don't involve Harrison Ford.", people=["Harrison Ford"])
    assert problems("Some short picks for a quick evening.")
    assert not problems("Here are some feel-good picks for a cosy evening.", moods=["feel_good"])
    assert not problems("Short picks for you.", runtime_max=90)
    assert not problems("Some acclaimed classics.", qualities=["classic"])
    assert not problems("Here are some picks without any horror.", not_genres=["Horror"])
    # a refused genre or decade said as if the picks had it (dev9 with --llm: "comedies from the 1990s that don't
    # involve Meg Ryan" for "not the 90s ones"); said as refused, it passes
    assert problems("Here are some comedies from the 1990s.", not_decades=["1990s"])
    assert problems("Some no-romance 90s picks.", not_decades=["1990s"], not_genres=["Romance"])
    assert problems("A few horror gems for tonight.", not_genres=["Horror"])
    assert not problems("Here are some picks, nothing from the 1990s.", not_decades=["1990s"])
    assert not problems("Some no-romance, horror-free picks.", not_genres=["Romance", "Horror"])
    # a hyphenated refusal negates only its own word (dev10 with --llm: "no-action comedies" for "anything but action")
    assert problems("Here are some no-action comedies you might enjoy.", not_genres=["Action"])
    assert not problems("Here are some picks with no comedies at all.", not_genres=["Comedy"])
    # genres asked with "or": one of them alone is not guaranteed (dev13 with --llm: "comedies from 1989" above
    # dramas or comedies); a genre every item needs still is
    assert problems("Here are some comedies from the list.", genres=["Drama", "Comedy"], any_of=["genres"])
    assert not problems("Here are some comedies.", genres=["Comedy"])
    assert not problems("Here are some comedies.", genres=["Comedy", "Romance", "Drama"], any_of=["genres"],
                        core_genres=["Comedy"])

    # years: a year the request or a liked title holds is a fact, but said of the picks it must be their year
    def year_problems(text, cards, **request):
        sheet = FactSheet("recommend", request=Request(**request),
                          cards=[Card(i, cat[i].display_title, cat[i].year, 1.0) for i in cards])
        return [p for p in check(text, sheet.allowed(cat), linker) if "years do not bear out" in p]

    assert year_problems("Here are some picks from 1977.", ["starwars", "empire"], year_min=1977)  # 1977 on, not 1977
    assert not year_problems("Here are some picks from 1977 on.", ["starwars", "empire"], year_min=1977)
    assert year_problems("Some great 1979 and 1982 films.", ["starwars", "empire"], references=["alien", "blade"])
    assert not year_problems("Some 1977-1980 favourites.", ["starwars", "empire"], year_min=1977, year_max=1980)
    assert not year_problems("Because you liked Alien (1979), here are two picks.", ["starwars", "empire"],
                             references=["alien"])
    assert year_problems("Two picks made before 1980.", ["starwars", "empire"], year_max=1980)
    # a year a few words before what it describes (dev10 ML-1M with --llm: "picks in the 1997 Sci-Fi genre")
    assert year_problems("Here are some Sci-Fi picks in the 1977 Sci-Fi genre.", ["starwars", "empire"])
    assert not year_problems("Here are some picks in the 1977 to 1980 range.", ["starwars", "empire"])


@pytest.mark.slow
def test_cli_search_takes_the_facet_flags(paths):
    env = {**os.environ, "RECASSIST_HOME": str(paths.home)}
    env.pop("RECASSIST_CHROMA_URL", None)
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "space adventure", "--rated", "PG",
                        "--max-runtime", "130", "--acclaimed", "-k", "5", "--json"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert len(got) == 5 and "only 375 of 1682 titles have an MPAA rating" in r.stderr
    from catalog import load_dataset_by_name

    cat = load_dataset_by_name("ml-100k", paths).catalog
    for g in got:
        a = cat[g["item_id"]].attributes
        assert a["rated"] == "PG" and a["runtime_min"] < 130 and a["critic_rating"] >= 7
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "epic", "--min-oscars", "3", "-k", "5", "--json"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert all(int(cat[g["item_id"]].attributes["oscars"]) >= 3 for g in json.loads(r.stdout))
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "x", "--mood", "happy"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "unknown mood 'happy'" in r.stderr


def test_a_descriptive_phrase_is_not_a_title():
    """ML-1M has films called "Black and White" and "Road Trip": written as a description, they are words."""
    from assistant.dialogue.entities import EntityLinker
    from catalog.types import Dataset
    from tests.conftest import TINY_ITEMS, tiny_interactions

    items = list(TINY_ITEMS) + [Item(id="bw", title="Black and White", year=1999, genres=("Drama",)),
                                Item(id="rt", title="Road Trip", year=2000, genres=("Comedy",))]
    cat = Catalog(items)
    linker = EntityLinker(Dataset("t", cat, tiny_interactions(Catalog(TINY_ITEMS)), {}))
    for text in ("any good black and white films?", "a good road trip movie from the 80s", "comedies in black and white"):
        e = linker.link(text).entities
        assert not e.titles(), (text, e.titles())
    assert linker.link("I loved Road Trip").entities.liked == ["rt"]
    assert linker.link("something like black and white").entities.reference == ["bw"]


@pytest.mark.slow
def test_loose_person_matching_leaves_ordinary_words_alone(ml100k_assistant):
    """Nicknames, typos and bare surnames link people ("sam jackson", "morgan freemen", "buscemi"), but a
    description made of ordinary words never becomes a person."""
    linker = ml100k_assistant.linker
    for text in ("a film about a young boy", "anything with a strong female lead", "crime movies with a great story",
                 "a western with horses and guns", "stuff with lots of explosions", "scary movies with ghosts",
                 "movies with robots or aliens", "something with stone", "the godfather or goodfellas"):
        assert linker.people_in(text, set()) == [], text
    assert [p for _, _, p in linker.people_in("spielburg films", set())] == ["Steven Spielberg"]


@pytest.mark.slow
def test_a_surname_and_a_first_name_near_it_pick_one_person(reader):
    """A shared surname, then after a stop the first name that picks one bearer ("douglas... michael not kirk"),
    initials written together ("jt walsh"), and one typo in a short surname after an exact first name ("meg rian")."""
    from assistant.dialogue.nlu import Context

    for text, want in (("douglas... michael not kirk", ["Michael Douglas"]), ("jt walsh films", ["J. T. Walsh"]),
                       ("meg rian movies", ["Meg Ryan"]), ("thrillers w/ paxton. bill, the late one", ["Bill Paxton"])):
        u = reader.understand(text, Context())
        assert u.act == "recommend" and u.entities.people == want, (text, u.entities.people)
    assert reader.understand("keaton michael", Context()).entities.people == []  # reversed without a stop: no
    u = reader.understand("keaton... michael not diane lol", Context())
    assert u.entities.people == ["Michael Keaton"] and u.entities.not_people == ["Diane Keaton"]
    # an ordinary word is no misspelt title ("american" is not "Lamerica"), nor a country right after a title cue
    u = reader.understand("loved american beauty, more like that", Context())
    assert not u.entities.liked and not u.entities.countries
    # a possessive phrase of ordinary words is a person in the user's life, not a title
    u = reader.understand("my best friend just got dumped, anything but a love story", Context())
    assert not (u.entities.reference or u.entities.liked) and u.entities.not_genres == ["Romance"]


@pytest.mark.slow
def test_one_genre_and_any_of_two_others(ml100k_assistant):
    """"romance but with some action or adventure": every card is a romance, and each is also action or adventure;
    the reply says it that way, and "more" keeps it."""
    a = ml100k_assistant
    sid = "open-core-genres"
    shown = []
    for text in ("romantic films but with some action or adventure in them", "more"):
        r = a.respond(sid, text)
        assert len(r.cards) == 5, r.text
        for c in r.cards:
            g = set(a.catalog[c.item_id].genres)
            assert "Romance" in g and g & {"Action", "Adventure"}, (c.title, g)
        shown += [c.item_id for c in r.cards]
    assert len(set(shown)) == 10
    assert "Romance with Action or Adventure" in a.respond("open-core-genres-2", "romance but with action or adventure").text
    # the tool: the core genre is part of each any-of search
    from tools import search_items
    from tools.state import SessionState

    ctx = a._ctx(SessionState("open-core-tool"))
    res = search_items.run(ctx, search_items.SearchItemsArgs(genres=["Comedy", "Crime", "Romance"], any_genre=True,
                                                             core_genres=["Comedy"], k=50))
    assert res.ok and res.ids
    assert all("Comedy" in a.catalog[i].genres and {"Crime", "Romance"} & set(a.catalog[i].genres) for i in res.ids)


def test_several_moods_are_said_as_one_set_of_genres():
    """Two moods are applied together (an item needs one genre of each and none either works against): the reply
    says that once, without listing a genre some mood refuses, and without a group the named genre already meets."""
    from assistant.dialogue.nlg import describe
    from tools.state import Request

    pre, post = describe(Request(genres=["Sci-Fi"], moods=["calm", "mind_bending"]), catalog=None)
    assert pre == ["calm, mind-bending", "Sci-Fi"]
    phrase = post[-1]
    assert phrase == ("(Romance/Animation/Documentary/Drama by genre, "
                      "no Horror/Thriller/Action/War/Crime/Film-Noir/Children's/Musical/Comedy/Family)")
    # the phrase says what the filter does: every catalog item it describes passes both moods, and the reverse
    items = [item(0, ("Drama", "Sci-Fi")), item(1, ("Comedy", "Sci-Fi")), item(2, ("Sci-Fi", "Action")),
             item(3, ("Sci-Fi",)), item(4, ("Romance", "Sci-Fi"))]
    groups, avoid = phrase[1:-1].split(" by genre, no ")
    for it in items:
        said = bool(set(it.genres) & set(groups.split("/"))) and not set(it.genres) & set(avoid.split("/"))
        assert said == (mood_ok(it, "calm") and mood_ok(it, "mind_bending")), it.genres
    # one mood: its own genres; a named genre that meets it leaves only the refusals
    assert describe(Request(moods=["funny"]), None)[1] == ["(Comedy by genre, no Horror/War)"]
    assert describe(Request(genres=["Comedy"], moods=["funny"]), None)[1] == ["(no Horror/War)"]
    # with "or" between named genres, none of them meets the mood's group on its own
    assert "Comedy by genre" in describe(Request(genres=["Comedy", "Horror"], any_of=["genres"], moods=["funny"]),
                                         None)[1][-1]


def test_refusals_are_said_after_what_was_applied():
    """"picks no Horror rated G or PG" reads as a refusal of the rating (the claim detector read it so): the
    refusals come last, after "and"."""
    from assistant.dialogue.nlg import describe
    from tools.state import Request

    pre, post = describe(Request(not_genres=["Horror", "War"], audience="clean"), catalog=None)
    assert post == ["rated G or PG, or a children's/family film; no horror", "and no Horror/War"]
    assert describe(Request(not_genres=["Horror"]), catalog=None)[1] == ["no Horror"]  # nothing before it: no "and"


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # a mood refused is never asked for, also when other words read as it ("a bundle of nerves" is near "nerve-wracking")
    ("i'm a nervous wreck, help me calm down, nothing tense please", {"moods": ["calm"]}),
    # a mood whose own phrase holds the refusal is asked for: "nothing too heavy" is light
    ("we want a movie tonight but nothing too heavy", {"moods": ["light"], "not_genres": []}),
    # "<title> vibes", "<title>-esque": the title is a reference, not a seen or liked title
    ("something with big lebowski vibes", {"reference": ["Big Lebowski, The (1998)"], "seen": []}),
    ("anything jaws-esque?", {"reference": ["Jaws (1975)"]}),
    # satire and spoofs are comedies
    ("a political satire", {"genres": ["Comedy"]}),
    ("spoof movies", {"genres": ["Comedy"]}),
    # a crowd asked for in chat spelling
    ("a film everybody's gonna enjoy", {"qualities": ["crowd_pleaser"]}),
    # violence refused after the fact ("... upsets him"), in more words
    ("gun fights really upset my mum", {"audience": "no_adult", "not_genres": ["Horror", "War", "Crime", "Thriller", "Action"]}),
    # a kind of film dismissed as for little children is refused
    ("my son says animated movies are for babies now", {"not_genres": ["Animation"]}),
])
def test_refusals_references_and_kinds_in_other_words(reader, text, expect):
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context())
    for k, v in expect.items():
        got = getattr(u.entities, k)
        if k in ("reference", "seen"):  # item ids, compared by title
            got = [reader.linker.catalog[i].display_title for i in got]
        assert got == v, (text, k, got)


@pytest.mark.slow
def test_a_season_before_vibes_is_no_title_and_a_refused_sugarcoating_refuses_no_genre(reader):
    from assistant.dialogue.nlu import Context

    e = reader.understand("something cosy with autumn leaves and fall vibes", Context()).entities
    assert e.reference == [] and e.seen == []  # Fall (1997) is little known: "fall" is the season
    e = reader.understand("gritty crime, don't sugarcoat it", Context()).entities
    assert "Comedy" not in e.not_genres and "feel_good" not in e.moods


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    ("any good westerns movies out there", {"qualities": ["well_reviewed"]}),  # "good" before the kind of film
    ("feel good movies", {"qualities": [], "moods": ["feel_good"]}),
    ("a drama that follows one family across three generations", {"genres": ["Drama"]}),  # the family is the subject
    ("a family film for tonight", {"genres": ["Children's"]}),
    ("grandpa loves a sing-song", {"genres": ["Musical"]}),
])
def test_good_before_a_kind_of_film_a_family_as_subject_and_sing_songs(reader, text, expect):
    _assert_read(reader, text, expect)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # one word is no mood when it is near a mood only as a word of a longer example ("good vibes", "feel-good")
    ("a remote island town. jaws vibes please", {"reference": ["Jaws (1975)"], "moods": []}),
    ("feeling like a western", {"genres": ["Western"], "moods": []}),
    ("good vibes only tonight", {"moods": ["feel_good"]}),  # the example itself still reads
    ("need a pick-me-up", {"moods": ["feel_good"]}),  # so does an example written as one hyphenated word
    # a refusal reaches over the words it already refused: "silly" and "goofy" are both refused
    ("not some silly goofy thing, something smart", {"moods": []}),
    # an ordinal with no cards shown points at no card
    ("first snow of the winter, anything cozy?", {"cards": []}),
    # one word that opens one title, after a seen cue: that title
    ("i've seen apollo and schindler, what else", {"seen": ["Schindler's List (1993)", "Apollo 13 (1995)"]}),
    # a common word listed beside a genre is a topic, not a title ("Aliens")
    ("he's into horror and aliens", {"genres": ["Horror"], "liked": [], "unmatched": ["aliens"]}),
    # space is science fiction, said back as read (once, for the longer phrase)
    ("something set in outer space", {"genres": ["Sci-Fi"], "read_as": [("outer space", "Sci-Fi")]}),
    # something scary for someone who scares easily: the milder scary films, not none
    ("a spooky ghost film for my sister, she scares easily", {"moods": ["scary"], "not_genres": [],
                                                              "rated": ["G", "GP", "PG", "PG-13"]}),
    # genres named apart are a list (any of them when none has all), a compound is one film
    ("my brother wants westerns and my sister wants sci-fi", {"genres": ["Western", "Sci-Fi"], "listed": ["genres"]}),
    ("a sci-fi western", {"genres": ["Sci-Fi", "Western"], "listed": []}),
    # a genre named twice, then an "or" run: the twice-named one is needed beside either of the others
    ("something romantic. romance with a mystery or western twist", {"core_genres": ["Romance"]}),
    # an ordinary word with a suffix is no typo of a surname ("campy" is not Colleen Camp)
    ("something campy and fun", {"people": []}),
    # a negated "more than" is an upper bound
    ("my dad will not sit through more than 100 minutes", {"runtime_max": 101, "runtime_min": None}),
    # kissing refused: the clean reading
    ("grandma is watching, so no kissing scenes", {"audience": "clean"}),
    # a refusal before a prominent person's bare surname
    ("thrillers, anything that's not hitchcock", {"genres": ["Thriller"], "not_people": ["Alfred Hitchcock"]}),
    # both decades of a refused "or" pair; "at the earliest" / "at the latest"
    ("no 70s or 80s stuff please", {"not_decades": ["1970s", "1980s"], "decades": []}),
    ("a comedy, 1950 at the earliest", {"year_min": 1950, "year_max": None}),
    ("a musical, 1965 at the latest", {"year_min": None, "year_max": 1965}),
    # a list after a colon whose clause refuses
    ("anything but the stuff my brother always picks: horror and sci-fi", {"not_genres": ["Horror", "Sci-Fi"], "genres": []}),
    # a colon or a spaced dash ends a refusal's clause: what follows is allowed
    ("no musicals: dramas are fine by me", {"genres": ["Drama"], "not_genres": ["Musical"]}),
    ("no westerns - war films are ok", {"not_genres": ["Western"], "genres": ["War"]}),
    # "recent" refused: from before the catalog's last three years (ML-100K ends in 1998), not from them
    ("a thriller, nothing too recent", {"year_min": None, "year_max": 1995}),
    # idioms for a classic
    ("a western that has stood the test of time", {"qualities": ["classic"]}),
    # "moving" as motion is no tearjerker; "nothing slow" asks for pace (calm refused reads as its opposite)
    ("put on a film to keep my feet moving on the exercise bike, nothing slow", {"moods": ["exciting"]}),
    ("a western, but nothing too slow", {"genres": ["Western"], "moods": ["exciting"]}),
    # "witty" is a kind of humour, not only praise
    ("something witty for tonight", {"moods": ["funny"]}),
    # triumph and pushing limits are inspiring
    ("a triumphant film where they push past their limits", {"moods": ["inspiring"]}),
    # the time there is ("1h20 remaining", "40 min to kill"); "left me cold" is no time left
    ("the oven says 1h20 remaining, a comedy that ends before it does", {"genres": ["Comedy"], "runtime_max": 80}),
    ("that thriller's last 20 minutes left me cold, another one?", {"runtime_max": None}),
    # a refusal phrased as what someone won't sit through bounds the years; the years given, "modern" is no direction
    ("my nan won't watch anything released after 1965, she calls it modern junk", {"year_max": 1965, "year_min": None,
                                                                                  "direction": None}),
    # events as bounds
    ("a musical from after woodstock but before elvis died", {"year_min": 1970, "year_max": 1976}),
    # lengths in words, "or more", "shorter than that", hours beside minutes
    ("a western of ninety-five minutes or under", {"genres": ["Western"], "runtime_max": 96}),
    ("a comedy of one hundred and one minutes or less", {"runtime_max": 102}),
    ("a crime epic, three hours ten or more", {"runtime_min": 190}),
    ("the projector bulb dies after 95 mins, so less than that please", {"runtime_max": 95}),
    ("a thriller between 1 hour and 1h25", {"runtime_min": 60, "runtime_max": 86}),
    ("tablet gets about 1h50 of playback on a charge", {"runtime_max": 111, "runtime_min": None}),
    ("something slow and old for a sunday", {"year_max": 1969}),
    # a typo of a long genre word; an ordinary word near one is none
    ("any good documantaries?", {"genres": ["Documentary"]}),
    ("an eastern european drama", {"genres": ["Drama"]}),
    # boxing day is a holiday, not a boxing film
    ("what should we put on this boxing day", {"unmatched": [], "moods": []}),
    # a lowercase title after "i'm" is how the user is ("im home alone tonight"), not the film
    ("im home alone tonight, something scary", {"reference": [], "liked": [], "genres": ["Horror"]}),
    # kids as company in a refusal are no audience and no genre; "bored by" refuses
    ("a thriller i could never put on with the kids around", {"audience": "", "genres": ["Thriller"]}),
    ("she is bored to tears by kids films, any fantasy?", {"not_genres": ["Children's"], "genres": ["Fantasy"]}),
    # topics the data lacks stand in as their genre; gore is scary; highbrow is acclaimed
    ("something with a submarine", {"genres": ["War"], "unmatched": ["submarine"]}),
    ("a good hitman flick", {"genres": ["Crime"]}),
    ("something gory for tonight", {"moods": ["scary"]}),
    # a refused word of a mood's own refusing phrase asks for that mood, before its opposite is considered
    ("put a film on for tonight, zero slow bits", {"moods": ["exciting"]}),
    ("something highbrow", {"qualities": ["acclaimed"]}),
    # a PG-13 ceiling said outright decides over an age
    ("my niece is 10 and nothing above pg-13 is allowed", {"audience": "no_adult"}),
    # not the blockbusters: lesser-known films
    ("90s comedies, but not the blockbusters", {"qualities": ["hidden_gem"]}),
    # a span measured from a period's end or start
    ("dramas from the five years after the second world war", {"year_min": 1946, "year_max": 1950}),
    ("a film from the decade before ww1", {"year_min": 1904, "year_max": 1913}),
    # from a birth year through the first years of a life (and those words point at no card)
    ("i was born in 1962 - westerns from the first four years of my life", {"year_min": 1962, "year_max": 1965,
                                                                           "cards": []}),
])
def test_mood_words_refusals_ordinals_and_topics(reader, text, expect):
    _assert_read(reader, text, expect)


@pytest.mark.slow
@pytest.mark.parametrize("text, act, expect", [
    # a message that opens by refusing a mood asks for films without it (the act classifier had said out of scope)
    ("nothing heavy", "recommend", {"moods": ["light"]}),
    ("nothing too grim tonight", "recommend", {"moods": ["feel_good"]}),
    ("no thanks", "out_of_scope", {"moods": []}),
    # "already" before a verb starts no list of seen titles ("knows" had been an unknown title)
    ("80s movies but not the blockbusters everyone already knows", "recommend",
     {"unknown_titles": [], "decades": ["1980s"]}),
    ("westerns my brother already loves, which else", "recommend", {"unknown_titles": [], "genres": ["Western"]}),
    ("already watched Avatar", "feedback", {"unknown_titles": ["Avatar"]}),
    # a mum or a dad alone is no audience; watching with one's parents still is
    ("fathers day movie for my dad", "recommend", {"audience": ""}),
    ("watching with my parents, something funny", "recommend", {"audience": "no_adult", "genres": ["Comedy"]}),
    # a lowercase "fathers day" without a cue is the day, not the film Fathers' Day or a word for the query
    ("its fathers day and dad wants a western", "recommend", {"reference": [], "genres": ["Western"], "query": ""}),
    ("something like fathers day", "recommend", {"reference": ["Fathers' Day (1997)"]}),
    # "like 58 to 69" after an era is a span of years, not a film the catalog lacks (the act classifier then read
    # the message as feedback on that film)
    ("new wave stuff please, like 58 to 69, when the rules broke", "recommend",
     {"unknown_titles": [], "year_min": 1958, "year_max": 1969}),
])
def test_short_refusals_verbs_after_already_and_a_parent_read_as_said(reader, text, act, expect):
    _assert_read(reader, text, expect, act)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # refusal verbs: "banned", "skip ... and anything from": the refusal goes on over the list
    ("action films, but my flatmate has banned arnold schwarzenegger", {"not_people": ["Arnold Schwarzenegger"]}),
    ("thrillers - skip alfred hitchcock and anything from the seventies", {"not_people": ["Alfred Hitchcock"],
                                                                     "not_decades": ["1970s"], "decades": []}),
    # a threat if it is one refuses it
    ("a comedy, my brother will walk out if its a musical", {"genres": ["Comedy"], "not_genres": ["Musical"]}),
    # one kind of a genre refused keeps the genre asked for
    ("a western please, just not a spaghetti western", {"genres": ["Western"], "not_genres": [],
                                                        "unmatched": ["spaghetti western"]}),
    ("not a romantic comedy, just a comedy", {"genres": ["Comedy"], "not_genres": ["Romance"]}),
    # a decade word after a bound is a bound; "clean shaven" is no audience
    ("horror made before the eighties", {"year_max": 1979, "decades": []}),
    ("war films after the seventies where nobody is clean shaven", {"year_min": 1980, "audience": ""}),
    # a ceiling on the rating said outright; a length "mark"; a range with its first bound in words
    ("our scout leader says nothing above pg", {"rated": ["G", "GP", "PG"]}),
    ("nothing past the 95 minute mark", {"runtime_max": 96}),
    ("eighty to a hundred and ten mins", {"runtime_min": 80, "runtime_max": 111}),
    # ages in words after "theyre"; the older ones are people, not older films
    ("watching the twins tonight, theyre seven", {"audience": "kids"}),
    ("the older kids want something funny", {"direction": None}),
    # the time there is, worked out from clock times, a named span that is cut, or parts
    ("it starts at 7:40 and has to be over by 9", {"runtime_max": 81}),
    ("double feature tonight, doors at 6:30, out by 10, with a 20 min interval", {"runtime_max": 96}),
    ("a 3 hour flight but i need 30 min to sleep at the end", {"runtime_max": 151}),
    ("an hour layover, and i need ten mins to get to the gate", {"runtime_max": 51}),
    ("three 40 min lunch breaks, minus 10 min each to eat", {"runtime_max": 91}),
])
def test_refusal_verbs_kinds_of_a_genre_bounds_and_worked_out_time(reader, text, expect):
    _assert_read(reader, text, expect)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # a thing or a kind of character a film has: no data, said back
    ("any films w a talking parrot in them", {"unmatched": ["talking parrot"]}),
    ("a drama with a blind character", {"unmatched": ["blind character"], "genres": ["Drama"]}),
    ("a thriller with actual science in it", {"unmatched": [], "moods": ["mind_bending"]}),  # a mood, not a topic
    # something the user did, not a film; "seen plenty" names no title
    ("after six weeks of jury duty i need a laugh", {"reference": [], "liked": []}),
    ("she's seen plenty, maybe a western", {"unknown_titles": [], "genres": ["Western"]}),
    # the feeling a film is to soothe is not its mood; a threatened outburst neither
    ("something to take my mind off the dread of monday", {"moods": ["feel_good"]}),
    # a mood asked outright wins over the opposite of a refused one; a comma before an asking word ends a refusal
    ("big loud chaotic action energy, no feelings", {"moods": ["exciting"], "not_genres": ["Drama", "Romance"]}),
    # an opposite that shares genres with the mood asked stays ("no explosions" beside a thoughtful film: calm too)
    ("something introspective, no explosions", {"moods": ["calm", "thoughtful"]}),
    ("mind-bending sci fi, no explosions", {"moods": ["mind_bending"], "not_genres": ["Action", "Adventure"]}),
    ("nothing sad, something exciting", {"moods": ["exciting"]}),
    ("nothing dark, sad or slow", {"moods": ["exciting", "upbeat"]}),  # (upbeat: feel-good with no drama either)
    # little seen, in other words
    ("westerns hardly anybody has seen", {"qualities": ["hidden_gem"]}),
    # "the kid" as a character is no children's film
    ("a thriller where the kid has to survive", {"genres": ["Thriller"]}),
    # a refused genre after a filler word is the genre refused
    ("ghost stories, just not actual horror", {"not_genres": ["Horror"], "unmatched": []}),
])
def test_topics_in_a_film_feelings_to_soothe_and_refusals_that_end(reader, text, expect):
    _assert_read(reader, text, expect)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # a film set somewhere: the country it was made in stands in, and the reply says so ("over there": the one named)
    ("anything set in italy?", {"countries": ["Italy"], "unmatched": ["set in italy"]}),
    ("my sister just moved to france, something set over there", {"countries": ["France"],
                                                                  "unmatched": ["set in france"], "moods": []}),
    # a hidden gem's own critic bar is the quality asked ("but actually good" adds no second one)
    ("comedies nobody remembers but are actually good", {"qualities": ["hidden_gem"]}),
    # the user takes back what came before
    ("horror? no wait, my mum is watching too. a comedy from the 80s", {"genres": ["Comedy"], "decades": ["1980s"]}),
    # a refused lowercase title of the named person's films is that film; a film that once gave nightmares is no mood
    ("jack nicholson but not the shining, it gave me nightmares", {"excluded": ["Shining, The (1980)"],
                                                                    "moods": [], "unmatched": []}),
    # what would cause an outburst is refused, and said as no data; a first PG-13 film is a PG-13 film
    ("if i see one more surgeon ill scream. something light", {"unmatched": ["surgeon"], "moods": ["light"]}),
    ("his first real pg-13 film, hes turning 13", {"rated": ["PG-13"]}),
])
def test_set_in_a_country_corrections_and_a_refused_film_of_a_person(reader, text, expect):
    _assert_read(reader, text, expect)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # a complaint about the cards on screen refuses what it names
    ("ugh way too bleak. lighter?", {"moods": ["light"], "genres": []}),
    ("this is all too scary tbh", {"moods": ["feel_good"], "genres": []}),
    # "too long" / "too old": the other way than the cards, not a long or an old film
    ("hmm these all seem too long", {"direction": "shorter", "runtime_min": None, "runtime_max": None}),
    ("bit too old for me", {"direction": "newer", "year_min": None, "year_max": None}),
    # a number said is the bound, whatever "too" says
    ("too long, nothing over 95 mins", {"runtime_max": 96}),
    # the length without a number is relative to the cards, and no query word
    ("a longer one maybe?", {"direction": "longer", "runtime_min": None, "query": ""}),
    # an age without a number too: newer than the cards, not the fixed "recent films"
    ("got any more recent ones?", {"direction": "newer", "year_min": None, "year_max": None}),
])
def test_follow_up_complaints_and_comparisons_with_cards_on_screen(reader, text, expect):
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context(n_cards=5, has_request=True))
    for k, v in expect.items():
        assert getattr(u.entities, k) == v, (text, k, getattr(u.entities, k))
    assert u.act in ("refine", "critique", "replace"), (text, u.act)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # a word and its opposite sit close in the embedding space: "high stakes" is not "low stakes" (light)
    ("card sharks, high stakes, everyone bluffing", {"moods": ["tense"]}),
    ("a slow, quiet drama", {"genres": ["Drama"], "moods": ["calm"]}),
    # a word right after a refusal is no taste for the stand-in mood ("bad" is not scary)
    ("something where nobody has a bad time, all sunshine", {"moods": ["feel_good"]}),
    # a refusal after the word, and skip / avoid before it
    ("westerns are out, and war films are a no-go. something from the 70s", {"not_genres": ["War", "Western"],
                                                                            "genres": []}),
    ("comedy, but skip anything raunchy", {"genres": ["Comedy"], "qualities": [], "audience": "clean"}),
    ("a thriller, avoid anything gory", {"genres": ["Thriller"], "audience": "no_adult"}),
    ("my mum cant read subtitles, something funny", {"languages": ["English"], "unmatched": []}),
    ("spanish-language dramas", {"languages": ["Spanish"], "genres": ["Drama"], "query": ""}),
    ("hong kong action films", {"countries": ["Hong Kong"], "genres": ["Action"], "query": "", "people": []}),
    ("must-watch sci-fi", {"qualities": ["acclaimed"], "genres": ["Sci-Fi"]}),
    ("something long to kill the time on a night shift", {"runtime_min": 150}),
    # said to the children, not a children's film asked for
    ("night kids! ok, now a grown-up thriller", {"genres": ["Thriller"]}),
])
def test_open_words_read_the_way_they_are_meant(reader, text, expect):
    _assert_reads(reader, text, expect)


def _assert_reads(reader, text: str, expect: dict) -> None:
    """Each entity field in `expect` is read from `text` as given (lists compared sorted)."""
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context())
    for k, v in expect.items():
        got = getattr(u.entities, k)
        assert (sorted(got) if isinstance(got, list) else got) == v, (text, k, got)


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # what follows "no wait" / "no actually" replaces what it names; the rest of the message still holds
    ("comedies from the 80s. no wait, thrillers", {"genres": ["Thriller"], "decades": ["1980s"]}),
    ("tom hanks films, nothing over 2 hours. oh wait, make it meg ryan", {"people": ["Meg Ryan"], "runtime_max": 121}),
    ("a musical. no actually, a western", {"genres": ["Western"]}),
    # a year written in the correction replaces the earlier years, even one nothing reads
    ("something from the 70s, oh wait, i meant the one from 1968", {"decades": []}),
    ("comedies from the 80s. no wait, just the top 10 ones", {"decades": ["1980s"]}),  # a number that is no year
])
def test_a_correction_replaces_only_what_it_names(reader, text, expect):
    from assistant.dialogue.nlu import Context

    u = reader.understand(text, Context())
    for k, v in expect.items():
        assert getattr(u.entities, k) == v, (text, k, getattr(u.entities, k))


@pytest.mark.slow
@pytest.mark.parametrize("text, expect", [
    # a kind of film followed by what it does to the viewer is refused, and what else the message asks still holds
    ("westerns do nothing for me, maybe a thriller", {"not_genres": ["Western"], "genres": ["Thriller"]}),
    ("sci-fi puts my wife to sleep. a comedy?", {"not_genres": ["Sci-Fi"], "genres": ["Comedy"]}),
    ("war films make him queasy", {"not_genres": ["War"], "genres": []}),
    ("romance is not really his thing", {"not_genres": ["Romance"], "genres": []}),
    ("a drama for dad, fast action is just a blur to him", {"genres": ["Drama"], "not_genres": ["Action"]}),
    ("slow stuff bores us to death", {"moods": ["exciting"]}),
    ("anything over two hours is torture for me", {"runtime_max": 121, "runtime_min": None}),
    ("anything gory is out for her", {"audience": "no_adult"}),
    # not a kind of film: the person, the plot, a pronoun
    ("my brother says horror is fine but that makes me queasy", {"not_genres": []}),
])
def test_what_a_kind_of_film_does_to_the_viewer_refuses_it(reader, text, expect):
    _assert_reads(reader, text, expect)


@pytest.mark.slow
@pytest.mark.parametrize("text, seen, reference", [
    # the film just watched, with "what next": seen, and where the next picks start from
    ("just finished Heat, what should we watch next?", ["Heat (1995)"], ["Heat (1995)"]),
    ("we just saw Babe. now what", ["Babe (1995)"], ["Babe (1995)"]),
    # seen without asking what next, or seen long ago: only seen
    ("i've seen Heat, something else from 1995", ["Heat (1995)"], []),
    ("saw Babe years ago, what's next on your list", ["Babe (1995)"], []),
])
def test_the_film_just_watched_is_where_next_starts(ml100k_assistant, text, seen, reference):
    from assistant.dialogue.nlu import Context

    u = ml100k_assistant.nlu.understand(text, Context())
    cat = ml100k_assistant.catalog
    assert [cat[i].display_title for i in u.entities.seen] == seen, text
    assert [cat[i].display_title for i in u.entities.reference] == reference, text
    assert not u.entities.query, (text, u.entities.query)


@pytest.mark.slow
@pytest.mark.parametrize("text, year_min, year_max", [
    # a well-known event used as a date is its year
    ("a thriller from before the berlin wall fell", None, 1988),
    ("something made after elvis died", 1978, None),
    ("comedies from between the summer of love and the moon landing", 1967, 1969),
    ("whatever came out the year of the challenger disaster", 1986, 1986),
    # a film's title is no event, nor is a place alone
    ("Apollo 13 was great, more like it", None, None),
    ("a drama set in korea", None, None),
    # an event as a subject, not a date
    ("a gulf war film", None, None),
])
def test_a_well_known_event_dates_a_request(reader, text, year_min, year_max):
    from assistant.dialogue.nlu import Context

    e = reader.understand(text, Context()).entities
    assert (e.year_min, e.year_max) == (year_min, year_max), text


def _assert_reading(reader, text: str, check) -> None:
    """`check` holds for the entities read from `text` as a first message."""
    from assistant.dialogue.nlu import Context

    e = reader.understand(text, Context()).entities
    assert check(e), (text, e)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a decade of someone's films is no age ("in her 80s" is)
    ("meg ryan, just her 90s films", lambda e: e.decades == ["1990s"]),
    ("for my grandad in his 80s", lambda e: e.decades == []),
    ("bruce willis, his 90s stuff is too corny", lambda e: e.not_decades == ["1990s"] and e.decades == []),
    # fractions of hours before the unit, trips with where they go, and the time between being free and bed
    ("one and three quarter hours max", lambda e: e.runtime_max == 106),
    ("the ferry over to the island takes 1h50, something for that", lambda e: e.runtime_max == 111),
    ("home from the game by 7:15 and lights out at 9:30", lambda e: e.runtime_max == 136),
    ("we sleep after about 100 minutes of anything", lambda e: e.runtime_max == 101),
    # the user's birth year makes "older than me" a year
    ("nothing older than me, born in 1985", lambda e: e.year_min == 1985),
    # ordinary words are no names, places, rooms or weather no genres or moods
    ("found a tenner in my coat, something funny", lambda e: e.people == [] and e.genres == ["Comedy"]),
    ("got a parking space right outside, a comedy", lambda e: "Sci-Fi" not in e.genres),
    ("a shelf of old dvds at the cabin, something long", lambda e: e.qualities == []),
    ("top shelf dramas", lambda e: e.qualities == ["acclaimed"]),
    ("the pizza's gone cold, something funny", lambda e: e.moods == [] or e.moods == ["funny"]),
    # villains refused for a small child: no violent genres
    ("a cartoon for my 4yo, no bad guys please", lambda e: {"Crime", "Horror", "Thriller"} <= set(e.not_genres)),
    # no data on remakes, the fourth wall or real time: said, not silently dropped
    ("a thriller but no remakes", lambda e: e.unmatched == ["remakes"]),
    ("movies where they look straight into the camera", lambda e: e.unmatched == ["look straight into the camera"]),
    ("something told in real time", lambda e: e.unmatched == ["real time"]),
    # a person asked for and then refused: the later mention holds
    ("a drama with tom hanks. actually, no tom hanks at all", lambda e: e.people == [] and e.not_people == ["Tom Hanks"]),
])
def test_ordinary_wordings_read_as_meant(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_seen_titles_and_whats_left_is_a_request(reader):
    from assistant.dialogue.nlu import Context

    u = reader.understand("john travolta. seen grease and pulp fiction, whats left", Context())
    assert u.act == "recommend" and len(u.entities.seen) == 2 and u.entities.unknown_titles == []


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a thing refused that no data names is said, never silently dropped: where it would be ("anywhere", "on screen",
    # "in it"), at a clause's end, or as "<thing>-free"
    ("a thriller for my wife, no snakes anywhere please", lambda e: e.unmatched == ["snakes"] and e.genres == ["Thriller"]),
    ("something calm, no yappy dogs on screen", lambda e: e.unmatched == ["yappy dogs"]),
    ("an animated film, nothing with a dying pet in it", lambda e: e.unmatched == ["dying pet"] and "sad" not in e.moods),
    ("a western but no clowns, they freak me out", lambda e: e.unmatched == ["clowns"] and e.genres == ["Western"]),
    ("a comedy, clown-free please", lambda e: e.unmatched == ["clown"] and e.genres == ["Comedy"]),
    ("a musical-free evening, something funny", lambda e: e.not_genres == ["Musical"]),
    # idioms after "no" refuse no thing in a film; "stress-free" is a mood
    ("a thriller, no worries if you cant", lambda e: e.unmatched == []),
    ("a comedy. no rush.", lambda e: e.unmatched == []),
    ("something stress-free tonight", lambda e: e.unmatched == [] and e.moods == ["feel_good"]),
    # a subject refused inside the genre asked for: the genre stays, its mood's opposite is not asked for
    ("a horror, no demon or curse stuff", lambda e: e.genres == ["Horror"] and e.moods == []
     and e.unmatched == ["demon or curse"]),
    ("a drama, nothing too sad", lambda e: e.moods == ["feel_good"]),  # the mood's own word: its opposite is asked for
    # a kind of comedy the data does not mark: refused, the comedy stays and the kind is said
    ("a comedy, but no parodies", lambda e: e.genres == ["Comedy"] and e.unmatched == ["parodies"]),
    ("satires please", lambda e: e.genres == ["Comedy"] and e.read_as == [("satires", "Comedy")]),
    # a kind of film read as a mood only by likeness is said as a subject, with the mood as its stand-in
    ("ghost ship movies", lambda e: e.unmatched == ["ghost ship"] and e.stand_ins == ["scary films"]),
    ("kung fu movies", lambda e: e.unmatched == ["kung fu"] and e.moods == ["exciting"]),
    ("scary movies", lambda e: e.unmatched == []),  # a mood's own word: no subject
    ("time loop films", lambda e: e.query == "time loop"),  # said as written, not "time-loop"
])
def test_things_refused_or_asked_that_no_data_names_are_said(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, query, unused", [
    # words no item stands out for are not searched (ItemIndex.query_spread) but said as not used; my own wordings
    ("help me pick a movie for tonight", "", ["help"]),
    ("what do people usually watch on boxing day", "", ["usually"]),
    # a topic is searched
    ("submarine movies", "submarine", []),
    ("movies about poker", "poker", []),
])
def test_words_no_item_stands_out_for_are_not_searched(ml100k_assistant, text, query, unused):
    u = ml100k_assistant.nlu.understand(text)
    assert (u.entities.query, u.entities.unused) == (query, unused), u.entities
    if unused:
        r = ml100k_assistant.respond(f"filler-{text[:12]}", text)
        assert len(r.cards) == 5 and "matching" not in r.text and f"could not use \u201c{unused[0]}\u201d" in r.text, r.text


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # clock times said the British way give the time there is
    ("its half 9, lights out at 11", lambda e: e.runtime_max == 91),
    ("starts at quarter to 8, bed at 10", lambda e: e.runtime_max == 136),
    # a refusal after "any genre" still refuses
    ("any decade, any genre except westerns", lambda e: e.not_genres == ["Western"]),
    # more ways to refuse swearing or subtitles
    ("my aunt cant bear bad language, a comedy", lambda e: e.audience == "clean"),
    ("nothing subtitled, a thriller", lambda e: e.languages == ["English"]),
    # a teenager asking for horror gets horror, rated PG-13 at most (the no-adult audience allows no horror at all)
    ("my 15 year old wants a horror", lambda e: e.genres == ["Horror"] and "R" not in e.rated and e.audience == ""),
    ("a drama from the year of the hong kong handover", lambda e: (e.year_min, e.year_max) == (1997, 1997)),
    # viewers' ratings, not critics'
    ("top rated westerns by regular viewers, not critics", lambda e: e.qualities == ["crowd_pleaser"]),
    # an example said with a refusal reads also with another refusing word; its words alone are not that mood
    ("tired. zero thinking required", lambda e: e.moods == ["light"]),
    ("something that requires some thinking", lambda e: "light" not in e.moods),
    # what a character has: no data on characters, said
    ("a film where the lead character has a limp", lambda e: e.unmatched == ["limp"]),
    ("a comedy with characters who have fun", lambda e: e.unmatched == []),
    # words right before a genre read as a mood only by likeness: a subject, said
    ("a car racing drama", lambda e: e.unmatched == ["car racing"] and e.genres == ["Drama"]),
    ("a big dumb action movie", lambda e: e.unmatched == [] and e.moods == ["exciting"]),
    # the children away: grown-up films
    ("my kids are out tonight so something grown up", lambda e: "Children's" in e.not_genres),
    # the state the user is in gives way to the opposite mood asked for after it
    ("so wired after three energy drinks and a deep chat. want something mellow and quiet",
     lambda e: "calm" in e.moods and "exciting" not in e.moods),
    ("its our anniversary tonight, a comedy", lambda e: e.moods == ["date"]),
])
def test_times_refusals_and_subjects_in_more_wordings(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_a_film_or_length_the_viewer_walks_out_of_or_finds_dated_is_refused(reader):
    from assistant.dialogue.nlu import Context

    e = reader.understand("my 16 yo son. anything rated PG and he walks out", Context()).entities
    assert "PG" not in e.rated and e.rated, e
    e = reader.understand("sandra bullock, but the 80s stuff looks dated to me", Context()).entities
    assert e.not_decades == ["1980s"] and e.decades == [], e


@pytest.mark.slow
def test_a_surname_several_people_share_takes_one_says_so_and_a_first_name_switches(ml100k_assistant):
    from assistant.dialogue.nlu import Context

    a = ml100k_assistant
    r = a.respond("cusack-1", "something with cusack")
    taken = a.sessions.get("cusack-1").request.people
    assert taken == ["John Cusack"], taken  # the one with the most films
    assert "Joan Cusack" in r.text and "first name" in r.text, r.text  # the others are said, with how to switch
    r = a.respond("cusack-1", "joan")
    assert a.sessions.get("cusack-1").request.people == ["Joan Cusack"]
    assert r.cards and all("Joan Cusack" in a.catalog[c.item_id].cast + a.catalog[c.item_id].directors
                           + a.catalog[c.item_id].writers for c in r.cards), [c.item_id for c in r.cards]
    # a name that is all the message says is a request for that person ("spielberg")
    assert a.nlu.understand("spielberg", Context()).entities.people == ["Steven Spielberg"]
    # a full name is not ambiguous
    r = a.respond("cusack-2", "john cusack films")
    assert "first name" not in r.text


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a length said by a film's length (Titanic runs 194 minutes, Toy Story 80)
    ("anything shorter than titanic", lambda e: (e.runtime_min, e.runtime_max) == (None, 194)),
    ("about half as long as titanic please", lambda e: (e.runtime_min, e.runtime_max) == (87, 108)),
    ("a comedy no longer than toy story", lambda e: e.runtime_max == 81 and e.genres == ["Comedy"] and not e.reference),
    # a span named alone, shared by two films, or made of two legs
    ("got a 2 hour flight, something fun", lambda e: e.runtime_max == 121),
    ("4 hr layover and i want to squeeze in two movies", lambda e: e.runtime_max == 121),
    ("30 mins there and 30 back on the bus, want to finish it the same day", lambda e: e.runtime_max == 61),
    # years worked out from a birth year, an age or a graduation
    ("i was born in 1978. what came out when i was 12", lambda e: (e.year_min, e.year_max) == (1990, 1990)),
    ("born in 88, show me the ten years before i came along", lambda e: (e.year_min, e.year_max) == (1978, 1987)),
    ("the decade before 1970, westerns", lambda e: (e.year_min, e.year_max) == (1960, 1969)),
    ("class of 92, films from when i was in high school", lambda e: (e.year_min, e.year_max) == (1988, 1992)),
    ("a film for a class of 12 year olds", lambda e: e.year_min is None and e.year_max is None),
    ("everything after 1980 is too loud for her, so something older", lambda e: (e.year_min, e.year_max) == (None, 1980)),
    # ages are no decades, in a list too
    ("my grandparents are in their 70s and 80s, a comedy", lambda e: e.decades == [] and e.genres == ["Comedy"]),
    # clean language
    ("keep the language clean, its for my nan", lambda e: e.audience == "clean"),
    # a bare surname beside a film of theirs is that person, and no question which one
    ("cusack again, loved bullets over broadway", lambda e: e.people == ["John Cusack"] and not e.ambiguous_people),
    ("the guy from speed, hopper, what else did he do", lambda e: e.people == ["Dennis Hopper"]),
    # a clock span written "7 till half 9"; the way to somewhere, out of the time there is
    ("the kids are at swimming from 5 till half 6, something that fits", lambda e: e.runtime_max == 91),
    ("my train leaves in 2 hours and the station is 25 min away", lambda e: e.runtime_max == 96),
    # both sides of a length, one said as a refusal of shorter films
    ("nothing shorter than 100 minutes and nothing longer than 2 hours", lambda e: (e.runtime_min, e.runtime_max) == (100, 121)),
    # a length corrected after "actually no,"; "actually no X" still refuses X
    ("a 2 hour film? actually no, less, under 90", lambda e: e.runtime_max == 90),
    ("a romcom, and actually no hugh grant", lambda e: e.not_people == ["Hugh Grant"] and not e.people),
    # a decade named by an event, a year written short with "on", a birth year plus an age and a season
    ("the decade the beatles split up, a comedy", lambda e: (e.year_min, e.year_max) == (1970, 1979)),
    ("thrillers, 92 on", lambda e: e.year_min == 1992),
    ("i was born in 1980 and started uni at 18, what came out that autumn", lambda e: (e.year_min, e.year_max) == (1998, 1998)),
    # where someone was is no country asked for
    ("my uncle served in germany, he wants a war film", lambda e: e.countries == [] and e.genres == ["War"]),
    # films for little children refused in other words; fantasy by its things; songs burst into
    ("my 10 year old calls everything babyish, something ok for her", lambda e: "Children's" in e.not_genres),
    ("she loves wizards and dragons", lambda e: e.genres == ["Fantasy"]),
    ("a bouncy castle party for six year olds, something fun", lambda e: "Fantasy" not in e.genres),
    ("people bursting into song", lambda e: e.genres == ["Musical"] and not e.unknown_titles),
    # nicknames and a double first name written apart
    ("arnie comedies", lambda e: e.people == ["Arnold Schwarzenegger"]),
    # old-fashioned films; nobody swearing; a subject refused is said, with no opposite mood
    ("something old-fashioned and nobody swearing", lambda e: e.year_max == 1969 and e.audience == "clean"),
    ("a comedy, nothing with hostages", lambda e: e.unmatched == ["hostages"] and e.moods == []),
    # "nothing scary" refuses thrillers too, as "gets scared easily" does; two cats are no cat-and-mouse thriller
    ("nothing scary please", lambda e: set(e.not_genres) == {"Horror", "Thriller"}),
    ("home with my two cats, a comedy", lambda e: e.moods == [] and e.genres == ["Comedy"]),
])
def test_lengths_years_people_and_subjects_worked_out_from_what_is_said(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a year named by a film with no "came out" (Titanic 1997, Pulp Fiction 1994, Jaws 1975, Jurassic Park 1993)
    ("westerns from the same year as titanic", lambda e: (e.year_min, e.year_max) == (1997, 1997) and not e.reference),
    ("dramas released after pulp fiction", lambda e: e.year_min == 1995 and e.year_max is None and not e.reference),
    ("nothing older than jaws", lambda e: e.year_max == 1974 or e.year_min == 1975),
    ("from around when jurassic park came out", lambda e: (e.year_min, e.year_max) == (1991, 1995)),
    # ... but a common word after a weak cue is no film ("The War" is a 1994 film)
    ("something made before the war", lambda e: e.year_min is None and e.year_max is None),
    # the first / second half of a decade, decade words with a part, a decade and the part of the next that meets it
    ("the second half of the 80s", lambda e: (e.year_min, e.year_max) == (1985, 1989)),
    ("first half of the seventies, a thriller", lambda e: (e.year_min, e.year_max) == (1970, 1974)),
    ("early eighties horror", lambda e: (e.year_min, e.year_max) == (1980, 1983) and not e.decades),
    ("70s or early 80s westerns", lambda e: (e.year_min, e.year_max) == (1970, 1983) and not e.decades),
    # a time of someone's life with their birth year; "a teenager" then is no audience
    ("my dad was a teenager back then, he was born in 1955. what was out when he was a teen",
     lambda e: (e.year_min, e.year_max) == (1968, 1974) and e.audience == ""),
    ("born 1979, films from my childhood", lambda e: (e.year_min, e.year_max) == (1984, 1991)),
    ("stuff from when i was at uni, born in 1970", lambda e: (e.year_min, e.year_max) == (1988, 1992)),
    # a British rating ceiling; where someone is staying is no country asked for
    ("we are visiting grandma in ireland, nothing above a 12a for the kids", lambda e: e.audience == "no_adult"
     and e.countries == []),
    # a film that must end before a time runs out is strictly shorter
    ("the cake has 1h45 left in the oven, something thatll finish before it does", lambda e: e.runtime_max == 105),
    # a biopic is a real person's life: the Biography genre, not any true story
    ("a biopic about a musician", lambda e: e.moods == ["biopic"]),
])
def test_years_by_films_and_life_stages_and_ratings_in_other_words(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a year said by how long after another it was; one year refused out of a decade (said again, still refused)
    ("we met in 1990 and got married 5 years later, what came out that year", lambda e: (e.year_min, e.year_max) == (1995, 1995)),
    ("80s comedies but not 1984, i did all the 1984 ones already", lambda e: e.decades == ["1980s"]
     and e.not_decades == ["1984"] and e.year_min is None),
    # lengths: "not a minute over" is a ceiling; "2h10 to 2h25ish" a range; a clock span less both legs of a trip;
    # how long a nap lasts is the time there is
    ("an hour and 50, not a minute more", lambda e: e.runtime_max == 111),
    ("somewhere between 1h40 and 1h55ish", lambda e: (e.runtime_min, e.runtime_max) == (100, 116)),
    ("practice is 4:30 till 6:30 and its 20 min each way, a film for while i wait at home",
     lambda e: e.runtime_max == 81),
    ("the twins nap for about an hour and a half if im lucky", lambda e: e.runtime_max == 91 and e.runtime_min is None),
    # a family refused by its surname made plural; "ron howards dad" is Ron Howard's dad, not every Howard
    ("a comedy with no wayans in it", lambda e: e.genres == ["Comedy"] and len(e.not_people) >= 1
     and all(p.endswith("Wayans") for p in e.not_people)),
    ("rance howard, ron howards dad", lambda e: "Clint Howard" not in e.people),
    # a genre refused by what would happen if it were put on
    ("if i put on a horror she'll leave the room, something for both of us", lambda e: e.not_genres == ["Horror"]),
    # swearing and kissing refused by the reactions to them: clean, and no romances
    ("my aunt tuts at swearing and cringes whenever anyone kisses", lambda e: e.audience == "clean" and "Romance" in e.not_genres),
    # R said as the floor; "bloodthirsty" is scary
    ("R rated as the minimum, something bloodthirsty", lambda e: e.rated == ["R", "NC-17"] and e.moods == ["scary"]),
    # soppy and falling in love are romance (refused here); "not a masterpiece" asks for no acclaim
    ("a western, nothing mushy", lambda e: e.not_genres == ["Romance"]),
    ("tom hanks but not the ones where he falls in love", lambda e: e.people == ["Tom Hanks"] and e.not_genres == ["Romance"]),
    ("doesnt need to be a classic or a masterpiece, just fun", lambda e: not {"acclaimed", "classic"} & set(e.qualities)),
    ("a good one that no one is talking about", lambda e: e.qualities == ["hidden_gem"]),
    # a review site's score: no data on it, the critics' average stands in
    ("only stuff rated 8+ on imdb", lambda e: e.qualities == ["acclaimed"] and e.unmatched == ["imdb"]),
    # where a film is set, with "at"; something someone else has never seen is no film
    ("something set at a ski resort", lambda e: e.unmatched == ["set at a ski"] or any("ski" in u for u in e.unmatched)),
    ("my kids have never seen the snow, a christmas film", lambda e: e.unknown_titles == []),
    # one amount of time that no other reading took is the time there is; one something lasts or lasted is not
    ("the lasagne needs another 90 minutes in the oven, a comedy", lambda e: e.runtime_max == 91),
    ("he usually manages 2 hours before he wants a snack", lambda e: e.runtime_max == 121),
    ("ive been stuck in traffic for 2 hours, something funny", lambda e: e.runtime_max is None),
    ("i got home an hour ago, something light", lambda e: e.runtime_max is None),
])
def test_refusals_lengths_and_years_in_new_wordings(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a part of a decade refused, alone or after a refused decade: each of its years is refused, none asked for
    ("anything but the early 90s", lambda e: e.not_decades == ["1990", "1991", "1992", "1993"]
     and (e.year_min, e.year_max) == (None, None) and e.decades == []),
    ("a thriller, nothing from the 80s or early 90s", lambda e: e.not_decades == ["1980s", "1990", "1991", "1992", "1993"]
     and (e.year_min, e.year_max) == (None, None)),
    # "nothing sad" is feel-good with no drama at all (what "sad" works against is the lighter mood's)
    ("no sad stuff tonight please", lambda e: e.moods == ["upbeat"]),
    # an anniversary is a date night, and a date night is a romance
    ("its our wedding anniversary, something for the two of us", lambda e: e.moods == ["date"]),
    # a toddler gets nothing violent either; older children asking for action get it
    ("my daughter just turned 4, her very first film", lambda e: e.audience == "kids" and e.not_genres == ["Action"]),
    ("babysitting 2 boys (8 and 10), they want action", lambda e: e.audience == "kids" and "Action" not in e.not_genres),
])
def test_refused_parts_of_decades_and_moods_said_by_their_opposite(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_refused_years_are_said_as_refused_and_refused_moods_hold_on_every_card(ml100k_assistant):
    """The intro says a refused span as refused, after a comma ("picks, nothing from 1990-1993": it had read
    "picks nothing from 1997"); "nothing sad" keeps every drama and war film off the cards (by MovieLens or OMDb);
    a date night gets romances."""
    a = ml100k_assistant
    r = a.respond("refused-span", "a thriller, nothing from the 80s or early 90s")
    assert "picks, nothing from the 1980s, nothing from 1990-1993" in r.text, r.text
    assert r.cards and not any(a.catalog[c.item_id].year in range(1980, 1994) for c in r.cards)
    r = a.respond("not-sad", "no sad stuff tonight and no cartoons either")
    assert len(r.cards) == 5
    assert not any({"Drama", "War", "Animation"} & broad_genres(a.catalog[c.item_id]) for c in r.cards), \
        [c.title for c in r.cards]
    r = a.respond("date-night", "its our wedding anniversary, something for the two of us")
    assert len(r.cards) == 5 and all("Romance" in all_genres(a.catalog[c.item_id]) for c in r.cards), \
        [c.title for c in r.cards]


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a rating ceiling said as the limit; a kind of film refused by how it must not feel, or by having gone off it
    ("PG is the limit till her birthday", lambda e: e.rated == ["G", "GP", "PG"]),
    ("something that doesnt feel like a kids film", lambda e: e.not_genres == ["Children's"] and e.genres == []),
    ("hes gone off animated stuff completely", lambda e: e.not_genres == ["Animation"] and e.genres == []),
    # "long story", "out like a light": idioms, no length and no mood; "long" before a clause is still long
    ("90s films please, its a long story", lambda e: e.runtime_min is None and e.decades == ["1990s"]),
    ("hes out like a light by 9", lambda e: e.moods == []),
    ("something long i can knit along to", lambda e: e.runtime_min is not None),
    # years bounded by two films, and by an age with a birth year
    ("anything that came out between jaws and e.t.", lambda e: (e.year_min, e.year_max) == (1976, 1981)),
    ("alec baldwin before he turned 40, he was born in 58", lambda e: (e.year_min, e.year_max) == (None, 1997)
     and e.people == ["Alec Baldwin"]),
    # a series refused by its name made plural, or with "films" after it (also where one title of it was linked)
    ("bruce willis but none of the die hards", lambda e: len(e.excluded) == 3 and e.people == ["Bruce Willis"]),
    ("no godfather films pls", lambda e: len(e.excluded) == 2),
    ("no aliens", lambda e: e.excluded == []),
    # a star rating or a verdict is the critics' top; history is OMDb's History genre, not a subject without data
    ("four stars and up only. sports films", lambda e: e.qualities == ["acclaimed"] and e.moods == ["sport"]),
    ("two thumbs up adventure films", lambda e: e.qualities == ["acclaimed"] and e.genres == ["Adventure"]),
    ("my dad is a massive history buff", lambda e: e.moods == ["history"] and e.unmatched == []),
])
def test_ceilings_refusals_idioms_years_series_and_verdicts_in_other_words(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a bound refused before a film: that film's year and after (as "nothing older than 1990"), or up to it
    ("kevin bacon, nothing older than the graduate", lambda e: (e.year_min, e.year_max) == (1967, None)),
    ("westerns but nothing newer than unforgiven", lambda e: (e.year_min, e.year_max) == (None, 1992)),
    ("comedies made after groundhog day", lambda e: (e.year_min, e.year_max) == (1994, None)),
    # lengths written "1h40" beside whole hours, and the time the user is stuck somewhere (not time already gone)
    ("a thriller somewhere between 1h35 and 2h", lambda e: (e.runtime_min, e.runtime_max) == (95, 121)),
    ("sat in the hospital car park for 1h50, what can i watch", lambda e: e.runtime_max == 111),
    ("ive been sitting here for 2 hours trying to choose", lambda e: e.runtime_max is None),
    # the time until the viewer must be somewhere, less getting ready
    ("picking my sister up at 9 and its 7:10 now, need 15 min to get ready", lambda e: e.runtime_max == 96),
    # "an hour before." of the past is no time there is; "a whole afternoon" is a long film
    ("my date cancelled an hour before. something funny", lambda e: e.runtime_max is None),
    ("something to fill a whole sunday afternoon", lambda e: e.runtime_min == 150),
    # a ceiling said as "keep it to", as the top rating, or as PG-13 being too much
    ("keep it to G please, theyre tiny", lambda e: e.rated == ["G"]),
    ("max rating pg", lambda e: e.rated == ["G", "GP", "PG"]),
    ("pg-13 would be too much for him", lambda e: e.rated == ["G", "GP", "PG"] and e.audience == ""),
    ("he's 11 so pg-13 max", lambda e: e.audience == "no_adult" and e.rated == []),
    # an age with a half
    ("first film for my 3 and a half year old", lambda e: e.audience == "kids"),
    # a genre word that describes a thing in the film: the genre stays asked, the thing is said unmatched
    ("a horror film but no creepy dolls", lambda e: e.genres == ["Horror"] and "creepy dolls" in e.unmatched),
    ("horror tonight, nothing with a scary little boy", lambda e: e.genres == ["Horror"] and e.unmatched),
    ("nothing scary please", lambda e: "Horror" in e.not_genres and e.unmatched == []),
    ("no romantic stuff", lambda e: e.not_genres == ["Romance"]),
    # a phrase after a verb is no title ("Out to Sea"), but a film after "rewatching" still is
    ("someone staring out to sea", lambda e: e.reference == [] and e.titles() == []),
    ("been rewatching home alone", lambda e: len(e.titles()) == 1),
    # a place refused is refused, not asked for; one asked beside it stays asked
    ("no french films please", lambda e: e.not_languages == ["French"] and e.languages == []),
    ("a british comedy, nothing american", lambda e: e.countries == ["United Kingdom"]
     and e.not_countries == ["United States"]),
    ("nothing made in italy", lambda e: e.not_countries == ["Italy"] and e.countries == []),
    ("french films please", lambda e: e.languages == ["French"] and e.not_languages == []),
    # a nation within a country is read as the country, and said so
    ("something welsh", lambda e: e.countries == ["United Kingdom"] and e.read_as_country == [("welsh", "United Kingdom")]),
])
def test_bounds_by_films_lengths_ceilings_and_described_things_in_other_words(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_a_refused_country_holds_on_every_card_and_on_the_next_page(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("no-american", "dramas from the 1990s, nothing american")
    assert len(r.cards) == 5 and "nothing from United States" in r.text, r.text
    more = a.respond("no-american", "more")
    for c in r.cards + more.cards:
        it = a.catalog[c.item_id]
        assert it.countries and "United States" not in it.countries and "Drama" in it.genres, (c.title, it.countries)
    assert not {c.item_id for c in r.cards} & {c.item_id for c in more.cards}
    # and a later "only american" asks for them again
    again = a.respond("no-american", "actually only american ones")
    assert again.cards and all("United States" in a.catalog[c.item_id].countries for c in again.cards), again.text


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a birth year written before "born"; an age written as a word, or with "years old"; anyone's age, not only "i"
    ("comedies from the year i turned 16, i'm 1978 born", lambda e: (e.year_min, e.year_max) == (1994, 1994)
     and e.genres == ["Comedy"] and e.reference == []),
    ("the year i turned eighteen, born in 1980", lambda e: (e.year_min, e.year_max) == (1998, 1998)),
    ("what came out when my dad was 18? he was born in 1960", lambda e: (e.year_min, e.year_max) == (1978, 1978)),
    # ... and an age someone was then is no audience ("10 years old" here is not a child watching)
    ("films from when i was 10 years old, i was born in 1980", lambda e: (e.year_min, e.year_max) == (1990, 1990)
     and e.audience == ""),
    ("something i loved when i was 10 years old", lambda e: e.audience == ""),
    ("for my 10 year old", lambda e: e.audience == "kids"),
    # a time of life named without "when", or by a possessive
    ("the decade my dad was a teenager, he was born in 1950", lambda e: (e.year_min, e.year_max) == (1963, 1969)
     and e.audience == ""),
    ("films from my mum's teenage years, she was born in 1955", lambda e: (e.year_min, e.year_max) == (1968, 1974)),
    # a year after a word confirms a title only when it is that title's year
    ("i'm 1978 born", lambda e: e.reference == [] and e.titles() == []),
    # an event that dates the request names no genre ("the gulf war" is no war film); one named beside it still is
    ("films made in the year the gulf war started", lambda e: (e.year_min, e.year_max) == (1991, 1991)
     and e.genres == []),
    ("war films from the year desert storm happened", lambda e: e.genres == ["War"] and e.year_min == 1991),
    # a span measured from an event's year or from a film's
    ("thrillers from the 5 years before the millennium", lambda e: (e.year_min, e.year_max) == (1995, 1999)
     and e.genres == ["Thriller"]),
    ("the three years after elvis died", lambda e: (e.year_min, e.year_max) == (1978, 1980)),
    ("stuff from the two years after star wars", lambda e: (e.year_min, e.year_max) == (1978, 1979) and e.reference == []),
    ("the decade before jaws came out", lambda e: (e.year_min, e.year_max) == (1965, 1974)),
    # one year beside a birth, which may be said as "a 1971 kid" (no children's film)
    ("something from the year before i was born, 1971 kid here", lambda e: (e.year_min, e.year_max) == (1970, 1970)
     and e.genres == []),
    ("born in 1985. show me the year before i was born", lambda e: (e.year_min, e.year_max) == (1984, 1984)),
    ("made before i was born, born in 1979", lambda e: (e.year_min, e.year_max) == (None, 1978)),
    # "that decade": the decade of the one year said
    ("my grandparents married in 52 - anything from that decade", lambda e: (e.year_min, e.year_max) == (1950, 1959)),
    # where the user was in life is no subject asked for; the subject said of a film still is
    ("i was in college from 86 to 90, what was out", lambda e: (e.year_min, e.year_max) == (1986, 1990)
     and e.genres == [] and e.unmatched == []),
    ("college comedies", lambda e: e.unmatched == ["college"]),
    ("my son is a dinosaur nut", lambda e: e.unmatched == ["dinosaur"]),
    ("i'm in a zombie mood", lambda e: e.unmatched == ["zombie"]),
    # "80s kids movies" are children's films; "90s kid here" is who the user is
    ("80s kids movies", lambda e: e.genres == ["Children's"] and e.decades == ["1980s"]),
    ("90s kid here, action please", lambda e: e.genres == ["Action"]),
    # the children a film is for, at a holiday, are watching (the kids "at their dads" are not)
    ("something for my kids at christmas", lambda e: "Children's" not in e.not_genres),
    ("the kids are at their dads, grown up stuff", lambda e: "Children's" in e.not_genres),
    # "can't bear", "can't stomach" refuse as "can't stand" does, and the verb is no topic to search for
    ("i cant bear horror", lambda e: e.not_genres == ["Horror"] and e.genres == []),
    ("she can't stomach westerns, something else", lambda e: e.not_genres == ["Western"]),
    ("i can't stand musicals or anything with singing", lambda e: e.not_genres == ["Musical"] and "stand" not in e.query),
])
def test_ages_births_and_events_that_name_years_in_more_wordings(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a lowercase one-word title after "a" is a thing ("a sleepover"), and a child the user once was is no audience, no
    # children's film and no "the kids are away" evening
    ("something for a sleepover", lambda e: e.reference == [] and e.liked == []),
    ("i want to feel like a kid at a sleepover again", lambda e: e.reference == [] and e.not_genres == []),
    ("kids are at a sleepover, something for us", lambda e: "Children's" in e.not_genres),
    ("comedies i loved as a kid", lambda e: e.genres == ["Comedy"]),
    ("horror that scared me as a kid", lambda e: e.genres == ["Horror"]),
    ("movies from when i was a kid, i was born in 1980", lambda e: e.genres == [] and e.year_min is not None),
    ("something for my kid", lambda e: "Children's" in e.genres or e.audience == "kids"),
    # a person's films after an article ("not a john wayne one"), still not "a big boy bed"
    ("a western, just not a john wayne one", lambda e: e.not_people == ["John Wayne"] and e.genres == ["Western"]),
    ("a big boy bed for my son, and a film about it", lambda e: e.people == []),
    # a lone word that a longer window reads otherwise is read in that context
    ("my brain is mush after a double shift, just want something that asks nothing of me",
     lambda e: "mind_bending" not in e.moods),
    ("something cerebral for my big brain", lambda e: e.moods == ["mind_bending"]),
    # a long message's nearest word is no stand-in mood; a subject the examples name still is
    ("my whole week has been beige. beige office, beige meal deal, beige small talk in the lift. i need something in "
     "full technicolour w people dancing on tables", lambda e: "scary" not in e.moods),
    ("boxing got cancelled and im all wound up w nowhere to put it. hit me", lambda e: e.moods == ["sport"]),
    # a lone word near a quality example only by its letters is no quality word
    ("doing a charity sleep out tonight. cardboard, sleeping bag, phone on a power bank. something to keep our spirits up",
     lambda e: e.qualities == []),
    ("3 yr old twins have discovered the word AGAIN. pls let it be one a grown up can stand", lambda e: e.qualities == []),
    ("top shelf film noir", lambda e: e.qualities == ["acclaimed"]),
    ("acclaimed films in italian or german", lambda e: e.qualities == ["acclaimed"]),
    # ... and a word for films themselves is no mood either ("cinema" is not "blockbuster")
    ("something from 1985, proper cinema", lambda e: e.moods == []),
    ("essential 70s cinema, the film school canon stuff", lambda e: e.moods == [] and e.qualities == ["acclaimed"]),
    # a rating asked for outright wins over the one a teenager's age implies
    ("my 16 yo thinks hes a critic. something actually rated R and actually clever",
     lambda e: e.audience == "" and "R" in e.rated),
    ("nothing R and nothing G. my twins are 14, G is too babyish and R is too much", lambda e: e.audience == "no_adult"
     or "R" not in e.rated),
    ("16 yo son thinks hes too cool for everything. anything rated G or PG and he walks out",
     lambda e: e.audience == "" and "PG" not in e.rated),
    # praise words only near a longer one ("holding" is no "holds up", "quote things" no "quotable")
    ("i want people holding ridiculous grudges and scheming over nothing", lambda e: e.qualities == []),
    # swearing and bedroom scenes in other words; a sing-song is a musical
    ("the warden says nothing with effing and blinding. they love a sing song",
     lambda e: e.audience == "clean" and e.genres == ["Musical"]),
    ("dad is 82. no blasphemy, no bedroom scenes or he'll walk out", lambda e: e.audience == "clean"),
])
def test_misreadings_of_situations_that_dev21_showed(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_a_mood_said_as_a_first_message_is_a_request(reader):
    """"havent properly laughed in a month" names a mood only near a word; as the first thing said to a recommender it
    asks for films (it was out of scope: no cards and the help)."""
    from assistant.dialogue.nlu import Context

    u = reader.understand("havent properly laughed in a month. snorting, wheezing, tea out the nose laughing", Context())
    assert u.act == "recommend" and u.entities.moods == ["funny"], (u.act, u.entities)
    assert reader.understand("hello there", Context()).act == "out_of_scope"


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a number with "ish" stuck to it is the number
    ("comedies 84 to 87ish", lambda e: (e.year_min, e.year_max) == (1984, 1987) and e.genres == ["Comedy"]),
    ("mid 80s comedies, 84 to 87ish", lambda e: (e.year_min, e.year_max) == (1984, 1987)),
    ("a 90ish minute film", lambda e: (e.runtime_min, e.runtime_max) == (75, 106)),
    ("for my 8ish year old", lambda e: e.audience == "kids"),
    ("something 2 hours ish", lambda e: (e.runtime_min, e.runtime_max) == (105, 136)),
    ("a 1985ish thriller", lambda e: (e.year_min, e.year_max) == (1985, 1985)),
    # a length said of the film before the film word: about that long; a length said of something else is none
    ("90 minute movies", lambda e: (e.runtime_min, e.runtime_max) == (75, 106)),
    ("a 100-minute film for tonight", lambda e: (e.runtime_min, e.runtime_max) == (85, 116)),
    ("90 min action films", lambda e: (e.runtime_min, e.runtime_max) == (75, 106) and e.genres == ["Action"]),
    ("a 20 minute walk then home for a film", lambda e: (e.runtime_min, e.runtime_max) == (None, None)),
])
def test_numbers_with_ish_and_lengths_said_before_the_film_word(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a year written short with no apostrophe, after "from" / "of" / "in"
    ("movies from 94", lambda e: (e.year_min, e.year_max) == (1994, 1994)),
    ("best movies of 94", lambda e: (e.year_min, e.year_max) == (1994, 1994) and e.qualities == ["acclaimed"]),
    ("films that came out in 94", lambda e: (e.year_min, e.year_max) == (1994, 1994)),
    ("movies from the year we met, 93", lambda e: (e.year_min, e.year_max) == (1993, 1993)),
    ("nothing from 95", lambda e: (e.year_min, e.year_max) == (None, 1994)),  # as "nothing from 1995"
    # ... but not a score, a length or a count
    ("a rotten tomatoes score of 90 or more", lambda e: (e.year_min, e.year_max) == (None, None)),
    ("something in 90 minutes", lambda e: (e.year_min, e.year_max) == (None, None)),
    ("anything in 95 mins", lambda e: (e.year_min, e.year_max) == (None, None)),
    ("90s films but not from 97", lambda e: e.decades == ["1990s"] and e.not_decades == ["1997"]),
    # two neighbouring years are one span; "through" and "to now" end a span
    ("films from 1985 or 1986", lambda e: (e.year_min, e.year_max) == (1985, 1986)),
    ("movies of 1994 and 1995", lambda e: (e.year_min, e.year_max) == (1994, 1995)),
    ("movies from 94 & 95", lambda e: (e.year_min, e.year_max) == (1994, 1995)),
    ("films from 1990 through 1995", lambda e: (e.year_min, e.year_max) == (1990, 1995)),
    ("films from 1996 to now", lambda e: (e.year_min, e.year_max) == (1996, None)),
    # a year said in words
    ("nineteen eighty four movies", lambda e: (e.year_min, e.year_max) == (1984, 1984)),
    ("comedies from ninety four please", lambda e: (e.year_min, e.year_max) == (1994, 1994) and e.genres == ["Comedy"]),
    ("a movie in ninety five minutes or less", lambda e: (e.year_min, e.year_max) == (None, None)),
    # the year before a film
    ("movies from the year before pulp fiction", lambda e: (e.year_min, e.year_max) == (1993, 1993) and not e.titles()),
    # a date in someone's life is no year asked for, unless "that year" asks for it
    ("my mum was born in 62 and says 20 to 25 were the best years of her life", lambda e: (e.year_min, e.year_max) == (None, None)),
    ("i was born in 82, show me stuff from that year", lambda e: (e.year_min, e.year_max) == (1982, 1982)),
    # a decade of someone's age, with their birth year: those years ("her 90s films" stays a decade of films)
    ("anything from when he was in his 50s. born in 37", lambda e: (e.year_min, e.year_max) == (1987, 1996)),
    ("meg ryan, just her 90s films", lambda e: e.decades == ["1990s"] and (e.year_min, e.year_max) == (None, None)),
])
def test_years_written_short_in_words_or_as_a_pair(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # "or earlier" after "from" bounds the years; "in or after" keeps the year itself
    ("westerns from 1975 or earlier", lambda e: (e.year_min, e.year_max) == (None, 1975) and e.genres == ["Western"]),
    ("anything from 1975 or before", lambda e: (e.year_min, e.year_max) == (None, 1975)),
    ("made in or after 1992", lambda e: (e.year_min, e.year_max) == (1992, None)),
    ("released in or before 1975 please", lambda e: (e.year_min, e.year_max) == (None, 1975)),
    # guards: the readings these share code with
    ("from 1975 onwards", lambda e: (e.year_min, e.year_max) == (1975, None)),
    ("best films from 1994", lambda e: (e.year_min, e.year_max) == (1994, 1994)),
    ("made after 1992", lambda e: (e.year_min, e.year_max) == (1993, None)),
    ("made before 1975", lambda e: (e.year_min, e.year_max) == (None, 1974)),
    # a birth year written out beside the decade asked for is no year asked for
    ("meg ryan born 1961, her 90s films", lambda e: e.decades == ["1990s"] and (e.year_min, e.year_max) == (None, None)),
    ("my dad was born in 1950, 70s rock films", lambda e: e.decades == ["1970s"] and (e.year_min, e.year_max) == (None, None)),
    # ... but it is when the request asks for the year of the birth
    ("born in 1985, what came out that year", lambda e: (e.year_min, e.year_max) == (1985, 1985)),
    ("the year i was born, 1985", lambda e: (e.year_min, e.year_max) == (1985, 1985)),
])
def test_year_bounds_said_with_or_earlier_and_birth_years_beside_a_decade(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # refusals said as keeping away, or around the kind of film: refused, not asked for
    ("stay away from horror", lambda e: e.not_genres == ["Horror"] and not e.genres),
    ("keep it away from war films", lambda e: e.not_genres == ["War"] and not e.genres),
    ("steer clear of westerns please", lambda e: e.not_genres == ["Western"] and not e.genres),
    ("pass on the musicals", lambda e: e.not_genres == ["Musical"] and not e.genres),
    ("allergic to musicals", lambda e: e.not_genres == ["Musical"] and not e.genres),
    ("spare me the romance", lambda e: e.not_genres == ["Romance"] and not e.genres),
    ("i've sworn off horror", lambda e: e.not_genres == ["Horror"] and not e.genres),
    ("with the exception of horror, anything goes", lambda e: e.not_genres == ["Horror"] and not e.genres),
    ("horror is off the menu", lambda e: e.not_genres == ["Horror"] and not e.genres),
    ("give the westerns a miss", lambda e: e.not_genres == ["Western"] and not e.genres),
    ("keep romance out of it", lambda e: e.not_genres == ["Romance"] and not e.genres),
    ("anyone but tom cruise", lambda e: e.not_people == ["Tom Cruise"] and not e.people),
    ("steer clear of anything with nicolas cage", lambda e: e.not_people == ["Nicolas Cage"] and not e.people),
    ("comedy, give jim carrey a miss", lambda e: e.genres == ["Comedy"] and e.not_people == ["Jim Carrey"]),
    # ... and what stays as it was
    ("anything but horror", lambda e: e.not_genres == ["Horror"]),
    ("comedy but not adam sandler", lambda e: e.genres == ["Comedy"] and e.not_people == ["Adam Sandler"]),
])
def test_refusals_said_as_keeping_away_or_around_the_kind(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # misreadings that dev22 showed on its first run
    ("anything from the year after schindlers list? thats when we finally got a vcr",
     lambda e: (e.year_min, e.year_max) == (1994, 1994) and not e.moods),
    ("90 91 92 action pls", lambda e: (e.year_min, e.year_max) == (1990, 1992) and e.genres == ["Action"]),
    ("1990, 1991, 1992 comedies", lambda e: (e.year_min, e.year_max) == (1990, 1992)),
    ("my kids are 5 6 and 7", lambda e: (e.year_min, e.year_max) == (None, None)),
    ("older than the moon landing but newer than the queens coronation", lambda e: (e.year_min, e.year_max) == (1954, 1968)),
    ("whatever was out while i was at primary school. started at 5, left at 11, born in 1985",
     lambda e: (e.year_min, e.year_max) == (1990, 1996) and e.audience == ""),
    ("something from the year of the falklands, so nothing war-y", lambda e: e.not_genres == ["War"]),
    ("cartoons are out and so is anything R rated, my partner has rules",
     lambda e: e.not_genres == ["Animation"] and e.audience == "no_adult" and "R" not in e.rated),
    ("westerns bore me and so do musicals", lambda e: e.not_genres == ["Western", "Musical"]),
    ("sci fi, but nothing after 1989 and nothing with arnold in it",
     lambda e: e.not_people == ["Arnold Schwarzenegger"] and e.year_max == 1989),
    ("anything, as long as neither gwyneth paltrow nor ben affleck is in it",
     lambda e: e.not_people == ["Gwyneth Paltrow", "Ben Affleck"] and not e.people),
    ("nothing rated pg-13 or r, its for my 9 yo and her friends", lambda e: e.rated == ["G", "GP", "PG"]),
    ("nothing rated G or PG, im not 4", lambda e: e.rated == ["PG-13", "R", "NC-17"]),
    # "started at 5, left at 11" are ages, not clock times (the reply asked how long a film may be)
    ("whatever was out while i was at primary school. started at 5, left at 11, born in 1985",
     lambda e: e.unread_length == "" and (e.year_min, e.year_max) == (1990, 1996)),
    ("its 7 now and i have to be in bed at 10", lambda e: e.unread_length != "" or e.runtime_max is not None),
])
def test_misreadings_that_dev22_showed(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # years: a misspelt decade word, a short year after "post-", a second bound named by a film, a spelled pair, a
    # range from a short year to a full one, a birth year with "the year she was born or older" or with ages
    ("the last few years of the ninties", lambda e: (e.year_min, e.year_max) == (1996, 1999)),
    ("fourties musicals", lambda e: e.decades == ["1940s"] and e.genres == ["Musical"]),
    ("post-92 comedies only", lambda e: (e.year_min, e.year_max) == (1993, None) and e.genres == ["Comedy"]),
    ("pre 85 horror", lambda e: (e.year_min, e.year_max) == (None, 1984)),
    ("anything after pulp fiction but before titanic. a drama would be nice",
     lambda e: (e.year_min, e.year_max) == (1995, 1996) and e.genres == ["Drama"]),
    ("made after jaws and before titanic", lambda e: (e.year_min, e.year_max) == (1976, 1996)),
    ("nineteen eighty one or eighty two, dont mind which", lambda e: (e.year_min, e.year_max) == (1981, 1982)),
    ("turn of the century stuff, so roughly 97 through 2000", lambda e: (e.year_min, e.year_max) == (1997, 2000)),
    ("1990 or thereabouts, a year either side is fine", lambda e: (e.year_min, e.year_max) == (1989, 1991)),
    ("films from 1988, two years either way", lambda e: (e.year_min, e.year_max) == (1986, 1990)),
    ("1995s finest pls", lambda e: (e.year_min, e.year_max) == (1995, 1995) and e.qualities == ["acclaimed"]),
    ("my daughter (15, born in 83) only wants horror from the year she was born or older",
     lambda e: (e.year_min, e.year_max) == (None, 1983) and e.genres == ["Horror"]),
    ("grandad (born 46) went to the pictures every saturday from 17 until he married at 23. what was showing?",
     lambda e: (e.year_min, e.year_max) == (1963, 1969)),
    ("my mum was born in 1950, what came out when she was between 15 and 20", lambda e: (e.year_min, e.year_max) == (1965, 1970)),
    # guards: a decade stays a decade, a title stays a title, an unrelated "and before" reads no bound
    ("1990s films", lambda e: e.decades == ["1990s"] and (e.year_min, e.year_max) == (None, None)),
    ("1990's films", lambda e: e.decades == ["1990s"] and (e.year_min, e.year_max) == (None, None)),
    ("anything made before the war", lambda e: (e.year_min, e.year_max) == (None, None)),
    ("i was pre-med in 92, films from that year", lambda e: (e.year_min, e.year_max) == (1992, 1992)),
    # refusals, ratings and audiences
    ("action pls, but not 80s action and no stallone", lambda e: e.genres == ["Action"] and "Action" not in e.not_genres
     and e.not_decades == ["1980s"] and e.not_people == ["Sylvester Stallone"]),
    ("my brother does the rambo voice at every family do", lambda e: "Children's" not in e.genres),
    ("he just doesnt want anything animated", lambda e: e.not_genres == ["Animation"] and e.genres == []),
    ("i dont NOT want a thriller, if that makes sense", lambda e: e.genres == ["Thriller"] and "Thriller" not in e.not_genres),
    ("horror, but i draw the line at NC-17. R is as far as i go",
     lambda e: e.genres == ["Horror"] and e.rated == ["G", "GP", "PG", "PG-13", "R"]),
    ("my 17 yo wants something grown up. R is fine", lambda e: e.audience == "" and "adult" in e.qualities),
    ("i run a film afternoon for the over 60s at our library. gentle stuff", lambda e: e.decades == []),
    ("youth club, 13 to 16 yr olds. nothing babyish or theyll riot", lambda e: "Comedy" not in e.not_genres),
    # quality and mood
    ("comedies that are genuinely as good as people say", lambda e: e.qualities == ["acclaimed"]),
    ("mysteries everyone loves. critics and the general public", lambda e: set(e.qualities) == {"acclaimed", "crowd_pleaser"}),
    ("which 1950s films do people whove actually watched them rate the highest", lambda e: e.qualities == ["crowd_pleaser"]),
    ("my heart rate needs to come DOWN, not up", lambda e: e.moods == ["calm"]),
    ("i want my palms sweating", lambda e: e.moods == ["tense"]),
])
def test_misreadings_that_dev23_showed(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_a_refusal_alone_is_a_request(reader):
    """"nothing babyish or theyll riot" asks for films (without the babyish ones), it is no chit-chat."""
    from assistant.dialogue.nlu import Context

    u = reader.understand("nothing babyish or theyll riot", Context())
    assert u.act == "recommend" and u.entities.not_genres == ["Children's"], u


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # years written as bounds and ranges in more ways
    ("films between 85 and 92", lambda e: (e.year_min, e.year_max) == (1985, 1992)),
    ("from 88 until 92", lambda e: (e.year_min, e.year_max) == (1988, 1992) and e.unread_length == ""),
    ("anything from the 70s onward", lambda e: (e.year_min, e.year_max) == (1970, None) and e.decades == []),
    ("from the 80s on", lambda e: (e.year_min, e.year_max) == (1980, None)),
    ("1970 to the present", lambda e: (e.year_min, e.year_max) == (1970, None)),
    ("1980-something", lambda e: e.decades == ["1980s"] and (e.year_min, e.year_max) == (None, None)),
    ("nineteen sixty something comedies", lambda e: e.decades == ["1960s"] and e.genres == ["Comedy"]),
    ("any year but 1995", lambda e: e.not_decades == ["1995"] and (e.year_min, e.year_max) == (None, None)),
    ("anything apart from 90s stuff", lambda e: e.not_decades == ["1990s"] and e.decades == []),
    # guards
    ("the 80s on dvd", lambda e: e.decades == ["1980s"] and (e.year_min, e.year_max) == (None, None)),
    ("comedies from the eighties and nineties", lambda e: e.decades == ["1980s", "1990s"]),
    ("apart from that, i love comedies", lambda e: e.genres == ["Comedy"] and e.not_genres == []),
    # refusals
    ("count me out for horror", lambda e: e.not_genres == ["Horror"] and e.genres == []),
    ("i really can't do war films", lambda e: e.not_genres == ["War"] and e.genres == []),
    ("keep the cartoons for the kids, something for us", lambda e: "Animation" in e.not_genres and "Animation" not in e.genres),
    ("anything apart from horror", lambda e: e.not_genres == ["Horror"]),
    # quality
    # (a flop is a film few saw: little seen and good, as dev26's AU034 criterion says; this probe first read "acclaimed")
    ("stuff that flopped but is actually great", lambda e: e.qualities == ["hidden_gem"]),
    ("properly good horror not the cheap rubbish", lambda e: e.qualities == ["acclaimed"] and e.genres == ["Horror"]),
    ("hidden treasures", lambda e: e.qualities == ["hidden_gem"]),
    ("something critically panned", lambda e: "acclaimed" not in e.qualities),
    ("westerns that actually deserve their reputation", lambda e: e.qualities == ["acclaimed"] and e.moods == []),
    # mood: an example inside a longer one found is that one's word
    ("i want to laugh till i cry", lambda e: "sad" not in e.moods),
    ("a film that will make me think", lambda e: e.moods == ["thoughtful"]),
    ("feeling angry, want to see some bad guys get what they deserve", lambda e: e.moods == ["exciting"]),
])
def test_years_refusals_and_praise_probed_by_hand(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_refusals_with_a_title_someone_else_watched_still_ask_for_films(reader):
    """"no keanu reeves and no sandra bullock pls, my sister watched speed every day for a year" asks for films (it was
    read as feedback about Speed: no cards)."""
    from assistant.dialogue.nlu import Context

    u = reader.understand("no keanu reeves and no sandra bullock pls, my sister watched speed every day for a year", Context())
    assert u.act == "recommend" and u.entities.not_people == ["Keanu Reeves", "Sandra Bullock"], (u.act, u.entities)
    assert reader.understand("loved speed", Context()).act == "feedback"


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # refusals said after the kind of film, as an answer, or with a verb the rules lacked
    ("westerns? hard pass", lambda e: e.not_genres == ["Western"] and e.genres == []),
    ("comedy yes, horror no", lambda e: e.genres == ["Comedy"] and e.not_genres == ["Horror"]),
    ("dramas are a hard no", lambda e: e.not_genres == ["Drama"]),
    ("horror is a dealbreaker for me", lambda e: e.not_genres == ["Horror"]),
    ("i'd rather eat glass than watch a war film", lambda e: e.not_genres == ["War"] and e.genres == []),
    ("no thank you to anything animated", lambda e: e.not_genres == ["Animation"]),
    ("keep the slasher stuff away from me", lambda e: e.not_genres == ["Horror"]),
    ("keep the horror things well away from the kids", lambda e: e.not_genres == ["Horror"]),
    ("my wife vetoed horror", lambda e: e.not_genres == ["Horror"] and e.genres == []),
    ("please god no more superhero or action stuff", lambda e: e.not_genres == ["Action"]),
    ("horror, war and crime are all out", lambda e: e.not_genres == ["Horror", "War", "Crime"] and e.genres == []),
    ("horror and gore are off the table", lambda e: "Horror" in e.not_genres and "Horror" not in e.genres),
    ("comedies are fine as long as jim carrey is nowhere near them",
     lambda e: e.genres == ["Comedy"] and e.not_people == ["Jim Carrey"] and e.people == []),
    # guards: an ask stays an ask
    ("action, no romance", lambda e: e.genres == ["Action"] and e.not_genres == ["Romance"]),
    ("comedy and romance are fine", lambda e: e.genres == ["Comedy", "Romance"] and e.not_genres == []),
    ("horror pass the popcorn", lambda e: e.genres == ["Horror"]),
    ("i love horror and gore is off the table", lambda e: e.genres == ["Horror"]),
    # ratings, the British certificates among them
    ("nothing above a PG", lambda e: e.rated == ["G", "GP", "PG"]),
    ("nothing rated 15 or 18", lambda e: e.audience == "no_adult"),
    ("a 12A is fine but no 15s", lambda e: e.audience == "no_adult"),
    ("no 18s", lambda e: "NC-17" not in e.rated and "R" in e.rated),
    ("thriller yes, r rated no", lambda e: e.genres == ["Thriller"] and "R" not in e.rated and e.audience == "no_adult"),
    ("pg-13 is where i draw the line", lambda e: e.audience == "no_adult"),
    # a mood refused over a relative clause
    ("nothing that would scare a 6 year old", lambda e: "scary" not in e.moods),
    ("nothing that will give her nightmares", lambda e: "scary" not in e.moods),
    ("ive seen enough blood for one lifetime", lambda e: "scary" not in e.moods),
    # lengths said as too long, and "done in" a time
    ("two and a half hours is too long for her", lambda e: (e.runtime_min, e.runtime_max) == (None, 150)),
    ("anything over 2 hours is too long", lambda e: (e.runtime_min, e.runtime_max) == (None, 121)),
    ("it has to be done in an hour and a half, got a train to catch", lambda e: e.runtime_max == 91 and not e.unknown_titles),
    # years dated by a film or an event
    ("the year before titanic", lambda e: (e.year_min, e.year_max) == (1996, 1996)),
    ("the year after pulp fiction came out", lambda e: (e.year_min, e.year_max) == (1995, 1995)),
    ("a drama from when babe (the talking pig one) was in cinemas", lambda e: (e.year_min, e.year_max) == (1995, 1995)),
    ("from before neil armstrong walked on the moon", lambda e: e.year_max == 1968),
    # quality and moods said as situations
    ("films that get the audience on their feet applauding", lambda e: e.qualities == ["crowd_pleaser"]),
    ("want to scare myself silly", lambda e: e.moods == ["scary"]),
    ("sunday night dread, monday looming, want something soothing", lambda e: e.moods == ["calm"]),
])
def test_refusals_ratings_and_lengths_that_dev24_and_hand_probes_showed(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # years: an age in a year gives the birth year; ages "hit"; bounds said as dating; parts of a decade in other words
    ("my mum was 21 in 1977 and reckons the year she hit 30 was peak cinema", lambda e: (e.year_min, e.year_max) == (1986, 1986)),
    ("i was 15 in 1990, what came out that year", lambda e: (e.year_min, e.year_max) == (1990, 1990)),
    ("my dad turned 18 in 1977 and reckons films were never better than from then till he was 25",
     lambda e: e.year_min == 1977),
    ("my dad (born 1960) reckons films went downhill once he hit 30", lambda e: (e.year_min, e.year_max) == (1990, None)),
    ("anything pre-dating 1980", lambda e: (e.year_min, e.year_max) == (None, 1979) and e.moods == []),
    ("films postdating 1990, comedies", lambda e: (e.year_min, e.year_max) == (1991, None)),
    ("the tail end of the 80s", lambda e: (e.year_min, e.year_max) == (1986, 1989)),
    ("the dawn of the 90s", lambda e: (e.year_min, e.year_max) == (1990, 1993)),
    ("within a couple years of 1990", lambda e: (e.year_min, e.year_max) == (1988, 1992)),
    # a span of years refused is refused, not asked for: its whole decades and its other years
    ("a drama, nothing from 1980 to 1989", lambda e: e.not_decades == ["1980s"] and e.year_min is None and e.year_max is None),
    ("comedies but not 1985-1991", lambda e: e.not_decades == [str(y) for y in range(1985, 1992)] and e.year_min is None),
    ("anything but 75 to 84, a thriller", lambda e: e.not_decades == [str(y) for y in range(1975, 1985)]),
    ("no films from between 1970 and 1979 please", lambda e: e.not_decades == ["1970s"] and e.year_max is None),
    ("dramas between 1975 and 1984", lambda e: (e.year_min, e.year_max) == (1975, 1984) and e.not_decades == []),
    # audience: a child's age in brackets; grown-up films asked for or refused
    ("gf's little boy (7) is coming round", lambda e: e.audience == "kids"),
    ("proper adult stuff only", lambda e: e.qualities == ["adult"]),
    ("no adult stuff", lambda e: e.audience == "no_adult"),
    # people and titles refused in more ways; a prominent surname alone opens a message
    ("tom hanks films minus forrest gump", lambda e: e.people == ["Tom Hanks"] and len(e.excluded) == 1),
    ("i can't watch anything with mel gibson in it", lambda e: e.not_people == ["Mel Gibson"] and e.people == []),
    ("nicolas cage, hard pass", lambda e: e.not_people == ["Nicolas Cage"] and e.people == []),
    # people refused after their names the way kinds of film are: a list, and "keep ... away"
    ("tom hanks and meg ryan are out, something romantic",
     lambda e: e.not_people == ["Tom Hanks", "Meg Ryan"] and e.people == [] and e.genres == ["Romance"]),
    ("a comedy, keep jim carrey away from me", lambda e: e.not_people == ["Jim Carrey"] and e.people == []),
    ("tom hanks films, meg ryan is a hard pass", lambda e: e.people == ["Tom Hanks"] and e.not_people == ["Meg Ryan"]),
    ("spielberg but not the dinosaur ones", lambda e: e.people == ["Steven Spielberg"]),
    ("keaton michael", lambda e: e.people == []),
    # quality and moods
    ("a film everyone loved", lambda e: e.qualities == ["crowd_pleaser"]),
    ("something people actually enjoy, not critics darlings", lambda e: e.qualities == ["crowd_pleaser"]),
    ("certified fresh comedies", lambda e: e.qualities == ["acclaimed"] and e.genres == ["Comedy"]),
    ("feeling lonely tonight", lambda e: e.moods == ["feel_good"]),
    ("want to feel inspired to chase my dreams", lambda e: e.moods == ["inspiring"]),
    ("something to make me believe in love again", lambda e: e.moods == ["romantic"]),
])
def test_years_audience_people_and_praise_probed_by_hand_after_dev24(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    ("valentines day alone, anti romance please", lambda e: e.not_genres == ["Romance"] and e.genres == []),
    ("an anti war film", lambda e: e.genres == ["War"] and e.not_genres == []),
    # a mood example must not stand for its opposite, nor for a word that only looks like it
    ("doomed. the kind where you know from the first scene it ends badly", lambda e: "feel_good" not in e.moods),
    ("nye, staying in, want something that ends on a massive high", lambda e: e.moods == ["feel_good"]),
    ("my niece is 11 and staying w us this summer, she'd love a proper adventure", lambda e: "thoughtful" not in e.moods),
    # "isn't too long" is a short film, not a long one
    ("a western that isn't too long, ideally with clint eastwood", lambda e: (e.runtime_min, e.runtime_max) == (None, 100)),
])
def test_anti_and_mood_examples_that_look_alike(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # "little seen" said as who saw it, or as films that missed their audience
    ("horror films most people have never heard of", lambda e: e.qualities == ["hidden_gem"] and e.genres == ["Horror"]),
    ("a comedy that not many people have seen", lambda e: e.qualities == ["hidden_gem"]),
    ("something nobody i know has watched", lambda e: e.qualities == ["hidden_gem"]),
    ("crime films that never found an audience", lambda e: e.qualities == ["hidden_gem"] and e.genres == ["Crime"]),
    ("dramas that slipped through the cracks", lambda e: e.qualities == ["hidden_gem"]),
    ("a lesser seen romance", lambda e: e.qualities == ["hidden_gem"]),
    # "films that didn't get ...": the films' doing, not a title the user did not get
    ("films that didn't get the attention they deserved", lambda e: e.qualities == ["hidden_gem"] and e.unknown_titles == []),
    ("everyone has seen it", lambda e: e.qualities == []),
    ("a mystery where nobody saw the ending coming", lambda e: "hidden_gem" not in e.qualities),
    ("a thriller where no one knows who the killer is", lambda e: "hidden_gem" not in e.qualities),
    # refusals said as what a kind of film does to someone, as having had one's fill, or as refusing to watch
    ("something light, horror gives me nightmares", lambda e: e.not_genres == ["Horror"] and e.genres == []),
    ("war films upset him, a drama please", lambda e: e.not_genres == ["War"] and e.genres == ["Drama"]),
    ("drama please, had my fill of war films this year", lambda e: e.not_genres == ["War"] and e.genres == ["Drama"]),
    ("my wife refuses to watch anything violent", lambda e: "War" in e.not_genres and "Horror" in e.not_genres),
    ("horror gives me a thrill", lambda e: e.not_genres == []),
])
def test_little_seen_and_refusals_said_as_effects_probed_by_hand(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # sarcasm takes back what it follows; soldiers are war films
    ("oh lovely, another war film, said my wife never. so nothing with soldiers in it pls",
     lambda e: e.not_genres == ["War"] and e.genres == []),
    ("a comedy, no soldiers", lambda e: e.genres == ["Comedy"] and e.not_genres == ["War"]),
    ("a war film with soldiers", lambda e: e.genres == ["War"] and e.not_genres == []),
    # a refusal of what a film turns into
    ("want some sci-fi but nothing that tips over into horror", lambda e: e.genres == ["Sci-Fi"] and e.not_genres == ["Horror"]),
    # a person kept out: "isnt in it"
    ("adventure film, anything as long as tom cruise isnt in it",
     lambda e: e.not_people == ["Tom Cruise"] and e.people == [] and e.genres == ["Adventure"]),
    # swearing in British slang; violence said through what it does to the viewer
    ("grandparents cant be doing with effing and blinding", lambda e: e.audience == "clean"),
    ("mums 75, any violence and shes straight out of the room. ideas?", lambda e: "War" in e.not_genres),
    # a length worked out from an end said before the start, and minutes misspelt
    ("gotta be finished by 10, we're starting at 8:15", lambda e: e.runtime_max == 106),
    ("nothing longer than ninety minits pls, sci fi", lambda e: e.runtime_max == 91 and e.genres == ["Sci-Fi"]),
    # kinds of film in other words
    ("old-school song and dance pictures, anything 1930 to 1959", lambda e: e.genres == ["Musical"]),
    ("stag do hangover sunday, no chick flicks", lambda e: e.not_genres == ["Romance"]),
    # a child's birthday names the age; "never met a ... he didnt like" likes them all
    ("sleepover for my daughters 11th, six girls, what can they watch", lambda e: e.audience == "kids"),
    ("my dad has never met a cowboy film he didnt like", lambda e: e.genres == ["Western"] and e.not_genres == []),
])
def test_dev25_first_run_failures_read_as_said(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a refusal reaches over adverbs ("not really in the mood for"), lists after a word no genre is ("so over superhero
    # and space stuff"), and the examples of what it refuses ("anything too dark like crime or thrillers")
    ("not really in the mood for romance or drama tonight",
     lambda e: e.not_genres == ["Romance", "Drama"] and e.genres == []),
    ("im so over superhero and space stuff, something else pls", lambda e: e.not_genres == ["Sci-Fi"] and e.genres == []),
    ("avoid anything too dark like crime or thrillers",
     lambda e: e.not_genres == ["Crime", "Thriller"] and e.genres == [] and "dark" not in e.moods),
    ("no sad stuff like dramas please", lambda e: e.not_genres == ["Drama"] and "sad" not in e.moods),
    ("not a big fan of musicals, something else", lambda e: e.not_genres == ["Musical"]),
    ("my son is 12 and thinks hes too cool for cartoons", lambda e: e.not_genres == ["Animation"] and e.genres == []),
    # a word that names two genres is refused whole
    ("i'm done with comedies and romcoms", lambda e: e.not_genres == ["Comedy", "Romance"] and e.genres == []),
    # ... and the same words as wishes stay wishes
    ("nothing too heavy more like a comedy", lambda e: e.genres == ["Comedy"] and e.not_genres == []),
    ("i want something like a comedy", lambda e: e.genres == ["Comedy"]),
    ("i wouldnt mind something like a thriller", lambda e: e.genres == ["Thriller"]),
    ("hate violence and love comedy", lambda e: "Comedy" in e.genres),
    ("avoid anything too long", lambda e: (e.runtime_min, e.runtime_max) == (None, 100)),
    # a decade as a bound, and a year widened by the years said
    ("films from the 1970s or earlier", lambda e: (e.year_min, e.year_max, e.decades) == (None, 1979, [])),
    ("westerns, 60s at the latest", lambda e: (e.year_min, e.year_max) == (None, 1969)),
    ("up to and including the 80s", lambda e: (e.year_min, e.year_max) == (None, 1989)),
    ("films from 1990 at the earliest", lambda e: (e.year_min, e.year_max) == (1990, None)),
    ("within five years of 1990", lambda e: (e.year_min, e.year_max) == (1985, 1995)),
    ("around 1985 plus or minus 3 years", lambda e: (e.year_min, e.year_max) == (1982, 1988)),
    ("the 80s or later", lambda e: (e.year_min, e.year_max) == (1980, None)),
    # ages in words, little ones, and a bare "pg"
    ("suitable for a nine year old please", lambda e: e.audience == "kids"),
    ("movie for my class of ten year olds", lambda e: e.audience == "kids"),
    ("the little ones are with us tonight", lambda e: e.audience == "kids"),
    ("a twenty year old film about friendship", lambda e: not e.audience),
    ("something pg please", lambda e: e.rated == ["G", "GP", "PG"]),
    # people kept out, said around them
    ("keep bruce willis and mel gibson out of it",
     lambda e: e.not_people == ["Bruce Willis", "Mel Gibson"] and e.people == []),
    ("keep it light, no horror", lambda e: e.not_genres == ["Horror"] and e.not_people == []),
    # dev25's first-run failures: a season and a short year, a feature length that is not bloated, and children the
    # user spends the day with (not who watches)
    ("my first term at uni was autumn 92, what was showing back then", lambda e: (e.year_min, e.year_max) == (1992, 1992)),
    ("christmas 85, what was in cinemas", lambda e: (e.year_min, e.year_max) == (1985, 1985)),
    ("the decade my parents got married in. mum says it was december 69. so that decade then",
     lambda e: (e.year_min, e.year_max) == (1960, 1969)),
    ("feature length but not bloated, yknow?", lambda e: (e.runtime_min, e.runtime_max) == (80, 121)),
    ("something funny but not family stuff, i spend all day with thirty 9 year olds and need grown up jokes",
     lambda e: not e.audience and e.not_genres == ["Children's", "Family"]),
    ("babysitting two 6 year olds tonight", lambda e: e.audience == "kids"),
])
def test_refusal_scope_decade_bounds_and_ages_in_words_probed_by_hand(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # titles refused after them, a kind of film that is someone's hell, boredom going on to the next kind
    ("sci fi, but contact and twelve monkeys are off the table, my housemate made me sit through both twice last month",
     lambda e: e.genres == ["Sci-Fi"] and sorted(e.excluded) == ["258", "7"] and e.not_genres == []),
    ("romcoms are my personal hell, happy with literally any other kind of film",
     lambda e: e.not_genres == ["Comedy", "Romance"] and e.genres == [] and e.moods == []),
    ("documentarys bore me senseless and so do biopics, so skip both",
     lambda e: e.not_genres == ["Documentary", "Biography"] and e.reference == []),
    ("no horror, same goes for thrillers", lambda e: e.not_genres == ["Horror", "Thriller"]),
    ("no horror, same goes for biopics", lambda e: e.not_genres == ["Horror", "Biography"]),
    ("i hate westerns and so does my wife", lambda e: e.not_genres == ["Western"]),
    # years bounded by a refusal with a relative clause, and by the user's arrival
    ("nothing that predates 1995, preferably something that makes me laugh", lambda e: (e.year_min, e.year_max) == (1995, None)),
    ("anything from before i arrived in 1979, so yeah old stuff. a thriller would be ace",
     lambda e: (e.year_min, e.year_max) == (None, 1978) and e.genres == ["Thriller"]),
    # ratings: R steered clear of, and the British "U or PG"
    ("film with my 15 yr old, she turns her nose up at anything kiddy but id rather steer clear of R rated",
     lambda e: "R" not in e.rated and e.audience == "no_adult"),
    ("has to be a U or a PG, the 9 year old is quite sensitive", lambda e: e.rated == ["G", "GP", "PG"]),
    # films that flopped are little seen; "not soppy" keeps the romance asked for
    ("films that flopped or got ignored but are genuinely good", lambda e: e.qualities == ["hidden_gem"]),
    ("romantic mood but not soppy slush", lambda e: e.genres == ["Romance"] and e.not_genres == []),
    ("nothing soppy please", lambda e: e.not_genres == ["Romance"]),
    # the time there is, from "its 9 on the dot" to "the next feed is at 11"
    ("babys finally down, its 9 on the dot and the next feed is at 11", lambda e: e.runtime_max == 121),
    # a subject refused is no kind of film refused
    ("fostering a 7 yr old girl. social worker said steer clear of stories about families splitting up. gentle and fun pls",
     lambda e: e.audience == "kids" and e.not_genres == []),
    # a first name one prominent person owns is theirs, not a typo of a surname or a title; a thing's name is no name
    ("action film, just not one with keanu in it", lambda e: e.not_people == ["Keanu Reeves"]),
    ("action but keep arnie out of it, my husband does the voice all day",
     lambda e: e.not_people == ["Arnold Schwarzenegger"] and e.excluded == []),
    ("anything after 1991 really, the older stuff looks weird on the new telly", lambda e: e.people == []),
    ("my niece is nearly 5 and quite a sensitive little thing, what can we put on for her", lambda e: e.audience == "kids"),
    ("not really in the mood for reading subtitles tonight, my eyes are shot", lambda e: e.languages == ["English"]),
])
def test_dev26_first_run_failures_read_as_said(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # an era refused is the years after it, not before: "no old films" had shown Casablanca
    ("no old films please", lambda e: (e.year_min, e.year_max) == (1970, None)),
    ("i dont like old films, they look weird", lambda e: (e.year_min, e.year_max) == (1970, None) and e.moods == []),
    ("old films look weird to me, something funny", lambda e: e.year_min == 1970 and e.genres == ["Comedy"]),
    ("something funny but nothing old", lambda e: e.year_min == 1970 and e.genres == ["Comedy"]),
    ("any good old films", lambda e: (e.year_min, e.year_max) == (None, 1969)),
    ("i dont do black and white", lambda e: (e.year_min, e.year_max) == (1960, None)),
    ("any good black and white films?", lambda e: (e.year_min, e.year_max) == (None, 1959)),
    # a refusal's own words are no mood and no query ("off" is not "doze off")
    ("leave westerns off the list", lambda e: e.not_genres == ["Western"] and e.moods == [] and not e.query),
    ("leave horror off the list, something exciting",
     lambda e: e.not_genres == ["Horror"] and e.moods == ["exciting"] and not e.query),
    # an ordinary-word title listed beside a refused title, when the message names someone it credits
    ("winona ryder but not reality bites or boys",
     lambda e: e.people == ["Winona Ryder"] and sorted(e.excluded) == ["1074", "1326"]),
    ("mel gibson but not braveheart or ransom", lambda e: e.people == ["Mel Gibson"] and sorted(e.excluded) == ["22", "742"]),
    # a length word refused, or little time said with "long": not read as a long film
    ("i dont want anything long", lambda e: (e.runtime_min, e.runtime_max) == (None, 100)),
    ("havent got long tonight", lambda e: (e.runtime_min, e.runtime_max) == (None, 100)),
    ("it cant be long, the kids are up early", lambda e: (e.runtime_min, e.runtime_max) == (None, 100)),
    ("nothing short please", lambda e: (e.runtime_min, e.runtime_max) == (90, None)),
    ("nothing short of brilliant", lambda e: (e.runtime_min, e.runtime_max) == (None, None) and e.qualities),
    # a quality word refused is not asked for, nor leaned to; "nothing popular" still asks for the little seen
    ("nothing critics love, i want fun", lambda e: e.qualities == [] and e.leaned_qualities == [] and e.moods),
    ("no oscar bait", lambda e: e.qualities == [] and e.not_qualities == ["oscar"]),
    ("nothing popular, i want something different", lambda e: e.qualities == ["hidden_gem"]),
    # children's films refused: no leaning to family or animated films either
    ("no kids films", lambda e: e.not_genres == ["Children's"] and not {"Family", "Animation"} & set(e.leanings)),
])
def test_refused_eras_and_refusal_words_probed_by_hand(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a kind of film refused by sarcasm, or put first and refused after it
    ("a musical?? oh sure, cos i LOVE it when everyone suddenly starts singing at the bus stop. anything else mate",
     lambda e: e.not_genres == ["Musical"] and e.genres == []),
    ("a western? sure, why not", lambda e: e.genres == ["Western"]),
    ("westerns i dont do. never have. dad made us watch one every boxing day for 30 yrs",
     lambda e: e.not_genres == ["Western"] and e.genres == []),
    ("horror, i dont like gore", lambda e: e.genres == ["Horror"] and e.not_genres == []),
    # a person refused through "none of his"
    ("my mate reckons every hugh grant film is the same film and hes not wrong, so none of his. something funny tho",
     lambda e: e.not_people == ["Hugh Grant"] and e.people == []),
    # a rating said as how far someone will go
    ("three lads aged 10 to 12 at my place, theyre after action but their mum says PG is as far as she will go",
     lambda e: e.rated == ["G", "GP", "PG"]),
    # a bare length with its bound after it, in words or digits, and two bounds said one after the other
    ("horror flick thats ninety or under, they always sag in the middle otherwise", lambda e: e.runtime_max == 91),
    ("at least 100 mins but no more than 2 hours, anything less feels thin and anything more i nod off",
     lambda e: (e.runtime_min, e.runtime_max) == (100, 121)),
    ("no more than 2 hours, at least 100 mins", lambda e: (e.runtime_min, e.runtime_max) == (100, 121)),
    # a bad week is the user's, and a smile is asked for: feel-good, not dark
    ("had the worst week, landlords selling the flat, need something to make me smile", lambda e: e.moods == ["feel_good"]),
])
def test_dev27_first_run_failures_read_as_said(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_replies_to_refused_eras_and_qualities_say_what_was_applied(ml100k_assistant):
    a = ml100k_assistant
    cat = a.catalog
    r = a.respond("refused-1", "no old films please")
    assert r.cards and all(cat[c.item_id].year >= 1970 for c in r.cards) and "from 1970 on" in r.text
    r = a.respond("refused-2", "i dont do black and white")
    assert r.cards and all(cat[c.item_id].year >= 1960 for c in r.cards)
    assert "I have no data on \u201cblack and white\u201d" in r.text and "films from 1960 on instead" in r.text
    r = a.respond("refused-3", "nothing critics love, i want fun")
    assert r.cards and "I can't filter out films critics love, so some may be in this list." in r.text


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # how known a film is, refused: the lesser-known ones are asked for
    ("not the famous ones", lambda e: e.qualities == ["hidden_gem"]),
    ("i dont want anything famous", lambda e: e.qualities == ["hidden_gem"]),
    ("avoid the popular stuff", lambda e: e.qualities == ["hidden_gem"] and e.unmatched == []),
    ("sick of mainstream stuff", lambda e: e.qualities == ["hidden_gem"] and e.unmatched == []),
    # "not just popular" asks for more than popular, and refuses nothing
    ("I want a really good thriller. like actually good, not just popular", lambda e: "hidden_gem" not in e.qualities),
    ("something popular", lambda e: "hidden_gem" not in e.qualities),
    # a reaction to content ("tuts at") refuses all of a list, and "anything bloody" is in it: no violent genres
    ("my father is 80 and tuts at swearing or anything bloody",
     lambda e: e.audience == "clean" and {"Horror", "War"} <= set(e.not_genres)),
])
def test_refused_fame_reads_as_little_known(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
def test_a_refused_quality_alone_still_gets_films(ml100k_assistant):
    """"i hate arty award winners" says only what is not wanted: films, with the note that it cannot be filtered out,
    not the help text."""
    r = ml100k_assistant.respond("refused-q-alone", "i hate arty award winners")
    assert r.cards and "I can't filter out award winners, so some may be in this list." in r.text


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # lengths: "for long" and "any longer" are how long someone lasts (little time), "inside", "by the 2 hour mark",
    # "nothing that clocks more than", a soccer game
    ("my wee one's just turned three and cant sit still for long",
     lambda e: e.audience == "kids" and e.runtime_max == 100 and e.runtime_min is None),
    ("something for my 5 yo thats done inside 80 minutes, she wont last any longer",
     lambda e: e.audience == "kids" and (e.runtime_min, e.runtime_max) == (None, 80) and e.unknown_titles == []),
    ("at least 90 min but wrapped up by the 2 hour mark", lambda e: (e.runtime_min, e.runtime_max) == (90, 121)),
    ("thriller, the kind that gets in and out quick, nothing that clocks more than a hundred minutes",
     lambda e: e.genres == ["Thriller"] and e.reference == [] and e.runtime_max == 101 and e.runtime_min is None),
    ("no longer than a soccer game without the extra time, thats my attention span gone", lambda e: e.runtime_max == 91),
    ("after the football match, a comedy", lambda e: e.runtime_max is None),
    # refusals: "whatever bar X", "X not invited", a war film's lasting effect, "cries at anything sad"
    ("happy with whatever bar the horrors and the westerns, ta",
     lambda e: e.not_genres == ["Horror", "Western"] and e.genres == [] and e.unused == []),
    ("a western set in a bar", lambda e: e.genres == ["Western"] and e.not_genres == []),
    ("a thriller, bruce willis not invited, hes in every second one",
     lambda e: e.not_people == ["Bruce Willis"] and e.people == [] and e.genres == ["Thriller"]),
    ("nothing with soldiers or battles. war stuff sits with me for days after",
     lambda e: e.not_genres == ["War"] and e.genres == []),
    ("my 8 yr old cries at anything even a bit sad so nothing where someone dies ok",
     lambda e: e.audience == "kids" and "sad" not in e.moods),
    # who watches: a birth year beside the decade asked for, a churchgoing nan, the little ones
    ("arrived 1980, so whatever my folks were queuing at the cinema for in the 70s",
     lambda e: e.decades == ["1970s"] and e.year_min is None),
    ("me nan is 91 and goes to mass every day, nothing with language or bedroom stuff", lambda e: e.audience == "clean"),
    ("no foreign language films", lambda e: e.audience == "" and e.languages == ["English"]),
    # a grandmother's age is two digits: "turns 100" and a year after her ("nana ... 1960") say no audience
    ("my nan turns 100 on sunday!! she wants something from when she was courting, the 1940s. the soppier the better "
     "apparently", lambda e: e.audience == "" and e.decades == ["1940s"]),
    ("after iftar, everyones round incl the little ones, need something clean", lambda e: e.audience in ("kids", "clean")),
    # moods and qualities said in other words
    ("proper gutted, my team just got knocked out in the semis. lift me out of it but nothing about sport ffs",
     lambda e: e.moods == ["feel_good"] and e.not_genres == ["Sport"]),
    ("minus 30 outside, got a blanket and a hot chocolate and i want to be trying to figure out who did it right til the end",
     lambda e: e.moods == ["tense"]),
    ("bored outta my skull. want stuff blowing up every ten mins, plot optional, and no subtitles ill be on my phone "
     "half the time", lambda e: e.moods == ["exciting"] and e.languages == ["English"]),
    ("did my leaving cert in 95, what from that year is worth my time",
     lambda e: (e.year_min, e.year_max) == (1995, 1995) and e.qualities == ["acclaimed"]),
    ("paddys day, the craic was mighty but the pubs shut now, something with a bit of ireland in it",
     lambda e: e.countries == ["Ireland"]),
    ("give us a bit of us time", lambda e: e.countries == []),
])
def test_dev28_first_run_failures_read_as_said(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a reaction that upsets the viewer refuses what follows it, as "no horror" does; a wish to react does not
    ("something for tonight, my wife gets upset over anything scary",
     lambda e: e.genres == [] and e.not_genres == ["Horror"] and "scary" not in e.moods),
    ("terrified of horror films", lambda e: e.genres == [] and e.not_genres == ["Horror"] and "scary" not in e.moods),
    ("she cant handle anything scary", lambda e: e.genres == [] and e.not_genres == ["Horror"]),
    ("he freaks out at horror movies so a comedy", lambda e: e.genres == ["Comedy"] and e.not_genres == ["Horror"]),
    ("my son freaks out at anything violent", lambda e: {"Horror", "War", "Crime"} <= set(e.not_genres)),
    ("i get upset at sad endings, something funny", lambda e: "sad" not in e.moods and e.genres == ["Comedy"]),
    ("i want to be scared by a horror", lambda e: e.genres == ["Horror"] and e.not_genres == []),
    ("a film to get scared by", lambda e: e.moods == ["scary"]),
    ("i want to cry at something tonight", lambda e: e.moods == ["sad"]),
])
def test_an_upsetting_reaction_refuses_what_follows(reader, text, check):
    _assert_reading(reader, text, check)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["something romantic", "a romance please"])
def test_a_named_romance_ranks_war_and_horror_romances_last(ml100k_assistant, text):
    """MovieLens tags the Star Wars films Romance and War: "something romantic" showed three of them first. A genre
    named on its own ranks as its mood does (catalog.facets.GENRE_MOOD): what works against it comes last."""
    from catalog.facets import broad_genres

    r = ml100k_assistant.respond("named-romance-" + text, text)
    items = [ml100k_assistant.catalog[c.item_id] for c in r.cards]
    assert len(items) == 5 and all("Romance" in it.genres for it in items)
    assert not any(broad_genres(it) & {"War", "Horror"} for it in items), [it.display_title for it in items]


@pytest.mark.slow
@pytest.mark.parametrize("text, check", [
    # a person who "never made me laugh" refuses the person, not comedy; "X isnt my thing" refuses X
    ("comedy but spare me steve martin, the fella has never once made me laugh",
     lambda e: e.genres == ["Comedy"] and e.not_genres == [] and e.not_people == ["Steve Martin"]),
    ("comedy isnt my thing", lambda e: e.not_genres == ["Comedy"] and e.genres == []),
    ("horror is my thing", lambda e: e.genres == ["Horror"]),
    # elves and starships are fantasy and science fiction
    ("whatever you pick, no elves or starships, that whole side of things does nothing for me",
     lambda e: e.not_genres == ["Fantasy", "Sci-Fi"] and e.excluded == []),
    # a birth year said as "a 58 baby"; "nothing older than me" is from that year on
    ("older than my pops please, hes a 58 baby", lambda e: (e.year_min, e.year_max) == (None, 1957)),
    ("a proper brain workout. nothing older than me tho, im a 92 baby",
     lambda e: (e.year_min, e.year_max) == (1992, None) and e.moods == ["mind_bending"]),
    # who watches: grandchildren by their Maori name with their ages, the whole whanau, a reception class; a school
    # year is no decade and "wont allow anything R rated" refuses R; nobody looking away is the clean audience
    ("got the mokopuna this weekend, theyre 6 and 9", lambda e: e.audience == "kids"),
    ("waitangi weekend at the bach and the rains set in, something for the whole whanau, nana included",
     lambda e: e.audience == "kids"),
    ("reception class, all 5, last afternoon before the holidays, something short",
     lambda e: e.audience == "kids" and e.runtime_max == 100),
    ("teaching yr 10s (15, 16) this term and the principal wont allow anything R rated",
     lambda e: e.audience == "no_adult" and e.rated == [] and e.decades == [] and e.unread_years == ""),
    ("watching with my parents and grandparents, kindly suggest something where nobody has to look away at any scene",
     lambda e: e.audience == "clean"),
    # a refused teen film is no teenage audience
    ("25 years married on valentines, want something romantic but not the soppy teenage stuff",
     lambda e: e.audience == "" and "Romance" in e.genres),
    ("for my teenager", lambda e: e.audience == "no_adult"),
    # lengths: double-digit minutes, something long "to eat up the time"
    ("a drama, but keep it to double-digit minutes", lambda e: e.genres == ["Drama"] and e.runtime_max == 100),
    ("30 hour train from chennai to delhi, want something really long to eat up the time",
     lambda e: e.runtime_min == 150 and e.moods == []),
    # moods: bawling
    ("my guy got his visa and hes japa-ing next month, we want something that will make two grown men bawl",
     lambda e: e.moods == ["sad"]),
])
def test_dev29_first_run_failures_read_as_said(reader, text, check):
    _assert_reading(reader, text, check)
