"""`confgen serve`: a local review page to read, fix, approve and redraft summaries.

`review` is what the page does to an event (through the summary store, under the event
lock), `highlight` finds the summary's numbers and quotes in the paper's text, `guard`
keeps everyone but the token holder out, and `app` ties them into a Starlette app.
"""

from .app import create_app
from .review import Reviewer

__all__ = ["Reviewer", "create_app"]
