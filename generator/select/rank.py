"""Rank every paper of a venue by relevance to a sentence of interests, offline.

Scores are TF-IDF cosines (scikit-learn) over titles (counted twice), keywords and
abstracts, with words and word pairs as terms. Three things make it better than
counting shared words:

- The interests are read as phrases ("reward models" matches the pair, not every
  "model"), split at commas, colons and "and".
- Words that the corpus uses in another sense do not count. A query word that forms a
  frequent pair with a word outside the interests ("multiple sequence alignment",
  "distribution alignment") is judged by that pair's papers: when they read nothing
  like the papers the interests find first, the word inside that pair is another word.
- Pseudo-relevance feedback (Rocchio): the best first matches, and the papers the
  reader likes (`like`), add their vocabulary to the query, so a paper on "refusal
  training" ranks even when it never says "alignment".
- The head of the ranking is diversified (maximal marginal relevance), so thirty
  picks for "jailbreaks, RLHF, reward models" are not thirty reward-model papers.

Each result says why: the terms that contributed most to its score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..core.models import Paper
from .text import BREAK, Tokenizer, find_acronyms, terms

FEEDBACK_DOCS = 20  # first matches whose vocabulary joins the query
FEEDBACK_WEIGHT = 0.6
LIKE_WEIGHT = 1.0
SENSE_MIN_DF = 3  # a pair must be this frequent before it can be another sense
GENERIC_SHARE = 0.15  # a word in more papers than this is too common to have senses
SENSE_RATIO = 0.3  # a pair whose papers are < 30% as close to the topic is another sense
WHY_TERMS = 5
DIVERSE_HEAD = 100  # positions reordered by maximal marginal relevance
RELEVANCE = 0.7  # MMR: weight of relevance against novelty
DIVERSE_FLOOR = 0.4  # MMR only reorders papers at least this relevant relative to the best


@dataclass
class Ranked:
    key: str
    score: float
    why: list[str] = field(default_factory=list)


@dataclass
class Ranking:
    """Every paper, best first, and the word senses that were told apart."""

    results: list[Ranked]
    other_senses: dict[str, list[str]] = field(default_factory=dict)  # word -> its pairs


def paper_text(paper: Paper) -> str:
    """Return what a paper is ranked on: its title twice, its keywords and its abstract."""
    return "\n".join([paper.title, paper.title, "; ".join(paper.keywords), paper.abstract])


def query_phrases(interests: str, tokenizer: Tokenizer) -> list[list[str]]:
    """Split interests into phrases of tokens: "LLM safety and alignment: jailbreaks" ->
    [["llm", "safety"], ["alignment"], ["jailbreak"]]."""
    parts = re.split(r"[,:;/()|]|\band\b|\bor\b|\bas well as\b|\bincluding\b", interests,
                     flags=re.IGNORECASE)
    return [[t for t in tokens if t != BREAK] for part in parts
            if (tokens := tokenizer.tokens(part))]


class Ranker:
    """The TF-IDF model of one corpus, ready to score queries against it."""

    def __init__(self, papers: list[Paper], interests: str = ""):
        self.papers = papers
        texts = [paper_text(p) for p in papers]
        self.tokenizer = Tokenizer(find_acronyms(texts + [interests]))
        self.tokens = [self.tokenizer.tokens(t) for t in texts]
        self.other_senses: dict[str, list[str]] = {}
        self._fit()

    def _fit(self) -> None:
        self.vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True,
                                          min_df=2 if len(self.papers) > 200 else 1,
                                          dtype=np.float32)
        self.csr = self.vectorizer.fit_transform(self.tokens).tocsr()
        self.csc = self.csr.tocsc()
        self.vocabulary = self.vectorizer.vocabulary_
        self.idf = self.vectorizer.idf_
        self.names = self.vectorizer.get_feature_names_out()
        self.pairs: dict[str, list[tuple[str, int]]] = {}  # word -> pairs it is part of
        for term, column in self.vocabulary.items():
            if " " in term:
                a, b = term.split(" ", 1)
                self.pairs.setdefault(a, []).append((term, column))
                if b != a:
                    self.pairs.setdefault(b, []).append((term, column))

    def query(self, phrases: list[list[str]]) -> np.ndarray:
        """Return the unit query vector of `phrases`: their words and in-phrase pairs."""
        vector = np.zeros(len(self.vocabulary), dtype=np.float32)
        for tokens in phrases:
            for term in terms(tokens):
                column = self.vocabulary.get(term)
                if column is not None:
                    vector[column] += self.idf[column] * (1.5 if " " in term else 1.0)
        return _unit(vector)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        return np.asarray(self.csr @ vector).ravel()

    def centroid(self, rows: list[int] | np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(self.csr.shape[1], dtype=np.float32)
        return _unit(np.asarray(self.csr[rows].mean(axis=0)).ravel())

    def tell_senses_apart(self, phrases: list[list[str]]) -> None:
        """Find pairs in which a query word means something else; refit without them."""
        words = {t for tokens in phrases for t in tokens}
        query = self.query(phrases)
        first = self.scores(query)
        foreign: set[tuple[str, str]] = set()
        for word in words:
            for term in self._other_senses(word, words, query, first):
                foreign.add(tuple(term.split()))
                self.other_senses.setdefault(word, []).append(term)
        if foreign:
            self.tokens = [_split_senses(tokens, foreign, words) for tokens in self.tokens]
            self._fit()

    def _other_senses(self, word: str, words: set[str], query: np.ndarray,
                      first: np.ndarray) -> list[str]:
        """Return the pairs with `word` whose papers hardly touch the rest of the interests.

        Scored without `word`, the papers using such a pair ("sequence alignment") reach
        less than `SENSE_RATIO` of what the papers `word` finds best reach. A word in most
        papers ("model") has no one sense to tell apart.
        """
        column = self.vocabulary.get(word)
        if column is None or self.csc[:, column].nnz > GENERIC_SHARE * len(self.papers):
            return []
        without = query.copy()
        without[[c for _, c in self.pairs.get(word, [])] + [column]] = 0
        rest = self.scores(without)
        having = self.csc[:, column].indices
        reference = float(rest[having[np.argsort(-first[having])[:FEEDBACK_DOCS]]].mean())
        if reference <= 0:
            return []
        return [term for term, pair_column in self.pairs.get(word, [])
                if not set(term.split()) <= words
                and len(rows := self.csc[:, pair_column].indices) >= SENSE_MIN_DF
                and float(rest[rows].mean()) < SENSE_RATIO * reference]

    def why(self, row: int, vector: np.ndarray, words: set[str]) -> list[str]:
        """Return the terms that contributed most to a paper's score, query words first."""
        csr = self.csr
        start, end = csr.indptr[row], csr.indptr[row + 1]
        columns = csr.indices[start:end]
        values = csr.data[start:end] * vector[columns]
        ranked = sorted(zip(values, columns, strict=True), key=lambda vc: -vc[0])
        total = float(values.sum()) or 1.0
        picked = [str(self.names[c]) for v, c in ranked if v > 0.04 * total]
        pairs = {w for t in picked if " " in t for w in t.split()}
        picked = [t for t in picked if " " in t or t not in pairs]  # "reward model" says it
        asked = [t for t in picked if set(t.split()) <= words]
        return (asked + [t for t in picked if t not in asked])[:WHY_TERMS]


