"""Judgements about an article's content: is it protest coverage, of which kind, and where.

In: an article's headline and text (any form an archive delivers: HTML leftovers, no
punctuation, ALL-CAPS headlines), its language (es, pt, en) when known and the outlet's country
as a weak prior. No page, no store: plain strings in, plain values out.
Out: ``classify.classify_protest`` gives the ``ProtestAssessment`` (a calibrated probability
that the article reports collective action or social conflict, 0.5 being even odds and the
default threshold; the kinds of action; the signals behind the score); ``geotag.geotag`` gives
the ``GeoTags`` (countries named, the likely event country, sub-national places).

Open ``relevance.py`` for the learned model's features and scoring (weights in
``data/relevance.json.gz``; ``training.py``, offline with scikit-learn, rebuilds them);
``lexicon.py`` for the es/pt/en action lexicon that names the kinds of action (march, strike,
blockade, claim, assembly...); ``text.py`` for the words every model sees; ``geotag.py`` for
places and ``geotag_names.py`` for its hand lists (demonyms, nicknames, outlets); ``events.py``
(with ``event_lexicon.py``) for the event record of a protest article (when, where, who, why,
how many, how the state answered; docs/EVENTS.md) and the merge of a story's records;
``assess.py`` for the JSON Lines that `protestwire classify` reads and writes.
"""
