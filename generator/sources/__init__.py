"""Paper sources for `confgen add`: arXiv, OpenReview, BibTeX files and local PDFs.

Each source turns what the user names into `Found` papers; `merge` folds them into
event.yaml without touching the user's own edits; `add.add_papers` runs the stages.
Network sources share one throttled, retrying, caching `HttpClient` (see http.py).
"""
