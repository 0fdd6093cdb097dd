"""Agent tools: typed schemas, candidate-set flow through session state, readable failures."""

from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph
from tests.agent_helpers import PopularityScorer
from tools import explain_item, make_tools, query_kg, rank_candidates, search_items, update_profile
from tools.context import SessionState, ToolContext


@pytest.fixture()
def ctx(tiny_dataset):
    events = []
    c = ToolContext(tiny_dataset.catalog, KnowledgeGraph.build(tiny_dataset), SessionState("t"),
                    scorer=PopularityScorer(tiny_dataset), record=lambda *e: events.append(e))
    c.events = events
    return c


def test_five_tools_with_pydantic_schemas(ctx):
    tools = make_tools(ctx)
    assert [t.name for t in tools] == ["search_items", "query_kg", "rank_candidates", "explain_item", "update_profile"]
    for t in tools:
        assert t.description and t.args_schema is not None
        assert "properties" in t.args_schema.model_json_schema()
    assert set(search_items.SearchItemsArgs.model_fields) >= {"query", "genres", "people", "decades", "k"}
    with pytest.raises(Exception):
        rank_candidates.RankCandidatesArgs(k=0)  # validated


def test_candidate_set_flows_between_tools(ctx):
    tools = {t.name: t for t in make_tools(ctx)}
    out = tools["query_kg"].invoke({"entity": "Ridley Scott"})
    assert "Ridley Scott (person): 3 items" in out
    assert set(ctx.session.candidates) == {"alien", "blade", "gladiator"}
    out = tools["rank_candidates"].invoke({"k": 2})
    assert [i for i, _ in ctx.session.ranked] and {i for i, _ in ctx.session.ranked} <= {"alien", "blade", "gladiator"}
    assert out.startswith("ranked: ")
    tools["search_items"].invoke({"genres": ["Comedy"], "decades": ["1990s"]})
    assert ctx.session.candidates == ["toystory"]


def test_readable_failures(ctx):
    r = search_items.run(ctx, search_items.SearchItemsArgs(genres=["Western"]))
    assert not r.ok and "no catalog item matches" in r.text
    r = explain_item.run(ctx, explain_item.ExplainItemArgs(title="The Matrix Reloaded"))
    assert not r.ok and "no catalog title matches" in r.text
    r = query_kg.run(ctx, query_kg.QueryKGArgs(entity="Zzyzx Qwerty"))
    assert not r.ok and "nothing in the knowledge graph" in r.text
    r = update_profile.run(ctx, update_profile.UpdateProfileArgs(liked=["Alien", "Solaris"]))
    assert r.ok and "Not in the catalog: 'Solaris'" in r.text
    ctx.session.candidates = []
    r = rank_candidates.run(ctx, rank_candidates.RankCandidatesArgs())
    assert not r.ok and "empty" in r.text


def test_update_profile_records_events(ctx):
    update_profile.run(ctx, update_profile.UpdateProfileArgs(liked=["Alien"], seen=["Toy Story"], interests=["Ridley Scott"]))
    assert ctx.session.liked == ["alien"] and "toystory" in ctx.session.seen
    assert ctx.session.entities == ["person:Ridley Scott"]
    assert [(e[1], e[2]) for e in ctx.events] == [("like", "alien"), ("seen", "toystory"), ("interest", None)]


def test_rank_never_returns_profile_items(ctx):
    ctx.session.apply("alien", "like")
    ctx.session.apply("starwars", "seen")
    ctx.session.request.references = ["blade"]
    rank_candidates.run(ctx, rank_candidates.RankCandidatesArgs(k=8))
    ids = [i for i, _ in ctx.session.ranked]
    assert ids and not {"alien", "starwars", "blade"} & set(ids)


def test_query_kg_title_facts(ctx):
    r = query_kg.run(ctx, query_kg.QueryKGArgs(title="Blade Runner"))
    assert r.ok and "directed_by Ridley Scott" in r.text
