"""The turn pipeline's stages one at a time: entity linking, act rules, state updates, policy, the reply checker.

Linking runs on the real ML-100K catalog (titles as people type them); the state and policy tests use
the tiny catalog. The act classifier itself is measured on the labelled set by bench/bench_nlu.py.
"""

from __future__ import annotations

import pytest

from assistant.dialogue import dst, policy
from assistant.dialogue.acts import Entities, Understanding
from assistant.dialogue.nlu import Context, Understander
from tools.state import Request, SessionState


@pytest.fixture(scope="module")
def linker(ml100k, ml100k_kg):
    from assistant.dialogue.entities import EntityLinker

    return EntityLinker(ml100k, ml100k_kg)


def titles(linker, ids):
    return sorted(linker.catalog[i].display_title for i in ids)


@pytest.mark.slow
@pytest.mark.parametrize("text, role, expected", [
    ("big fan of toy story, fargo and heat -- got any comedy picks?", "liked",
     ["Fargo (1996)", "Heat (1995)", "Toy Story (1995)"]),
    ("the godfather and goodfellas are my favourites, what next?", "liked", ["Godfather, The (1972)", "GoodFellas (1990)"]),
    ("anything like stra wars?", "reference", ["Star Wars (1977)"]),  # a typo
    ("i've seen jaws and e.t. already", "seen", ["E.T. the Extra-Terrestrial (1982)", "Jaws (1975)"]),
    ("not a fan of pulp fiction", "disliked", ["Pulp Fiction (1994)"]),
    ("thrillers from 1996, not Fargo or The Rock", "excluded", ["Fargo (1996)", "Rock, The (1996)"]),
    ("loved butch cassidy and four weddings", "liked",  # partial titles people write
     ["Butch Cassidy and the Sundance Kid (1969)", "Four Weddings and a Funeral (1994)"]),
    ("mockumentaries like spinal tap", "reference", ["This Is Spinal Tap (1984)"]),  # a title after "This Is"
    ("already watched the chocolate factory", "seen", ["Willy Wonka and the Chocolate Factory (1971)"]),  # after "and the"
    # praise with an article after the title is a cue too
    ("the godfather is a masterpiece imo", "liked", ["Godfather, The (1972)"]),
    ("casablanca is an absolute classic. more like that?", "liked", ["Casablanca (1942)"]),
    # two neighbouring letters swapped is one typo; a misspelt word that is also a surname is still the title
    ("i loved tiatnic and the godfather", "liked", ["Godfather, The (1972)", "Titanic (1997)"]),
    ("heat, fagro and seven are my favourites", "liked", ["Fargo (1996)", "Heat (1995)", "Seven (Se7en) (1995)"]),
    ("Jurassic Park and Men in Blakc are my faves", "liked", ["Jurassic Park (1993)", "Men in Black (1997)"]),
    # a misspelt title that ends in a short word ("men") and the title listed after it
    ("loved Grupmier Old Men and heat", "liked", ["Grumpier Old Men (1995)", "Heat (1995)"]),
    # every title of the list misspelt: the cue after the list reaches them all
    ("Godfathr, Csablanca and Chinatwon are my favourites", "liked",
     ["Casablanca (1942)", "Chinatown (1974)", "Godfather, The (1972)"]),
    # a title inside a longer misspelt one is the longer title ("Die Hard" in "die hard with a vengance")
    ("just watched die hard with a vengance", "seen", ["Die Hard: With a Vengeance (1995)"]),
    ("loved dead man walkng and the shawshenk redemption", "liked",
     ["Dead Man Walking (1995)", "Shawshank Redemption, The (1994)"]),
    # a film named by an ordinary word, lowercase, right after a feedback verb and ending its clause
    ("loved heat.", "liked", ["Heat (1995)"]),
    ("rewatched seven, what else is that dark", "seen", ["Seven (Se7en) (1995)"]),
    ("hated ransom", "disliked", ["Ransom (1996)"]),
])
def test_titles_are_linked_with_their_role(linker, text, role, expected):
    e = linker.link(text).entities
    assert titles(linker, getattr(e, role)) == expected, e


