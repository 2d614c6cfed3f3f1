"""Grouping similar moments: Korean-aware text features and clustering that scales.

- `features`: language per text, character n-grams plus Kiwi morphemes (Korean) as TF-IDF,
  randomly projected to dense vectors that keep cosine similarity.
- `engine`: average-linkage clustering at a cosine-distance threshold, restricted to an
  approximate nearest-neighbour graph so memory and time grow roughly linearly.
"""

from campaign.clustering.engine import cluster_texts

__all__ = ["cluster_texts"]
