"""Named entities by rule, for languages that have no offline model: the documented fallback.

Latin and Cyrillic scripts: runs of capitalised words (the speaker finder's rule: a lone capitalised word opening a
sentence must also stand capitalised mid-sentence), minus the language's articles, pronouns, weekdays and months
and its titles ("Bundeskanzler Olaf Scholz" -> "Olaf Scholz"). German capitalises every noun, so there a lone word
counts only when a gazetteer knows it, an acronym, or the surname of a longer name. Labels: GPE from a small
gazetteer of countries and capitals, ORG for acronyms and names holding an organisation word ("Bank", "Ministerium",
"партия"), PERSON for other runs of two or three words, else ORG.

Chinese and Japanese: a gazetteer of places; organisations ending in an organisation word (公司, 外交部, 銀行);
people next to a title (发言人毛宁, 王毅外长, 岸田文雄首相, 林芳正氏), before a cue verb with a common surname
(王毅表示), and transliterated names with a middle dot (安东尼·布林肯). Arabic: a gazetteer; a person is the two
words after a title (الوزير, الرئيس, وزير الخارجية); an organisation starts with an organisation word (وزارة, شركة).

Quality on the golden texts of tests/test_analysis_languages.py is in docs/languages.md. The entity finder then
gives the spans canonical names (`entities.canonical_names`), as it does for the English model.
"""

import bisect
import re

from storyline.analyze.languages import LanguageProfile, is_title
from storyline.analyze.speakers import capitalized_names

__all__ = ["RULE_SCRIPTS", "rule_spans"]

RULE_SCRIPTS = frozenset({"latin", "cyrillic", "cjk", "arabic"})  # the scripts these rules can read

_Span = tuple[int, int, str]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PLACES_LATIN = _words(
    """
    Deutschland Germany Allemagne Alemania Germania Duitsland Alemanha Niemcy Frankreich France Francia Francja
    Frankrijk França Spanien Spain Espagne España Spagna Spanje Espanha Hiszpania Italien Italie Italia Italië
    Włochy Polen Pologne Polonia Polska Polônia Russland Russie Rusia Russia Rusland Rússia Rosja China Chine
    Cina Chiny Japan Japon Japón Giappone Japão Japonia USA Amerika Europa Europe Ukraine Ucrania Ucraina
    Oekraïne Ucrânia Ukraina Brüssel Bruxelles Bruselas Bruxelas Bruksela Berlin Berlín Berlino Berlijn Paris
    París Parigi Parijs Madrid Rom Rome Roma Rzym Amsterdam Lissabon Lisbonne Lisboa Warschau Varsovie Varsovia
    Warszawa Moskau Moscou Moscú Mosca Moskou Moskwa Peking Pékin Pekín Pechino Pequim Pekin Tokio Tokyo Tóquio
    London Londres Londra Londen Londyn Wien Vienne Viena Vienna Brasilien Brésil Brasil Brasile Brazylia
    Portugal Portogallo Portugalia Niederlande Pays-Bas Países Bajos Nederland Holanda Holandia Österreich
    Schweiz Suisse Suiza Svizzera Zwitserland Suíça Szwajcaria Washington Frankfurt München Hamburg Köln Lyon
    Marseille Barcelona Milano Mailand Rotterdam Porto Kraków Krakau
    """
)
_PLACES_CYRILLIC = _words(
    """
    Россия России Москва Москве Москвы Украина Украины Украине Киев Киева Китай Китая Пекин США Вашингтон Европа
    Европы Германия Германии Берлин Франция Франции Париж Япония Японии Токио Лондон Минск Беларусь Казахстан
    Петербург Санкт-Петербург Турция Турции Анкара Иран Ирана Индия Индии Брюссель
    """
)
_ORG_WORDS = _words(
    """
    bank ministerium regierung partei ag gmbh se konzern verband universität gericht bundestag bundesrat
    agentur stiftung institut behörde kommission rat amt banque ministère gouvernement parti société université
    conseil commission agence banco ministerio gobierno partido universidad consejo comisión agencia
    ministero governo università consiglio commissione agenzia ministerie regering partij universiteit
    ministério governo universidade conselho ministerstwo rząd partia uniwersytet komisja rada sa nv bv spa
    банк министерство правительство партия компания университет совет комиссия агентство мид фсб цб оон нато
    кремль кремля bahn telekom werke gruppe holding airlines
    """
)
_GERMAN_ORG_ENDINGS = ("bank", "ministerium", "partei", "konzern", "verband", "gericht", "behörde", "agentur")
_PARTICLES = _words("da de do dos das del della di van von der den la le du bin al")
_ACRONYM = re.compile(r"[A-ZА-Я]{2,6}")