@pytest.mark.slow
def test_ordinary_words_are_not_titles(linker):
    for text in ("forget me", "show me something to watch with friends", "i need a good laugh tonight",
                 "something before 1980 please", "in the mood for something heat-of-the-moment",
                 "a drama where someone committed suicide",  # ordinary words ending a title need a cue
                 "the holy grail of horror films",
                 "some bulletproof dramas please",  # a word before a genre describes it (not Bulletproof)
                 "pizza, beer and a movie tonight", "sunny, funny and short please",  # a list, no title cue
                 "watched seven films this week, need another"):  # an ordinary word that goes on is no title
        e = linker.link(text).entities
        assert not e.titles(), (text, titles(linker, e.titles()))
    e = linker.link("i loved alien, show me sci-fi from the 1980s").entities  # a verb after a listed title
    assert titles(linker, e.titles()) == ["Alien (1979)"], titles(linker, e.titles())


@pytest.mark.slow
def test_people_genres_negations_years_places(linker):
    e = linker.link("spielberg films i haven't seen, no horror please, from the 80s").entities
    assert e.people == ["Steven Spielberg"] and e.not_genres == ["Horror"] and e.decades == ["1980s"]
    e = linker.link("i dont like musicals or westerns").entities
    assert sorted(e.not_genres) == ["Musical", "Western"] and not e.genres
    e = linker.link("comedy instead of horror").entities
    assert e.genres == ["Comedy"] and "Horror" not in e.genres + e.not_genres
    e = linker.link("movies before 1950 and after 1990").entities
    assert (e.year_min, e.year_max) == (1991, 1949)
    e = linker.link("anything from the coen brothers?").entities
    assert sorted(e.people) == ["Ethan Coen", "Joel Coen"]
    e = linker.link("summer camp movies").entities  # an ordinary word is no lesser-known surname (Colleen Camp)
    assert not e.people, e.people
    e = linker.link("i love the chills").entities  # nor a typo of one (Lois Chiles)
    assert not e.people, e.people
    e = linker.link("With Jack Nicholson?").entities
    assert e.people == ["Jack Nicholson"] and not e.titles()  # not "Jack (1996)"
    e = linker.link("french films, or british ones").entities
    assert e.languages == ["French"] and e.countries == ["United Kingdom"]
    e = linker.link("They're in their 60s and liked Some Like It Hot and The Apartment").entities
    assert not e.decades and titles(linker, e.liked) == ["Apartment, The (1960)", "Some Like It Hot (1959)"]


@pytest.mark.slow
def test_cards_unknown_and_ambiguous_titles(linker):
    assert linker.link("seen the first three", 5).entities.cards == [1, 2, 3]
    assert linker.link("watched the last two already", 5).entities.cards == [4, 5]
    assert linker.link("why 4 and 5?", 5).entities.cards == [4, 5]
    assert linker.link("i liked the second", 5).entities.cards == [2]
    # an ordinal that counts something else is no card, also with cards on screen
    for text in ("it's her first weekend at ours", "ideas for a second date?", "for our third anniversary",
                 "the first time i saw it"):
        assert linker.link(text, 5).entities.cards == [], text
    e = linker.link("loved the dark knight and inception. what've you got")
    assert e.entities.unknown_titles  # films the catalog lacks, in lowercase
    e = linker.link("Shrek and Toy Story 2 are my kids' favourites").entities
    assert "Toy Story 2" in e.unknown_titles and not e.titles()
    e = linker.link("i loved sabrina").entities
    assert e.ambiguous and titles(linker, e.ambiguous[0][1]) == ["Sabrina (1954)", "Sabrina (1995)"]
    assert titles(linker, e.liked) == titles(linker, e.provisional) == ["Sabrina (1995)"]  # the most rated, meanwhile
    e = linker.link("Something like Sabrina, the 1954 one").entities
    assert titles(linker, e.reference) == ["Sabrina (1954)"] and e.year_min is None


@pytest.mark.slow
def test_command_rules_need_no_classifier(linker):
    nlu = Understander(linker)  # no classifier, no LLM
    on_screen = Context(n_cards=5, has_request=True)
    cases = {"why 3": "explain", "more please": "more", "start over": "start_over", "forget me": "forget_me",
             "none of those": "reject", "show the first ones again": "show_again", "like #2 but older": "critique",
             "seen the first three": "feedback", "not 2": "feedback", "i'm new here": "onboarding"}
    for text, act in cases.items():
        assert nlu.understand(text, on_screen).act == act, text
    # acts that need cards become a request in a session that showed nothing
    assert nlu.understand("more please", Context()).act == "recommend"


