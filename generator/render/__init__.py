"""Renderers: summaries (YAML) in, files out. Nothing here calls a drafting backend."""