def rule_spans(text: str, rules: LanguageProfile) -> list[tuple[int, int, str]]:
    """(start, end, label) of the entities of `text` by the rules of its language's script, without overlaps."""
    if rules.script == "cjk":
        spans = _cjk_spans(text, rules.code)
    elif rules.script == "arabic":
        spans = _arabic_spans(text)
    elif rules.script in RULE_SCRIPTS:
        spans = _capitalized_spans(text, rules)
    else:
        spans = []
    return _without_overlaps(spans)


# --- Latin and Cyrillic -----------------------------------------------------------------------------------


def _capitalized_spans(text: str, rules: LanguageProfile) -> list[_Span]:
    places = _PLACES_CYRILLIC if rules.script == "cyrillic" else _PLACES_LATIN
    spans: list[_Span] = []
    for run_start, end in capitalized_names(text, rules.stop_words):
        start = _after_titles(text, run_start, end, rules.titles)
        start, lead = _split_lead(text, start, end, places)
        if lead is not None:
            spans.append(lead)
        name = text[start:end]
        words = name.split()
        if not words:
            continue
        if len(words) == 1 and is_title(words[0], rules.titles):
            continue  # "Le Premier ministre": a capitalised title alone names no one
        label = _latin_label(words, places)
        if label is None or (
            len(words) == 1 and rules.code == "de" and label == "ORG" and not _ACRONYM.fullmatch(name)
        ):
            continue  # a lone capitalised German word is a noun unless a gazetteer or its shape says otherwise
        spans.append((start, end, label))
    return _add_surnames(text, spans)


def _after_titles(text: str, start: int, end: int, titles: frozenset[str]) -> int:
    """Move `start` past leading titles ("Bundeskanzler Olaf Scholz" and "Umweltministerin Steffi Lemke" start at
    the first name: a word ending in a long title is a compound title)."""
    while True:
        word = re.match(r"[\w’'.-]+\s+", text[start:end])
        if word is None or not is_title(word.group().strip(), titles):
            return start
        start += word.end()


def _split_lead(text: str, start: int, end: int, places: frozenset[str]) -> tuple[int, _Span | None]:
    """A run that opens with a place, an organisation word or an acronym before more names holds two entities:
    "России Владимир Путин" is GPE + PERSON, "КНР Си Цзиньпин" ORG + PERSON."""
    first = re.match(r"[\w’'.-]+", text[start:end])
    rest = re.match(r"[\w’'.-]+\s+", text[start:end])
    if first is None or rest is None or rest.end() >= end - start:
        return start, None
    word = first.group()
    if word in places:
        label = "GPE"
    elif word.lower() in _ORG_WORDS or _ACRONYM.fullmatch(word):
        label = "ORG"
    else:
        return start, None
    return start + rest.end(), (start, start + first.end(), label)


def _latin_label(words: list[str], places: frozenset[str]) -> str | None:
    if len(words) == 1 and words[0] in places:
        return "GPE"
    if any(_org_word(w) for w in words) or (len(words) == 1 and _ACRONYM.fullmatch(words[0])):
        return "ORG"
    named = [w for w in words if w.lower() not in _PARTICLES]  # "Luiz Inácio Lula da Silva" has 4 names
    if 2 <= len(named) <= 4 and not any(w in places for w in words):
        return "PERSON"
    return "ORG" if len(words) <= 5 else None


def _org_word(word: str) -> bool:
    """An organisation word, also closing a German compound ("Zentralbank", "Finanzministerium")."""
    lower = word.lower()
    return lower in _ORG_WORDS or any(len(w) >= 4 and lower.endswith(w) for w in _GERMAN_ORG_ENDINGS)


