"""HTML and SVG for the chat UI: recommendation cards, explanations, KG path pictures.

Every string that comes from the catalog, the KG or the model goes through
`html.escape` here, so a title like `<img src=x onerror=...>` is shown as text
and never becomes markup. Pure functions of api dataclasses: no Gradio, no I/O.
What this module does not do: decide what to show (assistant.ui.handlers).
"""

from __future__ import annotations

from html import escape

from assistant.api import Card, Explanation, PathHop

# Rough glyph widths for the 12px / 11px sans-serif used in the SVG, to size boxes.
_CHAR_W, _REL_CHAR_W = 7.0, 6.0
_NODE_H = 26
_PAD_X = 8
_ITEM_FILL, _ENTITY_FILL = "#dbeafe", "#fef3c7"


def e(text: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape("" if text is None else str(text), quote=True)


def relation_text(relation: str) -> str:
    """'directed_by' -> 'directed by' (how an edge label reads in the picture)."""
    return relation.replace("_", " ")


def path_nodes(hops: list[PathHop]) -> list[str]:
    """Node labels along a path: source of the first hop, then each hop's target."""
    return [hops[0].source] + [h.target for h in hops] if hops else []


def path_text(hops: list[PathHop]) -> str:
    """'Alien (1979) —directed by— Ridley Scott —directed by— Blade Runner (1982)'."""
    if not hops:
        return ""
    parts = [hops[0].source]
    for h in hops:
        parts.append(f" —{relation_text(h.relation)}— {h.target}")
    return "".join(parts)


def path_svg(hops: list[PathHop], max_width: int = 460) -> str:
    """A small inline SVG of one KG path: labelled boxes joined by relation-labelled edges.

    Laid out left to right when it fits in `max_width` px, else top to bottom
    (long 4-hop paths), so labels never shrink. Boxes at even positions are
    items (paths alternate item / entity, see kg.paths), odd positions are
    entities (people, genres, ...). The SVG holds one <text class="node"> per
    node, one <text class="rel"> and one <line> per hop, nothing else.
    """
    nodes = path_nodes(hops)
    if not nodes:
        return ""
    rels = [relation_text(h.relation) for h in hops]
    widths = [max(40.0, len(n) * _CHAR_W + 2 * _PAD_X) for n in nodes]
    label_w = [len(r) * _REL_CHAR_W for r in rels]
    # Relation labels sit above the row, so they may overhang the boxes; widen a gap only
    # where two neighbouring labels would touch.
    gaps = [40.0] * len(rels)
    for i in range(1, len(rels)):
        need = (label_w[i - 1] + label_w[i]) / 2 + 10 - (gaps[i - 1] / 2 + widths[i] + gaps[i] / 2)
        if need > 0:
            gaps[i] += 2 * need
    horizontal = sum(widths) + sum(gaps) + 8 <= max_width
    boxes: list[tuple[float, float]] = []  # (x, y) of each box's top-left corner
    edges: list[tuple[float, float, float, float, float, float, str]] = []  # line x1 y1 x2 y2, label x y anchor
    if horizontal:
        x, y = 4.0, 18.0  # relation labels sit above the edges
        for i, w in enumerate(widths):
            boxes.append((x, y))
            if i < len(gaps):
                x1, x2, ym = x + w, x + w + gaps[i], y + _NODE_H / 2
                edges.append((x1, ym, x2, ym, (x1 + x2) / 2, y - 5, "middle"))
                x = x2
        total_w, height = x + widths[-1] + 4, y + _NODE_H + 4
    else:
        x, y, step, spine = 4.0, 4.0, _NODE_H + 22, 4.0 + 18
        for i in range(len(nodes)):
            boxes.append((x, y + i * step))
            if i < len(rels):
                y1, y2 = y + i * step + _NODE_H, y + (i + 1) * step
                edges.append((spine, y1, spine, y2, spine + 10, (y1 + y2) / 2 + 4, "start"))
        total_w = max(max(widths) + 8, spine + 10 + max(label_w) + 8)
        height = y + (len(nodes) - 1) * step + _NODE_H + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kg-path" role="img" viewBox="0 0 {total_w:.0f} {height:.0f}" '
        f'width="{total_w:.0f}" height="{height:.0f}" font-family="sans-serif" font-size="12">'
    ]
    for (x1, y1, x2, y2, lx, ly, anchor), rel in zip(edges, rels):
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#6b7280" stroke-width="1.5"/>')
        parts.append(f'<text class="rel" x="{lx:.0f}" y="{ly:.0f}" text-anchor="{anchor}" fill="#374151" '
                     f'font-size="11" font-style="italic">{e(rel)}</text>')
    for i, (label, w, (bx, by)) in enumerate(zip(nodes, widths, boxes)):
        fill = _ITEM_FILL if i % 2 == 0 else _ENTITY_FILL
        parts.append(f'<rect x="{bx:.0f}" y="{by:.0f}" width="{w:.0f}" height="{_NODE_H}" rx="6" fill="{fill}" stroke="#9ca3af"/>')
        parts.append(f'<text class="node" x="{bx + w / 2:.0f}" y="{by + _NODE_H / 2 + 4:.0f}" text-anchor="middle" '
                     f'fill="#111827">{e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def card_html(card: Card, index: int) -> str:
    """One recommendation card: title, year, genres, key people, why-snippet (all escaped)."""
    meta = " · ".join(x for x in [str(card.year) if card.year else "", ", ".join(card.genres[:3])] if x)
    people = ", ".join(card.people[:4])
    rows = [f'<div class="rc-title" style="font-weight:600;font-size:1.05em">{index + 1}. {e(card.title)}</div>']
    if meta:
        rows.append(f'<div class="rc-meta" style="color:#6b7280;font-size:0.9em">{e(meta)}</div>')
    if people:
        rows.append(f'<div class="rc-people" style="font-size:0.9em">With {e(people)}</div>')
    if card.why:
        rows.append(f'<div class="rc-why" style="font-size:0.9em;margin-top:4px">💡 {e(card.why)}</div>')
    return (
        f'<div class="rc-card" data-item-id="{e(card.item_id)}" '
        f'style="border:1px solid #e5e7eb;border-radius:8px;padding:8px 10px">' + "".join(rows) + "</div>"
    )


def _bars(title: str, css: str, values: dict[str, float], k: int = 5) -> list[str]:
    """A labelled bar per entry (largest |value| first): bars, never raw numbers or signal names."""
    items = sorted(values.items(), key=lambda kv: -abs(kv[1]))[:k]
    if not items:
        return []
    top = max(abs(v) for _, v in items) or 1.0
    out = [f'<div style="font-weight:600;margin-top:6px">{e(title)}</div><table class="{css}" style="font-size:0.9em">']
    for name, value in items:
        bar = int(round(80 * abs(value) / top))
        colour = "#10b981" if value >= 0 else "#ef4444"
        sign = "raises" if value >= 0 else "lowers"
        out.append(f'<tr><td>{e(name)}</td><td title="{sign} the score">'
                   f'<div style="width:{bar}px;height:8px;background:{colour}"></div></td></tr>')
    out.append("</table>")
    return out


def explanation_html(exp: Explanation, max_paths: int = 3) -> str:
    """The "Why?" panel: the plain reasons, the KG path(s) the text cites (text + picture), and bars per liked
    title and per signal family (human labels, scorer.attribution). Raw signal names and numbers stay in
    the API's `contributions`, not here."""
    out = [f'<div class="rc-explanation" data-item-id="{e(exp.item_id)}"><div style="font-weight:600">Why {e(exp.title)}?</div>']
    if exp.text:
        out.append(f'<p class="rc-exp-text">{e(exp.text)}</p>')
    if exp.paths:
        out.append('<div style="font-weight:600;margin-top:6px">Connection cited</div>')
        for i, hops in enumerate(exp.paths[:max_paths]):
            out.append(f'<div class="rc-path"><div class="rc-path-text" style="font-size:0.9em">{e(path_text(hops))}</div>'
                       f'<div style="overflow-x:auto">{path_svg(hops)}</div></div>')
    liked = {t: v for t, v in exp.liked_shares.items() if abs(v) > 1e-6}
    out += _bars("Which of your liked titles count most", "rc-liked", liked)
    out += _bars("What the score is made of", "rc-contrib", {t: v for t, v in exp.families.items() if abs(v) > 1e-6}, k=6)
    out.append("</div>")
    return "".join(out)


def state_text(profile: dict) -> str:
    """One line of the session's dialogue state for the panel: the current request, what was shown, likes."""
    req = (profile.get("request") or {}).get("description") or "no filters"
    parts = [f"Now: {req}"]
    if profile.get("shown"):
        parts.append(f"{profile['shown']} shown")
    if profile.get("results_left"):
        parts.append(f"{profile['results_left']} more available")
    liked = profile.get("liked_titles") or []
    if liked:
        parts.append("liked: " + "; ".join(liked[:3]) + (" …" if len(liked) > 3 else ""))
    return " · ".join(parts)


def backend_label(backend_name: str, last_reply_backend: str = "") -> str:
    """The backend indicator: 'LLM: llama.cpp · qwen…' or 'LLM: template (LLM unavailable)'.

    `last_reply_backend` (Reply.backend of the last chat answer) is added when it differs,
    e.g. when the LLM failed and a template phrased that answer."""
    name = backend_name.strip()
    label = "template (LLM unavailable)" if name in ("", "template") else name
    text = f"LLM: {label}"
    last = last_reply_backend.strip()
    if last and last != name:
        text += f" · last answer by: {last}"
    return text
