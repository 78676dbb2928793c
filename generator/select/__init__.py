"""Pick what a reader cares about in a whole venue: rank, cluster, mark, list.

`rank` scores every paper against a sentence of interests (and papers the reader
likes) offline with scikit-learn's TF-IDF; `topics` clusters papers without a topic into
labelled groups; `mark` writes the picks into event.yaml; `reading_list` gathers the
selected papers of several events into one Markdown + HTML reading list.
"""