def _add_surnames(text: str, spans: list[_Span]) -> list[_Span]:
    """A lone later surname is the person's (kept in German too, where lone words are otherwise dropped)."""
    surnames = {text[s:e].split()[-1] for s, e, label in spans if label == "PERSON"}
    if not surnames:
        return spans
    covered = bytearray(len(text) + 1)
    for start, end, _ in spans:
        covered[start:end] = b"\x01" * (end - start)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, surnames))) + r")(?!\w)")
    return spans + [(m.start(), m.end(), "PERSON") for m in pattern.finditer(text) if not covered[m.start()]]


# --- Chinese and Japanese ---------------------------------------------------------------------------------

_HAN = r"[\u4e00-\u9fff々]"
_CJK_PLACES = (
    "中国 美国 日本 韩国 朝鲜 俄罗斯 英国 法国 德国 欧盟 欧洲 亚洲 非洲 印度 巴西 加拿大 澳大利亚 乌克兰"
    " 以色列 伊朗 台湾 香港 澳门 北京 上海 广州 深圳 天津 重庆 武汉 南京 杭州 东京 大阪 首尔 华盛顿 纽约"
    " 伦敦 巴黎 柏林 莫斯科 布鲁塞尔 米国 アメリカ 韓国 北朝鮮 ロシア イギリス フランス ドイツ 欧州 東京"
    " 京都 北海道 沖縄 福島 ワシントン"
).split()
# Organisations named by themselves, and endings that make the few characters before them one.
_CJK_ORGS = (
    "外交部 商务部 国防部 财政部 国务院 新华社 中国人民银行 联合国 世界卫生组织 日銀 外務省 財務省 経済産業省".split()
)
_CJK_ORG_END = "公司 集团 银行 大学 委员会 协会 研究院 株式会社 銀行 委員会 新聞社".split()
# Characters that do not start a name: particles, pronouns, common verbs ("在北京大学" is "at" + the university).
_CJK_NOT_NAME = "的了在是和与对从将把被向为于及也都而但他她它们这那有个一说称表示据由以其该各等年月日のはがをにでと"
_ZH_TITLES = "发言人|主席|总统|总理|副总理|部长|外长|首相|总书记|董事长|总裁|首席执行官|大使|市长|省长|教授|经济学家"
_JA_TITLES = "首相|大臣|氏|社長|知事|長官|大統領|総裁|会長|教授|議員|代表"
_ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤习傅"
)
_ZH_CUES = "表示|说|称|指出|强调|认为|透露|介绍|宣布"


def _cjk_spans(text: str, code: str) -> list[_Span]:
    spans: list[_Span] = []
    spans += [(m.start(), m.end(), "GPE") for m in _alternation(_CJK_PLACES).finditer(text)]
    spans += [(m.start(), m.end(), "ORG") for m in _alternation(_CJK_ORGS).finditer(text)]
    ends = "|".join(sorted(map(re.escape, _CJK_ORG_END), key=len, reverse=True))
    letter = r"(?:" + _HAN + r"|[ァ-ヴー])"
    for match in re.finditer(r"(?![" + _CJK_NOT_NAME + r"])" + letter + letter + r"{0,5}?(?:" + ends + ")", text):
        spans.append((match.start(), match.end(), "ORG"))
    for match in re.finditer(r"[ァ-ヴー]{2,}(?:自動車|電機|製作所|銀行|証券)", text):  # トヨタ自動車
        spans.append((match.start(), match.end(), "ORG"))
    for match in re.finditer(r"[\u4e00-\u9fff]{1,4}·[\u4e00-\u9fff]{1,6}", text):  # 安东尼·布林肯
        spans.append((match.start(), match.end(), "PERSON"))
    spans += _zh_people(text) if code == "zh" else _ja_people(text)
    return spans


def _zh_people(text: str) -> list[_Span]:
    people = []
    pattern = (
        r"(?:"
        + _ZH_TITLES
        + r")(["
        + _ZH_SURNAMES
        + r"]"
        + _HAN
        + r"{1,2}?)(?="
        + _ZH_CUES
        + r"|周|星期|今天|昨天|在|，|。|：)"
    )
    for match in re.finditer(pattern, text):  # 发言人毛宁表示
        people.append((match.start(1), match.end(1), "PERSON"))
    for match in re.finditer(r"([" + _ZH_SURNAMES + r"]" + _HAN + r"{1,2}?)(?:" + _ZH_TITLES + r")", text):  # 王毅外长
        people.append((match.start(1), match.end(1), "PERSON"))
    for match in re.finditer(
        r"(?<![\u4e00-\u9fff])([" + _ZH_SURNAMES + r"]" + _HAN + r"{1,2}?)(?=" + _ZH_CUES + r")", text
    ):
        people.append((match.start(1), match.end(1), "PERSON"))  # "，王毅表示"
    return people


