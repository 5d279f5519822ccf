"""What a script is about: the context's topic (its first sentence, cut to sit mid-sentence)
and its keywords, the noun phrases the templates drop into "{kw}" ("Let's begin with
streaming platforms."), never a verb picked out of the middle of a sentence ("dubs")."""

from __future__ import annotations

import re

_MAX_KEYWORDS = 8
_MAX_TOPIC_WORDS = 12
_MAX_PHRASE_WORDS = 3
# The topic of a context with no words at all (only punctuation or symbols).
FALLBACK_TOPIC = "this topic"

_LOWERCASE_OPENERS = frozenset(
    {"a", "an", "the", "this", "that", "our", "my", "your", "how", "why"}
)
_STOPWORDS = frozenset(
    {
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "every",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "itself",
        "just",
        "more",
        "most",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "yours",
        "want",
        "wants",
        "make",
        "makes",
        "like",
        "using",
        "used",
        "need",
        "needs",
        "really",
        "thing",
        "things",
        "discuss",
        "discussing",
    }
)


# Words that cannot end a phrase: a topic cut after one ("films into") reads as a fragment.
# fmt: off
DANGLING_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "so", "of", "to", "into", "onto", "in", "on",
    "at", "by", "for", "from", "with", "without", "about", "as", "than", "that", "which",
    "who", "whom", "whose", "where", "when", "while", "if", "because", "my", "your", "our",
    "their", "its", "his", "her", "this", "these", "those", "is", "are", "was", "were", "be",
    "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can",
    "could", "should", "very",
})
# fmt: on
# How a request tends to start ("We want to discuss X"): X is the topic, not the request.
_LEAD_IN = re.compile(
    r"^(?:please\s+)?(?:(?:we|i)\s+(?:want|would\s+like|need)\s+to\s+"
    r"(?:talk\s+about|discuss|cover|explain|present)|let'?s\s+(?:talk\s+about|discuss)|"
    r"(?:write|create|make)\s+(?:a|an)\s+\w+\s+(?:about|on))\s+",
    re.IGNORECASE,
)


def shorten(topic: str, limit: int) -> str:
    """At most `limit` words of `topic`, never ending on a dangling word or a comma."""
    words = topic.split()[:limit]
    while len(words) > 1 and words[-1].lower().strip(",;:") in DANGLING_WORDS:
        words.pop()
    return " ".join(words).rstrip(",;:-")


def topic_of(context: str) -> str:
    """The context's first sentence, shortened, ready to sit mid-sentence."""
    first_sentence = re.split(r"(?<=[.!?])\s|\n", context.strip(), maxsplit=1)[0]
    first_sentence = _LEAD_IN.sub("", first_sentence.strip()) or first_sentence
    words = shorten(first_sentence.strip().rstrip(".!?;:,"), _MAX_TOPIC_WORDS).split()
    if not words:
        # A first "sentence" of punctuation only ("...", "?!"): take the context's words.
        words = re.findall(r"[^\W_][\w'-]*", context)[:_MAX_TOPIC_WORDS] or [FALLBACK_TOPIC]
    topic = " ".join(words)
    # "A tech podcast" -> "a tech podcast", but keep "AI ethics" and names as written.
    if words[0].lower() in _LOWERCASE_OPENERS:
        topic = topic[0].lower() + topic[1:]
    return topic


# Words after which a noun phrase starts ("our studio", "for streaming platforms", "two friends").
# fmt: off
_PHRASE_OPENERS = frozenset({
    "a", "an", "the", "our", "my", "your", "their", "his", "her", "its", "this", "these",
    "those", "some", "every", "each", "many", "few", "several", "new", "two", "three", "four",
    "five", "of", "for", "about", "with", "into", "onto", "to", "on", "in", "from", "and", "or",
    "at", "by", "without", "like",
})
# Short words that are never the noun of a phrase.
_NOT_NOUNS = frozenset({
    "how", "why", "what", "who", "there", "here", "then", "just", "only", "even", "still",
    "much", "more", "most", "less", "not", "all", "any", "one", "out", "off", "too", "now",
})
# Words that start a verb's object: the word before them is likely the verb.
_OBJECT_STARTERS = frozenset({
    "a", "an", "the", "it", "them", "us", "me", "him", "her", "this", "that", "these", "those",
    "our", "my", "your", "their", "his", "its", "some", "every", "each",
})
# fmt: on
_WORD = re.compile(r"[^\W_][\w'-]*[^\W_]|[^\W_]")


def _as_written(words: list[str], at: int) -> str:
    """Names and acronyms keep their capitals; a sentence's capitalised first word does not."""
    word = words[at]
    return word if _is_acronym(word) or (at > 0 and word[:1].isupper()) else word.lower()


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _content_word(word: str) -> bool:
    lowered = word.lower()
    if _is_acronym(word):
        return True
    return (
        len(word) >= 3
        and lowered not in _STOPWORDS
        and lowered not in DANGLING_WORDS
        and lowered not in _PHRASE_OPENERS
        and lowered not in _NOT_NOUNS
    )


def keywords_of(context: str) -> list[str]:
    """The context's noun phrases, in order and without repeats: the one to three content words
    after an article, a possessive, a number or a preposition, and acronyms and names written
    with a capital mid-sentence. Several words only when nothing suggests the last is a verb (a
    verb takes an object: "friends plan a hike" gives "friends"); a longer run gives its first
    word. A context with none of these gives its longer content words instead."""
    keywords: list[str] = []
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n", context):
        words = _WORD.findall(sentence)
        index = 0
        while index < len(words) and len(keywords) < _MAX_KEYWORDS:
            word = words[index]
            after_opener = index > 0 and words[index - 1].lower() in _PHRASE_OPENERS
            named = (index > 0 and word[:1].isupper()) or _is_acronym(word)
            if not (after_opener or named) or not _content_word(word):
                index += 1
                continue
            run = 1
            while index + run < len(words) and _content_word(words[index + run]):
                run += 1
            following = words[index + run].lower() if index + run < len(words) else None
            width = run if run <= _MAX_PHRASE_WORDS and following not in _OBJECT_STARTERS else 1
            phrase = " ".join(_as_written(words, at) for at in range(index, index + width))
            if phrase not in keywords:
                keywords.append(phrase)
            index += run
    return keywords or _content_words(context)


def _content_words(context: str) -> list[str]:
    """Fallback: distinctive words of the context, in order (acronyms, longer content words)."""
    keywords: list[str] = []
    for word in re.findall(r"[^\W\d_][\w'-]*[^\W_]", context):
        is_acronym = word.isupper() and len(word) >= 2
        lowered = word.lower()
        if not is_acronym and (
            len(word) < 4 or lowered in _STOPWORDS or lowered.endswith(("ing", "ly"))
        ):
            continue
        keyword = word if is_acronym else lowered
        if keyword not in keywords:
            keywords.append(keyword)
        if len(keywords) == _MAX_KEYWORDS:
            break
    return keywords
