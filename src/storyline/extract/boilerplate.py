"""Classify lines that are page furniture rather than article text.

Each rule is a general pattern for one kind of furniture: navigation menus ("back to home" in several languages,
breadcrumbs), calls to action (sales lines, newsletter and app prompts, share buttons), comment-widget prompts,
AI-generated-content disclaimers and other disclaimers. Rules only fire on short lines, so a real paragraph that
happens to mention "subscribe" stays.
"""

import re

__all__ = ["classify_line", "is_ai_disclosure"]

SHORT_LINE = 160  # characters: furniture is short; longer lines are treated as prose
DISCLAIMER_LINE = 320

_NAVIGATION = re.compile(
    r"""^(?:
        (?:back\ to\ |return\ to\ |go\ to\ )?(?:the\ )?(?:home(?:\ ?page)?|top|main\ menu|homepage)
      | skip\ to\ (?:main\ )?content | (?:main\ )?menu | search | sign\ in | log\ ?in | navigation
      | previous(?:\ article|\ post)? | next(?:\ article|\ post)?
      | 返回首页 | 首页 | 返回 | 返回顶部 | 回到顶部 | 上一篇 | 下一篇 | 返回列表 | 主页
      | zurück(?:\ zur\ startseite)? | startseite | accueil | retour(?:\ à\ l'accueil)? | inicio
      | volver(?:\ al\ inicio)? | página\ inicial | voltar | главная | на\ главную | ホーム | トップに戻る
      | トップへ | 홈 | 홈으로 | ana\ sayfa | strona\ główna | home\ page
    )[\s.!>»›]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_BREADCRUMB = re.compile(r"^\s*(?:home|首页|startseite|accueil|inicio)\s*[>/»›|]\s*\S", re.IGNORECASE)

# Calls to action. Words that prose uses too ("continued to sign up subscribers", "a campaign advertisement", "a
# tour sponsored by", "hope to learn more", "the comments section", "Facebook's privacy policy") count only in the
# form a page gives them: a label alone on its line, an imperative opening a sentence, or beside another cue.
_CALL_TO_ACTION = re.compile(
    r"""(?:
        \b(?:book|schedule|request)\ (?:a|an|your)\ (?:free\ )?(?:call|demo|consultation|meeting)\b
      | (?:^|[.!?:]\s+|\bplease\ )(?:contact\ us|get\ in\ touch)\b | \bget\ in\ touch\ with\ us\b
      | ^\W*get\ started(?:\ (?:today|now|for\ free))?\W*$
      | \bstart\ (?:your|a)\ free\ trial\b
      | \btry\ (?:it|us)\ (?:for\ )?free\b | (?:^|[.!?:,]\s+)sign\ up\b
      | \bsign\ up\ (?:here|now|today|for\ (?:our|free|email|the\ newsletter))\b
      | (?:^|[.!?:]\s+|\bor\ |\bto\ )subscribe\b(?!\ to\ (?:that|this|the\ (?:view|idea|notion|theory)))
      | \bsubscribe\ (?:now|today|here|for\ free)\b
      | \bsubscribe\ to\ (?:our|this|the)\ (?:\S+\ ){0,3}?(?:newsletter|podcast|channel|feed|blog|list|alerts)\b
      | \bdownload\ (?:the|our)\ app\b | \bfollow\ us\b | \bclick\ (?:here|below)\b
      | ^\W*share\ (?:this|on)\b | \bshare\ this\ (?:article|story|post|page|video|information)\b
      | \bshare\ on\ (?:facebook|twitter|x|linkedin|whatsapp|reddit)\b
      | \bread\ more\b | (?:^|[.!?:]\s+)learn\ more\b | \brelated\ (?:articles|stories|posts|content)\b
      | \byou\ (?:may|might)\ also\ like\b | \brecommended\ for\ you\b
      | ^\W*(?:advertisement|sponsored(?:\ content)?|paid\ content)\W*$ | \bcontinues\ below\ (?:this\ )?advertisement\b
      | \bsponsored\ (?:deal|content|post|links?)\b
      | \ball\ rights\ reserved\b | ©
      | \b(?:we|this\ site)\ uses?\ cookies\b | \baccept\ (?:all\ )?cookies\b | \bcookie\ (?:policy|settings)\b
      | ^\W*(?:privacy\ policy|terms\ of\ (?:use|service))\W*$
      | \b(?:our|agree\ to\ the|agreement\ to\ its|read\ the|see\ our)\ (?:\w+\ ){0,3}?
        (?:privacy\ policy|terms\ of\ (?:use|service)|terms\ and\ conditions)\b
      | \benter\ your\ email\ address\b | \bdelivered\ (?:right\ )?to\ your\ inbox\b
      | 立即订阅 | 关注我们 | 点击阅读 | 扫码 | 分享到 | 相关阅读 | 推荐阅读 | 版权所有
      | jetzt\ abonnieren | newsletter\ abonnieren | abonnez-vous | suscríbete | inscreva-se | iscriviti
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# "newsletter" is a call to action beside what a reader is asked to do; "her newsletter has a million readers" is
# prose
_NEWSLETTER = re.compile(r"\bnewsletters?\b", re.IGNORECASE)
_NEWSLETTER_CUE = re.compile(
    r"\b(?:sign|subscribe|inbox|e-?mail|receive|register|join|click|tick|free)\b", re.IGNORECASE
)
# A question put to the reader as a customer: "Want systems like this working for your business?"
_SALES_QUESTION = re.compile(
    r"^(?:want|need|looking\ for|ready|interested|curious|struggling)\b.{0,120}"
    r"\b(?:your\ (?:business|company|team|brand|organi[sz]ation|store)|for\ you)\b.{0,60}\?\s*$",
    re.IGNORECASE | re.VERBOSE,
)

# Comment widgets and prompts
_COMMENTS = re.compile(
    r"""(?:
        \bjoin\ the\ (?:discussion|conversation)\b | \bdiscuss\ this\ (?:story|article|post)\b
      | \b(?:community\ )?comments?\ (?:are\ )?(?:coming|closed|disabled)\b | ^\W*comments?\ section\W*$
      | \bcommunity\ comments\b
      | \bbe\ the\ first\ to\ (?:comment|share|reply|review)\b
      | \b(?:subscribe|log\ in|sign\ in|register)\ to\ comment\b
      | \b(?:leave|add|post|write)\ a\ (?:comment|reply)\b | ^\s*\d+\s+comments?\s*$ | \bshow\ comments\b
      | \bshare\ your\ (?:thoughts|perspective|opinion)\b
      | 发表评论 | 评论区 | 条评论 | kommentare | commentaires | comentarios
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Comment policies and moderation notices, and calls for readers' comments, pictures and stories: unambiguous
# enough to be recognised in lines up to DISCLAIMER_LINE ("You agree that anything you post may be used ...")
_COMMENT_POLICY = re.compile(
    r"""(?:
        \bwe\ welcome\ comments\b | \bcomments?\ (?:are|is)\ not\ pre-?screened\b
      | \bviews\ expressed\ in\ (?:the|these|our)\ comments\b | \b(?:this|the)\ discussion\ (?:is\ )?(?:now\ )?closed\b
      | \bthis\ comment\ (?:was|has\ been)\ removed\b | \b(?:obey|broke|break|breach(?:ed)?)\ the\ house\ rules\b
      | \b(?:posts|comments)\ (?:are|is)\ (?:\w+[-\ ])?moderated\b | \banything\ you\ post\b
      | \bwelcomes?\ a\ lively\ and\ courteous\ discussion\b
      | \bsend\ (?:us\ )?your\ (?:comments|pictures|photos|videos|stories|experiences|views)\b
      | \byour\ comments\ may\ be\ published\b | \bmay\ edit\ your\ comments\b
      | \byour\ (?:contact|personal)\ details\ will\ (?:never|not)\ be\ published\b
      | \bif\ you\ have\ a\ large\ file\b | \bplease\ leave\ a\ (?:telephone|phone)\ number\b
      | \bwhen\ sending\ us\ pictures\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A media player or a page script that did not load: "To play this content JavaScript must be turned on"
_PLAYER = re.compile(
    r"\bjavascript\ (?:must\ be|is)\ (?:turned\ on|enabled|disabled|required)\b"
    r"|\b(?:enable|turn\ on)\ javascript\b|\b(?:latest|adobe)\ flash\ player\b"
    r"|\byour\ browser\ does\ not\ support\b",
    re.IGNORECASE | re.VERBOSE,
)

_AI_DISCLOSURE = re.compile(
    r"""(?:
        \b(?:generated|written|created|produced|drafted|composed)\ (?:\w+\ ){0,3}?(?:by|with|using)
            \ (?:the\ help\ of\ |the\ assistance\ of\ )?(?:an?\ )?(?:ai|a\.i\.|artificial\ intelligence|
            (?:a\ )?(?:large\ )?language\ model|llm|chatgpt|gpt-\d)\b
      | \bai[-\ ](?:generated|written|assisted)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# The disclosure must be about the text itself, not news about AI-generated things.
_ABOUT_THE_TEXT = re.compile(
    r"^\s*(?:disclaimer|note|editor'?s\ note|notice|transparency)\b"
    r"|\b(?:this|the\ above|the\ following|above)\ (?:\w+\ )?(?:content|article|text|summary|story|post|report|piece)\b"
    r"|\bai[-\ ](?:generated|written|assisted)\ (?:content|article|text|summary|story|post|report)\b",
    re.IGNORECASE | re.VERBOSE,
)
_AI_DISCLOSURE_CJK_ETC = re.compile(
    r"由\s*(?:ai|人工智能)\s*生成|(?:ai|人工智能)\s*生成|ki-generiert|von\ ki\ (?:erstellt|generiert)"
    r"|généré\ par\ (?:l'|une\ )?ia|generado\ (?:por|con)\ (?:la\ )?ia|gerado\ por\ ia",
    re.IGNORECASE | re.VERBOSE,
)
_DISCLAIMER = re.compile(
    r"""(?:
        ^\s*disclaimer\b | \bnot\ (?:financial|investment|legal|medical)\ advice\b
      | \bfor\ (?:informational|reference|illustrative)\ purposes\ only\b | \bfor\ reference\ only\b
      | \bevents\ may\ (?:develop|unfold|turn\ out)\ differently\b | \bviews\ expressed\ (?:here|are)\b
      | \bnot\ responsible\ for\ the\ content\ of\ external\b
      | 仅供参考 | 免责声明
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_ai_disclosure(line: str) -> bool:
    """True when a short line says the content was made by AI."""
    if len(line) > DISCLAIMER_LINE:
        return False
    if _AI_DISCLOSURE_CJK_ETC.search(line):
        return True
    return _AI_DISCLOSURE.search(line) is not None and _ABOUT_THE_TEXT.search(line) is not None


def classify_line(line: str) -> str | None:
    """Return why `line` is furniture (navigation, call-to-action, comments, ai-disclaimer, disclaimer,
    media-player) or None."""
    stripped = line.strip()
    if not stripped:
        return None
    if is_ai_disclosure(stripped):
        return "ai-disclaimer"
    if len(stripped) <= DISCLAIMER_LINE and _DISCLAIMER.search(stripped):
        return "disclaimer"
    if len(stripped) <= DISCLAIMER_LINE and _COMMENT_POLICY.search(stripped):
        return "comments"
    if len(stripped) > SHORT_LINE:
        return None
    if _NAVIGATION.match(stripped) or _BREADCRUMB.match(stripped):
        return "navigation"
    if _COMMENTS.search(stripped):
        return "comments"
    if _SALES_QUESTION.match(stripped) or _CALL_TO_ACTION.search(stripped):
        return "call-to-action"
    if _NEWSLETTER.search(stripped) and _NEWSLETTER_CUE.search(stripped):
        return "call-to-action"
    if _PLAYER.search(stripped):
        return "media-player"
    return None
