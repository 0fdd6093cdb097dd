"""HTML and SVG for the chat UI: recommendation cards, explanations, KG path pictures.

Every string that comes from the catalog, the KG or the model goes through
`html.escape` here, so a title like `<img src=x onerror=...>` is shown as text
and never becomes markup. Pure functions of api dataclasses: no Gradio, no I/O.
What this module does not do: decide what to show (assistant.ui.handlers).
"""

from __future__ import annotations

from html import escape

from assistant.api import Card, Explanation, PathHop

# Rough glyph width for the 12px sans-serif used in the SVG, to size boxes.
_CHAR_W = 7.0
_NODE_H = 28
_PAD_X = 10
_GAP = 96  # horizontal room for an edge and its relation label
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


def path_svg(hops: list[PathHop]) -> str:
    """A small inline SVG of one KG path: labelled boxes joined by relation-labelled edges.

    Boxes at even positions are items (paths alternate item / entity, see
    kg.paths), odd positions are entities (people, genres, ...). The SVG has one
    <text class="node"> per node and one <text class="rel"> per hop, nothing else.
    """
    nodes = path_nodes(hops)
    if not nodes:
        return ""
    widths = [max(60.0, len(n) * _CHAR_W + 2 * _PAD_X) for n in nodes]
    xs, x = [], 4.0
    for w in widths:
        xs.append(x)
        x += w + _GAP
    total_w = x - _GAP + 4
    height = _NODE_H + 26
    y = 20  # top of the boxes; relation labels sit above the edges
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kg-path" role="img" viewBox="0 0 {total_w:.0f} {height}" '
        f'width="{total_w:.0f}" height="{height}" '
        f'font-family="sans-serif" font-size="12">'
    ]
    for i, h in enumerate(hops):
        x1, x2 = xs[i] + widths[i], xs[i + 1]
        ymid = y + _NODE_H / 2
        parts.append(f'<line x1="{x1:.0f}" y1="{ymid:.0f}" x2="{x2:.0f}" y2="{ymid:.0f}" stroke="#6b7280" stroke-width="1.5"/>')
        parts.append(
            f'<text class="rel" x="{(x1 + x2) / 2:.0f}" y="{y - 5}" text-anchor="middle" fill="#374151" '
            f'font-style="italic">{e(relation_text(h.relation))}</text>'
        )
    for i, (label, w) in enumerate(zip(nodes, widths)):
        fill = _ITEM_FILL if i % 2 == 0 else _ENTITY_FILL
        parts.append(f'<rect x="{xs[i]:.0f}" y="{y}" width="{w:.0f}" height="{_NODE_H}" rx="6" fill="{fill}" stroke="#9ca3af"/>')
        parts.append(
            f'<text class="node" x="{xs[i] + w / 2:.0f}" y="{y + _NODE_H / 2 + 4:.0f}" text-anchor="middle" '
            f'fill="#111827">{e(label)}</text>'
        )
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


def explanation_html(exp: Explanation, max_paths: int = 3) -> str:
    """The "Why?" panel: the grounded sentence, up to `max_paths` KG paths (text + picture), scorer contributions."""
    out = [f'<div class="rc-explanation"><div style="font-weight:600">Why {e(exp.title)}?</div>']
    if exp.text:
        out.append(f'<p class="rc-exp-text">{e(exp.text)}</p>')
    if exp.paths:
        out.append('<div style="font-weight:600;margin-top:6px">Knowledge-graph paths</div>')
        for i, hops in enumerate(exp.paths[:max_paths]):
            txt = exp.path_texts[i] if i < len(exp.path_texts) and exp.path_texts[i] else path_text(hops)
            out.append(f'<div class="rc-path"><div class="rc-path-text" style="font-size:0.9em">{e(txt)}</div>'
                       f'<div style="overflow-x:auto">{path_svg(hops)}</div></div>')
    else:
        out.append('<p class="rc-no-path" style="color:#6b7280">No knowledge-graph path links this item to what you liked yet.</p>')
    if exp.contributions:
        out.append('<div style="font-weight:600;margin-top:6px">Scorer signals</div><table class="rc-contrib" style="font-size:0.9em">')
        top = max(abs(v) for v in exp.contributions.values()) or 1.0
        for name, value in sorted(exp.contributions.items(), key=lambda kv: -abs(kv[1])):
            bar = int(round(80 * abs(value) / top))
            colour = "#10b981" if value >= 0 else "#ef4444"
            out.append(
                f'<tr><td>{e(name)}</td><td style="text-align:right">{value:+.3f}</td>'
                f'<td><div style="width:{bar}px;height:8px;background:{colour}"></div></td></tr>'
            )
        out.append("</table>")
        if exp.score is not None:
            out.append(f'<div style="font-size:0.9em">Score: {exp.score:.3f}</div>')
    out.append("</div>")
    return "".join(out)


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
