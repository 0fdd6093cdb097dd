"""Native tool-calling mode: a LangChain `create_agent` over the same tool modules.

For capable OpenAI-compatible models (tool_choice="auto" works); small local
models use the plan-first path instead. One agent per session (its tools are
bound to that session's ToolContext), with conversation memory from
langgraph's InMemorySaver keyed by the session id.
"""

from __future__ import annotations


def chat_model(base_url: str, model: str, api_key: str = "not-needed", timeout_s: float = 60.0):
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=base_url, model=model, api_key=api_key, timeout=timeout_s, max_retries=0, temperature=0)


def run_native(assistant, ctx, text: str) -> str:
    """Run one turn; returns the agent's final text (the caller grounds it and builds cards)."""
    from langchain.agents import create_agent
    from langgraph.checkpoint.memory import InMemorySaver

    from prompts import render
    from tools import make_tools

    sid = ctx.session.session_id
    agent = assistant._native_agents.get(sid)
    if agent is None:
        agent = create_agent(assistant.native_model, tools=make_tools(ctx),
                             system_prompt=render("native_system", n_items=len(assistant.catalog)),
                             checkpointer=InMemorySaver())
        assistant._native_agents[sid] = agent
    out = agent.invoke({"messages": [{"role": "user", "content": text}]}, {"configurable": {"thread_id": sid}})
    final = out["messages"][-1]
    content = final.content if isinstance(final.content, str) else " ".join(
        p.get("text", "") for p in final.content if isinstance(p, dict))
    return content.strip()
