"""Knowledge graph: typed build, persistence, lookups, entity linking, verified paths."""

from __future__ import annotations

import pytest

from catalog.types import CatalogError
from kg.graph import KnowledgeGraph, item_node, node_id
from kg.paths import KGPath, find_paths, verify_path


@pytest.fixture(scope="module")
def kg(tiny_dataset):
    return KnowledgeGraph.build(tiny_dataset, rating_threshold=4.0)


def test_typed_nodes_and_relations(kg):
    st = kg.stats()
    assert st["nodes_by_type"]["item"] == 8
    assert st["nodes_by_type"]["user"] == 3
    assert st["nodes_by_type"]["decade"] == 4  # 1970s 1980s 1990s 2000s
    assert st["edges_by_relation"]["directed_by"] == 7
    # only ratings >= 4 become `rated` edges: 6 of the 9 tiny interactions
    assert st["edges_by_relation"]["rated"] == 6
    assert kg.type_of(node_id("person", "Ridley Scott")) == "person"
    # a person who both wrote and directed gets two parallel, differently keyed edges
    assert kg.edge_relations(item_node("starwars"), node_id("person", "George Lucas")) == {"directed_by", "written_by"}


def test_lookups(kg):
    assert sorted(kg.items_of_entity(node_id("person", "Ridley Scott"))) == ["alien", "blade", "gladiator"]
    assert kg.items_of_entity(node_id("person", "George Lucas"), relation="written_by") == ["starwars", "empire"]
    rels = dict((r, n) for r, n in kg.entities_of_item("amelie"))
    assert rels["from_country"] == node_id("country", "France")
    with pytest.raises(CatalogError):
        kg.entities_of_item("nope")


def test_entity_linking_is_fuzzy_and_typed(kg):
    m = kg.link_entity("ridley scot")
    assert m and m[0].node == node_id("person", "Ridley Scott") and m[0].type == "person"
    assert kg.link_entity("sci-fi", types=("genre",))[0].node == node_id("genre", "Sci-Fi")
    assert kg.link_entity("Zzyzx Qwerty") == []


def test_two_hop_path_through_shared_director(kg):
    paths = find_paths(kg, ["alien"], "blade", max_hops=2)
    assert paths[0].nodes == (item_node("alien"), node_id("person", "Ridley Scott"), item_node("blade"))
    assert paths[0].relations == ("directed_by", "directed_by")
    assert paths[0].score == pytest.approx(1.0)
    # scores are products of relation weights, best first
    assert [p.score for p in paths] == sorted((p.score for p in paths), reverse=True)
    assert "Ridley Scott" in paths[0].sentence(kg)


def test_four_hop_paths_exist_edge_by_edge(kg):
    paths = find_paths(kg, ["amelie", "toystory"], "gladiator", max_hops=4, limit=50)
    assert paths
    assert all(verify_path(kg, p) for p in paths)
    assert all(p.nodes[0] in (item_node("amelie"), item_node("toystory")) and p.nodes[-1] == item_node("gladiator") for p in paths)
    assert any(p.hops == 4 for p in paths)


def test_verify_rejects_invented_hops(kg):
    fake = KGPath((item_node("amelie"), node_id("person", "Ridley Scott"), item_node("blade")), ("directed_by", "directed_by"), 1.0)
    assert not verify_path(kg, fake)


def test_paths_skip_users_by_default(kg):
    paths = find_paths(kg, ["alien"], "blade", max_hops=4, limit=100)
    assert all(kg.type_of(n) != "user" for p in paths for n in p.nodes)
    with_users = find_paths(kg, ["alien"], "blade", max_hops=2, limit=100, exclude_types=())
    assert any(kg.type_of(n) == "user" for p in with_users for n in p.nodes)


def test_save_load_roundtrip(kg, tmp_path):
    kg.save(tmp_path / "kg.pkl")
    again = KnowledgeGraph.load(tmp_path / "kg.pkl")
    assert again.stats() == kg.stats()
    with pytest.raises(CatalogError, match="recassist kg build"):
        KnowledgeGraph.load(tmp_path / "missing.pkl")


