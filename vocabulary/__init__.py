"""The words every layer shares, below them all: it imports nothing else of protestwire.

In: plain strings and datetimes. Out: the same vocabulary for the stages that write the store
and the query layer that reads it, so a search folds, names and dates things exactly as the
stages did.

- ``folding``: ``fold``, lower case without accents ("Paralización" -> "paralizacion").
- ``actions``: the action types (march, strike, blockade...) and their search stems.
- ``places``: the gazetteer (``data/gazetteer.json.gz``) and ``place_names``, the lookup behind
  the ``place`` filter.
- ``clock``: ``local_time``, a UTC time shown in the publisher's own offset.
"""
