"""Hostile inputs for the ingest path, shared by tests/test_hostile_folder.py, tests/test_fuzz_ingest.py and
bench/robustness.py.

A `Case` is one file (or file-system oddity) to put in a folder: its name, its bytes or a `setup(folder)` that
makes it, and what ingest must do with it: "kept" (an article), "skipped" (a Skip with a reason) or "either"
(one of the two, never a crash). `kept` / `skipped` give exact counts for files holding several documents
(a JSONL file with one bad line among good ones). Good documents are real-looking news articles made from a
few templates; every one has a different text (numbers and names vary with its number), since identical
texts dedupe into one article.

    folder = tmp_path / "in"
    cases = all_cases(itertools.count())
    for case in cases:
        write_case(folder, case)
"""

import codecs
import gzip
import json
import os
import random
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from storyline.store import SQLiteStore

__all__ = [
    "Case",
    "all_cases",
    "byte_cases",
    "chinese_article",
    "compressed_cases",
    "feed_cases",
    "filesystem_cases",
    "good_case",
    "good_html",
    "good_record",
    "good_text",
    "html_cases",
    "japanese_article",
    "json_cases",
    "mutated_cases",
    "owns",
    "problems",
    "shown",
    "write_case",
]

Setup = Callable[[Path], None]


class Case(NamedTuple):
    name: str  # the file's name in the folder (a folder name for a directory case)
    content: bytes | Setup  # the file's bytes, or a function that makes `name` in the folder it is given
    expected: str  # kept | skipped | either: what happens to the hostile document(s)
    flag: str | None = None  # a flag every kept article of this case must carry
    kept: int | None = None  # exactly this many articles (None: 1 when kept, 0 when skipped)
    skipped: int | None = None  # exactly this many skips (None: 0 when kept, at least 1 when skipped)
    contains: str | None = None  # text one kept article must hold (the right field or every member was read)


# --- good articles ------------------------------------------------------------------------------------------

_TOWNS = ["Saltmarsh", "Eddington", "Brackwater", "Holloway Cross", "Marren", "Dunmore", "Westfell", "Ashby Vale"]
_RIVERS = ["Wend", "Ossel", "Tarn", "Lusk", "Brede", "Kelling"]
_PEOPLE = ["Maria Okafor", "Jonas Lindqvist", "Aiko Tanaka", "Rafael Duarte", "Helen Price", "Samir Haddad"]
_ROLES = ["the mayor", "the council leader", "the port director", "the regional health chief", "the school board head"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

_TEMPLATES = [
    (
        "{town} council approves a new bridge over the {river}",
        [
            "The council of {town} voted {yes} to {no} on {day} to pay for a new bridge over the {river}, ending a "
            "debate that has run for {years} years. The bridge will cost {cost} million euros and should open in "
            "{year}.",
            '"We have waited long enough," {role}, {person}, told reporters after the vote. Opponents said the '
            "money would be better spent on schools and promised to challenge the decision in court.",
            "Work is due to start in the spring, with {workers} workers hired from the region, the council said in "
            "a statement on its website.",
        ],
    ),
    (
        "Flooding forces {workers} families from their homes in {town}",
        [
            "Heavy rain pushed the {river} over its banks on {day}, and {workers} families in {town} were moved to "
            "the sports hall and two schools, the fire service said. No one was hurt.",
            '{person}, {role}, said the water had risen {years} centimetres in six hours. "The defences held in '
            'the old town, but the new estates were never built for this," {surname} said.',
            "Forecasters expect the river to peak on Saturday. Repairs are estimated at {cost} million euros, and "
            "the region has asked for help from the national disaster fund, first set up in {year}.",
        ],
    ),
    (
        "{town} hospital opens a children's ward after {years} years of delays",
        [
            "The hospital in {town} opened its new children's ward on {day}, {years} years after building began. "
            "The ward has {workers} beds and cost {cost} million euros, twice the first estimate made in {year}.",
            '"Families will no longer travel two hours to the city," said {person}, {role}. Nurses\' unions '
            "welcomed the opening but warned that {no} posts are still unfilled.",
            "The health ministry said the delays came from a dispute with the builder, settled in court last "
            "spring after a vote of {yes} board members.",
        ],
    ),
    (
        "Port of {town} reports record cargo as the {river} canal reopens",
        [
            "The port of {town} handled {workers} thousand containers in the last quarter, a record, after the "
            "{river} canal reopened in {year} following {years} months of dredging, the port authority said on "
            "{day}.",
            '{person}, {role}, credited the deeper channel for the rise. "Ships that used to wait offshore now '
            'come straight in," {surname} said at a press conference.',
            "Dock workers, who voted {yes} to {no} last month to accept a new contract, will share a bonus worth "
            "{cost} million euros, the union said.",
        ],
    ),
]


def _fields(number: int) -> dict[str, object]:
    rng = random.Random(number)
    person = rng.choice(_PEOPLE)
    return {
        "town": rng.choice(_TOWNS),
        "river": rng.choice(_RIVERS),
        "person": person,
        "surname": person.split()[-1],
        "role": rng.choice(_ROLES),
        "day": rng.choice(_WEEKDAYS),
        "yes": 20 + number % 17,
        "no": 3 + number % 11,
        "years": 2 + number % 9,
        "cost": 10 + number,  # the number itself: every article's text differs
        "year": 2026 + number % 4,
        "workers": 100 + 7 * number,
    }


def good_parts(number: int) -> tuple[str, list[str]]:
    """The title and paragraphs of good article `number` (each number gives a different text)."""
    title, paragraphs = _TEMPLATES[number % len(_TEMPLATES)]
    values = _fields(number)
    return title.format(**values), [p.format(**values) for p in paragraphs]


def good_text(number: int) -> str:
    title, paragraphs = good_parts(number)
    return "\n\n".join([title, *paragraphs])


def good_html(number: int, head: str = "", body_attributes: str = "") -> str:
    title, paragraphs = good_parts(number)
    ps = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{title}</title></head>\n"
        f"<body{body_attributes}><article><h1>{title}</h1>\n{ps}\n</article></body></html>\n"
    )


