"""Planner: linking keeps only names the user wrote that exist in the catalog / KG."""

from __future__ import annotations

import pytest

from assistant.llm import LLMUnavailable
from assistant.llm.scripted import ScriptedBackend
from assistant.planner import Linker, Planner, RawPlan, plan_schema, rule_parse
from kg.graph import KnowledgeGraph
from prompts import PromptError, render


@pytest.fixture(scope="module")
def linker(tiny_dataset):
    return Linker(tiny_dataset, KnowledgeGraph.build(tiny_dataset))


def raw(**kw) -> dict:
    return RawPlan(**kw).model_dump()


def test_invented_names_are_dropped(linker):
    # the model "extracts" a title, a person and a genre the user never wrote
    b = ScriptedBackend([raw(intent="recommend", liked=["Amelie"], people=["Ridley Scott"], genres=["Horror", "Sci-Fi"])])
    plan = Planner(linker, b).parse("any sci-fi please?", mode="llm")
    assert plan.source == "llm"
    assert plan.liked == [] and plan.people == []
    assert plan.genres == ["Sci-Fi"]
    assert {"Amelie", "Ridley Scott", "Horror"} <= set(plan.dropped)


def test_written_names_link_to_ids_and_nodes(linker):
    b = ScriptedBackend([raw(intent="recommend", liked=["alien"], people=["Ridley Scott"], decade="1980s", languages=["French"])])
    plan = Planner(linker, b).parse("I liked alien, something by Ridley Scott from the 80s in French", mode="llm")
    assert plan.liked == ["alien"]
    assert plan.people == ["person:Ridley Scott"]
    assert plan.decades == ["1980s"] and plan.languages == ["French"]


def test_unknown_title_is_reported_and_person_in_title_slot_is_moved(linker):
    b = ScriptedBackend([raw(intent="more_like", reference="The Matrix Reloaded", liked=["Harrison Ford"])])
    plan = Planner(linker, b).parse("like The Matrix Reloaded, with Harrison Ford", mode="llm")
    assert plan.reference is None
    assert plan.unknown_titles == ["The Matrix Reloaded"]
    assert plan.people == ["person:Harrison Ford"] and plan.liked == []


def test_unsupported_years_are_dropped(linker):
    b = ScriptedBackend([raw(intent="recommend", year_min=1990, decade="1970s")])
    plan = Planner(linker, b).parse("a comedy please", mode="llm")
    assert plan.year_min is None and plan.decades == []


def test_llm_failure_falls_back_to_rules(linker):
    b = ScriptedBackend([LLMUnavailable("server down")])
    plan = Planner(linker, b).parse("why did you suggest Blade Runner?")
    assert plan.source == "rules" and plan.intent == "explain" and plan.reference == "blade"
    assert any("server down" in d for d in plan.dropped)


def test_invalid_llm_json_falls_back_to_rules(linker):
    b = ScriptedBackend([{"intent": "dance"}])  # not a valid intent
    plan = Planner(linker, b).parse("I've seen Toy Story")
    assert plan.source == "rules" and plan.intent == "feedback" and plan.seen == ["toystory"]


def test_hybrid_uses_cue_words_for_title_slots(linker):
    b = ScriptedBackend([raw(intent="recommend", liked=["Toy Story"])])  # small models confuse seen/liked
    plan = Planner(linker, b).parse("I've already seen Toy Story")
    assert plan.source == "llm+rules" and plan.intent == "feedback" and plan.seen == ["toystory"] and plan.liked == []


@pytest.mark.parametrize("text,intent,slots", [
    ("something like Alien but funnier", "more_like", {"reference": "alien", "genres": ["Comedy"]}),
    ("I loved Blade Runner and Star Wars, any sci-fi from the 80s?", "recommend",
     {"liked": ["blade", "starwars"], "genres": ["Sci-Fi"], "decades": ["1980s"]}),
    ("I hated Gladiator", "feedback", {"disliked": ["gladiator"]}),
    ("I really didn't like Toy Story", "feedback", {"disliked": ["toystory"], "reference": None}),
    ("I'd like something similar to Amelie", "more_like", {"reference": "amelie"}),
    ("movies with Harrison Ford after 1978", "recommend", {"people": ["person:Harrison Ford"], "year_min": 1978}),
    ("I'm new here", "onboarding", {}),
    ("hello", "other", {}),
])
def test_rule_parser(linker, text, intent, slots):
    plan = linker.link(rule_parse(text, linker), text, "rules")
    assert plan.intent == intent
    for k, v in slots.items():
        assert getattr(plan, k) == v, k


def test_plan_schema_matches_rawplan():
    s = plan_schema()
    assert list(s["properties"]) == list(RawPlan.model_fields) and s["required"] == ["intent"]
    assert s["properties"]["intent"]["enum"][0] == "recommend"
    assert s["properties"]["liked"]["maxItems"] and s["properties"]["query"]["maxLength"]


def test_prompt_render_is_strict():
    assert "Sci-Fi" in render("plan", genres="Sci-Fi, Comedy")
    with pytest.raises(PromptError):
        render("plan")  # missing variable
    with pytest.raises(PromptError):
        render("plan", genres="x", extra="y")  # unused variable
    with pytest.raises(PromptError):
        render("no_such_prompt")
