"""Lineage roles from MinHash overlap, credit lines and titles."""

import dataclasses

import numpy as np
import pytest

from storyline.cluster import lineage
from storyline.cluster.lineage import LineageInput, Shingler, assign_roles, title_key

BASE = " ".join(f"word{i} alpha beta gamma delta" for i in range(60))


def member(
    article_id: str,
    order: int,
    text: str,
    shingler: Shingler,
    outlet: str | None = None,
    credited: tuple[str, ...] = (),
    title: str = "",
) -> LineageInput:
    minhash, shingles = shingler.signature(text)
    return LineageInput(article_id, (float(order), order), minhash, shingles, outlet, (), title_key(title), credited)


def test_signature_similarity_tracks_overlap() -> None:
    shingler = Shingler()
    a, _ = shingler.signature(BASE)
    b, _ = shingler.signature(BASE + " one more sentence at the end")
    c, _ = shingler.signature("a completely different text about the weather in spring and autumn")
    assert float(np.mean(a == b)) > 0.8
    assert float(np.mean(a == c)) < 0.1


def test_copy_rewrite_credit_and_independent() -> None:
    shingler = Shingler()
    half = BASE[: len(BASE) // 2]
    members = [
        member("orig", 0, BASE, shingler, outlet="Wire"),
        member("copy", 1, BASE + " extra words", shingler),
        member("rewrite", 2, half + " " + " ".join(f"fresh{i} text here" for i in range(80)), shingler),
        member("credits", 3, "entirely new words about the thing", shingler, credited=("wire",)),
        member("upstream", 4, "another fully separate write up of it", shingler, credited=("some blog",)),
        member("own", 5, "independent reporting with quotes from witnesses on site", shingler),
    ]
    roles = assign_roles(members)
    assert roles["orig"] == ("original", ())
    assert roles["copy"] == ("syndicated_copy", ("orig",))
    assert roles["rewrite"][0] == "derivative" and "orig" in roles["rewrite"][1]
    assert roles["credits"] == ("derivative", ("orig",))
    assert roles["upstream"] == ("derivative", ())
    assert roles["own"] == ("independent", ())


def test_a_copy_of_a_copy_points_to_the_root() -> None:
    shingler = Shingler()
    members = [
        member("a", 0, BASE, shingler),
        member("b", 1, BASE + " x", shingler),
        member("c", 2, BASE + " x y", shingler),
    ]
    roles = assign_roles(members)
    assert roles["c"] == ("syndicated_copy", ("a",))


def test_same_long_title_marks_a_rewrite_when_dates_say_who_was_first() -> None:
    shingler = Shingler()
    title = "Banning Open Source AI Would Be A Mistake"
    members = [
        member("first", 0, "one text entirely", shingler, title=title),
        member("second", 1, "some other words in a row", shingler, title=title),
    ]
    assert assign_roles(members)["second"] == ("derivative", ("first",))
    undated = [dataclasses.replace(m, order=(float("inf"), m.order[1])) for m in members]
    assert assign_roles(undated) == {"first": ("independent", ()), "second": ("independent", ())}


def test_without_any_derivation_the_earliest_is_original() -> None:
    shingler = Shingler()
    members = [
        member("late", 1, "apples and pears on sale", shingler),
        member("early", 0, "rain expected over the hills", shingler),
    ]
    assert assign_roles(members) == {"early": ("original", ()), "late": ("independent", ())}


def test_large_stories_find_copies_through_minhash_lsh(monkeypatch: pytest.MonkeyPatch) -> None:
    shingler = Shingler()
    members = [
        member("a", 0, BASE, shingler),
        member("b", 1, BASE + " x", shingler),
        member("other", 2, "unrelated words about rivers and mountains far away", shingler),
    ]
    exact = assign_roles(members)
    monkeypatch.setattr(lineage, "LSH_ABOVE", 1)
    assert assign_roles(members) == exact
    assert exact["b"] == ("syndicated_copy", ("a",))
