"""Chinese, Japanese and Thai articles: script-aware length, extraction and analysis."""

from typing import TYPE_CHECKING

import pytest

from conftest import text_document
from storyline.analyze.sentences import word_length
from storyline.errors import ExtractError
from storyline.extract.article import Extractor
from storyline.extract.text import word_count

if TYPE_CHECKING:
    from storyline.analyze.article import Analyzer

# Written for these tests (fictional cities, people and figures).
PARAGRAPH = "\n\n"
CHINESE = PARAGRAPH.join(
    [
        "滨江市启动老旧供水管网改造工程",
        (
            "滨江市政府周二宣布，将在未来五年内投入约三百亿元，用于改造全市老旧供水管网和污水处理设施。"
            "市水务局局长李明华在新闻发布会上表示，这是该市有史以来规模最大的一次基础设施更新计划。"
        ),
        (
            "根据计划，第一阶段工程将于今年九月开工，重点更换中心城区使用超过三十年的铸铁管道。"
            "市水务局的数据显示，去年全市因管道破裂造成的漏水量约占供水总量的百分之十八，远高于全国平均水平。"
        ),
        (
            "李明华说：“管网老化不仅浪费水资源，也给居民的日常生活带来不便。"
            "我们希望通过这次改造，把漏损率降低到百分之十以下。”"
            "他同时承认，施工期间部分道路将实行交通管制，可能对市民出行造成一定影响。"
        ),
        (
            "一些居民对计划表示欢迎。"
            "家住老城区的退休教师王秀兰告诉记者，她所在的小区每到夏天就经常停水，“有时候一停就是两三天，老人和孩子都很辛苦”。"
        ),
        (
            "不过，也有专家提醒，资金来源和工程监管仍是关键。"
            "滨江大学城市规划学院教授陈志远认为，如此大规模的投资需要公开透明的招标程序，并应定期向社会公布工程进度和资金使用情况。"
        ),
        "市政府表示，改造资金将由市级财政、专项债券和社会资本共同承担，具体实施方案将在下月提交市人大常委会审议。",
    ]
)
JAPANESE = PARAGRAPH.join(
    [
        "港北市、来春から自動運転バスの実証運行を開始へ",
        (
            "港北市は二十日、来年四月から市内の住宅地と駅を結ぶ路線で自動運転バスの実証運行を始めると発表した。"
            "高齢化が進む郊外で、運転手不足に悩む路線バスの維持につなげる狙いがある。"
        ),
        (
            "市によると、実証運行は約一年間を予定しており、小型の電気バス二台を使って一日十二往復を運行する。"
            "運賃は無料とし、安全のため当面は係員が車内に同乗する。"
        ),
        (
            "記者会見した山田健一市長は「地域の足を守ることは市の重要な責任だ。"
            "新しい技術を活用し、誰もが安心して移動できるまちをつくりたい」と述べた。"
        ),
        (
            "市内では近年、バス会社の運転手が不足し、昨年度だけで三つの路線が減便や廃止に追い込まれた。"
            "沿線の住民からは、通院や買い物に困るという声が相次いでいた。"
        ),
        (
            "一方、交通工学が専門の港北大学の佐藤美咲准教授は、積雪や路上駐車への対応など課題も多いと指摘する。"
            "「技術的な検証と同時に、住民の理解を得ながら丁寧に進めることが欠かせない」と話している。"
        ),
        "市は今年度中に運行ルートの詳細を決め、住民向けの説明会を開く方針だ。",
    ]
)
THAI = (
    "กรุงเทพมหานครประกาศแผนรับมือน้ำท่วมฉบับใหม่ในวันอังคาร "
    "โดยจะสร้างอุโมงค์ระบายน้ำเพิ่มอีกสามแห่งภายในห้าปี "
    "ผู้ว่าราชการกล่าวว่าโครงการนี้จะช่วยลดพื้นที่น้ำท่วมขังในย่านธุรกิจได้อย่างมาก"
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The mayor spoke on Tuesday.", 5),
        ("政府周二宣布投入三百亿元", 6),  # 12 Han characters, two a word
        ("市は二十日に発表した", 5),  # 10 kanji and kana
        ("รัฐบาลประกาศแผนใหม่", 5),  # 19 Thai code points, four a word
        ("Open source AI 开源人工智能", 6),  # 3 words and 6 characters
        ("— , 。", 0),  # punctuation is not a word
        ("서울시는 화요일 새 계획을 발표했다", 5),  # Hangul is written with spaces
    ],
)
def test_word_count_is_script_aware(text: str, words: int) -> None:
    assert word_count(text) == words
    assert word_length(text) == words


@pytest.mark.parametrize(("text", "language"), [(CHINESE, "zh"), (JAPANESE, "ja")])
def test_chinese_and_japanese_articles_are_extracted(extractor: Extractor, text: str, language: str) -> None:
    article = extractor(text_document(text))
    assert article.title == text.split("\n", 1)[0]
    assert article.language == language
    assert article.text.count("\n\n") == 6  # the title and six paragraphs


def test_a_thai_article_is_extracted(extractor: Extractor) -> None:
    article = extractor(text_document(THAI))
    assert article.text == THAI
    assert article.title == THAI.split(" ")[0]


def test_a_short_chinese_text_is_measured_in_characters(extractor: Extractor) -> None:
    with pytest.raises(ExtractError, match="no main text: 5 words, the minimum is 10"):
        extractor(text_document("市政府周二宣布新计划。"))  # 10 characters


@pytest.mark.parametrize("text", [CHINESE, JAPANESE])
def test_chinese_and_japanese_articles_are_analysed(extractor: Extractor, analyzer: "Analyzer", text: str) -> None:
    article = extractor(text_document(text))
    analysis = analyzer(article)
    sentences = [article.text[s.start : s.end] for s in analysis.sentences]
    assert len(sentences) >= 10
    assert all(s.endswith(("。", "」", "”", "）")) for s in sentences[1:])
    assert analysis.summary is not None
    summary = article.text[analysis.summary.start : analysis.summary.end]
    assert summary in sentences[1:]


def test_a_titleless_chinese_record_gets_a_derived_title(extractor: Extractor, analyzer: "Analyzer") -> None:
    body = CHINESE.split("\n\n", 1)[1].strip()
    article = extractor(text_document(body))
    assert article.title == "滨江市政府周二宣布，将在未来五年内投入约三百亿元"
    assert article.text == body and "title_derived" in article.flags
    assert analyzer(article).sentences
