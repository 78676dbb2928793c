"""The pieces of the openai backend: prompts, schema, cache, conversation, usage, batches.

`generator.backends.openai_backend` wires them together; each piece is usable and tested
on its own, and none of them knows about decks or renderers.
"""
