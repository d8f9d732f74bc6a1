from conftest import make_article
from storyline.records import (
    Article,
    Brief,
    BriefItem,
    Conflict,
    ConflictValue,
    Coverage,
    Evidence,
    Source,
)
from storyline.synthesize.grounding import check_grounding, required_tokens

TEXT = "Bridge Reopens\n\nMayor Ana Ruiz said on June 19, 2026 that the repair cost $84 million, or 12% over budget."
ARTICLE = make_article(text=TEXT)
ARTICLES = {ARTICLE.id: ARTICLE}
COVERAGE = Coverage(1, (), (), None, None, 0.0, 0.0, "n/a")


def span(needle: str, article: Article = ARTICLE) -> Evidence:
    start = article.text.index(needle)
    return Evidence(article.id, start, start + len(needle))


def brief(**sections: object) -> Brief:
    values: dict[str, object] = {
        name: ()
        for name in (
            "summary key_points why_it_matters explainer sides timeline forecast quotes topics tags sources conflicts"
        ).split()
    }
    values.update(sections)
    return Brief(
        id="s",
        headline=BriefItem("Bridge Reopens", (span("Bridge Reopens"),)),
        coverage=COVERAGE,
        generated_by="t",
        **values,
    )  # type: ignore[arg-type]


def test_an_item_quoting_its_span_is_grounded() -> None:
    sentence = "Mayor Ana Ruiz said on June 19, 2026 that the repair cost $84 million, or 12% over budget."
    assert check_grounding(brief(summary=(BriefItem(sentence, (span(sentence),)),)), ARTICLES) == []


def test_names_numbers_and_dates_missing_from_the_spans_are_reported() -> None:
    item = BriefItem("Mayor Ana Ruiz said the repair cost $90 million on June 20.", (span("Mayor Ana Ruiz said"),))
    (problem,) = check_grounding(brief(key_points=(item,)), ARTICLES)
    assert problem.section == "key_points" and problem.index == 0
    for missing in ("90", "million", "june", "20"):
        assert missing in problem.message


def test_normalization_accepts_number_words_and_separators() -> None:
    article = make_article(text="Count\n\nThe city counted 1,200 cars and three buses on the bridge.")
    item = BriefItem(
        "The city counted 1200 cars and 3 buses.", (span("The city counted 1,200 cars and three buses", article),)
    )
    assert check_grounding(brief(summary=(item,)), {article.id: article, ARTICLE.id: ARTICLE}) == []


def test_spans_must_exist_in_the_story() -> None:
    outside = BriefItem("Bridge", (Evidence(ARTICLE.id, 10, 10_000),))
    stranger = BriefItem("Bridge", (Evidence("not-in-story", 0, 6),))
    problems = check_grounding(brief(summary=(outside, stranger)), ARTICLES)
    assert [p.index for p in problems] == [0, 1]
    assert "outside article" in problems[0].message and "not a source of this story" in problems[1].message


def test_speakers_and_conflict_values_must_be_in_their_spans() -> None:
    quote = BriefItem("the repair cost $84 million", (span("the repair cost $84 million"),), speaker="Ana Ruiz")
    conflict = Conflict(
        "cost", (ConflictValue("$84 million", (span("$84 million"),)), ConflictValue("$90 million", (span("12%"),)))
    )
    problems = check_grounding(brief(quotes=(quote,), conflicts=(conflict,)), ARTICLES)
    assert [p.section for p in problems] == ["quotes", "conflicts", "conflicts"]


def test_credited_upstream_sources_need_their_crediting_span() -> None:
    unsupported = Source(None, "Harbor Weekly", None, (), None, None, "credited_upstream", (), (span("Mayor"),))
    problems = check_grounding(brief(sources=(unsupported,)), ARTICLES)
    assert problems and "Harbor" in problems[0].message.title()


def test_required_tokens_skip_sentence_initial_function_words() -> None:
    assert required_tokens("The mayor met Ana Ruiz in June.") == {"ana", "ruiz", "june"}
    assert required_tokens("It cost $84.5 million") >= {"84.5", "million"}


def test_a_turkish_dotted_capital_is_grounded_in_its_own_span() -> None:
    article = make_article(
        text="Seçim\n\nİran, Meclis seçimleri için yarın sandık başına gidiyor, dedi İstanbul'daki uzman."
    )
    sentence = "İran, Meclis seçimleri için yarın sandık başına gidiyor, dedi İstanbul'daki uzman."
    item = BriefItem(sentence, (span(sentence, article),))
    assert check_grounding(brief(summary=(item,)), {article.id: article, ARTICLE.id: ARTICLE}) == []
    assert {"iran", "meclis"} <= required_tokens(sentence)
