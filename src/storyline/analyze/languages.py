"""Per-language resources for analysis, as data keyed by ISO 639-1 code and looked up in one place.

Each `LanguageProfile` holds what the rule-based steps need to read one language: abbreviations that do not end a
sentence, speech cue words (verbs and phrases that attribute a quote), the words after which the speaker's name
follows ("according to", "selon", "по словам"), pronouns that can stand for a speaker, capitalised words that are
no names (articles, pronouns, months), and titles stripped from speaker names. English keeps its own, richer
lists in `quotes.py` and `speakers.py`; its profile here only names it, so English analysis is untouched.

`profile(language)` maps any code ("de-AT", "pt_BR", None) to a profile; an unknown language gets the English
one, the behaviour storyline always had.
"""

from dataclasses import dataclass

from storyline.language_tags import primary_code

__all__ = ["LANGUAGES", "LanguageProfile", "is_title", "primary_code", "profile"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    """Cue phrases, one per line or separated by "|", longest first so that a regex alternation prefers them."""
    items = {p.strip() for line in text.splitlines() for p in line.split("|") if p.strip()}
    return tuple(sorted(items, key=lambda p: (-len(p), p)))


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """How the rule-based analysis reads one language.

    Attributes:
        code: ISO 639-1 code.
        script: latin | cyrillic | cjk | arabic | devanagari; picks the sentence rule and the entity fallback.
        cues: speech cue words and phrases, lower-case ("sagte", "a déclaré", "表示").
        according: cues after which the speaker follows and precedes the content ("selon", "laut", "по словам").
        trailing_cues: cues that follow the quote while the speaker stands before it (Japanese 「…」と述べた).
        pronouns: subject pronouns mapped to the English ones the resolver knows ("er" -> "he").
        abbreviations: lower-case words that a period does not end a sentence after ("bzw", "nr").
        ordinals: capitalised words after which "<number>." is an ordinal, not a sentence end ("12. März").
        stop_words: capitalised words that start no name (articles, pronouns, weekdays, months, sentence openers).
        titles: lower-case titles stripped from the front of a speaker's name ("bundeskanzler", "président").
        low_quotes: quotes open low and close with “ or ‘ („…“, ‚…‘), so “ after a full stop ends a sentence.
        quote_marks: the quotation marks the language uses (for the docs; the pairer reads every style anyway).
    """

    code: str
    script: str = "latin"
    cues: tuple[str, ...] = ()
    according: tuple[str, ...] = ()
    trailing_cues: tuple[str, ...] = ()
    pronouns: tuple[tuple[str, str], ...] = ()
    abbreviations: frozenset[str] = frozenset()
    ordinals: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    low_quotes: bool = False
    quote_marks: str = ""

    @property
    def unspaced(self) -> bool:
        """Whether words are written without spaces between them (no `\\b` between a name and a verb)."""
        return self.script == "cjk"

    @property
    def cased(self) -> bool:
        """Whether the script marks names with capital letters."""
        return self.script in ("latin", "cyrillic")


_LATIN_STOPS_DE = _words(
    """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Er Sie Es Wir Ihr Ich Man Und Oder Aber Doch Denn
    Als Wenn Weil Dass Auch Noch Nach Vor Bei Mit Von Im Am Um Auf Aus In An Für Über Unter Zum Zur Seit Laut So
    Dies Diese Dieser Dieses Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar März
    April Mai Juni Juli August September Oktober November Dezember Zudem Außerdem Damit Dabei Bereits Nun Jetzt
    """
)
_LATIN_STOPS_FR = _words(
    """
    Le La Les L' Un Une Des Du De Il Elle Ils Elles On Nous Vous Je Et Ou Mais Donc Car Si Quand Selon Pour Par
    Dans En Sur Sous Avec Sans Ce Cette Ces Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février
    Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre Après Avant Depuis Lors Au Aux
    """
)
_LATIN_STOPS_ES = _words(
    """
    El La Los Las Un Una Unos Unas Él Ella Ellos Ellas Y O Pero Si Cuando Según Para Por En Con Sin Sobre Este
    Esta Estos Estas Lunes Martes Miércoles Jueves Viernes Sábado Domingo Enero Febrero Marzo Abril Mayo Junio
    Julio Agosto Septiembre Octubre Noviembre Diciembre Tras Desde Al Del De Además También
    """
)
_LATIN_STOPS_IT = _words(
    """
    Il Lo La I Gli Le Un Uno Una Lui Lei Loro E O Ma Se Quando Secondo Per Con Su In Da Di Del Della Nel Nella
    Questo Questa Lunedì Martedì Mercoledì Giovedì Venerdì Sabato Domenica Gennaio Febbraio Marzo Aprile Maggio
    Giugno Luglio Agosto Settembre Ottobre Novembre Dicembre Dopo Prima Anche
    """
)
_LATIN_STOPS_NL = _words(
    """
    De Het Een Hij Zij Ze Wij We En Of Maar Als Toen Volgens Voor Met Van In Op Aan Bij Dit Deze Maandag Dinsdag
    Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart April Mei Juni Juli Augustus September
    Oktober November December Na Ook Aldus
    """
)
_LATIN_STOPS_PT = _words(
    """
    O A Os As Um Uma Ele Ela Eles Elas E Ou Mas Se Quando Segundo Para Por Com Sem Em No Na Nos Nas Do Da De Este
    Esta Segunda Terça Quarta Quinta Sexta Sábado Domingo Janeiro Fevereiro Março Abril Maio Junho Julho Agosto
    Setembro Outubro Novembro Dezembro Após Também
    """
)
_LATIN_STOPS_PL = _words(
    """
    On Ona Oni One I A Ale Lub Czy Gdy Jeśli Według W We Z Ze Na Do Od Po Przez Dla Ten Ta To Te Poniedziałek
    Wtorek Środa Czwartek Piątek Sobota Niedziela Styczeń Luty Marzec Kwiecień Maj Czerwiec Lipiec Sierpień
    Wrzesień Październik Listopad Grudzień Jak Także Również
    """
)
_CYRILLIC_STOPS_RU = _words(
    """
    Он Она Они Мы Я Вы И А Но Или Если Когда По В Во На С Со К Ко От До Из За Для При Об О Это Этот Эта Эти Как
    Также Уже Понедельник Вторник Среда Четверг Пятница Суббота Воскресенье Январь Февраль Март Апрель Май Июнь
    Июль Август Сентябрь Октябрь Ноябрь Декабрь После Перед Однако Кроме Словам
    """
)

LANGUAGES: dict[str, LanguageProfile] = {
    profile.code: profile
    for profile in (
        LanguageProfile("en", quote_marks="“ ” ‘ ’ \" '"),
        LanguageProfile(
            "de",
            cues=_phrases(
                "sagte|sagten|sagt|erklärte|erklärten|erklärt|betonte|betont|meinte|meint|warnte|warnt|fügte"
                "|kündigte|teilte|bekräftigte|kritisierte|forderte|so|zufolge"
            ),
            according=_phrases("laut|nach angaben von"),
            pronouns=(("er", "he"), ("sie", "she")),
            abbreviations=_words("dr prof nr bzw ca vgl usw z.b u.a d.h v.a mio mrd st jh sog inkl ggf evtl str"),
            ordinals=_words(
                "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember"
                " Jahrhundert Jahrestag Weltkrieg Platz Runde Spieltag Liga Klasse Stock Stelle"
            ),
            stop_words=_LATIN_STOPS_DE,
            titles=_words(
                "bundeskanzler bundeskanzlerin kanzler kanzlerin minister ministerin präsident präsidentin sprecher"
                " sprecherin chef chefin vorsitzende vorsitzender bürgermeister bürgermeisterin herr frau dr prof"
                " außenminister außenministerin wirtschaftsminister wirtschaftsministerin regierungssprecher"
            ),
            low_quotes=True,
            quote_marks="„ “ ‚ ‘ » « (and “ ” in Swiss and online text)",
        ),
        LanguageProfile(
            "fr",
            cues=_phrases(
                "a déclaré|a dit|a affirmé|a expliqué|a ajouté|a souligné|a indiqué|a estimé|a assuré|a averti"
                "|a-t-il déclaré|a-t-elle déclaré|a-t-il dit|a-t-elle dit|a-t-il ajouté|a-t-elle ajouté"
                "|a-t-il affirmé|a-t-elle affirmé|a-t-il expliqué|a-t-elle expliqué|déclare|affirme|explique|ajoute"
                "|souligne|estime|indique|dit|selon|d'après|d’après"
            ),
            according=_phrases("selon|d'après|d’après"),
            pronouns=(("il", "he"), ("elle", "she")),
            abbreviations=_words("m mm mme mlle dr pr st ste av apr j.-c etc cf env"),
            stop_words=_LATIN_STOPS_FR,
            titles=_words("président présidente ministre m mme porte-parole directeur directrice maire premier"),
            quote_marks="« » (with inner spaces), “ ”",
        ),
        LanguageProfile(
            "es",
            cues=_phrases(
                "dijo|dijeron|afirmó|declaró|explicó|añadió|agregó|aseguró|señaló|indicó|advirtió|subrayó"
                "|ha dicho|ha afirmado|ha declarado|dice|afirma|asegura|según"
            ),
            according=_phrases("según|de acuerdo con"),
            pronouns=(("él", "he"), ("ella", "she")),
            abbreviations=_words("sr sra srta dr dra d dña ud uds etc pág núm"),
            stop_words=_LATIN_STOPS_ES,
            titles=_words(
                "presidente presidenta ministro ministra portavoz director directora alcalde alcaldesa sr sra"
            ),
            quote_marks="« » “ ” ‘ ’ (with ¿ ¡ openers)",
        ),
        LanguageProfile(
            "it",
            cues=_phrases(
                "ha detto|ha dichiarato|ha affermato|ha spiegato|ha aggiunto|ha sottolineato|ha avvertito"
                "|ha annunciato|disse|dice|afferma|spiega|aggiunge|secondo"
            ),
            according=_phrases("secondo"),
            pronouns=(("lui", "he"), ("lei", "she")),
            abbreviations=_words("sig sigg dott prof on avv ing ecc pag"),
            stop_words=_LATIN_STOPS_IT,
            titles=_words("presidente ministro ministra premier portavoce sindaco direttore sig dott prof"),
            quote_marks="« » “ ”",
        ),
        LanguageProfile(
            "nl",
            cues=_phrases("zei|zeiden|zegt|verklaarde|stelde|voegde|benadrukte|waarschuwde|aldus|volgens"),
            according=_phrases("volgens|aldus"),
            pronouns=(("hij", "he"), ("zij", "she")),
            abbreviations=_words("dhr mevr mr dr prof nr bijv o.a ca enz"),
            stop_words=_LATIN_STOPS_NL,
            titles=_words("premier minister president woordvoerder directeur burgemeester dhr mevr"),
            quote_marks="“ ” ‘ ’ „ ”",
        ),
        LanguageProfile(
            "pt",
            cues=_phrases(
                "disse|disseram|afirmou|declarou|explicou|acrescentou|destacou|ressaltou|advertiu|garantiu"
                "|diz|afirma|segundo"
            ),
            according=_phrases("segundo|de acordo com"),
            pronouns=(("ele", "he"), ("ela", "she")),
            abbreviations=_words("sr sra dr dra prof etc pág nº"),
            stop_words=_LATIN_STOPS_PT,
            titles=_words("presidente ministro ministra porta-voz diretor diretora prefeito prefeita sr sra"),
            quote_marks="“ ” « »",
        ),
        LanguageProfile(
            "pl",
            cues=_phrases(
                "powiedział|powiedziała|powiedzieli|stwierdził|stwierdziła|oświadczył|oświadczyła|dodał|dodała"
                "|podkreślił|podkreśliła|zaznaczył|zaznaczyła|ostrzegł|ostrzegła|mówi|według"
            ),
            according=_phrases("według"),
            pronouns=(("on", "he"), ("ona", "she")),
            abbreviations=_words("dr prof nr ul np tzn m.in ok tys mln mld gen płk r"),  # "w 2026 r. Premier"
            stop_words=_LATIN_STOPS_PL,
            titles=_words("premier minister prezydent rzecznik rzeczniczka dyrektor burmistrz pan pani"),
            low_quotes=True,
            quote_marks="„ ” « »",
        ),
        LanguageProfile(
            "ru",
            script="cyrillic",
            cues=_phrases(
                "сказал|сказала|сказали|заявил|заявила|заявили|отметил|отметила|добавил|добавила|подчеркнул"
                "|подчеркнула|сообщил|сообщила|пояснил|пояснила|предупредил|предупредила|говорит|заявляет"
                "|по словам|по данным"
            ),
            according=_phrases("по словам|по данным|согласно"),
            pronouns=(("он", "he"), ("она", "she")),
            abbreviations=_words("г гг т.е т.д т.п им ул д др проф млн млрд тыс руб"),
            stop_words=_CYRILLIC_STOPS_RU,
            titles=_words(
                "президент премьер-министр министр глава пресс-секретарь представитель директор мэр губернатор"
                " председатель"
            ),
            low_quotes=True,
            quote_marks="« » „ “",
        ),
        LanguageProfile(
            "zh",
            script="cjk",
            cues=_phrases("表示|说|称|指出|强调|认为|透露|介绍|宣布|据"),
            according=_phrases("据"),
            pronouns=(("他", "he"), ("她", "she")),
            quote_marks="“ ” ‘ ’ 「 」 『 』",
        ),
        LanguageProfile(
            "ja",
            script="cjk",
            cues=_phrases("述べた|語った|話した|強調した|明らかにした|説明した|指摘した|によると"),
            according=(),
            trailing_cues=_phrases("と述べた|と語った|と話した|と強調した|と説明した|と指摘した|と述べ|と語り"),
            pronouns=(("彼", "he"), ("彼女", "she")),
            quote_marks="「 」 『 』",
        ),
        LanguageProfile(
            "ar",
            script="arabic",
            cues=_phrases(
                "قال|وقال|قالت|وقالت|أضاف|وأضاف|أضافت|وأضافت|أكد|وأكد|أكدت|وأكدت|صرح|وصرح|أوضح|وأوضح|حسب|بحسب|وفقا ل"
            ),
            according=_phrases("حسب|بحسب|وفقا ل"),
            quote_marks='« » “ ” "',
        ),
        LanguageProfile("hi", script="devanagari", quote_marks="“ ”"),
    )
}


def is_title(word: str, titles: frozenset[str]) -> bool:
    """Whether `word` is a title: one of `titles`, or a compound ending in a long one ("Umweltministerin")."""
    lower = word.lower().rstrip(".")
    return lower in titles or any(len(t) >= 7 and lower.endswith(t) for t in titles)


def profile(language: str | None) -> LanguageProfile:
    """The profile of `language`; English for None and for languages without one."""
    return LANGUAGES.get(primary_code(language) or "en", LANGUAGES["en"])
