"""Drafting backends. Each one turns a DraftRequest into validated summary content.

Backends register by name; `get_backend` imports only the one asked for, so the offline
path never imports the openai SDK.
"""

from __future__ import annotations

import importlib

from .base import Backend, DraftRequest, DraftResult, Usage

REGISTRY = {
    "offline": "generator.drafting.backends.offline:OfflineBackend",
    "openai": "generator.drafting.backends.openai.backend:OpenAIBackend",
}


def get_backend(name: str, **options) -> Backend:
    """Instantiate the backend registered as `name` with its options."""
    from ...core.errors import ConfgenError

    if name not in REGISTRY:
        raise ConfgenError(f"unknown backend {name!r}; choose one of: {', '.join(REGISTRY)}")
    module_name, _, class_name = REGISTRY[name].partition(":")
    backend_class = getattr(importlib.import_module(module_name), class_name)
    return backend_class(**options)


__all__ = ["Backend", "DraftRequest", "DraftResult", "Usage", "get_backend", "REGISTRY"]
