"""The words that introduce reported speech or thought, grouped by where they come from.

Verbs follow Beth Levin's *English Verb Classes and Alternations* (1993): the verbs of
communication (class 37) introduce what someone said, and the verbs of assessment and
judgement that take a clause (classes 29.4-29.5, 33) introduce what someone holds. A few verbs
of posting to a medium (tweet, text, post) are added to 37.4, instrument of communication, whose
members they behave like. The lemmatizer is left out of the pipeline, so every form is listed.
"""

from __future__ import annotations

__all__ = [
    "ADDRESSEE_VERBS",
    "COGNITION_VERBS",
    "CUE_NOUNS",
    "INTENT_VERBS",
    "SPEECH_VERBS",
    "STANCE_VERBS",
    "TOPIC_PREPOSITIONS",
    "forms",
]


def forms(verb: str) -> set[str]:
    """A regular verb's forms: base, third person, past, gerund."""
    third = verb + "es" if verb.endswith(("s", "sh", "ch", "x", "z")) else verb + "s"
    stem = verb[:-1] if verb.endswith("e") else verb
    if verb.endswith("y") and verb[-2] not in "aeiou":
        third, stem = verb[:-1] + "ies", verb[:-1] + "i"
        return {verb, third, stem + "ed", verb + "ing"}
    if verb in _DOUBLED:
        return {verb, third, verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return {verb, third, stem + "ed", stem + "ing"}


# Final consonants doubled before -ed/-ing.
_DOUBLED = frozenset(
    {"admit", "commit", "regret", "chat", "spot", "quip", "snap", "plan", "slam", "dub", "jab"}
)

_LEVIN = {
    # 37.1 transfer of a message
    "37.1": "ask cite explain quote relay repeat",
    # 37.2 tell; 37.3 manner of speaking (the ones used of reported speech)
    "37.3": "bark bellow cry exclaim fume growl grumble gush holler howl hiss interject mumble "
    "mutter murmur roar scream shout shriek snap snarl sneer stammer whine whisper yell",
    # 37.4 instrument of communication, with posting verbs of the same behaviour
    "37.4": "cable email fax phone radio telephone telegraph wire tweet text post retweet",
    # 37.5 talk and 37.6 chitchat verbs taking what was said
    "37.5": "chat talk",
    # 37.7 say verbs
    "37.7": "add affirm allege announce answer articulate assert blurt claim comment confess "
    "confide confirm declare disclose divulge explain hint insist mention note observe "
    "proclaim promise propose reaffirm recount reiterate remark reply report respond "
    "retort reveal state stress suggest testify underline underscore vow concede "
    "acknowledge emphasize emphasise predict recall caution pledge counter contend "
    "maintain argue charge",
    # 37.8 complain verbs
    "37.8": "boast brag complain gripe grouse grumble lament moan protest scoff joke muse "
    "quip marvel rejoice",
    # 37.9 advise verbs
    "37.9": "advise alert assure caution counsel instruct notify remind urge warn inform",
}
_IRREGULAR_SPEECH = (
    "say says said saying tell tells told telling write writes wrote written writing "
    "admit admits admitted admitting speak speaks spoke speaking"
)
# 29.4 declare verbs and 29.5 conjecture verbs: what someone holds, reported with a clause.
_COGNITION = (
    "believe conclude doubt estimate expect fear figure guess hope imagine judge presume "
    "reckon suppose suspect worry assume calculate"
)
_IRREGULAR_COGNITION = (
    "think thinks thought thinking feel feels felt feeling find finds found finding "
    "know knows knew known knowing"
)
# Verbs that report a stance through their object, which is what they attribute: 33 judgement
# verbs ("criticized the plan"), 29.2 characterize and 29.3 dub verbs ("called him a liar",
# "described the field as strong"), 31.2 admire verbs of support with their kin (endorse, back,
# oppose, reject, dismiss), and 78 indicate verbs ("a poll showed Smith ahead").
_STANCE = (
    "accuse applaud assail attack blame castigate chastise chide commend condemn congratulate "
    "criticize criticise decry defend denounce deride excoriate fault hail lambaste mock "
    "praise rebuke ridicule scold slam blast thank question challenge "
    "characterize characterise describe depict portray call dub label brand term "
    "support favor favour endorse back oppose reject dismiss welcome "
    "demonstrate indicate show"
)
_IRREGULAR_STANCE = "shown"
# 32.1 want verbs and 55.2 complete verbs' kin: intentions reported with an infinitive.
_INTENT = "want plan intend hope aim threaten refuse decline seek vow pledge promise"
_IRREGULAR_INTENT = "sought seeks seeking"

# 37.1-37.2 and 37.9 verbs take the hearer as their object ("told reporters", "warned him"):
# only their clause is what was said.
ADDRESSEE_VERBS = frozenset(
    {form for verb in (_LEVIN["37.9"] + " ask").split() for form in forms(verb)}
    | {"tell", "tells", "told", "telling"}
)
# What a statement is about: "complained about X", "called for X", "warned of X".
TOPIC_PREPOSITIONS = frozenset({"about", "on", "of", "for", "against"})
SPEECH_VERBS = frozenset(
    {form for words in _LEVIN.values() for verb in words.split() for form in forms(verb)}
    | set(_IRREGULAR_SPEECH.split())
)
COGNITION_VERBS = frozenset(
    {form for verb in _COGNITION.split() for form in forms(verb)}
    | set(_IRREGULAR_COGNITION.split())
)
STANCE_VERBS = frozenset(
    {form for verb in _STANCE.split() for form in forms(verb)} | set(_IRREGULAR_STANCE.split())
)
INTENT_VERBS = frozenset(
    {form for verb in _INTENT.split() for form in forms(verb)} | set(_IRREGULAR_INTENT.split())
)
# Nouns of the same classes that take a "that" clause: "her claim that …", "a warning that …".
_NOUNS = (
    "claim claims statement statements assertion assertions allegation allegations warning "
    "warnings announcement suggestion argument insistence denial admission promise pledge "
    "belief view assurance assurances charge charges accusation accusations report reports "
    "testimony remark remarks comments prediction predictions"
)
CUE_NOUNS = frozenset(_NOUNS.split())