def good_record(number: int, **extra: object) -> dict[str, object]:
    title, paragraphs = good_parts(number)
    record: dict[str, object] = {"title": title}
    record["text"] = "\n\n".join(paragraphs)
    record.update(extra)
    return record


def _line(record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


def chinese_article(number: int) -> str:
    """A Chinese news article of several paragraphs (its numbers vary with `number`)."""
    n = 300 + number
    return (
        f"江城新建跨江大桥正式通车\n\n"
        f"本报讯 经过三年施工，江城第{n}号跨江大桥于周一上午正式通车。大桥全长{n * 3}米，总投资约{n // 10}亿元，"
        f"将两岸之间的通行时间从四十分钟缩短到十分钟。\n\n"
        f"市长王建国在通车仪式上表示，大桥的建成将带动沿江地区的经济发展。“这是全市人民期盼已久的工程，”他说。"
        f"据市交通局统计，通车首日共有{n * 40}辆汽车通过大桥。\n\n"
        f"不过，部分居民对大桥附近的噪音问题表示担忧。交通局回应称，将在明年春季之前安装隔音屏障，"
        f"并继续听取周边社区的意见。"
    )


def japanese_article(number: int) -> str:
    """A Japanese news article of several paragraphs (its numbers vary with `number`)."""
    n = 120 + number
    return (
        f"北浜市で新しい市立図書館が開館\n\n"
        f"北浜市で十日、新しい市立図書館が開館した。建設費はおよそ{n}億円で、蔵書は{n * 1000}冊にのぼる。"
        f"開館初日には{n * 10}人が訪れ、入り口には朝から長い列ができた。\n\n"
        f"佐藤花子市長は式典で「子どもから高齢者まで、誰もが集まれる場所にしたい」と述べた。"
        f"館内には学習室や子ども向けの読み聞かせの部屋も設けられている。\n\n"
        f"一方、駐車場が少ないとの声もあり、市は来年度までに{n // 4}台分の駐車場を増やす方針を示した。"
    )


def good_case(ids: Iterator[int]) -> Case:
    """A good article in one of several forms: text, HTML, JSON, JSONL (two articles)."""
    number = next(ids)
    form = number % 4
    if form == 0:
        return Case(f"good-{number}.txt", good_text(number).encode(), "kept")
    if form == 1:
        return Case(f"good-{number}.html", good_html(number).encode(), "kept")
    if form == 2:
        return Case(f"good-{number}.json", json.dumps(good_record(number)).encode(), "kept")
    return Case(f"good-{number}.jsonl", _line(good_record(number)) + _line(good_record(next(ids))), "kept", kept=2)


# --- bytes --------------------------------------------------------------------------------------------------


def byte_cases(ids: Iterator[int]) -> list[Case]:
    rng = random.Random(7)
    accented = "Café owners in Málaga said the fiesta drew crowds, and the señora who runs the bakery agreed. "
    long_text = good_text(next(ids)) + "\n\n" + accented * 30
    stray = long_text.encode()
    middle = len(stray) // 2
    stray = stray[:middle] + b" \xff " + stray[middle:]
    truncated = (good_text(next(ids)) + "\n\n" + accented * 3 + "Olé").encode()[:-1]  # cut inside "é"
    cases = [
        Case("random.txt", rng.randbytes(4096), "skipped"),
        Case("random.html", rng.randbytes(20_000), "skipped"),
        Case("nul-laden.txt", good_text(next(ids)).replace(" ", " \x00").encode(), "skipped"),
        Case("truncated-utf8.txt", truncated, "kept", flag="decode-repaired"),
        Case("stray-byte.txt", stray, "kept", flag="decode-repaired"),
        Case("utf16le-bom.txt", codecs.BOM_UTF16_LE + good_text(next(ids)).encode("utf-16-le"), "kept"),
        Case("utf16be-bom.txt", codecs.BOM_UTF16_BE + good_text(next(ids)).encode("utf-16-be"), "kept"),
        Case("utf16le.txt", good_text(next(ids)).encode("utf-16-le"), "kept"),
        Case("utf16be.html", good_html(next(ids)).encode("utf-16-be"), "kept"),
        Case("latin1.txt", (good_text(next(ids)) + "\n\n" + accented).encode("latin-1"), "kept"),
        Case("cp1252.html", good_html(next(ids)).replace("said", "said – “in full” –").encode("cp1252"), "kept"),
        Case("shift-jis.txt", japanese_article(next(ids)).encode("shift_jis"), "kept"),
        Case("gb18030.txt", chinese_article(next(ids)).encode("gb18030"), "kept"),
    ]
    for charset in ("undefined", "punycode", "idna", "rot13", "base64"):
        html = good_html(next(ids), head=f'<meta charset="{charset}">')
        cases.append(Case(f"charset-{charset}.html", html.encode(), "either"))
    return cases


def html_cases(ids: Iterator[int]) -> list[Case]:
    attributes = "".join(f' data-a{i}="{i}"' for i in range(50_000))
    deep_divs = _nested(good_html(next(ids)), "<div>" * 200_000, "</div>" * 200_000)
    tables = _nested(good_html(next(ids)), "<table><tr><td>" * 20_000, "</td></tr></table>" * 20_000)
    title, paragraphs = good_parts(next(ids))
    one_line = " ".join([title, *paragraphs] * (5_000_000 // len(" ".join(paragraphs)) + 1))[:5_000_000]
    deep_ld = '{"@type": "NewsArticle", "about": ' + "[" * 100_000 + "]" * 100_000 + "}"
    huge_ld = '{"@type": "NewsArticle", "headline": "Numbers", "wordCount": ' + "9" * 5_000 + "}"
    return [
        Case("attributes.html", good_html(next(ids), body_attributes=attributes).encode(), "either"),
        Case("nested-divs.html", deep_divs.encode(), "either"),
        Case("nested-tables.html", tables.encode(), "either"),
        Case("one-line.txt", one_line.encode(), "either"),
        Case("ld-deep.html", good_html(next(ids), head=_ld(deep_ld)).encode(), "kept"),
        Case("ld-huge-number.html", good_html(next(ids), head=_ld(huge_ld)).encode(), "kept"),
    ]


def _nested(page: str, opening: str, closing: str) -> str:
    """`page` with its article inside `opening` ... `closing`."""
    return page.replace("<article>", opening + "<article>").replace("</article>", "</article>" + closing)


def _ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


# --- JSON / JSONL -------------------------------------------------------------------------------------------


def json_cases(ids: Iterator[int]) -> list[Case]:
    deep = b"[" * 100_000 + b"]" * 100_000 + b"\n"
    digits = b'{"text": "x", "count": ' + b"7" * 5_000 + b"}\n"
    surrogate = json.dumps(good_record(next(ids), title="Broken \ud800 title")).encode() + b"\n"
    title, paragraphs = good_parts(next(ids))
    separators = {"title": title, "text": paragraphs[0] + "\u2028" + paragraphs[1] + "\u0085" + paragraphs[2]}
    five = [_line(good_record(next(ids))) for _ in range(5)]
    five[2] = five[2].replace(b'"text": "', b'"text": "\x00', 1)
    long_good = good_record(next(ids))
    teaser = {"html": "<p>x</p>", "text": long_good["text"], "title": long_good["title"]}
    titleless = [{"text": good_parts(next(ids))[1][0]} for _ in range(2)]
    non_objects = b"[1, 2]\n" + b'"a string"\n' + b"42\n" + b"null\n" + _line(good_record(next(ids)))
    blank = b"\n\n" + _line(good_record(next(ids))) + b"\n   \n\r\n" + _line(good_record(next(ids))) + b"\n"
    huge_line = _line({"title": "A long one", "text": "Word " * (10 * 1024 * 1024 // 5 + 10)})
    return [
        Case("deep.jsonl", _line(good_record(next(ids))) + deep, "skipped", kept=1, skipped=1),
        Case("digits.jsonl", digits + _line(good_record(next(ids))), "skipped", kept=1, skipped=1),
        Case("deep.json", deep, "skipped"),
        Case("surrogate.jsonl", surrogate, "kept", flag="surrogates-replaced"),
        Case("separators.jsonl", _line(separators), "kept", contains=paragraphs[2][:40]),
        Case("one-nul.jsonl", b"".join(five), "skipped", kept=4, skipped=1),
        Case("teaser-html.json", json.dumps(teaser).encode(), "kept", contains=str(long_good["text"])[:60]),
        Case("titleless.jsonl", b"".join(_line(r) for r in titleless), "kept", kept=2),
        Case("non-objects.jsonl", non_objects, "skipped", kept=1, skipped=4),
        Case("blank-lines.jsonl", blank, "kept", kept=2),
        Case("huge-line.jsonl", huge_line, "skipped"),
    ]


# --- feeds --------------------------------------------------------------------------------------------------


def _rss(items: str, title: str = "The Example Gazette") -> bytes:
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
    return (head + items + "</channel></rss>\n").encode()


def _item(number: int, case: str, entry: int | None = None) -> str:
    """An RSS item holding good article `number`, linked as entry `entry` (default: `number`) of `case`."""
    title, paragraphs = good_parts(number)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    link = f"https://news.example/{case}/{number if entry is None else entry}"
    return f"<item><title>{title}</title><link>{link}</link><description><![CDATA[{body}]]></description></item>"


def feed_cases(ids: Iterator[int], entries: int = 10_000) -> list[Case]:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']>\n<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>'
    )
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>'
        "<description>&xxe;</description></item></channel></rss>"
    )
    texts = [next(ids) for _ in range(50)]  # entries share 50 texts: 10,000 documents, 50 articles
    many = "".join(_item(texts[entry % 50], "many.rss", entry) for entry in range(entries))
    garbage = (
        "<item><title>Garbage</title><description><![CDATA[\x01\x02 <<<>>> ]]]]> &&& </p></div>]]></description></item>"
    )
    return [
        Case("good.rss", _rss(_item(next(ids), "good.rss") + _item(next(ids), "good.rss")), "kept", kept=2),
        Case("malformed.rss", _rss(_item(next(ids), "malformed.rss"))[:-40] + b"<item><title>x</tit", "either"),
        Case("not-xml.rss", b"this is <not> an & XML <feed", "skipped"),
        Case("bomb.rss", bomb.encode(), "skipped"),
        Case("xxe.rss", xxe.encode(), "skipped"),
        Case("many.rss", _rss(many), "kept", kept=entries),
        Case(
            "bare-entries.rss",
            _rss(_item(next(ids), "bare-entries.rss") + "<item><title>Only a title</title></item><item></item>"),
            "skipped",
            kept=1,
            skipped=1,
        ),
        Case("cdata-garbage.rss", _rss(garbage + _item(next(ids), "cdata-garbage.rss")), "either"),
        Case("atom-bare.atom", _atom(next(ids)), "kept", kept=1, skipped=1),
    ]


def _atom(number: int) -> bytes:
    title, paragraphs = good_parts(number)
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>'
        f'<entry><title>{title}</title><link href="https://news.example/atom-bare.atom/{number}"/>'
        f'<content type="html">{body}</content></entry>'
        "<entry><title>Nothing here</title></entry></feed>\n"
    ).encode()


# --- compressed ---------------------------------------------------------------------------------------------

_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """1 GB of zeros, gzip-compressed (about 1 MB; made once per process)."""
    if not _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(1 << 20)
        _BOMB.append(b"".join([*(packer.compress(zeros) for _ in range(1024)), packer.flush()]))
    return _BOMB[0]


def compressed_cases(ids: Iterator[int]) -> list[Case]:
    whole = gzip.compress(good_text(next(ids)).encode(), mtime=0)
    first, second = good_text(next(ids)), good_text(next(ids))
    multi = gzip.compress(first.encode(), mtime=0) + gzip.compress(("\n\n" + second).encode(), mtime=0)
    cut = gzip.compress(good_text(next(ids)).encode(), mtime=0)
    corrupt = bytearray(gzip.compress(good_text(next(ids)).encode(), mtime=0))
    corrupt[20:40] = bytes(20)
    return [
        Case("valid.txt.gz", whole, "kept"),
        Case("truncated.txt.gz", cut[: len(cut) // 2], "skipped"),
        Case("multi-member.txt.gz", multi, "kept", contains=second.split("\n\n")[1][:50]),
        Case("bomb.txt.gz", gzip_bomb(), "skipped"),
        Case("corrupt.txt.gz", bytes(corrupt), "skipped"),
        Case("gzip-as.html", gzip.compress(good_html(next(ids)).encode(), mtime=0), "kept"),
    ]


# --- file-system oddities -----------------------------------------------------------------------------------


def filesystem_cases(ids: Iterator[int]) -> list[Case]:
    undecodable_text, unreadable_text = good_text(next(ids)).encode(), good_text(next(ids)).encode()

    def fifo(folder: Path) -> None:
        os.mkfifo(folder / "fifo.txt")

    def to_zero(folder: Path) -> None:
        os.symlink("/dev/zero", folder / "zero.txt")

    def dangling(folder: Path) -> None:
        os.symlink(folder / "no-such-file.txt", folder / "dangling.txt")

    def loop(folder: Path) -> None:
        os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
        os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")

    def folder_loop(folder: Path) -> None:
        (folder / "loop-folder").mkdir()
        os.symlink(".", folder / "loop-folder" / "self")

    def undecodable(folder: Path) -> None:
        (folder / os.fsdecode(b"bad\xff.txt")).write_bytes(undecodable_text)

    def unreadable(folder: Path) -> None:
        path = folder / "unreadable.txt"
        path.write_bytes(unreadable_text)
        path.chmod(0)

    readable_anyway = os.geteuid() == 0  # root reads a chmod 000 file
    return [
        Case("fifo.txt", fifo, "skipped"),
        Case("zero.txt", to_zero, "skipped"),
        Case("dangling.txt", dangling, "skipped"),
        Case("loop-a.txt", loop, "skipped", skipped=2),  # loop-b.txt is its partner
        Case("loop-folder", folder_loop, "skipped", skipped=1),
        Case(os.fsdecode(b"bad\xff.txt"), undecodable, "kept"),
        Case("unreadable.txt", unreadable, "kept" if readable_anyway else "skipped"),
        Case("empty.txt", b"", "skipped"),
        Case("empty.jsonl", b"", "skipped"),
        Case("blank.html", b"  \n\t\n ", "skipped"),
    ]


def all_cases(ids: Iterator[int], entries: int = 10_000) -> list[Case]:
    """Every hostile case above (`entries`: of the big feed)."""
    return [
        *byte_cases(ids),
        *html_cases(ids),
        *json_cases(ids),
        *feed_cases(ids, entries),
        *compressed_cases(ids),
        *filesystem_cases(ids),
    ]


# --- random mutations (the bench) ---------------------------------------------------------------------------


def mutated_cases(rng: random.Random, ids: Iterator[int], count: int) -> list[Case]:
    """`count` cheap hostile files: random bytes, good documents with bytes flipped, cut or spliced, broken
    JSON and feeds. Each is "either" (or "skipped" when it cannot hold an article)."""
    makers: list[Callable[[random.Random, int, int], Case]] = [
        _random_bytes,
        _flipped,
        _cut,
        _broken_jsonl,
        _broken_feed,
        _bad_charset,
        _deep_json,
    ]
    return [rng.choice(makers)(rng, next(ids), index) for index in range(count)]


def _random_bytes(rng: random.Random, number: int, index: int) -> Case:
    suffix = rng.choice([".txt", ".html", ".json", ".jsonl", ".rss", ".txt.gz"])
    return Case(f"m{index}-random{suffix}", rng.randbytes(rng.randint(1, 3000)), "either")


def _flipped(rng: random.Random, number: int, index: int) -> Case:
    data = bytearray(rng.choice([good_text, good_html])(number).encode(rng.choice(["utf-8", "utf-16", "cp1252"])))
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return Case(f"m{index}-flipped.{rng.choice(['txt', 'html'])}", bytes(data), "either")


def _cut(rng: random.Random, number: int, index: int) -> Case:
    data = rng.choice([good_html(number).encode(), gzip.compress(good_text(number).encode(), mtime=0)])
    suffix = ".html" if data.startswith(b"<") else ".txt.gz"
    return Case(f"m{index}-cut{suffix}", data[: rng.randrange(len(data))], "either")


def _broken_jsonl(rng: random.Random, number: int, index: int) -> Case:
    line = bytearray(_line(good_record(number)))
    operation = rng.randrange(4)
    if operation == 0:
        del line[rng.randrange(len(line) - 1) :]
    elif operation == 1:
        line.insert(rng.randrange(len(line)), rng.choice(b'{}[]",:\\\x00\xff'))
    elif operation == 2:
        line[1:1] = b'"n": ' + b"1" + b"0" * rng.randint(1, 6000) + b", "
    else:
        line[1:1] = b'"deep": ' + b"[" * rng.randint(1, 5000) + b"], "
    return Case(f"m{index}-broken.jsonl", bytes(line), "either")


def _broken_feed(rng: random.Random, number: int, index: int) -> Case:
    data = bytearray(_rss(_item(number, f"m{index}-broken.rss")))
    start, end = data.index(b"<link>"), data.index(b"</link>") + 7  # the link stays whole: it names the entry
    positions = [p for p in (rng.randrange(len(data)) for _ in range(rng.randint(1, 10))) if not start < p < end]
    for position in sorted(positions, reverse=True):
        data[position:position] = rng.choice([b"<", b">", b"&", b"]]>", b"<!ENTITY x 'y'>", b"\xff", b"</item>"])
    return Case(f"m{index}-broken.rss", bytes(data), "either")


def _bad_charset(rng: random.Random, number: int, index: int) -> Case:
    charset = rng.choice(["undefined", "punycode", "idna", "rot13", "base64", "utf-16", "cp037", "x\x00y", "hex"])
    return Case(f"m{index}-charset.html", good_html(number, head=f'<meta charset="{charset}">').encode(), "either")


def _deep_json(rng: random.Random, number: int, index: int) -> Case:
    depth = rng.randint(90, 3000)
    return Case(f"m{index}-deep.json", b'{"a": ' * depth + b"1" + b"}" * depth, "skipped")


# --- writing and accounting ---------------------------------------------------------------------------------


def write_case(folder: Path, case: Case) -> None:
    """Make the case's file (or oddity) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(case.content, bytes):
        (folder / case.name).write_bytes(case.content)
    else:
        case.content(folder)


def shown(path: str) -> str:
    """How ingest names a path in locations and skips: undecodable bytes as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def owns(folder: Path, case: Case, location: str) -> bool:
    """Whether an article location or skip source comes from `case` placed in `folder`."""
    names = [case.name, "loop-b.txt"] if case.name == "loop-a.txt" else [case.name]
    for name in names:
        path = shown(os.path.join(folder, name))
        if location == path or location.startswith((path + ":", path + "#", path + "/")):
            return True
        if location.startswith(f"https://news.example/{shown(name)}/"):
            return True
    return False


def problems(store: "SQLiteStore", folder: Path, cases: list[Case]) -> list[str]:
    """Every way the store disagrees with what `cases` (placed in `folder`) expect; empty when all is well.

    Checked: each case's articles and skips (counts, flags, text), every skip has a reason that is not an
    "unexpected error" (a bug caught at the batch boundary), and nothing was stored that no case explains.
    """
    locations = [(str(row[0]), str(row[1])) for row in store.db.execute("SELECT location, article_id FROM locations")]
    skips = store.skips()
    found: list[str] = []
    claimed_locations: set[str] = set()
    claimed_skips: set[int] = set()
    for case in cases:
        mine = [(loc, article) for loc, article in locations if owns(folder, case, loc)]
        my_skips = [i for i, skip in enumerate(skips) if owns(folder, case, skip.source)]
        claimed_locations.update(loc for loc, _ in mine)
        claimed_skips.update(my_skips)
        found += _case_problems(store, case, mine, [skips[i].reason for i in my_skips])
    found += [f"unexplained article location {loc!r}" for loc, _ in locations if loc not in claimed_locations]
    found += [f"unexplained skip {skip}" for i, skip in enumerate(skips) if i not in claimed_skips]
    found += [f"{skip.source}: {skip.reason}" for skip in skips if skip.reason.startswith("unexpected error")]
    return found


def _case_problems(store: "SQLiteStore", case: Case, mine: list[tuple[str, str]], reasons: list[str]) -> list[str]:
    name = shown(case.name)
    kept, skipped = len(mine), len(reasons)
    found = [f"{name}: a skip without a reason" for reason in reasons if not reason.strip()]
    want_kept = case.kept if case.kept is not None else {"kept": 1, "skipped": 0}.get(case.expected)
    want_skipped = case.skipped if case.skipped is not None else {"kept": 0}.get(case.expected)
    if want_kept is not None and kept != want_kept:
        found.append(f"{name}: {kept} document(s) kept, expected {want_kept} (skips: {reasons})")
    if want_skipped is not None and skipped != want_skipped:
        found.append(f"{name}: {skipped} skip(s), expected {want_skipped}: {reasons}")
    if case.expected == "skipped" and case.skipped is None and not skipped:
        found.append(f"{name}: expected a skip, found none ({kept} kept)")
    if case.expected == "either" and kept + skipped == 0:
        found.append(f"{name}: neither kept nor skipped")
    articles = [store.get_article(article_id) for article_id in sorted({a for _, a in mine})]
    if case.flag is not None:
        found += [
            f"{name}: article without flag {case.flag!r}: {a.flags}" for a in articles if case.flag not in a.flags
        ]
    if case.contains is not None and not any(case.contains in a.text for a in articles):
        found.append(f"{name}: no kept article holds {case.contains!r}")
    return found