@pytest.mark.slow
def test_an_event_for_the_first_time_is_not_a_new_user(linker):
    class SureOfOnboarding:  # the classifier's reading of "... for the first time ..."
        def predict(self, masked, cards, request):
            return [("onboarding", 0.9)]

    nlu = Understander(linker, SureOfOnboarding())
    assert nlu.understand("first time here, what do you need to know", Context()).act == "onboarding"
    assert nlu.understand("my nephew is visiting for the first time, he is 9", Context()).act != "onboarding"


@pytest.mark.slow
def test_a_complete_new_request_is_not_a_refinement(linker):
    class SureOfRefine:  # the classifier's usual reading of a request that follows another
        def predict(self, masked, cards, request):
            return [("refine", 0.9)]

    nlu = Understander(linker, SureOfRefine())
    going = Context(n_cards=5, has_request=True)
    assert nlu.understand("recommend a Tom Hanks movie", going).act == "recommend"
    assert nlu.understand("ok can you suggest some horror films", going).act == "recommend"
    for follow_up in ("ideally from the 1990s", "give me some from the 90s", "show me some tom hanks ones",
                      "recommend some movies from the 80s too", "only comedies"):
        assert nlu.understand(follow_up, going).act == "refine", follow_up


def test_deleting_a_profile_needs_the_users_own_words(tiny_dataset):
    from assistant.dialogue.entities import EntityLinker

    class SureOfForget:
        def predict(self, masked, cards, request):
            return [("forget_me", 0.99)]

    nlu = Understander(EntityLinker(tiny_dataset), SureOfForget())
    assert nlu.understand("'; DROP TABLE profiles; --", Context()).act != "forget_me"
    assert nlu.understand("please delete my data", Context()).act == "forget_me"


def state_with(**request) -> SessionState:
    s = SessionState("s", cards=["alien", "blade", "starwars"], results=["alien", "blade", "starwars", "empire"])
    s.request = Request(**request)
    return s


def update(s, act, **ents) -> list:
    u = Understanding(act, Entities(**ents), "")
    ops = dst.plan_update(s, u, None)
    dst.apply(s, ops)
    return ops


def test_a_leaning_lasts_until_a_new_wording_reads_a_mood_or_another_leaning():
    s = state_with(moods=["feel_good"], leanings=["Comedy"])
    update(s, "refine", decades=["1990s"])  # "only 90s ones": the wording that leaned still says what is asked
    assert s.request.leanings == ["Comedy"]
    update(s, "refine", moods=["scary"])  # a mood read now with no leaning: the old one goes
    assert s.request.leanings == [] and "scary" in s.request.moods
    update(s, "replace", moods=["romantic"], leanings=["Romance", "Drama"])
    assert s.request.leanings == ["Romance", "Drama"]


def test_a_quality_leaning_lasts_until_a_quality_word_a_mood_or_another_quality_leaning_is_read():
    s = state_with(leaned_qualities=["well_reviewed"])
    update(s, "refine", runtime_max=100)  # "under 100 minutes": the wording that leaned still says what is asked
    assert s.request.leaned_qualities == ["well_reviewed"]
    update(s, "refine", qualities=["hidden_gem"])  # a quality word read now says which quality: the guess goes
    assert s.request.leaned_qualities == [] and s.request.qualities == ["hidden_gem"]
    update(s, "replace", leaned_qualities=["well_reviewed"])
    assert s.request.leaned_qualities == ["well_reviewed"]
    update(s, "refine", moods=["scary"])
    assert s.request.leaned_qualities == []


def test_state_updates_add_replace_relax_reset(tiny_dataset):
    s = state_with(genres=["Comedy"])
    update(s, "refine", decades=["1990s"])
    assert s.request.genres == ["Comedy"] and s.request.decades == ["1990s"]  # the constraint persists
    update(s, "refine", genres=["Romance"])
    assert s.request.genres == ["Comedy", "Romance"]
    update(s, "replace", genres=["Horror"])
    assert s.request.genres == ["Horror"] and s.request.decades == ["1990s"]
    update(s, "relax", relax=["decades", "years"])
    assert s.request.decades == [] and s.request.genres == ["Horror"]
    update(s, "refine", not_genres=["Horror"])  # the later statement wins
    assert s.request.genres == [] and s.request.not_genres == ["Horror"]
    update(s, "refine", year_min=1980, year_max=1989)
    assert (s.request.year_min, s.request.year_max) == (1980, 1989)
    update(s, "refine", decades=["1970s"])  # a new time constraint replaces the old one
    assert s.request.decades == ["1970s"] and s.request.year_min is None
    update(s, "recommend", genres=["Western"])  # a new request starts from what it says
    assert s.request.genres == ["Western"] and s.request.not_genres == [] and s.request.decades == []
    s.liked = ["amelie"]
    update(s, "start_over")
    assert s.request.is_empty() and s.results == [] and s.liked == ["amelie"]


