"""Give papers without a topic one: cluster titles and abstracts into labelled groups.

TF-IDF vectors (the ranking's own tokens), reduced with truncated SVD, clustered with
k-means (scikit-learn, seeded: the same papers give the same groups). Each group is
named by the terms nearest its centre ("Diffusion model · image synthesis"), a name
the reader can change with `confgen select --rename-topic OLD=NEW`.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from ..core.models import Paper
from .rank import paper_text
from .text import Tokenizer, find_acronyms, terms

DEFAULT_GROUPS = 12
LABEL_TERMS = 2


def cluster_topics(papers: list[Paper], groups: int = DEFAULT_GROUPS) -> dict[str, str]:
    """Return {paper id: topic label} for `papers`, in at most `groups` labelled groups."""
    if not papers:
        return {}
    texts = [paper_text(p) for p in papers]
    tokenizer = Tokenizer(find_acronyms(texts))
    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True, dtype=np.float32,
                                 min_df=2 if len(papers) > 50 else 1, max_df=0.5)
    matrix = vectorizer.fit_transform([tokenizer.tokens(t) for t in texts])
    groups = max(1, min(groups, len(papers) // 3, matrix.shape[1]))
    if groups == 1:
        return dict.fromkeys((p.key for p in papers), _label(matrix.mean(axis=0), vectorizer))
    dims = max(2, min(100, matrix.shape[1] - 1, len(papers) - 1))
    reduced = TruncatedSVD(dims, random_state=0).fit_transform(matrix)
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True).clip(1e-9)
    labels = KMeans(groups, n_init=4, random_state=0).fit_predict(reduced)
    names: dict[int, str] = {}
    for group in np.unique(labels):
        centre = matrix[labels == group].mean(axis=0)
        name = _label(centre, vectorizer, taken=set(names.values()))
        names[int(group)] = name
    return {paper.key: names[int(label)] for paper, label in zip(papers, labels, strict=True)}


def _label(centre, vectorizer: TfidfVectorizer, taken: set[str] = frozenset()) -> str:
    """Name a group by its heaviest terms, pairs first; distinct from names taken."""
    weights = np.asarray(centre).ravel()
    names = vectorizer.get_feature_names_out()
    order = [str(names[i]) for i in np.argsort(-weights)[:30] if weights[i] > 0]
    chosen: list[str] = []
    for term in sorted(order, key=lambda t: (" " not in t, order.index(t))):
        if not any(set(term.split()) & set(c.split()) for c in chosen):
            chosen.append(term)
        if len(chosen) == LABEL_TERMS:
            break
    label = " · ".join(chosen) or "Other"
    label = label[:1].upper() + label[1:]
    suffix, base = 2, label
    while label in taken:
        label, suffix = f"{base} ({suffix})", suffix + 1
    return label