@pytest.mark.slow
def test_ml100k_graph_and_real_paths(ml100k, ml100k_kg):
    st = ml100k_kg.stats()
    assert st["nodes_by_type"]["item"] == 1682
    assert st["nodes_by_type"]["person"] > 5000
    assert st["edges_by_relation"]["rated"] > 50_000
    cat = ml100k.catalog
    (alien,) = cat.find_title("Alien", 1979)
    (aliens,) = cat.find_title("Aliens", 1986)
    paths = find_paths(ml100k_kg, [alien], aliens, max_hops=4, limit=20)
    assert paths and all(verify_path(ml100k_kg, p) for p in paths)
    assert any("Sigourney Weaver" in p.describe(ml100k_kg) for p in paths)


def test_a_saved_graph_is_rebuilt_when_the_catalog_names_change(tiny_dataset, tmp_path):
    from dataclasses import replace

    from catalog.types import Catalog, Dataset
    from kg.graph import KnowledgeGraph

    p = tmp_path / "kg.pkl"
    kg = KnowledgeGraph.load_or_build(p, tiny_dataset)
    assert KnowledgeGraph.is_current(p, tiny_dataset) and kg.g.number_of_nodes() > 0
    items = [replace(it, cast=tuple(c + " Jr." for c in it.cast)) for it in tiny_dataset.catalog]  # a re-joined catalog
    changed = Dataset(tiny_dataset.name, Catalog(items), tiny_dataset.interactions, {})
    assert not KnowledgeGraph.is_current(p, changed)
    rebuilt = KnowledgeGraph.load_or_build(p, changed)
    assert any(lab.endswith(" Jr.") for _, lab in rebuilt.g.nodes(data="label")) and KnowledgeGraph.is_current(p, changed)


def test_staleness_is_read_from_the_header_alone(tiny_dataset, tmp_path):
    """`is_current` reads the small header the file starts with, not the graph behind it (GBs at 1M items)."""
    import pickle

    from kg.graph import FORMAT_VERSION, KnowledgeGraph, dataset_key

    p = tmp_path / "kg.pkl"
    KnowledgeGraph.build(tiny_dataset).save(p, dataset_key(tiny_dataset))
    with p.open("rb") as fh:
        head = pickle.load(fh)
        graph_at = fh.tell()
    assert "graph" not in head and graph_at < 200
    p.write_bytes(p.read_bytes()[:graph_at] + b"not a pickle")  # the graph part is unreadable now
    assert KnowledgeGraph.is_current(p, tiny_dataset)
    with pytest.raises(pickle.UnpicklingError):
        KnowledgeGraph.load(p)
    old = tmp_path / "old.pkl"  # a file from before the header was split off still loads
    old.write_bytes(pickle.dumps({"format_version": FORMAT_VERSION, "graph": KnowledgeGraph.build(tiny_dataset).g,
                                  "data_key": dataset_key(tiny_dataset)}))
    assert KnowledgeGraph.is_current(old, tiny_dataset) and KnowledgeGraph.load(old).g.number_of_nodes() > 0


def test_a_graph_without_users_reads_its_own_adjacency_in_the_same_order(ml100k):
    """Large catalogs keep ratings out of the KG; there content_neighbours reads the graph instead of building
    the item-entity adjacency, and every node's neighbours, and so every path, come out as from the adjacency."""
    no_users = KnowledgeGraph.build(ml100k, include_users=False)
    assert not no_users._users_in_graph()
    direct = {n: no_users.content_neighbours(n) for n in no_users.g}
    assert no_users._content_adj is None  # nothing copied
    assert direct == {n: no_users._content_adjacency().get(n, []) for n in no_users.g}
    no_users.prepare()
    assert no_users._degree is not None and no_users._labels is not None
    cat = ml100k.catalog
    ids = {t: cat.find_title(t)[0] for t in ("Alien", "Aliens", "Star Wars", "Blade Runner", "Fargo", "Heat")}
    adj = KnowledgeGraph(no_users.g)
    adj._has_users = True  # forces the adjacency path
    for target in ("Aliens", "Blade Runner", "Heat"):
        for hops in (2, 4):
            got = find_paths(no_users, [ids["Alien"], ids["Star Wars"], ids["Fargo"]], ids[target], max_hops=hops, limit=20)
            assert got == find_paths(adj, [ids["Alien"], ids["Star Wars"], ids["Fargo"]], ids[target], max_hops=hops,
                                     limit=20)
            assert got and all(verify_path(no_users, p) for p in got)