def test_core_genres_follow_the_genres_they_belong_to():
    """Romance AND (Action OR Adventure): a refinement keeps the core genre; dropping it, or a new genre request
    without "or", leaves no core genre behind."""
    s = state_with()
    update(s, "recommend", genres=["Romance", "Action", "Adventure"], any_of=["genres"], core_genres=["Romance"])
    assert s.request.core_genres == ["Romance"] and s.request.any_of == ["genres"]
    update(s, "refine", decades=["1980s"])
    assert s.request.core_genres == ["Romance"]
    update(s, "relax", genres=["Romance"])  # "doesn't have to be a romance": action or adventure
    assert s.request.genres == ["Action", "Adventure"] and s.request.core_genres == []
    update(s, "recommend", genres=["Comedy", "Crime", "Romance"], any_of=["genres"], core_genres=["Comedy"])
    update(s, "replace", genres=["Horror"])
    assert s.request.genres == ["Horror"] and s.request.any_of == [] and s.request.core_genres == []


def test_critique_takes_the_card_as_reference_and_bounds_the_year(tiny_dataset):
    s = state_with(genres=["Sci-Fi"])
    s.cards = ["alien", "blade", "starwars"]
    ops = dst.plan_update(s, Understanding("critique", Entities(cards=[2], direction="older"), ""), tiny_dataset.catalog)
    dst.apply(s, ops)
    assert s.request.references == ["blade"] and s.request.year_max == 1981 and s.request.genres == ["Sci-Fi"]


def test_shorter_or_longer_bounds_the_runtime_by_the_cards_on_screen():
    """Against the median of the cards' known lengths: "longer" than the longest of five leaves too little."""
    from catalog.types import Catalog, Item

    cat = Catalog([Item(id=str(m), title=f"T{m}", year=1990, attributes={"runtime_min": m}) for m in (80, 95, 110, 130)]
                  + [Item(id="x", title="X", year=1990)])
    s = SessionState("s", cards=["80", "95", "110", "130", "x"])
    dst.apply(s, dst.plan_update(s, Understanding("critique", Entities(direction="shorter"), ""), cat))
    assert (s.request.runtime_min, s.request.runtime_max) == (None, 102)  # median of 80, 95, 110, 130; unknown skipped
    dst.apply(s, dst.plan_update(s, Understanding("critique", Entities(direction="longer"), ""), cat))
    assert (s.request.runtime_min, s.request.runtime_max) == (103, None)
    s.cards = ["x"]  # no known length on screen: nothing to compare with, nothing set
    assert not [o for o in dst.plan_update(s, Understanding("critique", Entities(direction="shorter"), ""), cat)
                if o.slot.startswith("runtime")]


def test_a_later_genre_or_mood_wins_over_one_that_works_against_it():
    s = state_with(moods=["feel_good"])
    update(s, "replace", genres=["Horror"])  # "make it scary instead"
    assert s.request.moods == [] and s.request.genres == ["Horror"]
    s = state_with(genres=["Horror", "Comedy"])
    update(s, "refine", moods=["feel_good"])  # "something feel-good actually"
    assert s.request.genres == ["Comedy"] and s.request.moods == ["feel_good"]
    s = state_with(moods=["dark"], genres=["Thriller"])
    update(s, "refine", moods=["light"])  # "lighter please"
    assert s.request.moods == ["light"] and s.request.genres == []
    s = state_with(moods=["funny"])
    update(s, "refine", moods=["romantic"])  # no clash: both stay
    assert s.request.moods == ["funny", "romantic"]
    s = state_with(genres=["Action"])
    update(s, "refine", moods=["sad"], shift=True)  # "something more emotional": more of it within the action films
    assert s.request.genres == ["Action"] and s.request.kept_genres == ["Action"] and s.request.moods == ["sad"]
    update(s, "recommend", genres=["Comedy"])  # a new request keeps nothing of it
    assert s.request.kept_genres == []


