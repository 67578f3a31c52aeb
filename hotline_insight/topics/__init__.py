"""Topic discovery over grievance texts: BERTopic with offline embeddings, stable ids and safe saving.

See :class:`TopicModel` for how a fit works, :mod:`.embed` for the embedding
backends and :mod:`.represent` for how topics are named.

Examples:
    >>> from hotline_insight.topics import TopicModel, load_topic_model
    >>> TopicModel().get_params()["random_state"]
    0
"""

from __future__ import annotations

from .model import TOPIC_INFO_DTYPES, TOPICS_BY_DTYPES, TopicModel, load_topic_model

__all__ = ["TOPICS_BY_DTYPES", "TOPIC_INFO_DTYPES", "TopicModel", "load_topic_model"]
