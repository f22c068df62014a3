"""Normalizing one time expression's text to a TimeML value and an interval.

Absolute forms resolve on their own; relative ones ("Tuesday", "last summer", "five years
ago") need the article's publication date (the anchor) and the tense of the clause, which
says in which direction an underspecified date lies. Without an anchor a relative form keeps
only what it fixes itself (XXXX-11-14) and never gets an invented year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from storyline.enrich.timex_calendar import (
    MONTHS,
    SEASONS,
    WEEKDAYS,
    Norm,
    century,
    day,
    decade,
    month,
    quarter,
    season,
    shift_months,
    to_number,
    week,
    weekend,
    year,
)

__all__ = ["Context", "normalize"]


@dataclass(frozen=True)
class Context:
    """What a relative expression is resolved against."""

    anchor: dt.date | None = None
    tense: str | None = None  # "past", "present", "future" or None when unknown
    ref: dt.date | None = None  # the last day the text named, for "that day"
    rate: bool = False  # "a year" read as a rate ("15 a year") is a SET


_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WDAY = r"(?P<wd>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1\d{3}|20\d{2})"
_NUM = (
    r"(?P<num>\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|a couple of|couple of|a dozen|"
    r"a single|single|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|half|several|a few|few|"
    r"many|some|dozens of|hundreds of)(?P<half>(?: |-)and(?: |-)a(?: |-)half)?"
)
_UNIT = (
    r"(?P<unit>second|sec|minute|min|hour|hr|day|night|week|weekend|fortnight|month|quarter|"
    r"year|yr|decade|century|centuries|millenni(?:um|a))s?"
)
_UNIT_CODE = {
    "second": "TS", "sec": "TS", "minute": "TM", "min": "TM", "hour": "TH", "hr": "TH",
    "day": "D", "night": "D", "week": "W", "weekend": "WE", "fortnight": "W", "month": "M",
    "quarter": "Q", "year": "Y", "yr": "Y", "decade": "DE", "century": "CE", "centuries": "CE",
    "millennium": "ML", "millennia": "ML",
}  # fmt: skip
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_REFS = {
    "PRESENT_REF": (
        "now|right now|just now|currently|current|at present|present|presently|nowadays|"
        "these days|the time being|the present|the present time|ongoing|at the moment|"
        "the moment"
    ),
    "PAST_REF": (
        "recently|recent|more recently|most recently|lately|the past|past|formerly|"
        "previously|in the past|recent years|recent months|recent weeks|recent days|"
        "recent times|recent history|history|the old days|once"
    ),
    "FUTURE_REF": (
        "the future|future|soon|very soon|shortly|the near future|the coming years|"
        "the coming months|the coming weeks|the coming days|the coming decades|"
        "the years to come|the months to come|the long term|the short term|the near term|"
        "the medium term|long-term|short-term|someday|one day|eventually|later|"
        "the future too|the distant future"
    ),
}
_REF_OF = {p: ref for ref, words in _REFS.items() for p in words.split("|")}
_SETS = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "quarterly": "P3M", "annually": "P1Y", "annual": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
    "biannual": "P6M", "semiannual": "P6M",
}  # fmt: skip
_RELATIVE = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1}
_RELATIVE.update({"coming": 1, "following": 1, "upcoming": 1, "same": 0, "that": 0})
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINAL.update({"fourth": 4, "4th": 4, "final": 4, "q1": 1, "q2": 2, "q3": 3, "q4": 4})
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6}
_DECADE_WORDS.update({"seventies": 7, "eighties": 8, "nineties": 9})
_HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
    "valentine's day": (2, 14), "independence day": (7, 4), "new year": (1, 1),
}  # fmt: skip
# Words around a date that narrow it without changing its value (TimeML's MOD attribute).
_MODS = re.compile(
    r"^(?:(?:the )?(?:very )?(?:early|earlier|late|later|mid|middle|end|beginning|start|"
    r"rest|remainder|first half|second half|first part|latter part)(?: part)?(?: of)?[- ]"
    r"|(?<=the )(?:entire|whole|full) |"
    r"(?:about|around|approximately|roughly|nearly|almost|some|over|more than|"
    r"less than|up to|at least|under|just|only|the past|the last|the next|the first|"
    r"another|an additional|a further|the remaining|the previous|the coming|the following|"
    r"a full|a mere|within|all) )"
)


def _clean(text: str) -> str:
    text = " ".join(text.lower().replace("’", "'").split())
    text = re.sub(r"'s$", "", text)
    return text.strip(" ,.;:")


def _pick(anchor: dt.date, options: list[dt.date], tense: str | None) -> dt.date:
    """The candidate the tense points to: on or before the anchor for the past, after for the
    future, otherwise the one in the anchor's own year (the middle candidate)."""
    if tense == "past":
        before = [o for o in options if o <= anchor]
        return max(before) if before else min(options)
    if tense == "future":
        after = [o for o in options if o >= anchor]
        return min(after) if after else max(options)
    return options[len(options) // 2]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_day(mon: int, dd: int, yy: int | None, ctx: Context) -> Norm | None:
    if not 1 <= dd <= 31:
        return None
    if yy is not None:
        found = _safe_date(yy, mon, dd)
        return day(found) if found else None
    if ctx.anchor is None:
        return Norm("DATE", f"XXXX-{mon:02d}-{dd:02d}", "day")
    years = (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1)
    options = [d for d in (_safe_date(y, mon, dd) for y in years) if d]
    return day(_pick(ctx.anchor, options, ctx.tense)) if options else None


def _month_only(mon: int, ctx: Context) -> Norm:
    if ctx.anchor is None:
        return Norm("DATE", f"XXXX-{mon:02d}", "month")
    options = [dt.date(y, mon, 1) for y in range(ctx.anchor.year - 1, ctx.anchor.year + 2)]
    this_month = ctx.anchor.replace(day=1)
    picked = _pick(this_month, options, ctx.tense)
    return month(picked.year, picked.month)


def _weekday(wd: int, shift: int, ctx: Context) -> Norm:
    """`shift`: -1 for "last Tuesday", 1 for "next Tuesday", 0 for a bare one (tense decides;
    a bare weekday in a news report is usually the past one)."""
    if ctx.anchor is None:
        return Norm("DATE", f"XXXX-WXX-{wd + 1}", "day")
    back = (ctx.anchor.weekday() - wd) % 7
    if shift == 1 or (shift == 0 and ctx.tense == "future"):
        ahead = (wd - ctx.anchor.weekday()) % 7
        ahead = ahead or (7 if shift == 1 else 0)
        return day(ctx.anchor + dt.timedelta(days=ahead))
    if shift == -1 and back == 0:
        back = 7
    return day(ctx.anchor - dt.timedelta(days=back))


def _unit_value(amount: float | None, code: str) -> str:
    if code == "DE" and amount is not None:
        code, amount = "Y", amount * 10
    elif code == "CE" and amount is not None:
        code, amount = "Y", amount * 100
    prefix = "PT" if code.startswith("T") else "P"
    if amount is None:
        return f"{prefix}X{code[-1] if code.startswith('T') else code}"
    number = f"{amount:g}" if amount != int(amount) else str(int(amount))
    return f"{prefix}{number}{code[-1] if code.startswith('T') else code}"


def _duration(text: str, ctx: Context) -> Norm | None:
    body = re.sub(r"\b(?:trading|business|working|straight|consecutive|full|calendar)\s", "", text)
    body = re.sub(r"\b(?:long|old|history|period|span|stretch|run)$", "", body).strip(" -")
    match = re.fullmatch(_NUM + r"[- ]" + _UNIT, body)
    amount: float | None
    if match:
        word = match["num"]
        amount = to_number(word + (match["half"] or ""))
    else:
        match = re.fullmatch(r"(?:a |an )?" + _UNIT + r"(?P<half>(?: and a half))?", body)
        if not match:
            return None
        plural = body.endswith("s") and not body.endswith("ss")
        amount = None if plural else 1.0 + (0.5 if match["half"] else 0.0)
    code = _UNIT_CODE[match["unit"]]
    if code == "WE":
        return None
    if code == "Q" and amount is not None:
        code, amount = "M", amount * 3
    if amount is not None and amount < 1 and code in ("Y", "D", "M", "W", "TH"):
        smaller = {"Y": ("M", 12), "D": ("TH", 24), "M": ("D", 30), "W": ("D", 7), "TH": ("TM", 60)}
        code, amount = smaller[code][0], amount * smaller[code][1]
    if ctx.rate:
        return Norm("SET", _unit_value(amount, code))
    return Norm("DURATION", _unit_value(amount, code))


def _relative_unit(shift: int, unit: str, ctx: Context, *, base: dt.date | None) -> Norm | None:
    if base is None:
        blank = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE"}
        blank.update({"month": "XXXX-XX", "quarter": "XXXX-QX", "year": "XXXX"})
        if unit not in blank:
            return None
        return Norm("DATE", blank[unit], "weekend" if unit == "weekend" else unit)
    if unit == "day":
        return day(base + dt.timedelta(days=shift))
    if unit == "week":
        return week(base + dt.timedelta(weeks=shift))
    if unit == "weekend":
        target = base + dt.timedelta(weeks=shift)
        if shift == 0 and ctx.tense == "past" and base.weekday() < 5:
            target = base - dt.timedelta(weeks=1)
        return weekend(target)
    if unit == "month":
        target = shift_months(base, shift)
        return month(target.year, target.month)
    if unit == "quarter":
        index = base.year * 4 + (base.month - 1) // 3 + shift
        return quarter(index // 4, index % 4 + 1)
    if unit == "year":
        return year(base.year + shift)
    if unit == "decade":
        return decade(base.year + 10 * shift)
    return None


def _ago(text: str, ctx: Context) -> Norm | None:
    match = re.fullmatch(
        r"(?:about |around |nearly |almost |some |just |only |over |more than |less than )?"
        + _NUM
        + r" "
        + _UNIT
        + r" (?P<dir>ago|earlier|before|from now|later|hence|after)",
        text,
    )
    if not match:
        return None
    amount = to_number(match["num"] + (match["half"] or ""))
    sign = -1 if match["dir"] in ("ago", "earlier", "before") else 1
    if amount is None or amount != int(amount):
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    base = ctx.anchor if match["dir"] in ("ago", "from now", "hence") else ctx.ref
    code = _UNIT_CODE[match["unit"]]
    n = int(amount) * sign
    if base is None:
        if code in ("D", "W", "TH", "TM", "TS"):
            return _blank_day()
        return Norm("DATE", "XXXX-XX", "month") if code == "M" else Norm("DATE", "XXXX", "year")
    if code in ("D", "TH", "TM", "TS"):
        return day(base + dt.timedelta(days=n if code == "D" else 0))
    if code == "W":
        return day(base + dt.timedelta(weeks=n))
    if code == "M":
        target = shift_months(base, n)
        return month(target.year, target.month)
    if code in ("Y", "DE", "CE"):
        years = n * {"Y": 1, "DE": 10, "CE": 100}[code]
        return year(base.year + years)
    return None


def _time_of_day(text: str, ctx: Context) -> Norm | None:
    match = re.search(
        r"(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)"
        r"|(?P<h2>\d{1,2}):(?P<m2>\d\d)|(?P<h3>[0-2]\d)(?P<m3>[0-5]\d)(?= ?(?:utc|gmt|hours|hrs))"
        r"|(?P<named>noon|midday|midnight)",
        text,
    )
    if not match:
        return None
    if match["named"]:
        hour, minute = (0 if match["named"] == "midnight" else 12), 0
    else:
        hour = int(match["h"] or match["h2"] or match["h3"])
        minute = int(match["m"] or match["m2"] or match["m3"] or 0)
        if match["ap"] and match["ap"].startswith("p") and hour < 12:
            hour += 12
        elif match["ap"] and match["ap"].startswith("a") and hour == 12:
            hour = 0
    if hour > 23 or minute > 59:
        return None
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    rest = re.sub(
        r"\b(?:utc|gmt|z|est|edt|pst|pdt|cet|local time|at|on|hours|hrs|o'clock)\b", "", rest
    )
    rest = re.sub(r"\([^)]*\)", "", rest)
    rest = _clean(rest)
    zone = "Z" if re.search(r"\b(?:utc|gmt|z)\b", text) else ""
    when: Norm | None = normalize(rest, ctx) if rest else None
    date: dt.date | None = ctx.ref or ctx.anchor
    if when is not None and when.granularity == "day":
        date = when.begin
        if date is None:
            return Norm("TIME", f"{when.value}T{hour:02d}:{minute:02d}{zone}", "time")
    elif rest:
        return None
    if date is None:
        return Norm("TIME", f"XXXX-XX-XXT{hour:02d}:{minute:02d}{zone}", "time")
    return Norm("TIME", f"{date.isoformat()}T{hour:02d}:{minute:02d}{zone}", "time", date, date)


def _part_of_day(text: str, ctx: Context) -> Norm | None:
    match = re.fullmatch(r"(?:(?P<lead>.+) )?(?P<part>morning|afternoon|evening|night)", text)
    if not match or match["part"] not in _PART_OF_DAY:
        return None
    lead = match["lead"]
    code = _PART_OF_DAY[match["part"]]
    if lead == "last":
        lead = "yesterday"
    base: Norm | None
    if lead is None or lead in ("this", "the", "that", "the same", "early", "late", "in the"):
        anchor = ctx.ref or ctx.anchor if lead in (None, "that", "the same", "the") else ctx.anchor
        base = day(anchor) if anchor else Norm("DATE", "XXXX-XX-XX", "day")
    else:
        base = normalize(lead, ctx)
    if base is None or base.granularity != "day":
        return None
    return Norm("TIME", f"{base.value}T{code}", "time", base.begin, base.end)


def _calendar_forms(text: str, ctx: Context) -> Norm | None:
    t = re.sub(r"^(?:the|on|of) ", "", text)
    t = re.sub(r"^" + _WDAY + r",? (?=\w)", "", t) if re.search(r"\d", t) else t
    if m := re.fullmatch(_MONTH + r" " + _DAYNUM + r"(?:,? " + _YEAR + r")?", t):
        return _month_day(MONTHS[m["mon"]], int(m["day"]), _int(m["year"]), ctx)
    if m := re.fullmatch(_DAYNUM + r" (?:of )?" + _MONTH + r"(?:,? " + _YEAR + r")?", t):
        return _month_day(MONTHS[m["mon"]], int(m["day"]), _int(m["year"]), ctx)
    if m := re.fullmatch(r"(?P<year>\d{4})[-/](?P<m>\d\d?)[-/](?P<d>\d\d?)", t):
        found = _safe_date(int(m["year"]), int(m["m"]), int(m["d"]))
        return day(found) if found else None
    if m := re.fullmatch(r"(?P<m>\d\d?)/(?P<d>\d\d?)/(?P<y>\d{2}|\d{4})", t):
        y = int(m["y"]) + (2000 if len(m["y"]) == 2 and int(m["y"]) < 50 else 0)
        y += 1900 if y < 100 else 0
        found = _safe_date(y, int(m["m"]), int(m["d"]))
        return day(found) if found else None
    if m := re.fullmatch(_MONTH + r",? (?:of )?" + _YEAR, t):
        return month(int(m["year"]), MONTHS[m["mon"]])
    if m := re.fullmatch(r"(?P<year>\d{4})-(?P<m>\d\d)", t):
        return month(int(m["year"]), int(m["m"])) if 1 <= int(m["m"]) <= 12 else None
    if m := re.fullmatch(r"(?:(?P<shift>this|last|next|past|previous|coming) )?" + _MONTH, t):
        if m["shift"] and ctx.anchor is not None:
            tense = "past" if _RELATIVE[m["shift"]] < 0 else "future"
            if m["shift"] == "this":
                tense = ctx.tense or "present"
            shifted = Context(ctx.anchor.replace(day=1) + _sign(tense), tense, ctx.ref, ctx.rate)
            return _month_only(MONTHS[m["mon"]], shifted)
        return _month_only(MONTHS[m["mon"]], ctx)
    if m := re.fullmatch(r"(?:fiscal|financial|fy) (?:year )?" + _YEAR, t):
        return Norm("DATE", f"FY{m['year']}", "year")  # the fiscal calendar is the company's
    if m := re.fullmatch(r"(?:the )?(?:year )?" + _YEAR, t):
        return year(int(m["year"]))
    if m := re.fullmatch(r"'(?P<yy>\d\d)", t):
        yy = int(m["yy"])
        cutoff = (ctx.anchor.year % 100) if ctx.anchor else 30
        return year((2000 if yy <= cutoff else 1900) + yy)
    if m := re.fullmatch(r"(?P<y>1\d|20)(?P<d>\d)0'?s", t):
        return decade(int(m["y"] + m["d"] + "0"))
    if m := re.fullmatch(r"'?(?P<d>\d)0'?s", t):
        d = int(m["d"])
        current = (ctx.anchor.year % 100) // 10 if ctx.anchor else 2
        return decade((2000 if d < current or d == 0 else 1900) + 10 * d)
    if (m := re.fullmatch(r"(?P<w>\w+)", t)) and m["w"] in _DECADE_WORDS:
        return decade(1900 + 10 * _DECADE_WORDS[m["w"]])
    if m := re.fullmatch(r"(?P<n>\d{1,2})(?:st|nd|rd|th) century", t):
        return century(int(m["n"]) - 1)
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _sign(tense: str) -> dt.timedelta:
    """Moves a month anchor so "last March" in March means the year before."""
    return dt.timedelta(days={"past": -1, "future": 32}.get(tense, 0))


def _seasons_quarters(text: str, ctx: Context) -> Norm | None:
    t = re.sub(r"^the ", "", text)
    m = re.fullmatch(
        r"(?:(?P<shift>this|last|next|past|previous|coming) )?(?P<s>spring|summer|autumn|fall|"
        r"winter)(?:,? (?:of )?" + _YEAR + r")?",
        t,
    )
    if m:
        code = SEASONS[m["s"]]
        if m["year"]:
            return season(int(m["year"]), code)
        if ctx.anchor is None:
            return Norm("DATE", f"XXXX-{code}", "season")
        anchor = ctx.anchor
        shift = _RELATIVE.get(m["shift"] or "", 0)
        around = [season(y, code) for y in range(anchor.year - 2, anchor.year + 2)]
        now = next((s for s in around if s.begin and s.end and s.begin <= anchor <= s.end), None)
        if now is not None and now.begin:
            return season(now.begin.year + shift, code)
        tense = {-1: "past", 1: "future"}.get(shift, ctx.tense)
        if tense == "past":
            return max((s for s in around if s.end and s.end < anchor), key=lambda s: s.value)
        if tense == "future":
            return min((s for s in around if s.begin and s.begin > anchor), key=lambda s: s.value)
        return season(anchor.year, code)
    m = re.fullmatch(
        r"(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th|q1|q2|q3|q4)"
        r"(?:[- ](?:fiscal |financial )?quarter)?(?: of (?P<of>.+)|,? (?P<year>\d{4}))?",
        t,
    )
    if m and ("quarter" in t or m["ord"].startswith("q")):
        base_year: int | None = int(m["year"]) if m["year"] else None
        if m["of"]:
            whole = normalize(m["of"], ctx)
            if whole is None or whole.granularity != "year" or whole.begin is None:
                return None
            base_year = whole.begin.year
        if m["ord"] == "last" and base_year is None:
            return _relative_unit(-1, "quarter", ctx, base=ctx.anchor)
        q = _ORDINAL[m["ord"]] if m["ord"] != "last" else 4
        if base_year is None:
            if ctx.anchor is None:
                return Norm("DATE", f"XXXX-Q{q}", "quarter")
            this_q = (ctx.anchor.month - 1) // 3 + 1
            base_year = ctx.anchor.year
            if ctx.tense == "past" and q > this_q:
                base_year -= 1
            elif ctx.tense == "future" and q < this_q:
                base_year += 1
        return quarter(base_year, q)
    return None


def _relative_forms(text: str, ctx: Context) -> Norm | None:
    anchor = ctx.anchor
    simple = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2}
    simple["the day after tomorrow"] = 2
    t = re.sub(r"^(?:earlier|later|early|late|as of|until|through) ", "", text)
    if t in simple:
        return day(anchor + dt.timedelta(days=simple[t])) if anchor else _blank_day()
    if t == "tonight":
        return _part_of_day("this night", ctx)
    if t in ("that day", "the same day", "the day", "same day", "this day", "that date"):
        base = ctx.ref or anchor
        return day(base) if base else _blank_day()
    if re.fullmatch(r"the past (?:day|week|month|year|decade|century)", t):
        return _duration(t[len("the past ") :], ctx)
    if m := re.fullmatch(
        r"(?:the )?(?P<shift>this|last|next|past|previous|coming|following|current|same|that)"
        r" (?P<unit>day|week|weekend|month|quarter|year|decade)",
        t,
    ):
        base = ctx.ref if m["shift"] == "that" else anchor
        if m["shift"] in ("following", "same"):
            base = ctx.ref or anchor
        return _relative_unit(_RELATIVE[m["shift"]], m["unit"], ctx, base=base)
    if m := re.fullmatch(r"(?:the )?(?P<unit>week|weekend|month|year) (?P<shift>before|after)", t):
        shift = -1 if m["shift"] == "before" else 1
        return _relative_unit(shift, m["unit"], ctx, base=ctx.ref)
    if m := re.fullmatch(r"the (?P<unit>weekend|year|week|month)", t):
        return _relative_unit(0, m["unit"], ctx, base=anchor)
    if m := re.fullmatch(_MONTH + r" (?:of )?(?P<rest>(?:this|last|next|the following) year)", t):
        whole = _relative_forms(m["rest"], ctx)
        if whole is None or whole.begin is None:
            return Norm("DATE", f"XXXX-{MONTHS[m['mon']]:02d}", "month")
        return month(whole.begin.year, MONTHS[m["mon"]])
    m = re.fullmatch(r"(?:(?P<shift>this|last|next|past|coming|on) )?" + _WDAY + r"(?:'s)?", t)
    if m:
        shift = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(m["shift"] or "", 0)
        return _weekday(WEEKDAYS[m["wd"]], shift, ctx)
    return None


def _blank_day() -> Norm:
    return Norm("DATE", "XXXX-XX-XX", "day")


def _sets(text: str, ctx: Context) -> Norm | None:
    if text in _SETS:
        return Norm("SET", _SETS[text])
    m = re.fullmatch(r"(?:every|each|per|a|an) (?:other )?(?P<rest>.+)", text)
    if m:
        rest = m["rest"]
        if rest in WEEKDAYS:
            return Norm("SET", f"XXXX-WXX-{WEEKDAYS[rest] + 1}")
        if rest in _PART_OF_DAY:
            return Norm("SET", f"XXXX-XX-XXT{_PART_OF_DAY[rest]}")
        if text.startswith(("a ", "an ")) and not ctx.rate:
            return None
        every = _duration(
            rest if re.match(r"\d|two|three|four|five|six", rest) else "1 " + rest, ctx
        )
        if every is not None and every.type in ("DURATION", "SET"):
            value = every.value.replace("P1", "P2", 1) if "other" in text else every.value
            return Norm("SET", value)
    m = re.fullmatch(r"(?:once|twice|thrice|\w+ times) (?:a|an|per|every|each) (?P<u>\w+)", text)
    if m:
        every = _duration("1 " + m["u"], ctx)
        return Norm("SET", every.value) if every else None
    return None


_RULES: tuple[Callable[[str, Context], Norm | None], ...] = (
    _calendar_forms,
    _relative_forms,
    _seasons_quarters,
    _ago,
    _sets,
    _time_of_day,
    _part_of_day,
    _duration,
)


def normalize(text: str, ctx: Context) -> Norm | None:
    """The TimeML reading of one expression, or None when it is not a time expression."""
    t = _clean(text)
    if not t:
        return None
    if t in _REF_OF:
        ref = _REF_OF[t]
        if ref == "PRESENT_REF" and ctx.anchor is not None:
            return Norm("DATE", ref, None, ctx.anchor, ctx.anchor)
        return Norm("DATE", ref)
    if t in _HOLIDAYS:
        mon, dd = _HOLIDAYS[t]
        return _month_day(mon, dd, None, ctx)
    for rule in _RULES:
        found = rule(t, ctx)
        if found is not None:
            return found
    # "early 2009", "the end of this year", "mid-2011", "the past decade": drop the modifier.
    stripped = _MODS.sub("", t, count=1)
    return normalize(stripped, ctx) if stripped != t else None