def test_a_follow_up_stating_a_constraint_is_no_paging_or_relaxing():
    from assistant.dialogue.nlu import Context, consistent_act

    ctx = Context(n_cards=5, has_request=True)
    for act in ("more", "show_again", "reject", "relax"):
        assert consistent_act(act, Entities(runtime_max=90), ctx, "under 90 minutes") == "refine"
        assert consistent_act(act, Entities(direction="shorter"), ctx, "something shorter") == "critique"
    assert consistent_act("relax", Entities(runtime_max=100), ctx, "not too long is fine") == "relax"
    assert consistent_act("relax", Entities(relax=["decades", "years"], direction="older"), ctx,
                          "older ones are ok too") == "relax"
    assert consistent_act("more", Entities(), ctx, "more please") == "more"
    # a mood only near a word ("vibe") is no stated constraint: "none of those" stays a rejection
    assert consistent_act("reject", Entities(moods=["feel_good"]), ctx, "wrong vibe entirely") == "reject"
    from assistant.dialogue.entities import direction
    assert direction("back to the earlier list pls") is None and direction("earlier ones?") == "older"
    assert consistent_act("more", Entities(runtime_max=90), Context(), "under 90 minutes") == "recommend"


def test_feedback_ops_and_policy(tiny_dataset):
    s = state_with()
    ops = dst.plan_update(s, Understanding("feedback", Entities(cards=[1, 3], card_role="seen"), ""), None)
    assert [(o.op, o.slot, o.value) for o in ops] == [("feedback", "seen", "alien"), ("feedback", "seen", "starwars")]
    decide = lambda act, **e: policy.decide(s, Understanding(act, Entities(**e), "why"))  # noqa: E731
    assert decide("explain", cards=[2]).item_id == "blade"
    assert decide("explain", cards=[9]).question == "no_card"
    assert decide("more").kind == "next_page"
    assert decide("recommend", ambiguous=[("sabrina", ["a", "b"])], provisional=["a"]).kind == "recommend"
    assert decide("feedback", cards=[7], card_role="not_interested").question == "no_card"
    s.request.year_min, s.request.year_max = 1990, 1950
    assert decide("refine").question == "contradiction"


def test_checker_allows_only_the_facts(tiny_dataset):
    from assistant.api import Card
    from assistant.dialogue.entities import EntityLinker
    from assistant.dialogue.nlg import FactSheet, check

    linker = EntityLinker(tiny_dataset)
    cat = tiny_dataset.catalog
    cards = [Card(i, cat[i].display_title, cat[i].year, 1.0) for i in ("alien", "blade")]
    allowed = FactSheet("recommend", request=Request(genres=["Sci-Fi"], decades=["1980s"]), cards=cards).allowed(cat)
    for ok in ("Here are some 1980s sci-fi picks you might enjoy.", "Two picks, from Alien to Blade Runner.",
               "Ridley Scott fans, these are for you."):
        assert check(ok, allowed, linker) == [], ok
    for bad in ("Try Gladiator, a classic.", "Here are 7 Oscar winners.", "Films by Steven Spielberg.",
                "These are from 1999.", 'Watch "Hacked Movie" tonight.', "Amazing Hollywood Blockbusters here."):
        assert check(bad, allowed, linker), bad


def test_a_query_no_item_stands_out_for_is_not_searched_from_the_rules_or_the_llm(tiny_dataset):
    """Control flow only (a scripted LLM and a stand-in spread; the real index's spreads are tested in
    test_retrieval.py): a query below QUERY_MIN_SPREAD, from the rules or from the LLM route, becomes `unused`."""
    from assistant.dialogue.entities import EntityLinker
    from assistant.dialogue.nlu import QUERY_MIN_SPREAD
    from assistant.llm.scripted import ScriptedBackend

    spreads = {"usually": QUERY_MIN_SPREAD - 0.03, "submarine crews": QUERY_MIN_SPREAD + 0.07}

    class Unsure:  # sends every message to the LLM
        def predict(self, masked, cards, request):
            return [("recommend", 0.01)]

    backend = ScriptedBackend([{"act": "recommend", "query": "usually"},
                               {"act": "recommend", "query": "submarine crews"}])
    nlu = Understander(EntityLinker(tiny_dataset), Unsure(), backend, query_spread=lambda q: spreads.get(q))
    u = nlu.understand("what do people usually watch", Context())
    assert u.source == "llm" and u.query == "" and "usually" in u.entities.unused, u
    u = nlu.understand("films about submarine crews", Context())
    assert u.query == "submarine crews" and "submarine crews" not in u.entities.unused, u
    # no item vectors at hand (the spread says None): every query is searched
    nlu = Understander(EntityLinker(tiny_dataset), query_spread=lambda q: None)
    assert nlu._describes("usually")