def rank(papers: list[Paper], interests: str = "", like: list[str] | None = None) -> Ranking:
    """Return every paper ranked by relevance to `interests` and the papers in `like`."""
    ranker = Ranker(papers, interests)
    phrases = query_phrases(interests, ranker.tokenizer)
    if phrases:
        ranker.tell_senses_apart(phrases)
    query = ranker.query(phrases)
    liked_keys = set(like or [])
    liked = [i for i, p in enumerate(papers) if p.key in liked_keys]
    if liked:
        query = _unit(query + LIKE_WEIGHT * ranker.centroid(liked))
    first = ranker.scores(query)
    top = [i for i in np.argsort(-first)[:FEEDBACK_DOCS] if first[i] > 0]
    final = _unit(query + FEEDBACK_WEIGHT * ranker.centroid(top)) if top else query
    scores = ranker.scores(final)
    order = diversify(np.argsort(-scores, kind="stable"), scores, ranker)
    words = {t for tokens in phrases for t in tokens}
    results = [Ranked(papers[i].key, float(scores[i]),
                      ranker.why(i, final, words) if n < 200 else [])
               for n, i in enumerate(order)]
    return Ranking(results, ranker.other_senses)


def diversify(order: np.ndarray, scores: np.ndarray, ranker: Ranker) -> np.ndarray:
    """Reorder the head of `order` by maximal marginal relevance: each next paper is the
    one most relevant and least like those already placed (cosine of TF-IDF rows). Only
    papers at least `DIVERSE_FLOOR` as relevant as the best take part: novelty must not
    promote a paper that merely differs."""
    if not len(order) or scores[order[0]] <= 0:
        return order
    floor = DIVERSE_FLOOR * scores[order[0]]
    head = [int(i) for i in order[:DIVERSE_HEAD * 2] if scores[i] >= floor]
    if len(head) < 3:
        return order
    rows = ranker.csr[head]
    similar = (rows @ rows.T).toarray()
    relevance = scores[head] / scores[head[0]]
    placed, closest = [0], similar[0].copy()
    left = set(range(1, len(head)))
    while left and len(placed) < DIVERSE_HEAD:
        best = max(left, key=lambda j: RELEVANCE * relevance[j] - (1 - RELEVANCE) * closest[j])
        placed.append(best)
        left.remove(best)
        closest = np.maximum(closest, similar[best])
    first = [head[j] for j in placed]
    chosen = set(first)
    return np.array(first + [int(i) for i in order if int(i) not in chosen])


def _split_senses(tokens: list[str], foreign: set[tuple[str, str]], words: set[str]) -> list[str]:
    """Rename a query word inside a pair of another sense ("sequence alignment")."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token not in words or token == BREAK:
            continue
        before = (tokens[i - 1], token) if i else None
        after = (token, tokens[i + 1]) if i + 1 < len(tokens) else None
        if before in foreign or after in foreign:
            out[i] = f"{token}~"
    return out


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
