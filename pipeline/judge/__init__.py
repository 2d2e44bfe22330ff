"""Judgements about an article's content: is it protest coverage, and of which kind.

In: an article's headline and text (any form an archive delivers: HTML leftovers, no
punctuation, ALL-CAPS headlines) and, when known, its language (es, pt, en).
Out: ``relevance.judge`` gives a calibrated probability that the article reports collective
action or social conflict (0.5: even odds, the default threshold), with the features behind it;
``lexicon`` names the kinds of action (march, strike, blockade, claim, assembly...).
``events`` codes a protest article into an event record (when, where, who, why, how many, how
the state answered; docs/EVENTS.md) and merges a story's records.
``training`` (offline, scikit-learn) rebuilds the weights in ``data/``; scoring needs no scikit-learn.
"""
