"""Lineage roles from sentence reuse, MinHash overlap, credit lines, titles and publication order."""

import dataclasses
import random

import numpy as np
import pytest

from storyline.cluster import lineage
from storyline.cluster.lineage import LineageInput, Shingler, assign_roles, sentence_hashes, title_key, without_spans

WORDS = "river council budget school bridge harbour police market station winter farmers court".split()


def sentences(seed: int, count: int = 16) -> list[str]:
    """`count` distinct sentences of 9-14 words each."""
    rng = random.Random(seed)
    return [
        " ".join([f"w{seed}x{i}", *rng.choices(WORDS, k=rng.randint(8, 13))]).capitalize() + "." for i in range(count)
    ]


BASE = sentences(1)


def member(
    article_id: str,
    order: int,
    text: str | list[str],
    shingler: Shingler,
    outlet: str | None = None,
    credited: tuple[str, ...] = (),
    title: str = "",
    fingerprints: bool = True,
) -> LineageInput:
    body = " ".join(text) if isinstance(text, list) else text
    minhash, shingles = shingler.signature(body)
    hashes = sentence_hashes(body) if fingerprints else None
    return LineageInput(
        article_id, (float(order), order), minhash, shingles, outlet, (), title_key(title), credited, hashes
    )


def roles(members: list[LineageInput]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {k: (v.role, v.derived_from) for k, v in assign_roles(members).items()}


def rewrite(text: list[str], credit: str | None = None) -> list[str]:
    """The planted rewrite: one sentence dropped, two swapped, a filler added, one sentence reworded."""
    out = text[:5] + text[6:]
    out[2], out[3] = out[3], out[2]
    out[7] = out[7].replace(" ", " stated ", 1)
    out.insert(9, "Officials did not immediately respond to a request for comment.")
    if credit:
        out[0] = f"As first reported by {credit}, " + out[0][0].lower() + out[0][1:]
    return out


def test_signature_similarity_tracks_overlap() -> None:
    shingler = Shingler()
    a, _ = shingler.signature(" ".join(BASE))
    b, _ = shingler.signature(" ".join(BASE) + " one more sentence at the end")
    c, _ = shingler.signature("a completely different text about the weather in spring and autumn")
    assert float(np.mean(a == b)) > 0.8
    assert float(np.mean(a == c)) < 0.1


@pytest.mark.parametrize("words", [0, 1, 4, 5, 6, 40, 700])
def test_signatures_are_datasketchs_affine32_minhash_value_for_value(words: int) -> None:
    """The signature is computed here (clustering does not import datasketch); stored states hold datasketch's
    values, and larger stories index them in datasketch's MinHashLSH, so the two must agree exactly."""
    import zlib

    from datasketch import MinHash  # type: ignore[import-untyped]

    rng = random.Random(words)
    text = " ".join(
        rng.choice(["Storm", "hits", "the", "coast", "on", "Friday", "night", "7", "ÉTÉ"]) for _ in range(words)
    )
    found, count = Shingler().signature(text)
    tokens = lineage.WORD.findall(text.lower())
    shingles = {" ".join(tokens[i : i + lineage.SHINGLE_WORDS]).encode() for i in range(max(1, len(tokens) - 4))}
    reference = MinHash(num_perm=128, seed=lineage.SEED, hashfunc=zlib.crc32, scheme=lineage.SCHEME)
    reference.update_batch(list(shingles))
    assert count == len(shingles)
    assert found.dtype == np.uint64 and found.tolist() == reference.hashvalues.astype(np.uint64).tolist()


def test_a_story_larger_than_the_pairwise_limit_finds_the_same_copies_through_lsh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shingler = Shingler()
    texts = [" ".join(BASE), " ".join(BASE) + " One more sentence.", " ".join(sentences(2)), " ".join(BASE[1:])]
    members = [member(f"m{i}", i, text, shingler) for i, text in enumerate(texts)]
    pairwise = lineage._copy_candidates(members, 128, 0.6)
    monkeypatch.setattr(lineage, "LSH_ABOVE", 1)
    assert lineage._copy_candidates(members, 128, 0.6) == pairwise == [[], [0], [], [0, 1]]


def test_sentence_hashes_ignore_case_punctuation_and_short_sentences() -> None:
    assert len(sentence_hashes("Yes. The council met on Monday night.\n\nIt voted.")) == 1
    assert (
        sentence_hashes("The council met on Monday!").tolist()
        == sentence_hashes("the Council met, on monday.").tolist()
    )


def test_copy_rewrite_credit_and_independent() -> None:
    shingler = Shingler()
    members = [
        member("orig", 0, BASE, shingler, outlet="Wire"),
        member("copy", 1, [*BASE, "Copyright 2026 Other Paper. All rights reserved."], shingler),
        member("rewrite", 2, BASE[:8] + sentences(2, 10), shingler),
        member("credits", 3, "entirely new words about the thing", shingler, credited=("wire",)),
        member("upstream", 4, "another fully separate write up of it", shingler, credited=("some blog",)),
        member("own", 5, sentences(3), shingler),
    ]
    found = assign_roles(members)
    assert (found["orig"].role, found["orig"].confidence) == ("original", 0.0)
    assert (found["copy"].role, found["copy"].derived_from) == ("syndicated_copy", ("orig",))
    assert "16 of 17 sentences from orig" in found["copy"].basis
    assert found["rewrite"].role == "derivative" and found["rewrite"].derived_from[0] == "orig"
    assert (found["credits"].role, found["credits"].derived_from) == ("derivative", ("orig",))
    assert found["credits"].basis.startswith("credits Wire")
    assert (found["upstream"].role, found["upstream"].derived_from) == ("derivative", ())
    assert (found["own"].role, found["own"].derived_from) == ("independent", ())


def test_a_credited_rewrite_is_a_derivative_not_a_copy() -> None:
    """It keeps most of its origin's word sequences (a MinHash Jaccard above the old copy line), but it drops,
    swaps, rewords and adds sentences: a derivative, with the credit and the reuse as its basis."""
    shingler = Shingler()
    origin = member("origin", 0, BASE, shingler, outlet="Daily Wire")
    credited = member("credited", 1, rewrite(BASE, "Daily Wire"), shingler, credited=("daily wire",))
    uncredited = member("uncredited", 2, rewrite(BASE), shingler)
    assert float(np.mean(origin.minhash == uncredited.minhash)) >= 0.6
    found = assign_roles([origin, credited])
    assert (found["credited"].role, found["credited"].derived_from[0]) == ("derivative", "origin")
    assert found["credited"].confidence == 0.95
    assert "(reordered)" in found["credited"].basis
    found = assign_roles([origin, uncredited])
    assert (found["uncredited"].role, found["uncredited"].derived_from[0]) == ("derivative", "origin")
    assert 0.5 < found["uncredited"].confidence <= 0.9


def test_trimmed_copies_and_datelines_stay_copies() -> None:
    shingler = Shingler()
    members = [
        member("full", 0, BASE, shingler),
        member("trimmed", 1, BASE[:12], shingler),
        member("dateline", 2, ["LONDON (Wire) - " + BASE[0], *BASE[1:]], shingler),
    ]
    assert roles(members) == {
        "full": ("original", ()),
        "trimmed": ("syndicated_copy", ("full",)),
        "dateline": ("syndicated_copy", ("full",)),
    }


def test_the_origin_is_the_source_it_reuses_most_not_the_first_one_it_touches() -> None:
    shingler = Shingler()
    other = sentences(4)
    members = [
        member("a", 0, BASE[:3] + other, shingler),
        member("b", 1, sentences(5), shingler),
        member("c", 2, rewrite(sentences(5)) + BASE[:3], shingler),
    ]
    assert roles(members)["c"][1][0] == "b"


def test_a_copy_of_a_copy_points_to_the_root() -> None:
    shingler = Shingler()
    members = [
        member("a", 0, BASE, shingler),
        member("b", 1, [*BASE, "End of story here for now."], shingler),
        member("c", 2, [*BASE, "End of story here for now.", "Another closing line for it."], shingler),
    ]
    assert roles(members)["c"] == ("syndicated_copy", ("a",))


def test_without_fingerprints_a_copy_is_a_high_minhash_jaccard() -> None:
    """States written before sentence fingerprints still type copies as before."""
    shingler = Shingler()
    members = [
        member("a", 0, BASE, shingler, fingerprints=False),
        member("b", 1, [*BASE, "x"], shingler, fingerprints=False),
    ]
    assert roles(members)["b"] == ("syndicated_copy", ("a",))


def test_same_long_title_marks_a_rewrite_when_dates_say_who_was_first_and_some_text_is_shared() -> None:
    shingler = Shingler()
    title = "Banning Open Source AI Would Be A Mistake"
    members = [
        member("first", 0, [*sentences(16), BASE[0], BASE[1]], shingler, title=title),
        member("second", 1, [BASE[0], BASE[1], *sentences(18)], shingler, title=title),
    ]
    assert roles(members)["second"] == ("derivative", ("first",))
    undated = [dataclasses.replace(m, order=(float("inf"), m.order[1])) for m in members]
    assert roles(undated) == {"first": ("independent", ()), "second": ("independent", ())}


def test_a_same_title_alone_is_not_a_rewrite() -> None:
    """Outlets run a wire's headline over their own reports ("Mark 'Deep Throat' Felt dead at 95" in ECB+)."""
    shingler = Shingler()
    title = "Banning Open Source AI Would Be A Mistake"
    members = [
        member("first", 0, "one text entirely", shingler, title=title),
        member("second", 1, "some other words in a row", shingler, title=title),
    ]
    assert roles(members)["second"] == ("independent", ())


def test_without_any_derivation_the_earliest_is_original() -> None:
    shingler = Shingler()
    members = [
        member("late", 1, "apples and pears on sale", shingler),
        member("early", 0, "rain expected over the hills", shingler),
    ]
    assert roles(members) == {"early": ("original", ()), "late": ("independent", ())}


def test_two_independent_reports_sharing_one_quoted_sentence_stay_independent() -> None:
    shingler = Shingler()
    quote = "We will rebuild the bridge before the winter comes to the valley again."
    members = [
        member("one", 0, [*sentences(6), quote], shingler),
        member("two", 1, [quote, *sentences(7)], shingler),
    ]
    assert roles(members) == {"one": ("original", ()), "two": ("independent", ())}


def test_large_stories_find_copies_through_minhash_lsh(monkeypatch: pytest.MonkeyPatch) -> None:
    shingler = Shingler()
    members = [
        member("a", 0, BASE, shingler),
        member("b", 1, [*BASE, "Copyright 2026 Other Paper. All rights reserved."], shingler),
        member("other", 2, "unrelated words about rivers and mountains far away", shingler),
    ]
    exact = roles(members)
    monkeypatch.setattr(lineage, "LSH_ABOVE", 1)
    assert roles(members) == exact
    assert exact["b"] == ("syndicated_copy", ("a",))


def test_a_text_saying_its_origin_first_reported_the_story_is_a_rewrite_even_when_nearly_verbatim() -> None:
    """Forty sentences, the credit and one reworded sentence: few enough edits for a copy, but it says the origin
    first reported the story, which a republication never says; a dateline credit keeps a copy a copy."""
    shingler = Shingler()
    long = sentences(6, 40)
    origin = member("origin", 0, long, shingler, outlet="Daily Wire")
    edited = [f"As first reported by Daily Wire, {long[0][0].lower()}{long[0][1:]}", *long[1:]]
    rewrite_ = dataclasses.replace(member("r", 1, edited, shingler, credited=("daily wire",)), reported=("daily wire",))
    wire = member("w", 2, ["LONDON (Daily Wire) - " + long[0], *long[1:]], shingler, credited=("daily wire",))
    found = assign_roles([origin, rewrite_, wire])
    assert (found["r"].role, found["r"].derived_from) == ("derivative", ("origin",))
    assert (found["w"].role, found["w"].derived_from) == ("syndicated_copy", ("origin",))


def test_sentences_cut_from_the_middle_count_as_edits() -> None:
    shingler = Shingler()
    origin = member("origin", 0, BASE, shingler)
    cut = member("cut", 1, BASE[:4] + BASE[7:], shingler)  # three sentences taken out of the middle
    trimmed = member("trimmed", 2, BASE[:13], shingler)  # the ending cut: a copy
    found = assign_roles([origin, cut, trimmed])
    assert found["cut"].role == "derivative"
    assert found["trimmed"].role == "syndicated_copy"


def test_the_basis_names_the_evidence_that_decided() -> None:
    shingler = Shingler()
    title = "Banning Open Source AI Would Be A Mistake"
    members = [
        member("first", 0, [*sentences(16), BASE[0], BASE[1]], shingler, title=title),
        member("second", 1, [BASE[0], BASE[1], *sentences(18)], shingler, title=title),  # 2 of 20: not reuse
    ]
    assert assign_roles(members)["second"].basis == "same title as first, published later"


def test_a_wire_story_as_a_paper_runs_it_is_a_copy_of_the_wire() -> None:
    """A dateline credit to a wire that is not in the story: a syndicated copy of that credited upstream source,
    not a rewrite; a plain credit ("Source: ...") stays a derivative."""
    shingler = Shingler()
    wire = dataclasses.replace(
        member("paper", 0, ["WASHINGTON (AP) - " + BASE[0], *BASE[1:]], shingler, credited=("ap",)),
        republished=("ap",),
    )
    sourced = member("blog", 1, sentences(9), shingler, credited=("city hall",))
    found = assign_roles([wire, sourced])
    assert (found["paper"].role, found["paper"].derived_from) == ("syndicated_copy", ())
    assert "runs the text of ap" in found["paper"].basis
    assert (found["blog"].role, found["blog"].derived_from) == ("derivative", ())


def test_quoted_sentences_are_left_out_of_the_fingerprints() -> None:
    """Two outlets quoting one statement is no evidence that one copied the other."""
    text = 'The minister spoke on Monday morning. "We will rebuild every bridge in the valley," she said.'
    quote = (text.index("We will"), text.index(',"'))
    assert len(sentence_hashes(text)) == 2
    assert sentence_hashes(text, [quote]).tolist() == sentence_hashes("The minister spoke on Monday morning.").tolist()
    blanked = without_spans(text, [quote])
    assert len(blanked) == len(text) and "rebuild" not in blanked and blanked.endswith("she said.")


def test_a_text_crediting_its_origin_is_never_a_copy_of_another_rewrite() -> None:
    shingler = Shingler()
    origin = member("origin", 0, BASE, shingler, outlet="Daily Wire")
    other = member("other", 1, rewrite(BASE), shingler, outlet="Other")
    credited = dataclasses.replace(
        member("credited", 2, [*rewrite(BASE), "This story was first reported by Daily Wire."], shingler),
        credited=("daily wire",),
        reported=("daily wire",),
    )
    found = assign_roles([origin, other, credited])
    assert (found["credited"].role, found["credited"].derived_from[0]) == ("derivative", "origin")


def test_an_undated_article_with_a_dated_ones_long_title_and_one_of_its_figures_is_derived_from_it() -> None:
    shingler = Shingler()
    title = "Banning Open Source AI Would Be A Mistake"
    dated = member("dated", 0, sentences(20), shingler, title=title)
    undated = member("undated", 1, sentences(21), shingler, title=title)
    undated = dataclasses.replace(undated, order=(float("inf"), 1))
    assert roles([dated, undated])["undated"] == ("independent", ())  # the title alone: still a root
    shared, other = frozenset({11}), frozenset({12})
    with_figure = [dataclasses.replace(dated, figures=shared | other), dataclasses.replace(undated, figures=shared)]
    decided = assign_roles(with_figure)
    assert (decided["undated"].role, decided["undated"].derived_from) == ("derivative", ("dated",))
    assert decided["undated"].basis == "same title as dated, which is dated; this one is not; the same figure"
    assert decided["dated"].role == "original"
    # A dated later article needs shared text, not only a figure: a wire headline with an age ("dead at 95").
    later = dataclasses.replace(undated, order=(1.0, 1), figures=shared)
    assert roles([with_figure[0], later])["undated"] == ("independent", ())


def test_a_credit_to_a_source_outside_the_story_links_to_the_earlier_text_with_its_figures() -> None:
    shingler = Shingler()
    op_ed = dataclasses.replace(member("op-ed", 0, sentences(22), shingler), figures=frozenset({1, 2, 3}))
    report = member("report", 1, sentences(23), shingler, credited=("kevin xu", "interconnected"))
    one = assign_roles([op_ed, dataclasses.replace(report, figures=frozenset({1, 9}))])["report"]
    assert (one.role, one.derived_from) == ("derivative", ())  # one shared figure is not enough
    two = assign_roles([op_ed, dataclasses.replace(report, figures=frozenset({1, 2, 9}))])["report"]
    assert (two.role, two.derived_from, two.confidence) == ("derivative", ("op-ed",), 0.6)
    assert (
        two.basis
        == "credits kevin xu, interconnected (not in the story); the same 2 figures as op-ed, published earlier"
    )
    undated_op_ed = dataclasses.replace(op_ed, order=(float("inf"), 0))  # cannot be shown to be earlier
    late = assign_roles([undated_op_ed, dataclasses.replace(report, figures=frozenset({1, 2}))])["report"]
    assert late.derived_from == ()


def test_a_text_resting_on_unnamed_sources_links_to_the_earlier_text_with_its_figure() -> None:
    shingler = Shingler()
    op_ed = dataclasses.replace(member("op-ed", 0, sentences(24), shingler), figures=frozenset({1, 2}))
    rewrite_ = dataclasses.replace(member("rewrite", 1, sentences(25), shingler), figures=frozenset({2, 7}))
    assert roles([op_ed, rewrite_])["rewrite"] == ("independent", ())  # a shared figure alone: independent
    for flag, words in (
        ("empty_source_list", "has an empty source list"),
        ("ai_generated_disclosure", "says it is AI"),
    ):
        decided = assign_roles([op_ed, dataclasses.replace(rewrite_, unsourced=flag)])
        assert (decided["rewrite"].role, decided["rewrite"].derived_from) == ("derivative", ("op-ed",))
        assert decided["rewrite"].basis.startswith(words)
        assert decided["op-ed"].role == "original"
    no_figure = dataclasses.replace(rewrite_, unsourced="empty_source_list", figures=frozenset({7}))
    assert roles([op_ed, no_figure])["rewrite"] == ("independent", ())


def test_a_text_in_another_language_with_the_same_figures_and_names_is_a_translation() -> None:
    shingler = Shingler()
    anchors = frozenset({1, 2, 3}), frozenset({101, 102})
    english = dataclasses.replace(
        member("en", 0, sentences(26), shingler), language="en", figures=anchors[0], names=anchors[1]
    )
    german = dataclasses.replace(
        member("de", 1, sentences(27), shingler), language="de", figures=anchors[0], names=anchors[1] | {103}
    )
    decided = assign_roles([english, german])
    assert (decided["de"].role, decided["de"].derived_from, decided["de"].confidence) == ("derivative", ("en",), 0.7)
    assert decided["de"].basis == "a de translation of en (en): 5 figures and names in common, few of either text's own"
    assert decided["en"].role == "original"
    # The same language: an independent report sharing the event's figures and names.
    same_language = dataclasses.replace(german, language="en")
    assert roles([english, same_language])["de"] == ("independent", ())
    # Another language, but a report of its own: most of its figures and names are not the origin's.
    own = dataclasses.replace(german, names=anchors[1] | {103, 104, 105, 106})
    assert roles([english, own])["de"] == ("independent", ())
    # Too few anchors to tell.
    thin = [dataclasses.replace(m, figures=frozenset({1}), names=frozenset({101})) for m in (english, german)]
    assert roles(thin)["de"] == ("independent", ())


def test_a_text_in_another_language_close_in_the_multilingual_space_is_a_translation() -> None:
    shingler = Shingler()
    unit = np.zeros(4, np.float32)
    unit[0] = 1.0
    near = np.array([0.9, 0.43589, 0.0, 0.0], np.float32)  # cosine 0.90
    far = np.array([0.8, 0.6, 0.0, 0.0], np.float32)  # cosine 0.80: the best same-story pairs in two languages
    english = dataclasses.replace(member("en", 0, sentences(28), shingler), language="en", crosslingual=unit)
    french = dataclasses.replace(member("fr", 1, sentences(29), shingler), language="fr", crosslingual=near)
    decided = assign_roles([english, french])["fr"]
    assert (decided.role, decided.derived_from) == ("derivative", ("en",))
    assert decided.basis == "a fr translation of en (en): multilingual sentence-vector cosine 0.90 of title and lead"
    assert roles([english, dataclasses.replace(french, crosslingual=far)])["fr"] == ("independent", ())
    assert roles([english, dataclasses.replace(french, language="en")])["fr"] == ("independent", ())
