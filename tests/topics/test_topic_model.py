"""TopicModel: parameters, inputs, schema, determinism, stable ids, groups and saving."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.grievances import Grievance, GrievanceLink
from hotline_insight.topics import TOPIC_INFO_DTYPES, TOPICS_BY_DTYPES
from hotline_insight.topics.model import FORMAT_VERSION, _assign, _merge


def pattern_topics(
    grievances: hi.Grievances, topics: list[int], planted: dict[str, str], pattern: str
) -> Counter[int]:
    """How the grievances of one planted pattern spread over topics."""
    return Counter(
        t for g, t in zip(grievances, topics, strict=True) if planted.get(g.interaction_id) == pattern
    )


# Three subjects, each written several ways: enough variety for UMAP and HDBSCAN.
ROUTER = [
    f"my {a} {b}"
    for a in ("router", "hub", "modem", "wifi box", "lark hub")
    for b in ("reboots every night", "restarts at 3am", "keeps rebooting", "resets itself overnight")
]
FEE = [
    f"a {a} {b}"
    for a in (
        "support fee",
        "tech support charge",
        "fee for calling support",
        "support call charge",
        "support fee",
    )
    for b in ("on my bill", "after ninety days", "again this month", "without any warning")
]
REFUND = [
    f"{a} {b}"
    for a in (
        "refund not received",
        "still waiting for my refund",
        "refund delayed",
        "where is my refund",
        "no refund yet",
    )
    for b in ("for weeks", "after cancelling", "since march", "on my card")
]
TEXTS = ROUTER + FEE + REFUND


def tfidf(**params: Any) -> hi.TopicModel:
    return hi.TopicModel(embedding="tfidf", min_topic_size=5, **params)


@pytest.fixture(scope="module")
def small() -> tuple[hi.TopicModel, list[int]]:
    model = tfidf()
    return model, model.fit_transform(TEXTS)


# -- parameters and inputs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("random_state", "0"),
        ("random_state", 1.5),
        ("embedding", "bert"),
        ("min_topic_size", 1),
        ("min_topic_size", 2.0),
        ("max_cluster_docs", 10),
        ("outlier_threshold", 2.0),
        ("outlier_threshold", True),
        ("merge_tolerance", -0.1),
        ("n_neighbors", 1),
        ("n_components", 1),
        ("n_key_phrases", 0),
        ("n_label_phrases", 0),
        ("n_examples", 0),
        ("batch_size", 0),
        ("stop_words", "larkspur"),
        ("stop_words", [1, 2]),
        ("seed_themes", "yes"),
        ("context_weight", -1),
        ("novelty_share", 0),
        ("redact", None),
        ("progress", "auto"),
    ],
)
def test_invalid_parameters_are_rejected_at_fit(name: str, value: object) -> None:
    model = hi.TopicModel(**{name: value})  # __init__ only stores
    with pytest.raises(hi.ConfigError, match=rf"^\[E502\] The '{name}' parameter of TopicModel must be"):
        model.fit(TEXTS)


def test_params_round_trip_and_unknown_param() -> None:
    model = hi.TopicModel(min_topic_size=7)
    assert model.get_params()["min_topic_size"] == 7
    assert hi.TopicModel(**model.get_params()).get_params() == model.get_params()
    assert model.set_params(n_examples=5) is model and model.n_examples == 5
    with pytest.raises(hi.ConfigError, match=r"^\[E502\] The 'k' parameter"):
        model.set_params(k=3)
    assert repr(hi.TopicModel(min_topic_size=7)) == "TopicModel(min_topic_size=7)"


@pytest.mark.parametrize(
    ("docs", "code"),
    [
        ("one string", "E520"),
        ({"a": 1}, "E520"),
        (42, "E520"),
        ([*TEXTS[:30], 3], "E521"),
        ([*TEXTS, "  ", ""], "E522"),
        (TEXTS[:10], "E523"),
    ],
)
def test_invalid_texts(docs: Any, code: str) -> None:
    with pytest.raises(hi.ConfigError, match=rf"^\[{code}\]"):
        tfidf().fit(docs)


def test_blank_text_error_gives_positions_not_text() -> None:
    with pytest.raises(hi.ConfigError) as info:
        tfidf().fit([*TEXTS, " ", "secret 555-010-2000", ""])
    message = str(info.value)
    assert "2 of the texts" in message and str(len(TEXTS)) in message and "555" not in message


def test_themes_must_align() -> None:
    with pytest.raises(
        hi.ConfigError, match=r"^\[E529\] 'themes' must have one entry per text: got 2 entries for 60"
    ):
        tfidf().fit(TEXTS, themes=[["fees"], []])


@pytest.mark.parametrize("method", ["transform", "update", "topics_by", "save"])
def test_not_fitted(method: str, tmp_path: Path) -> None:
    model = hi.TopicModel()
    args: dict[str, Any] = {
        "transform": (TEXTS,),
        "update": (TEXTS,),
        "topics_by": (pd.DataFrame(),),
        "save": (tmp_path,),
    }
    with pytest.raises(hi.NotFittedError, match=r"^\[E501\] This TopicModel instance is not fitted yet"):
        getattr(model, method)(*args[method])


# -- a fit on hand-made texts -----------------------------------------------------------


def test_three_subjects_three_topics(small: tuple[hi.TopicModel, list[int]]) -> None:
    model, topics = small
    assert model.n_topics_ == 3 and model.n_outliers_ == 0 and model.embedding_ == "tfidf"
    # every subject is one topic, and no two subjects share one
    by_subject = [set(topics[:20]), set(topics[20:40]), set(topics[40:])]
    assert all(len(s) == 1 for s in by_subject) and len(set.union(*by_subject)) == 3
    assert model.labels_.tolist() == topics
    assert list(model.timings_) == ["embed", "cluster", "merge", "assign", "redact", "name"]
    assert model.transform(TEXTS) == topics
    assert model.transform(pd.Series(TEXTS)) == topics
    assert model.transform([]) == []


def test_topic_info_schema(small: tuple[hi.TopicModel, list[int]]) -> None:
    model, topics = small
    info = model.topic_info_
    assert list(info.columns) == list(TOPIC_INFO_DTYPES)
    assert {c: str(info[c].dtype) for c in info.columns} == TOPIC_INFO_DTYPES
    assert info["topic"].tolist() == [0, 1, 2]
    assert info["size"].tolist() == [20, 20, 20] and info["size"].sum() + model.n_outliers_ == len(TEXTS)
    assert info["share"].round(4).tolist() == [0.3333] * 3
    assert info["generation"].tolist() == [0, 0, 0]
    # no themes were given: theme columns are empty and novelty is unknown
    assert info["themes"].tolist() == [[], [], []] and info["is_novel"].isna().all()
    for _, row in info.iterrows():
        assert 1 <= len(row["label"].split(" / ")) <= 3
        assert 1 <= len(row["key_phrases"]) <= 10
        assert len(row["examples"]) == 3 and len(set(row["examples"])) == 3
    labels = dict(zip(info["topic"], info["label"], strict=True))
    assert "refund" in labels[topics[40]] and "support" in labels[topics[20]]


@pytest.mark.parametrize("seed", [False, True])
def test_themes_give_overlaps_and_novelty(seed: bool) -> None:
    themes = [["defect"]] * 20 + [["fees"]] * 10 + [["fees", "refund"]] * 10 + [[]] * 20
    model = tfidf(seed_themes=seed, novelty_share=0.6).fit(TEXTS, themes=themes)
    info = model.topic_info_.set_index("topic")
    router, fee, refund = (int(model.labels_[i]) for i in (0, 20, 40))
    assert info.loc[router, "themes"] == ["defect"] and info.loc[router, "theme_shares"] == [1.0]
    assert info.loc[fee, "themes"] == ["fees", "refund"] and info.loc[fee, "theme_shares"] == [1.0, 0.5]
    assert info.loc[refund, "themes"] == []
    # a topic none of whose themes covers novelty_share of it is new to the taxonomy
    assert [bool(info.loc[t, "is_novel"]) for t in (router, fee, refund)] == [False, False, True]


def test_examples_are_redacted_for_plain_texts() -> None:
    texts = [f"{t} call me on 555-010-{1000 + i}" for i, t in enumerate(TEXTS)]
    model = tfidf().fit(texts)
    shown = " ".join(" ".join(ex) for ex in model.topic_info_["examples"])
    assert "[PHONE]" in shown and "555-010" not in shown
    assert "555" not in " ".join(" ".join(k) for k in model.topic_info_["key_phrases"])


def test_one_subject_only_gives_one_topic_with_a_warning() -> None:
    texts = [f"my router reboots every night {w}" for w in ("again", "still", "now", "too")] * 10
    with pytest.warns(hi.HotlineWarning, match=r"\[W202\]"):
        model = tfidf().fit(texts)
    assert model.n_topics_ == 1 and set(model.labels_.tolist()) == {0}


def test_outliers_are_only_texts_like_no_topic(small: tuple[hi.TopicModel, list[int]]) -> None:
    model, _ = small
    # a text of words never seen at fit embeds to zero: no similarity to any topic
    assert model.transform(["zebra xylophone quantum", "my router keeps rebooting"])[0] == -1
    strict = tfidf(outlier_threshold=1.0).fit(TEXTS)
    assert strict.n_outliers_ == (strict.labels_ == -1).sum() > 0
    assert strict.topic_info_["size"].sum() + strict.n_outliers_ == len(TEXTS)


def test_max_cluster_docs_sample_still_assigns_everything() -> None:
    texts = TEXTS * 3
    model = tfidf(max_cluster_docs=100).fit(texts)
    assert model.n_topics_ == 3 and (model.labels_ >= 0).all()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([*TEXTS, "zebra", "router fee refund"]), max_size=20))
def test_transform_returns_known_ids(small: tuple[hi.TopicModel, list[int]], docs: list[str]) -> None:
    model, _ = small
    out = model.transform(docs)
    assert len(out) == len(docs) and all(-1 <= t < model.n_topics_ for t in out)


# -- helpers of the fit ---------------------------------------------------------------


def test_assign_rule() -> None:
    cents = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    emb = np.array([[0.9, 0.1], [0.2, 0.8], [0.0, 0.0], [-1.0, 0.0]], dtype=np.float32)
    labels, best = _assign(emb, cents, 0.1)
    assert labels.tolist() == [0, 1, -1, -1]
    np.testing.assert_allclose(best, [0.9, 0.8, 0.0, 0.0], atol=1e-6)


def test_merge_joins_topics_that_are_not_apart() -> None:
    rng = np.random.default_rng(0)
    # two well separated groups, each split in two fine clusters: merged back to two
    a = np.array([1.0, 0.0, 0.0]) + rng.normal(0, 0.05, (40, 3))
    b = np.array([0.0, 1.0, 0.0]) + rng.normal(0, 0.05, (40, 3))
    emb = np.vstack([a, b]).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    fine = np.repeat([0, 1, 2, 3], 20)
    assert len(_merge(emb, fine, 0.03, 0)) == 2
    # no structure at all (random directions): nothing is merged
    noise = rng.normal(0, 1, (80, 50)).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    assert len(_merge(noise, np.repeat(np.arange(8), 10), 0.03, 0)) == 8


# -- updates: stable ids ------------------------------------------------------------------


def test_update_keeps_ids_names_and_centroids() -> None:
    model = tfidf().fit(ROUTER + FEE)
    before = model.topic_info_[["topic", "label"]].copy()
    centroids = model.topic_embeddings_.copy()
    # TF-IDF knows only the words seen at fit, so these texts can't form a topic of their own
    # (the MiniLM test on the sample data below shows new topics being made)
    new = [
        f"{a} {b}"
        for a in ("hub fee", "router fee", "modem charge", "wifi box fee", "hub charge")
        for b in ("reboots", "restarts", "resets", "overnight")
    ]
    topics = model.update(new + ROUTER[:5])
    info = model.topic_info_
    pd.testing.assert_frame_equal(info[["topic", "label"]], before)
    np.testing.assert_array_equal(model.topic_embeddings_, centroids)
    assert topics == model.transform(new + ROUTER[:5])
    assert topics[20:] == [model.transform(ROUTER[:1])[0]] * 5
    assert info["size"].sum() == 65 and info["generation"].tolist() == [0, 0]


def test_update_validates_and_counts() -> None:
    model = tfidf().fit(TEXTS)
    with pytest.raises(hi.ConfigError, match=r"^\[E529\]"):
        model.update(TEXTS[:3], themes=[[]])
    assert model.update(TEXTS[:3]) == model.labels_[:3].tolist()
    assert model.topic_info_["size"].sum() == 63 and model.n_topics_ == 3


# -- groups ------------------------------------------------------------------------------


def _grievance(i: int, **fields: Any) -> Grievance:
    base: dict[str, Any] = {
        "interaction_id": f"i{i}",
        "turn_position": 0,
        "start_char": 0,
        "end_char": 5,
        "text": "text.",
        "role": "customer",
        "channel": "call",
        "complaint_score": 0.9,
    }
    base.update(fields)
    return Grievance(**base)


def test_topics_by_groups_exactly(small: tuple[hi.TopicModel, list[int]]) -> None:
    model, _ = small
    q3, q2 = datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    hub = GrievanceLink(id="router_hub5", method="name", confidence=1.0)
    tv = GrievanceLink(id="tv_box_hd", method="name", confidence=1.0)
    items = hi.Grievances(
        [
            _grievance(0, created_at=q3, products=(hub,), themes=("defect",)),
            _grievance(1, created_at=q3, products=(hub, tv), channel="chat"),
            _grievance(2, created_at=q2, products=(), themes=("defect", "fees")),
            _grievance(3, created_at=None, channel="chat"),
        ]
    )
    topics = [0, 0, 1, -1]
    by_quarter = model.topics_by(items, "quarter", topics=topics)
    assert list(by_quarter.columns) == ["quarter", "topic", "label", "n", "share"]
    assert {c: str(by_quarter[c].dtype) for c in ("topic", "n", "share")} == {
        c: TOPICS_BY_DTYPES[c] for c in ("topic", "n", "share")
    }
    rows = [tuple(r) for r in by_quarter[["quarter", "topic", "n", "share"]].itertuples(index=False)]
    assert rows[:2] == [("2026Q2", 1, 1, 1.0), ("2026Q3", 0, 2, 1.0)]
    assert rows[2][0] is pd.NA and rows[2][1:] == (-1, 1, 1.0)
    assert by_quarter["label"].iloc[2] == "(outliers)"
    by_product = model.topics_by(items, "product", topics=topics)
    got = {
        (r.product if r.product is not pd.NA else None, r.topic): r.n
        for r in by_product.itertuples(index=False)
    }
    assert got == {("router_hub5", 0): 2, ("tv_box_hd", 0): 1, (None, 1): 1, (None, -1): 1}
    by_channel = model.topics_by(items, "channel", topics=topics)
    assert by_channel[["channel", "topic", "n"]].values.tolist() == [
        ["call", 0, 1],
        ["call", 1, 1],
        ["chat", -1, 1],
        ["chat", 0, 1],
    ]
    by_theme = model.topics_by(items.to_frame().assign(topic=topics), "theme")
    themes = ["<NA>" if v is pd.NA else v for v in by_theme["theme"]]
    assert sorted(zip(themes, by_theme["topic"], by_theme["n"], strict=True)) == [
        ("<NA>", -1, 1),
        ("<NA>", 0, 1),
        ("defect", 0, 1),
        ("defect", 1, 1),
        ("fees", 1, 1),
    ]


def test_topics_by_errors(small: tuple[hi.TopicModel, list[int]]) -> None:
    model, _ = small
    frame = pd.DataFrame({"text": TEXTS[:2]})
    with pytest.raises(hi.ConfigError, match=r"^\[E530\] Unknown grouping 'colour'"):
        model.topics_by(frame, "colour")
    with pytest.raises(hi.ConfigError, match=r"^\[E531\] .*'created_at'"):
        model.topics_by(frame, "quarter")
    with pytest.raises(hi.ConfigError, match=r"^\[E531\] .*'text'"):
        model.topics_by(pd.DataFrame({"channel": ["call"]}), "channel")
    with pytest.raises(hi.ConfigError, match=r"^\[E529\] 'topics'"):
        model.topics_by(frame, "text", topics=[0])
    with pytest.raises(hi.ConfigError, match=r"^\[E520\]"):
        model.topics_by(TEXTS, "channel")  # type: ignore[arg-type]
    # a frame without topics has its texts assigned
    out = model.topics_by(frame.assign(channel="call"), "channel")
    assert out["n"].sum() == 2


# -- saving ------------------------------------------------------------------------------


def test_save_load_round_trip_and_format_errors(
    small: tuple[hi.TopicModel, list[int]], tmp_path: Path
) -> None:
    model, topics = small
    folder = model.save(tmp_path / "m")
    assert sorted(p.name for p in folder.iterdir()) == ["topic_model.json", "topic_model.safetensors"]
    again = hi.load_topic_model(folder)
    assert again.transform(TEXTS) == topics
    pd.testing.assert_frame_equal(again.topic_info_, model.topic_info_)
    assert hi.TopicModel.load(folder).get_params() == model.get_params()
    meta = json.loads((folder / "topic_model.json").read_text())
    assert meta["format_version"] == FORMAT_VERSION and meta["library_version"] == hi.__version__
    assert not list(folder.glob("*.pkl"))

    meta["format_version"] = FORMAT_VERSION + 1
    (folder / "topic_model.json").write_text(json.dumps(meta))
    with pytest.raises(
        hi.ConfigError,
        match=rf"^\[E527\] .*format version {FORMAT_VERSION + 1}; .* reads format version {FORMAT_VERSION}",
    ):
        hi.load_topic_model(folder)
    (folder / "topic_model.json").write_text("{not json")
    with pytest.raises(hi.ConfigError, match=r"^\[E526\] .*unreadable"):
        hi.load_topic_model(folder)
    (folder / "topic_model.json").write_text(json.dumps({"format": "something else"}))
    with pytest.raises(hi.ConfigError, match=r"^\[E526\] .*not a hotline_insight topic model"):
        hi.load_topic_model(folder)
    with pytest.raises(hi.ConfigError, match=r"^\[E526\] .*topic_model.json is missing"):
        hi.load_topic_model(tmp_path / "nowhere")


def test_load_rejects_damaged_arrays(small: tuple[hi.TopicModel, list[int]], tmp_path: Path) -> None:
    model, _ = small
    folder = model.save(tmp_path / "m")
    (folder / "topic_model.safetensors").write_bytes(b"\x00\x01garbage")
    with pytest.raises(hi.ConfigError, match=r"^\[E526\] .*topic_model.safetensors is unreadable"):
        hi.load_topic_model(folder)
    (folder / "topic_model.safetensors").unlink()
    with pytest.raises(hi.ConfigError, match=r"^\[E526\] .*topic_model.safetensors is missing"):
        hi.load_topic_model(folder)


def test_save_to_an_unwritable_place(small: tuple[hi.TopicModel, list[int]], tmp_path: Path) -> None:
    model, _ = small
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(hi.ConfigError, match=r"^\[E532\]"):
        model.save(blocker / "sub")


def test_update_survives_save_and_load(tmp_path: Path) -> None:
    model = tfidf().fit(TEXTS)
    model.update(TEXTS[:4])
    again = hi.load_topic_model(model.save(tmp_path / "m"))
    pd.testing.assert_frame_equal(again.topic_info_, model.topic_info_)
    assert again.update(TEXTS[4:8]) == model.update(TEXTS[4:8])


# -- the sample data, with the default (MiniLM) backend -------------------------------------


def test_sample_topics_have_readable_names(sample_model: tuple[hi.TopicModel, list[int]]) -> None:
    model, topics = sample_model
    info = model.topic_info_
    assert model.embedding_ == "minilm" and 10 <= model.n_topics_ <= 80
    assert model.n_outliers_ / len(topics) <= 0.05
    for label in info["label"]:
        assert label and not label.startswith("topic ")
        assert all(part and part == part.strip() for part in label.split(" / "))
    # most labels have at least one phrase of two words or more
    assert np.mean([any(" " in p for p in label.split(" / ")) for label in info["label"]]) >= 0.5
    # grievances carry themes, so each topic reports its overlap and whether it is new
    assert info["is_novel"].notna().all()
    for names, shares in zip(info["themes"], info["theme_shares"], strict=True):
        assert (
            len(names) == len(shares)
            and all(0.05 <= s <= 1 for s in shares)
            and shares == sorted(shares, reverse=True)
        )


@pytest.mark.parametrize(
    ("pattern", "recall"),
    [
        # the emerging issue: one topic holds most of its grievances, and little else
        ("P5_router_reboot", 0.6),
        # the older patterns' segments also spread into topics of feelings and requests
        ("P3_tvbox_discontinued", 0.35),
        ("P1_support_fee", 0.35),
    ],
)
def test_planted_patterns_are_topics_of_their_own(
    sample_model: tuple[hi.TopicModel, list[int]],
    sample_grievances: hi.Grievances,
    planted: dict[str, str],
    pattern: str,
    recall: float,
) -> None:
    model, topics = sample_model
    counts = pattern_topics(sample_grievances, topics, planted, pattern)
    topic, n = counts.most_common(1)[0]
    size = int(model.topic_info_.loc[model.topic_info_["topic"] == topic, "size"].iloc[0])
    assert n / sum(counts.values()) >= recall, counts
    assert n / size >= 0.8, (n, size)


def test_emerging_issue_is_new_in_its_quarter(
    sample_model: tuple[hi.TopicModel, list[int]], sample_grievances: hi.Grievances, planted: dict[str, str]
) -> None:
    model, topics = sample_model
    p5 = pattern_topics(sample_grievances, topics, planted, "P5_router_reboot").most_common(1)[0][0]
    label = model.topic_info_.loc[model.topic_info_["topic"] == p5, "label"].iloc[0].lower()
    assert any(word in label for word in ("router", "hub", "restart", "reboot", "night")), label
    by_quarter = model.topics_by(sample_grievances, "quarter", topics=topics)
    quarters = by_quarter.loc[by_quarter["topic"] == p5].set_index("quarter")["n"]
    assert (
        quarters.idxmax() == "2026Q3"
        and quarters.drop("2026Q3", errors="ignore").sum() <= 0.1 * quarters.sum()
    )


def test_assign_attaches_topics_in_order(
    sample_model: tuple[hi.TopicModel, list[int]], sample_grievances: hi.Grievances
) -> None:
    model, _ = sample_model
    part = hi.Grievances(list(sample_grievances)[:200])
    assigned = model.assign(part)
    assert [g.topic for g in assigned] == [t if t >= 0 else None for t in model.transform(part)]
    frame = assigned.to_frame()
    assert str(frame["topic"].dtype) == "Int64"
    keys = list(zip(frame["interaction_id"], frame["turn_position"], frame["start_char"], strict=True))
    assert keys == [(g.interaction_id, g.turn_position, g.start_char) for g in part]
    with pytest.raises(hi.ConfigError, match=r"^\[E520\]"):
        model.assign(TEXTS)  # type: ignore[arg-type]


def test_grievance_fit_labels_equal_transform(
    sample_model: tuple[hi.TopicModel, list[int]], sample_grievances: hi.Grievances
) -> None:
    model, topics = sample_model
    # the same rule; the vectors are the same too when this process fitted the model (its
    # embedding cache), else they may differ by float noise, which can flip a near tie
    part = hi.Grievances(list(sample_grievances)[:300])
    again = model.transform(part)
    assert np.mean(np.array(again) == np.array(topics[:300])) >= 0.99


def test_quarter_by_quarter_update_finds_the_emerging_issue(
    sample_grievances: hi.Grievances, planted: dict[str, str]
) -> None:
    def quarter(g: Grievance) -> str:
        assert g.created_at is not None
        return f"{g.created_at.year}Q{(g.created_at.month - 1) // 3 + 1}"

    dated = [g for g in sample_grievances if g.created_at is not None]
    old = hi.Grievances([g for g in dated if quarter(g) != "2026Q3"])
    new = hi.Grievances([g for g in dated if quarter(g) == "2026Q3"])
    model = hi.TopicModel(random_state=0).fit(old)
    before = model.topic_info_[["topic", "label"]].copy()
    topics = model.update(new)
    info = model.topic_info_
    pd.testing.assert_frame_equal(info.loc[: len(before) - 1, ["topic", "label"]], before)
    p5 = pattern_topics(new, topics, planted, "P5_router_reboot")
    topic, _ = p5.most_common(1)[0]
    assert topic >= len(before), (topic, p5)  # a new id, above every old one
    assert int(info.loc[info["topic"] == topic, "generation"].iloc[0]) == 1
    # the emerging issue lands in the new topics, not in the old ones
    in_new = sum(n for t, n in p5.items() if t >= len(before))
    assert in_new / sum(p5.values()) >= 0.7, p5


def test_same_data_and_seed_give_the_same_topics(sample_grievances: hi.Grievances) -> None:
    part = hi.Grievances(list(sample_grievances)[:400])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = hi.TopicModel(random_state=3)
        b = hi.TopicModel(random_state=3)
        ta, tb = a.fit_transform(part), b.fit_transform(part)
    assert ta == tb
    pd.testing.assert_frame_equal(a.topic_info_, b.topic_info_)
    np.testing.assert_array_equal(a.topic_embeddings_, b.topic_embeddings_)
