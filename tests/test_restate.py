"""restate.py on its own: what is restated, what is not, and that every restatement keeps the message's length."""

import pytest

from assistant.dialogue.restate import restate


@pytest.mark.parametrize("text, said", [
    ("westerns do nothing for me", "no westerns."),
    ("a drama, but fast action is just a blur to him", "no fast action."),
    ("musicals drive me nuts, a comedy?", "no musicals."),
    ("anything over two hours is torture", "nothing over two hours."),
    ("his 80s stuff is too cheesy", "no his 80s stuff."),
    ("nothing older than me (83)", "before 1983"),
    ("made after i was born, born in 1990", "after 1989"),
    ("a zombie-free horror night", "no zombie."),
    ("Clown-free please", "no Clown."),
    ("anything with singing and she walks out", "nothing with singing."),
    ("the 70s stuff looks dated to me", "no the 70s stuff."),
    ("old silent films make me fidgety", "no old silent films."),
    ("opera puts her straight to sleep", "no opera."),
    # a bound set by an event that the message dates itself
    ("comedies from before we moved house. i think that was 1985", "before 1985"),
    ("anything after she started school, which was in '94", "after 1994"),
    ("westerns from before the war ended (may 45)", "before 1945"),
    # a list of kinds refused together, each refused; and an age in a year said as the birth year
    ("horror and gore are off the table", "no horror and no gore."),
    ("westerns and musicals are out", "no westerns and no musicals."),
    ("my mum was 21 in 1977 and the year she hit 30", "my mum was born 1956"),
])
def test_a_dislike_or_an_age_is_restated_in_the_readers_words(text, said):
    out = restate(text)
    assert said in out and len(out) == len(text), (text, out)


@pytest.mark.parametrize("text", [
    "that makes me queasy",  # a pronoun: what "that" is, is not known here
    "my brother is boring",  # a person
    "the kids are too much tonight",
    "nothing older than me pls",  # no birth year in the message
    "before dinner, that was 90 minutes ago",  # no year: a time of day
    "before dinner (7pm)",
    "something stress-free",  # idioms: a mood, a diet
    "snacks are gluten-free",
])
def test_what_is_no_kind_of_film_is_left_as_it_is(text):
    assert restate(text) == text


def test_a_title_is_never_restated():
    text = "titanic is boring, something else"
    assert restate(text, [(0, 7)]) == text
    assert restate(text) != text  # without the title span it would be
