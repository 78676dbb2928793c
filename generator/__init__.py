"""confgen: turn the papers of a conference into a deck, explainer panels and a newsletter."""

__version__ = "0.1.0"