def _ja_people(text: str) -> list[_Span]:
    people = []
    for match in re.finditer(r"(" + _HAN + r"{2,4}?)(?:" + _JA_TITLES + r")", text):  # 岸田文雄首相, 林氏
        people.append((match.start(1), match.end(1), "PERSON"))
    for match in re.finditer(r"([ァ-ヴー]{2,}(?:・[ァ-ヴー]{2,})+)", text):  # ジョー・バイデン
        people.append((match.start(1), match.end(1), "PERSON"))
    return people


# --- Arabic -----------------------------------------------------------------------------------------------

_AR_WORD = r"[\u0621-\u064a\u0671-\u06d3]+"
_AR_PLACES = (
    "مصر الأردن السعودية الإمارات قطر الكويت البحرين عمان العراق سوريا لبنان فلسطين إسرائيل غزة الضفة القدس"
    " القاهرة عمّان عمان الرياض دبي أبوظبي الدوحة بيروت دمشق بغداد إيران تركيا روسيا الصين أمريكا أوروبا"
    " واشنطن موسكو بكين لندن باريس برلين المغرب الجزائر تونس ليبيا السودان اليمن"
).split()
_AR_TITLES = (
    r"(?:و?(?:الرئيس التنفيذي|المدير التنفيذي|الرئيس|الوزير|السيد|الدكتور|الأمين العام|رئيس الوزراء|رئيس الحكومة|وزير "
    + _AR_WORD
    + r"|المتحدث باسم "
    + _AR_WORD
    + r"(?: "
    + _AR_WORD
    + r")?|الناطق باسم "
    + _AR_WORD
    + r"|سفير "
    + _AR_WORD
    + r"))"
)
_AR_ORGS = r"(?:وزارة|شركة|منظمة|بنك|جامعة|هيئة|مجلس|الأمم المتحدة|الاتحاد الأوروبي|البنك الدولي|صندوق النقد الدولي)"
_AR_NOT_NAME = frozenset("إن أن في على من إلى عن مع يوم أمس اليوم خلال بعد قبل الذي التي للصحفيين".split())


def _arabic_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    places = _alternation(_AR_PLACES).pattern
    pattern = r"(?<![\u0621-\u064a])(?:[وب]?)(" + places + r")(?![\u0621-\u064a])"
    spans += [(m.start(1), m.end(1), "GPE") for m in re.finditer(pattern, text)]
    for match in re.finditer(_AR_TITLES + r"\s+(" + _AR_WORD + r")(?:\s+(" + _AR_WORD + r"))?", text):
        first, second = match.group(1), match.group(2)
        if first in _AR_NOT_NAME or first in _AR_PLACES:
            continue
        end = match.end(2) if second and second not in _AR_NOT_NAME else match.end(1)
        spans.append((match.start(1), end, "PERSON"))
    for match in re.finditer(r"(?<![\u0621-\u064a])" + _AR_ORGS + r"(?:\s+" + _AR_WORD + r"){0,2}", text):
        words = match.group().split()
        while len(words) > 1 and words[-1] in _AR_NOT_NAME:
            words.pop()
        spans.append((match.start(), match.start() + len(" ".join(words)), "ORG"))
    return _add_surnames(text, spans)


def _alternation(words: list[str]) -> re.Pattern[str]:
    """One pattern for a word list, longest first (one pass over the text instead of one per word)."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def _without_overlaps(spans: list[_Span]) -> list[_Span]:
    """Keep the longest of overlapping spans (the first on a tie), in text order."""
    taken: list[tuple[int, int]] = []  # kept (start, end), sorted and disjoint
    kept: list[_Span] = []
    for span in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        position = bisect.bisect_left(taken, (span[0], span[1]))
        if position and taken[position - 1][1] > span[0]:
            continue
        if position < len(taken) and taken[position][0] < span[1]:
            continue
        taken.insert(position, (span[0], span[1]))
        kept.append(span)
    return sorted(kept)
