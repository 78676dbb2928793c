"""A generated OpenReview venue: thousands of notes in the API v2 format, seeded.

Most papers are background from a dozen primary areas. Planted among them are papers
on LLM safety and alignment (the reader's interests in the tests) and distractors that
share the interests' words in another sense: multiple sequence alignment of proteins,
distribution alignment for domain adaptation, word alignment in translation, reward
shaping and safe exploration in robotics. `make_venue(n)` returns the notes and the ids
of the planted on-topic papers and of the distractors.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

VENUE_ID = "NeurIPS.cc/2025/Conference"
AREAS = {
    "deep_learning": (
        ["transformer", "attention layer", "residual network", "normalization",
         "mixture of experts",
         "state space model", "sparse attention", "depth scaling"],
        ["image classification", "language modeling", "long context", "scaling laws"]),
    "generative_models": (
        ["diffusion model", "score matching", "flow matching", "variational autoencoder",
         "consistency model", "latent diffusion"],
        ["image synthesis", "video generation", "sampling speed", "likelihood estimation"]),
    "reinforcement_learning": (
        ["policy gradient", "value function", "offline reinforcement learning", "world model",
         "exploration bonus", "actor critic"],
        ["continuous control", "Atari games", "sample efficiency", "credit assignment"]),
    "optimization": (
        ["stochastic gradient descent", "adaptive optimizer", "second-order method",
         "learning rate schedule", "momentum"],
        ["convergence rate", "nonconvex objectives", "large batch training", "generalization"]),
    "learning_theory": (
        ["PAC bound", "sample complexity", "kernel regime", "online learning", "regret bound"],
        ["minimax rates", "overparameterization", "implicit bias", "benign overfitting"]),
    "graph_neural_networks": (
        ["message passing", "graph transformer", "graph neural network", "positional encoding"],
        ["molecular property prediction", "link prediction", "oversmoothing", "expressivity"]),
    "computer_vision": (
        ["object detection", "semantic segmentation", "vision transformer", "3D reconstruction",
         "neural radiance field"],
        ["autonomous driving scenes", "open-vocabulary recognition", "depth estimation"]),
    "probabilistic_methods": (
        ["Gaussian process", "Bayesian inference", "variational inference", "Monte Carlo"],
        ["uncertainty quantification", "calibration", "posterior sampling"]),
    "applications_to_physical_sciences": (
        ["neural operator", "physics-informed network", "equivariant network"],
        ["fluid dynamics", "weather forecasting", "materials discovery"]),
    "interpretability": (
        ["sparse autoencoder", "probing classifier", "circuit analysis", "feature attribution"],
        ["superposition", "monosemantic features", "attention heads"]),
}
SAFETY_AREA = "alignment_fairness_safety_privacy_and_societal_considerations"
ON_TOPIC = [
    ("Jailbreak Attacks on Aligned Large Language Models via {x}",
     "Large language models (LLMs) are aligned to refuse harmful requests, yet jailbreak "
     "prompts still elicit unsafe outputs. We study {x} as a jailbreak attack and show that "
     "safety alignment trained with RLHF fails on {n}% of harmful prompts. We release a "
     "red-teaming benchmark and a defense that restores refusal behaviour."),
    ("Reward Model Overoptimization in RLHF: {x}",
     "Reinforcement learning from human feedback (RLHF) optimizes a language model against a "
     "learned reward model. We show that reward hacking appears after {n} steps when {x} is "
     "used, and propose an ensemble of reward models that keeps the policy aligned with human "
     "preferences."),
    ("Safety Alignment of LLMs with {x}",
     "We propose {x} for the safety alignment of large language models (LLMs). Trained on "
     "preference data with direct preference optimization, the aligned model refuses harmful "
     "instructions while staying helpful, reducing jailbreak success by {n}%."),
    ("Red-Teaming Language Models with {x}",
     "Automated red teaming finds prompts that make large language models (LLMs) produce "
     "harmful content. Our {x} attacker discovers {n} new jailbreak strategies, and "
     "adversarial training on them improves robustness of safety-aligned chat models."),
    ("Preference Optimization Beyond the Bradley-Terry Reward Model: {x}",
     "Aligning large language models (LLMs) with human preferences usually fits a reward "
     "model and runs RLHF. We introduce {x}, a preference optimization objective that avoids "
     "reward model misspecification and improves win rate by {n}% while lowering harmful "
     "completions."),
]
DISTRACTORS = [
    ("Fast Multiple Sequence Alignment with {x}",
     "Multiple sequence alignment is a core step of protein structure prediction. We present "
     "{x}, which computes multiple sequence alignments of {n} protein families and improves "
     "alignment accuracy over progressive alignment tools. Sequence alignment quality also "
     "raises downstream contact prediction.", "applications_to_biology"),
    ("Distribution Alignment for Unsupervised Domain Adaptation via {x}",
     "Domain adaptation transfers a classifier to a new domain by distribution alignment of "
     "source and target features. Our {x} performs feature alignment with optimal transport "
     "and outperforms adversarial alignment on {n} benchmarks.", "transfer_learning"),
    ("Word Alignment for Low-Resource Machine Translation with {x}",
     "Word alignment links words across a sentence pair in machine translation. We propose "
     "{x}, an unsupervised word alignment method that lowers alignment error rate by {n}% on "
     "low-resource language pairs.", "applications_to_language"),
    ("Reward Shaping for Safe Robot Locomotion with {x}",
     "We study reward shaping for legged robots, where safety constraints matter. {x} learns "
     "a shaped reward and a safety critic for safe exploration, reducing falls by {n}% in "
     "continuous control and on hardware.", "robotics"),
    ("Image-Text Alignment in Vision-Language Pretraining via {x}",
     "Contrastive pretraining aligns images and captions. We propose {x} to improve "
     "image-text alignment and cross-modal alignment of vision-language models, gaining {n}% "
     "on zero-shot retrieval.", "computer_vision"),
]
METHODS = ["Gradient Surgery", "Token Masking", "Latent Steering", "Contrastive Decoding",
           "Adaptive Sampling", "Low-Rank Adapters", "Curriculum Mixing", "Spectral Filters",
           "Iterative Refinement", "Dual Encoders", "Sparse Routing", "Energy Matching"]
FIRST = ["Ana", "Wei", "Kofi", "Maria", "Jonas", "Priya", "Hiro", "Lena", "Omar", "Sara"]
LAST = ["Ng", "Okafor", "Silva", "Müller", "Kowalski", "Tanaka", "Haddad", "Rossi", "Kim"]


@dataclass
class Venue:
    notes: list[dict]
    on_topic: set[str] = field(default_factory=set)  # note ids of the planted papers
    distractors: set[str] = field(default_factory=set)


def _id(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10))


def _note(rng: random.Random, title: str, abstract: str, area: str, keywords: list[str]) -> dict:
    note_id = _id(rng)
    content = {"title": title, "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                                           for _ in range(rng.randint(2, 7))],
               "abstract": abstract, "keywords": keywords, "venueid": VENUE_ID,
               "pdf": f"/pdf/{note_id}.pdf"}
    if area:
        content["primary_area"] = area
    return {"id": note_id, "forum": note_id,
            "content": {key: {"value": value} for key, value in content.items()}}


def _method(rng: random.Random) -> str:
    return f"{rng.choice(METHODS)} {rng.choice(METHODS).split()[-1]}"


def _background(rng: random.Random) -> tuple[str, str, str, list[str]]:
    area = rng.choice(list(AREAS))
    methods, problems = AREAS[area]
    method, problem, other = rng.choice(methods), rng.choice(problems), rng.choice(problems)
    title = f"{_method(rng)} for {problem.title()} with {method.title()}"
    abstract = (f"We study {problem} with {method}. Existing {method} approaches struggle with "
                f"{other}. We propose {rng.choice(METHODS).lower()}, which improves {problem} "
                f"by {rng.randint(2, 40)}% on {rng.randint(3, 12)} benchmarks. Analysis shows "
                f"that {method} and {other} interact, and the method scales to large models.")
    return title, abstract, area, [method, problem]


def make_venue(n: int, seed: int = 0, planted: int = 30, distractors: int = 30,
               areas: bool = True, name: str = "NeurIPS 2025", venue_id: str = VENUE_ID) -> Venue:
    """Return a venue of `n` notes: `planted` on-topic, `distractors`, the rest background."""
    rng = random.Random(seed)
    venue, titles = Venue([]), set()
    for i in range(n):
        if i % max(n // planted, 1) == 1 and len(venue.on_topic) < planted:
            title, abstract = rng.choice(ON_TOPIC)
            x = _method(rng)
            area = SAFETY_AREA if rng.random() < 0.6 else "foundation_or_frontier_models"
            note = _note(rng, title.format(x=x), abstract.format(x=x.lower(),
                         n=rng.randint(5, 60)), area, ["large language models", "safety"])
            venue.on_topic.add(note["id"])
        elif i % max(n // distractors, 1) == 2 and len(venue.distractors) < distractors:
            title, abstract, area = rng.choice(DISTRACTORS)
            x = _method(rng)
            note = _note(rng, title.format(x=x), abstract.format(x=x, n=rng.randint(5, 60)),
                         area, ["alignment"])
            venue.distractors.add(note["id"])
        else:
            note = _note(rng, *_background(rng))
        note["content"]["venueid"]["value"] = venue_id
        title = note["content"]["title"]["value"]
        if title in titles:  # one title, one paper: draw the words again
            note["content"]["title"]["value"] = f"{title}: {_method(rng)} {i}"
        titles.add(note["content"]["title"]["value"])
        if not areas:
            note["content"].pop("primary_area", None)
        venue.notes.append(note)
    _presentations(rng, venue.notes, name)
    return venue


def _presentations(rng: random.Random, notes: list[dict], name: str) -> None:
    """Give ~1.5% orals and ~13% spotlights (NeurIPS 2025: 77 and 688 of 5,290)."""
    order = list(range(len(notes)))
    rng.shuffle(order)
    orals, spotlights = round(len(notes) * 77 / 5290), round(len(notes) * 688 / 5290)
    for rank, index in enumerate(order):
        kind = "oral" if rank < orals else "spotlight" if rank < orals + spotlights else "poster"
        notes[index]["content"]["venue"] = {"value": f"{name} {kind}"}
