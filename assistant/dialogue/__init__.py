"""One user turn as the standard conversational-recommender pipeline (cf. ConvLab-2's PipelineAgent):

    understand (nlu)  ->  update the dialogue state (dst)  ->  decide (policy)
        ->  run the tools (assistant.agent executes the policy's action)  ->  write the reply (nlg)

Modules, one stage each, each testable on its own:
  acts.py        the dialogue acts and `Understanding` (act + linked entities), the NLU's output
  entities.py    entity linking: several titles per message (lowercase, no year, no article, typos),
                 people, genres (and their negations), decades / years, places, card references
  classifier.py  the act classifier: MiniLM sentence embeddings + a small softmax model trained on a
                 labelled phrasing set
  open_slots.py  the open part of a request: mood and occasion, quality, audience, length, no-data words
  leanings.py    the genres a wording leans to, where the rules read nothing or only a mood, and whether it wants
                 films critics rate, where no quality word was read: MiniLM + logistic regression trained on the
                 development open requests (a ranking lean, never a filter)
  nlu.py         exact rules for commands, the classifier for the rest, the LLM only when unsure
  dst.py         the state update of one turn (add, replace, relax, reset) on tools.state.SessionState
  policy.py      what to do: recommend, next page, show again, explain, ask, acknowledge, reset, ...
  relax.py       when nothing matches: the parts of the request to leave out, offered with their counts
  nlg.py         the single reply writer: a fact sheet from the state and the tool results, a template,
                 optional LLM phrasing, and the one checker that decides what LLM text may reach the user

What it does not do: hold state between turns (tools.state.SessionState, saved by assistant.sessions)
or call tools (assistant.agent).
"""
