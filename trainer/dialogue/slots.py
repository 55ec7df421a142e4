"""Slots: the facts a student's line carries (quantities, products, shades, names, numbers, dates).

``extract_slots(text, lexicon, now)`` reads one line. It works on the normalised line with its
numbers in digits (``normalize`` then ``digitize``), so "quarante-huit crèmes sans ammoniaque",
"48 cremes sans amoniaque" and "48 crèmes sans ammoniaque" give the same slots. Structured items
are read first and "consume" their characters (e-mail, phone, money, percentages, client / order /
invoice numbers, dates and times, shade codes, sizes such as "100 ml"), so that the digits left
over can be quantities.

Dates and times are resolved against ``now`` (timezone-aware, Europe/Paris for business dates);
without ``now`` only what the line itself fixes is filled (a clock time, an explicit full date).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from trainer.dialogue.lexicon import REFLECTS, Lexicon, common_words, stem, valid_shade_code
from trainer.dialogue.normalize import fold, normalize
from trainer.dialogue.numbers import digitize

PARIS = ZoneInfo("Europe/Paris")
BUSINESS_DAY_START = time(8, 0)
BUSINESS_DAY_END = time(18, 0)
""""Dans la journée" means before the end of the business day (18:00), not midnight."""
MAX_DAYS_AHEAD = 3660
"""Durations beyond ten years are not read as dates ("sous 9999999999 jours")."""

CIVILITIES = {
    "madame": "Madame", "monsieur": "Monsieur", "mademoiselle": "Mademoiselle",
    "mme": "Madame", "mr": "Monsieur", "mlle": "Mademoiselle", "messieurs": "Monsieur",
}

# ---------------------------------------------------------------------------------------------
# Slot values


@dataclass(frozen=True, slots=True)
class ProductMention:
    """A product named in the line; ``reference`` is None when the words fit several references."""

    reference: str | None
    candidates: tuple[str, ...]
    text: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class ShadeMention:
    """A shade: a code ("6.4"), a name ("blond foncé cuivré" → 6.4) or only a reflect ("cuivré")."""

    code: str | None
    name: str | None
    text: str
    reflect: str | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity with what it counts, when said nearby ("48 tubes de 6.4 sans ammoniaque")."""

    value: int
    text: str
    approx: bool = False
    unit: str | None = None
    product: str | None = None
    candidates: tuple[str, ...] = ()
    shade: str | None = None
    start: int = 0
    end: int = 0
    #: "12 de chaque nuance", "12 chacune", "12 par teinte": the value counts once per item listed.
    each: bool = False


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person named with or without civility ("Madame Delmotte", "Bruno Mocher")."""

    civility: str | None
    first_name: str | None
    last_name: str | None
    text: str
    known: str | None = None  # "staff" or "client" when the company knows this person
    client_number: str | None = None

    @property
    def display(self) -> str:
        """"Madame Delmotte", "M. Mocher" style label for messages and feedback."""
        parts = [p for p in (self.civility, self.first_name if not self.civility else None, self.last_name) if p]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in euros, with "HT" or "TTC" when said."""

    amount: Decimal
    text: str
    tax: str | None = None


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A date, a time or a deadline, resolved against ``now`` when one was given.

    ``kind``: ``date`` (a day), ``time`` (a clock time or a part of the day), ``deadline`` ("sous
    24 heures", "d'ici demain") or ``period`` ("la semaine prochaine"). ``relation``: ``at``,
    ``before``, ``after``, ``around``, ``within`` or ``between``. ``start``/``end`` are the window
    the words allow (timezone-aware), ``date``/``time`` what the words fixed.
    """

    kind: str
    text: str
    relation: str = "at"
    date: date | None = None
    time: time | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass
class Slots:
    """Everything ``extract_slots`` found, each list in the order of the line."""

    quantities: list[Quantity] = field(default_factory=list)
    products: list[ProductMention] = field(default_factory=list)
    shades: list[ShadeMention] = field(default_factory=list)
    person_names: list[PersonName] = field(default_factory=list)
    first_names: list[str] = field(default_factory=list)
    client_number: str | None = None
    order_number: str | None = None
    invoice_number: str | None = None
    phone: str | None = None
    email: str | None = None
    dates: list[TimeRef] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    percentages: list[Decimal] = field(default_factory=list)
    company_named: bool = False

    def is_empty(self) -> bool:
        """True when the line carried no slot at all."""
        return not any(
            [self.quantities, self.products, self.shades, self.person_names, self.first_names,
             self.client_number, self.order_number, self.invoice_number, self.phone, self.email,
             self.dates, self.times, self.money, self.percentages]
        )


# ---------------------------------------------------------------------------------------------
# Helpers


class _Line:
    """The digitised line, with the character spans already consumed by a slot."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.used = bytearray(len(text))

    def free(self, start: int, end: int) -> bool:
        return not any(self.used[start:end])

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.used[i] = 1

    def finditer(self, pattern: re.Pattern[str]):
        for match in pattern.finditer(self.text):
            if self.free(match.start(), match.end()):
                yield match


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str  # the token without trailing punctuation
    start: int
    end: int
    punct_after: bool  # a comma, full stop... ends the token: a phrase does not run across it


_TOKEN = re.compile(r"[^\s]+")


_ELISION = re.compile(r"^(jusqu|lorsqu|puisqu|quoiqu|qu|[jcldmtsn])'(?=[^\W\d_])")


def _tokens(line: _Line) -> list[_Tok]:
    out = []
    for match in _TOKEN.finditer(line.text):
        raw = match.group()
        body = raw.lstrip('"')
        start = match.start() + (len(raw) - len(body))
        stripped = body.rstrip('.,;:!?"')
        if not stripped:
            continue
        punct_after = stripped != body
        # "l'oxydant", "d'oxydant": the elided article is a token of its own.
        elision = _ELISION.match(stripped)
        if elision:
            head = elision.group(1) + "'"
            out.append(_Tok(head, start, start + len(head), False))
            start += len(head)
            stripped = stripped[len(head):]
        out.append(_Tok(stripped, start, start + len(stripped), punct_after))
    return out


def _title(name: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:] for p in w.split("-")) for w in name.split())


# ---------------------------------------------------------------------------------------------
# E-mail, phone


_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_SPOKEN_AT = re.compile(r"\b(?:arobase|arrobase|arobas|at)\b")
_SPOKEN_JOIN = {"point": ".", "tiret": "-", "underscore": "_", "tiret bas": "_"}
_EMAIL_STOP = {
    "est", "c'est", "mail", "email", "e", "adresse", "mon", "ma", "notre", "votre", "le", "la", "a",
    "l'adresse", "courriel", "mel", "c", "voici", "donc", "alors", "et", "de",
}


def _spoken_email(text: str) -> str | None:
    words = text.replace(",", " ").split()
    for i, word in enumerate(words):
        if word not in {"arobase", "arrobase", "arobas", "at"} or i == 0 or i + 1 >= len(words):
            continue
        # Left part: a name, then pairs "point name" going backwards.
        left = [words[i - 1]]
        j = i - 2
        while j >= 1 and words[j] in _SPOKEN_JOIN and words[j - 1] not in _EMAIL_STOP:
            left[:0] = [words[j - 1], _SPOKEN_JOIN[words[j]]]
            j -= 2
        right = [words[i + 1]]
        k = i + 2
        while k + 1 < len(words) and words[k] in _SPOKEN_JOIN:
            right += [_SPOKEN_JOIN[words[k]], words[k + 1]]
            k += 2
        if left[0] in _EMAIL_STOP:
            return None
        address = "".join(left) + "@" + "".join(right)
        if _EMAIL.fullmatch(address):
            return address
    return None


_PHONE = re.compile(
    r"(?<![\d.,])(?:(?:\+|00)\s*33\s*(?:\(\s*0\s*\)\s*)?|0[\s.,-]*)([1-9](?:[\s.,-]*\d){8})(?![\s.,-]*\d)"
)


def _phone(line: _Line, slots: Slots) -> None:
    for match in line.finditer(_PHONE):
        digits = "0" + re.sub(r"\D", "", match.group(1))
        if len(digits) != 10:
            continue
        slots.phone = " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        line.take(match.start(), match.end())
        return


# ---------------------------------------------------------------------------------------------
# Reference numbers


_CLIENT = re.compile(
    r"\b(?:cli\s*-?\s*(\d{1,6})"
    r"|(?:numero\s+(?:de\s+)?client|client\s+numero|client\s+n|code\s+client|compte\s+client)\s+(?:est\s+)?(?:le\s+)?(\d{1,6})"
    r"|client\s+(\d{1,6})(?!\s*(?:tubes?|produits?|flacons?|euros|%)))\b"
)
_ORDER = re.compile(
    r"\b(?:cmd|commande)\s*(?:numero\s+|n\s+|no\s+)?(?:(20\d\d)\s*[-/ ]\s*)?(\d{1,8})\b"
    r"|\bnumero\s+de\s+(?:la\s+)?commande\s+(?:est\s+)?(?:le\s+)?(?:(20\d\d)\s*[-/ ]\s*)?(\d{1,8})\b"
)
_INVOICE = re.compile(
    r"\b(?:facture|fac|fa)\s*(?:numero\s+|n\s+|no\s+)?(?:(20\d\d)\s*[-/ ]\s*)?(\d{1,8})\b"
    r"|\bnumero\s+de\s+(?:la\s+)?facture\s+(?:est\s+)?(?:le\s+)?(?:(20\d\d)\s*[-/ ]\s*)?(\d{1,8})\b"
)


def _reference(match: re.Match[str], prefix: str, now: datetime | None) -> str | None:
    groups = match.groups()
    year, number = (groups[0], groups[1]) if groups[1] is not None else (groups[2], groups[3])
    if number is None:
        return None
    said_numero = "numero" in match.group() or re.search(r"\bn\b|\bno\b", match.group()) is not None
    # "commande 48 tubes": a bare small number after "commande" is a quantity, not an order number.
    if year is None and not said_numero and len(number) < 5:
        return None
    if year is None:
        if len(number) >= 7 and number.startswith("20"):
            year, number = number[:4], number[4:]
        elif now is not None:
            year = str(now.year)
    if year is None:
        return number.zfill(6)
    return f"{prefix}-{year}-{int(number):06d}"


def _invoice(match: re.Match[str]) -> str | None:
    """Invoice numbers keep the shape they were said in: "FAC-004502", or "FAC-2026-000153" with a
    year (GENERIK's invoices are numbered FAC-NNNNNN; a year is kept when the student gives one)."""
    groups = match.groups()
    year, number = (groups[0], groups[1]) if groups[1] is not None else (groups[2], groups[3])
    if number is None:
        return None
    said_numero = "numero" in match.group() or re.search(r"\bn\b|\bno\b|\bfac\b|\bfa\b", match.group()) is not None
    if year is None and not said_numero and len(number) < 4:
        return None
    if year is not None:
        return f"FAC-{year}-{int(number):06d}"
    return f"FAC-{int(number):06d}"


def _references(line: _Line, slots: Slots, now: datetime | None) -> None:
    for match in line.finditer(_CLIENT):
        digits = next(g for g in match.groups() if g is not None)
        slots.client_number = f"CLI-{int(digits):05d}"
        line.take(match.start(), match.end())
        break
    for match in line.finditer(_ORDER):
        value = _reference(match, "CMD", now)
        if value:
            slots.order_number = value
            line.take(match.start(), match.end())
            break
    for match in line.finditer(_INVOICE):
        value = _invoice(match)
        if value:
            slots.invoice_number = value
            line.take(match.start(), match.end())
            break


# ---------------------------------------------------------------------------------------------
# Money, percentages, sizes

_MONEY = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:\s\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*(?:euros?|eur)\b(?:\s+(\d{2}(?!\d)(?!\s*(?:%|[.,]\d))|\d(?!\d)(?!\s*(?:(?!hors\b|toutes\b|ttc\b)[a-z]{3,}|%|[.,]\d))))?"
    r"(?:\s+(ht|ttc|hors\s+taxes?|toutes\s+taxes\s+comprises))?"
)
_TAX_BEFORE = re.compile(r"\b(ht|ttc|hors\s+taxes?|toutes\s+taxes\s+comprises)\b[^\d.!?;]{0,30}$")
_CENTS = re.compile(r"(?<![\d.,])(\d{1,2})\s+centimes?\b")
_PERCENT = re.compile(r"(?<![\d.,])(~?\d+(?:[.,]\d+)?)\s*(?:%|pour\s*cents?|pourcents?)")
_SIZE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s*(?:ml|millilitres?|cl|g|grammes?|kg|kilos?|l|litres?)\b")


def _money(line: _Line, slots: Slots) -> None:
    for match in line.finditer(_MONEY):
        raw_amount = match.group(1).replace(" ", "").replace(",", ".")
        if len(raw_amount.split(".")[0]) > 12:
            line.take(match.start(), match.end())
            continue  # not an amount anyone says; beyond what the ERP stores (12 digits)
        amount = Decimal(raw_amount)
        if match.group(2) and "." not in match.group(1) and "," not in match.group(1):
            amount += Decimal(match.group(2)) / (100 if len(match.group(2)) == 2 else 10)
        tax = match.group(3)
        if tax is None:
            # Said before the amount: « hors taxe, ça fait 4,20 € », « en TTC ça vous fait 12 euros ».
            before = _TAX_BEFORE.search(line.text[max(0, match.start() - 50) : match.start()])
            tax = before.group(1) if before else None
        tax_label = None if tax is None else ("HT" if tax.startswith(("ht", "hors")) else "TTC")
        slots.money.append(Money(amount.quantize(Decimal("0.01")), match.group(), tax_label))
        line.take(match.start(), match.end())
    for match in line.finditer(_CENTS):
        slots.money.append(Money(Decimal(match.group(1)) / 100, match.group()))
        line.take(match.start(), match.end())
    for match in line.finditer(_PERCENT):
        slots.percentages.append(Decimal(match.group(1).lstrip("~").replace(",", ".")))
        line.take(match.start(), match.end())
    for match in line.finditer(_SIZE):
        line.take(match.start(), match.end())


# ---------------------------------------------------------------------------------------------
# Dates and times

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH_RE = "|".join(MONTHS)
_WEEKDAY_RE = "|".join(WEEKDAYS)
_DAY_NUM = r"(1er|\d{1,2})"

_RELATION = r"(?:(avant|apres|vers|a\s+partir\s+de|a\s+partir\s+d'|des|d'ici|jusqu'a|au\s+plus\s+tard|pour|sous|dans|en|a|entre)\s+)?"

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("full", re.compile(
        rf"\b{_RELATION}(?:le\s+|l'|du\s+|au\s+)?(?:(?:{_WEEKDAY_RE})\s+)?{_DAY_NUM}\s+({_MONTH_RE})(?:\s+(20\d\d))?\b")),
    ("slash", re.compile(rf"\b{_RELATION}(?:le\s+|du\s+|au\s+)?(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{2,4}}))?(?![\d.,])")),
    ("after_tomorrow", re.compile(rf"\b{_RELATION}apres\s+demain\b")),
    ("before_yesterday", re.compile(r"\bavant\s+hier\b")),
    ("tomorrow", re.compile(rf"\b{_RELATION}demain\b")),
    ("today", re.compile(rf"\b{_RELATION}(?:aujourd'hui|ce\s+jour)\b")),
    ("yesterday", re.compile(r"\bhier\b")),
    ("weekday", re.compile(rf"\b{_RELATION}(?:ce\s+|le\s+)?({_WEEKDAY_RE})(?:\s+(prochain|dernier|matin|soir|apres\s+midi))?\b")),
    ("day_only", re.compile(r"\b(avant|pour|d'ici|jusqu'au|des|depuis|a\s+partir\s+du|au\s+plus\s+tard)\s+(?:le\s+)?(1er|\d{1,2})(?!\s*(?:h\b|heures?|[.,/]\d|euros|%|tubes?|jours?))\b")),
    ("next_week", re.compile(r"\b(?:la\s+)?semaine\s+prochaine\b")),
    ("this_week", re.compile(r"\b(?:dans\s+la\s+semaine|cette\s+semaine|d'ici\s+la\s+fin\s+de\s+la\s+semaine|en\s+fin\s+de\s+semaine|fin\s+de\s+semaine)\b")),
    ("end_of_month", re.compile(r"(?<!jours\s)\b(?:en\s+|a\s+la\s+|d'ici\s+la\s+|pour\s+la\s+)?fin\s+(?:du|de)\s+(?:ce\s+)?mois\b")),
    ("next_month", re.compile(r"\b(?:le\s+)?mois\s+prochain\b")),
    ("in_days", re.compile(
        r"\b(sous|dans|d'ici|en|avant|compter|comptez|prevoir|prevoyez|faut|faudra|environ)\s+(~?\d+)\s+(?:de\s+)?(jours?|semaines?|mois)(?:\s+ouvres|\s+ouvrables)?\b")),
    ("huitaine", re.compile(r"\bsous\s+(?:~?8|huitaine|~8)\b(?!\s*(?:heures?|h)\b)")),
]

_TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("between", re.compile(r"\bentre\s+(\d{1,2})\s*(?:heures?|h)\b\s*(\d{2})?\s+et\s+(?:(\d{1,2})\s*(?:heures?|h)\b\s*(\d{2})?|(midi))")),
    ("part_of_day", re.compile(
        r"\b(?:(demain|ce|cet|dans\s+la|dans\s+l'|en|en\s+fin\s+de|en\s+debut\s+de|d'ici\s+la\s+fin\s+de\s+la|avant\s+la\s+fin\s+de\s+la|d'ici\s+la\s+fin\s+de\s+l')\s*)"
        r"(matinee|matin|apres\s+midi|soir|soiree|journee)\b")),
    ("clock", re.compile(
        rf"\b{_RELATION}(\d{{1,2}})\s*(?:heures?|h)\b(?:\s*(\d{{1,2}})(?!\s*(?:tubes?|jours?|minutes?|h\b)))?(?:\s+et\s+(demie|quart)|\s+moins\s+le\s+quart)?(?!\s*(?:ouvre|ouvrable|par\s+(?:jour|semaine|mois|an)\b))")),
    ("clock_compact", re.compile(rf"\b{_RELATION}(\d{{1,2}})h(\d{{2}})?\b")),
    ("noon", re.compile(rf"\b{_RELATION}(midi|minuit)(?:\s+et\s+demie?)?\b")),
    ("within_hours", re.compile(r"\b(sous|dans|d'ici|en|avant)\s+(~?\d+|une)\s+(heures?|h|minutes?|mn|min)\b")),
    ("within_hour", re.compile(r"\bdans\s+l'heure\b")),
    ("now", re.compile(r"\b(?:tout\s+de\s+suite|immediatement|des\s+maintenant|tout\s+a\s+l'heure)\b")),
]


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=PARIS)


def _day_window(day: date) -> tuple[datetime, datetime]:
    return _at(day, time(0, 0)), _at(day, time(23, 59))


def _closest_year(day: int, month: int, now: datetime | None) -> date | None:
    if now is None:
        return None
    today = now.astimezone(PARIS).date()
    best = None
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - today).days) < abs((best - today).days):
            best = candidate
    return best


def _relation_word(word: str | None) -> str:
    if not word:
        return "at"
    word = " ".join(word.split())
    if word in {"avant", "d'ici", "jusqu'a", "au plus tard", "pour", "sous"}:
        return "before"
    if word in {"apres", "a partir de", "a partir d'", "des"}:
        return "after"
    if word == "vers":
        return "around"
    if word in {"dans", "en"}:
        return "within"
    if word == "entre":
        return "between"
    return "at"


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year = day.year + month0 // 12
    month = month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _dates(line: _Line, slots: Slots, now: datetime | None) -> None:
    today = now.astimezone(PARIS).date() if now is not None else None
    found: list[tuple[int, TimeRef]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in line.finditer(pattern):
            try:
                ref = _date_ref(kind, match, today, now)
            except (OverflowError, ValueError):
                ref = None  # outside the calendar (a "now" near year 9999, "le 31/02/99999")
            if ref is None:
                continue
            line.take(match.start(), match.end())
            found.append((match.start(), ref))
    found.sort(key=lambda item: item[0])
    slots.dates.extend(ref for _, ref in found)


def _date_ref(kind: str, match: re.Match[str], today: date | None, now: datetime | None) -> TimeRef | None:
    text = match.group()
    groups = match.groups()
    if kind == "full":
        relation, day_s, month_s, year_s = groups
        day = 1 if day_s == "1er" else int(day_s)
        month = MONTHS[month_s]
        if year_s:
            try:
                value = date(int(year_s), month, day)
            except ValueError:
                return None
        else:
            value = _closest_year(day, month, now)
            if value is None:
                try:
                    date(2000, month, day)
                except ValueError:
                    return None
        return _date_value("date", text, _relation_word(relation), value)
    if kind == "slash":
        relation, day_s, month_s, year_s = groups
        day, month = int(day_s), int(month_s)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        if year_s:
            year = int(year_s) + (2000 if len(year_s) == 2 else 0)
            try:
                value = date(year, month, day)
            except ValueError:
                return None
        else:
            value = _closest_year(day, month, now)
        return _date_value("date", text, _relation_word(relation), value)
    if kind in {"tomorrow", "after_tomorrow", "today"}:
        offset = {"today": 0, "tomorrow": 1, "after_tomorrow": 2}[kind]
        value = today + timedelta(days=offset) if today else None
        return _date_value("date", text, _relation_word(groups[0]), value)
    if kind in {"yesterday", "before_yesterday"}:
        value = today - timedelta(days=1 if kind == "yesterday" else 2) if today else None
        return _date_value("date", text, "at", value)
    if kind == "weekday":
        relation, weekday, qualifier = groups
        value = None
        if today is not None:
            target = WEEKDAYS[weekday]
            if qualifier == "dernier":
                delta = (today.weekday() - target) % 7 or 7
                value = today - timedelta(days=delta)
            else:
                delta = (target - today.weekday()) % 7 or 7
                value = today + timedelta(days=delta)
        return _date_value("date", text, _relation_word(relation), value)
    if kind == "day_only":
        relation, day_s = groups
        with_article = re.search(r"\ble\s", text) is not None or relation in {"jusqu'au"} or relation.startswith("a partir")
        if not with_article:
            # Without "le", "pour 12" counts ("pour 12 personnes", "une dose pour 2"), and a number
            # followed by a word is a quantity ("avant 15 tubes"); "d'ici 15." stays a day.
            rest = match.string[match.end():].lstrip()
            if relation == "pour" or re.match(r"[^\W\d_]", rest):
                return None
        day = 1 if day_s == "1er" else int(day_s)
        if not 1 <= day <= 31:
            return None
        value = None
        if today is not None:
            candidate = today.replace(day=1)
            for _ in range(3):
                try:
                    value = candidate.replace(day=day)
                except ValueError:
                    value = None
                if value is not None and value >= today:
                    break
                candidate = _add_months(candidate, 1)
        rel = "after" if relation in {"des", "depuis", "a partir du"} else "before" if relation != "pour" else "at"
        return _date_value("date", text, rel, value)
    if kind == "next_week":
        if today is None:
            return TimeRef("period", text, "within")
        monday = today + timedelta(days=7 - today.weekday())
        return TimeRef("period", text, "within", None, None, _at(monday, time(0, 0)), _at(monday + timedelta(days=6), time(23, 59)))
    if kind == "this_week":
        if today is None:
            return TimeRef("period", text, "within")
        friday = today + timedelta(days=max(0, 4 - today.weekday()))
        return TimeRef("period", text, "within", None, None, now, _at(friday, BUSINESS_DAY_END))
    if kind == "end_of_month":
        if today is None:
            return TimeRef("date", text, "before")
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        return _date_value("date", text, "before", last)
    if kind == "next_month":
        if today is None:
            return TimeRef("period", text, "within")
        first = _add_months(today.replace(day=1), 1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return TimeRef("period", text, "within", None, None, _at(first, time(0, 0)), _at(last, time(23, 59)))
    if kind == "in_days":
        word, count_s, unit = groups
        count = int(count_s.lstrip("~"))
        days = count * (7 if unit.startswith("semaine") else 30 if unit == "mois" else 1)
        if days > MAX_DAYS_AHEAD:
            return None  # "sous 9999999999 jours" is not a deadline anyone means
        if today is None:
            return TimeRef("deadline", text, "before" if word != "dans" else "at")
        value = today + timedelta(days=days)
        start, end = (now, _at(value, time(23, 59))) if word != "dans" else _day_window(value)
        return TimeRef("deadline", text, "before" if word != "dans" else "at", value, None, start, end)
    if kind == "huitaine":
        if today is None:
            return TimeRef("deadline", text, "before")
        value = today + timedelta(days=8)
        return TimeRef("deadline", text, "before", value, None, now, _at(value, time(23, 59)))
    return None


def _date_value(kind: str, text: str, relation: str, value: date | None) -> TimeRef:
    if value is None:
        return TimeRef(kind, text, relation)
    start, end = _day_window(value)
    return TimeRef(kind, text, relation, value, None, start, end)


def _times(line: _Line, slots: Slots, now: datetime | None) -> None:
    base_day: date | None = None
    day_refs = [d for d in slots.dates if d.date is not None and d.kind == "date"]
    if day_refs:
        base_day = day_refs[0].date
    elif now is not None:
        base_day = now.astimezone(PARIS).date()
    found: list[tuple[int, TimeRef]] = []
    for kind, pattern in _TIME_PATTERNS:
        for match in line.finditer(pattern):
            try:
                ref = _time_ref(kind, match, base_day, now)
            except (OverflowError, ValueError):
                ref = None
            if ref is None:
                continue
            line.take(match.start(), match.end())
            found.append((match.start(), ref))
    found.sort(key=lambda item: item[0])
    slots.times.extend(ref for _, ref in found)


def _clock(hour: int, minute: int) -> time | None:
    if hour == 24 and minute == 0:
        return time(23, 59)
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return time(hour, minute)
    return None


def _time_ref(kind: str, match: re.Match[str], day: date | None, now: datetime | None) -> TimeRef | None:
    text = match.group()
    groups = match.groups()
    if kind == "between":
        h1, m1, h2, m2, noon = groups
        t1 = _clock(int(h1), int(m1 or 0))
        t2 = time(12, 0) if noon else _clock(int(h2), int(m2 or 0))
        if t1 is None or t2 is None:
            return None
        start = _at(day, t1) if day else None
        end = _at(day, t2) if day else None
        return TimeRef("time", text, "between", day, t1, start, end)
    if kind in {"clock", "clock_compact"}:
        relation = groups[0]
        hour = int(groups[1])
        minute = int(groups[2]) if groups[2] else 0
        if kind == "clock":
            extra = groups[3]
            if extra == "demie":
                minute = 30
            elif extra == "quart":
                minute = 15
            elif "moins le quart" in text:
                hour, minute = hour - 1, 45
        rel_word = " ".join(relation.split()) if relation else None
        # "sous 24 heures", "dans 2 heures", "en 48 h": a duration, not a clock time.
        if rel_word in {"sous", "dans", "en", "d'ici"} and not groups[2]:
            return _duration(rel_word, hour, "heures", text, now)
        if hour == 24 and rel_word in {"sous", "dans", "en", "d'ici"}:
            return _duration(rel_word, hour, "heures", text, now)
        clock = _clock(hour, minute)
        if clock is None:
            return None
        relation_name = _relation_word(rel_word)
        if day is None:
            return TimeRef("time", text, relation_name, None, clock)
        moment = _at(day, clock)
        start, end = _window(relation_name, moment, now)
        return TimeRef("time", text, relation_name, day, clock, start, end)
    if kind == "noon":
        relation, word = groups
        clock = time(12, 30) if "demi" in text else time(12, 0) if word == "midi" else time(23, 59)
        relation_name = _relation_word(relation)
        if day is None:
            return TimeRef("time", text, relation_name, None, clock)
        start, end = _window(relation_name, _at(day, clock), now)
        return TimeRef("time", text, relation_name, day, clock, start, end)
    if kind == "within_hours":
        word, count_s, unit = groups
        count = 1 if count_s == "une" else int(count_s.lstrip("~"))
        return _duration(word, count, unit, text, now)
    if kind == "within_hour":
        return _duration("dans", 1, "heures", text, now)
    if kind == "part_of_day":
        qualifier, part = groups
        qualifier = " ".join((qualifier or "").split())
        part = " ".join(part.split())
        windows = {
            "matin": (time(8, 0), time(12, 0)),
            "matinee": (time(8, 0), time(12, 0)),
            "apres midi": (time(12, 0), BUSINESS_DAY_END),
            "soir": (time(18, 0), time(21, 0)),
            "soiree": (time(18, 0), time(21, 0)),
            "journee": (BUSINESS_DAY_START, BUSINESS_DAY_END),
        }
        t1, t2 = windows[part]
        if "fin de" in qualifier:
            t1 = time(max(t1.hour, t2.hour - 2), 0)
        elif "debut de" in qualifier:
            t2 = time(min(t2.hour, t1.hour + 2), 0)
        target = day
        if qualifier == "demain" and now is not None:
            target = now.astimezone(PARIS).date() + timedelta(days=1)
        relation = "before" if qualifier.startswith(("d'ici", "avant")) or part == "journee" else "within"
        if target is None:
            return TimeRef("time", text, relation, None, None)
        start, end = _at(target, t1), _at(target, t2)
        if now is not None and start < now < end:
            start = now
        return TimeRef("time", text, relation, target, None, start, end)
    if kind == "now":
        return TimeRef("time", text, "at", day, None, now, now)
    return None


def _duration(word: str, count: int, unit: str, text: str, now: datetime | None) -> TimeRef | None:
    minutes = count if unit.startswith(("minute", "mn", "min")) else count * 60
    if minutes > MAX_DAYS_AHEAD * 24 * 60:
        return None
    relation = "at" if word == "dans" else "before"
    if now is None:
        return TimeRef("deadline", text, relation)
    end = now + timedelta(minutes=minutes)
    return TimeRef("deadline", text, relation, end.astimezone(PARIS).date(), None, now if relation == "before" else end, end)


def _window(relation: str, moment: datetime, now: datetime | None) -> tuple[datetime | None, datetime | None]:
    if relation == "before":
        start = now if now is not None and now < moment else None
        return start, moment
    if relation == "after":
        return moment, None
    if relation == "around":
        return moment - timedelta(minutes=30), moment + timedelta(minutes=30)
    return moment, moment


# ---------------------------------------------------------------------------------------------
# Products and shades


_SHADE_CODE = re.compile(r"(?<![\d.,/~])(10|[1-9])\s*(?:[.,/]|\s+point\s+)\s*(\d{1,2})(?![\d]|[.,]\d)(?!\s*(?:euros?|%|h\b|heures?|ml|g\b))")
_SHADE_CUE_INT = re.compile(r"\b(?:teintes?|nuances?|ton|tons|couleurs?|numero|n)\s+(10|[1-9])(?![\d.,])(?!\s*(?:tubes?|euros?|%))")
# A shade said digit by digit ("trente tubes de six quatre" → "30 tubes de 6 4"): only after a word
# that announces a shade, and not before a unit ("de 2 3 tubes" counts tubes).
_SHADE_SPOKEN = re.compile(
    r"\b(?:tubes?\s+(?:de|en)|en|nuance|teinte|ton|la|le|du|de\s+la)\s+(10|[1-9])\s+([1-9]{1,2})\b"
    r"(?![.,]\d)(?!\s*(?:tubes?|euros?|%|h\b|heures?|ml|g\b|flacons?|pots?|boites?|unites?|jours?|semaines?|mois|minutes?|ans?))"
)
_SHADE_CUES = {"teinte", "nuance", "ton", "couleur", "en", "du", "le", "la", "de", "des", "les", "reflet"}


def _shade_codes(line: _Line, slots: Slots, lexicon: Lexicon) -> None:
    for match in line.finditer(_SHADE_CODE):
        code = f"{match.group(1)}.{match.group(2)}"
        if not valid_shade_code(code, lexicon):
            continue
        slots.shades.append(ShadeMention(code, lexicon.shade_labels.get(code), match.group(), None, match.start(), match.end()))
        line.take(match.start(), match.end())
    for match in line.finditer(_SHADE_SPOKEN):
        code = f"{match.group(1)}.{match.group(2)}"
        if not valid_shade_code(code, lexicon):
            continue
        start, end = match.start(1), match.end(2)
        slots.shades.append(ShadeMention(code, lexicon.shade_labels.get(code), line.text[start:end], None, start, end))
        line.take(start, end)
    for match in line.finditer(_SHADE_CUE_INT):
        code = match.group(1)
        if not valid_shade_code(code, lexicon):
            continue
        start = match.start(1)
        slots.shades.append(ShadeMention(code, lexicon.shade_labels.get(code), match.group(1), None, start, match.end(1)))
        line.take(start, match.end(1))


def _phrase_match(toks: list[_Tok], i: int, key: tuple[str, ...], canon: list[str], glue: set[int]) -> int | None:
    """Index after the last token when ``key`` matches from token ``i`` (glue words skipped)."""
    j = i
    for k, part in enumerate(key):
        while k > 0 and j < len(toks) and j in glue:
            j += 1
        if j >= len(toks) or canon[j] != part:
            return None
        if k < len(key) - 1 and toks[j].punct_after:
            return None
        j += 1
    return j


def _products_and_shades(line: _Line, toks: list[_Tok], slots: Slots, lexicon: Lexicon) -> set[int]:
    """Match product and shade names; returns the indices of the tokens they used."""
    canon = [lexicon.canonical(t.text) if not t.text[0].isdigit() else t.text for t in toks]
    glue = {i for i, t in enumerate(toks) if t.text in {"de", "d'", "du", "des", "la", "le", "l'", "a", "en", "au", "aux"}}
    used: set[int] = set()
    i = 0
    while i < len(toks):
        if not line.free(toks[i].start, toks[i].end):
            i += 1
            continue
        best: tuple[int, object] | None = None
        for entry in lexicon.product_index.get(canon[i], ()):
            end = _phrase_match(toks, i, entry.key, canon, glue)
            if end is not None and (best is None or end > best[0]):
                best = (end, entry)
        for key in lexicon.shade_index.get(canon[i], ()):
            end = _phrase_match(toks, i, key, canon, glue)
            if end is None:
                continue
            if len(key) == 1 and not (i > 0 and toks[i - 1].text in _SHADE_CUES or i > 0 and toks[i - 1].text[:1].isdigit()):
                continue  # "blond" alone is a word, "en blond" / "du noir" a shade
            if best is None or end > best[0]:
                best = (end, key)
        if best is None:
            i += 1
            continue
        end, item = best
        start_c, end_c = toks[i].start, toks[end - 1].end
        text = line.text[start_c:end_c]
        if isinstance(item, tuple):
            code = lexicon.shade_names[item]
            slots.shades.append(ShadeMention(code, lexicon.shade_labels.get(code), text, None, start_c, end_c))
        else:
            cands = item.candidates
            slots.products.append(ProductMention(cands[0] if len(cands) == 1 else None, cands, text, start_c, end_c))
        line.take(start_c, end_c)
        used.update(range(i, end))
        i = end
    # "tubes de crème" + "sans ammoniaque": one mention of the specific line.
    merged: list[ProductMention] = []
    for mention in slots.products:
        prev = merged[-1] if merged else None
        if (
            prev is not None and prev.reference is None and mention.reference in prev.candidates
            and not line.text[prev.end : mention.start].strip()
        ):
            merged[-1] = ProductMention(mention.reference, mention.candidates, line.text[prev.start : mention.end], prev.start, mention.end)
        else:
            merged.append(mention)
    slots.products[:] = merged
    # Reflect words alone ("les cuivrés", "le rouge"): a family of shades, not one code.
    reflects = {stem(k): (k, v) for k, v in REFLECTS.items()}
    for i, tok in enumerate(toks):
        if i in used or not line.free(tok.start, tok.end):
            continue
        hit = reflects.get(stem(tok.text))
        if hit:
            slots.shades.append(ShadeMention(None, hit[0], tok.text, hit[1], tok.start, tok.end))
            used.add(i)
    slots.shades.sort(key=lambda s: s.start)
    return used


# ---------------------------------------------------------------------------------------------
# Quantities

_QTY = re.compile(r"(?<![\d.,/])(~?)(\d{1,6})(?![\d.,/]\d)")
# After a quantity: it applies to each shade / item listed, not to the whole ("douze de chaque nuance").
_EACH = re.compile(
    r"^\s*(?:(?:tubes?|flacons?|pots?|unites?|boites?|exemplaires?)\s+)?"
    r"(?:[\w'.-]+\s+){0,4}?(?:(?:de|pour|dans|en)\s+chaque|par|pour\s+chaque)\s+(?:nuances?|teintes?|couleurs?|tons?|coloris|references?)\b"
    r"|^\s*(?:(?:tubes?|flacons?|pots?)\s+)?(?:(?:de|pour)\s+)?chacune?s?\b"
    r"|^\s*(?:de|pour)\s+chaque\s*(?:$|[,.;:!?])",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(?:et\s+non(?:\s+pas)?|et\s+pas|non\s+pas|au\s+lieu\s+(?:de|des|d')|plutot\s+que)\s*$")
_EN_CLITIC = re.compile(r"(?:\bj'en|\bm'en|\bt'en|\bnous\s+en|\bvous\s+en|\ben)\s+(?:\w+\s+){0,3}$")


def _quantities(line: _Line, toks: list[_Tok], slots: Slots, lexicon: Lexicon, product_tokens: set[int]) -> None:
    tok_at = {}
    for i, t in enumerate(toks):
        for c in range(t.start, t.end):
            tok_at[c] = i
    whole_line_number = len(toks) <= 3 and sum(1 for t in toks if t.text.lstrip("~").isdigit()) == 1
    for match in line.finditer(_QTY):
        value = int(match.group(2))
        if value == 0 or value > 99999:
            continue
        i = tok_at.get(match.start(2))
        if i is None:
            continue
        unit, product, cands, shade = _attach(i, toks, slots, lexicon)
        before = line.text[max(0, match.start() - 40) : match.start()]
        each = _EACH.search(line.text[match.end() : match.end() + 45]) is not None
        cue = (
            each
            or unit is not None
            or product is not None
            or cands
            or shade is not None
            or _EN_CLITIC.search(before) is not None
            or re.search(r"\b(?:quantite|x|fois|total\s+de|commander|prendre|prends|voudrais|veux|faut|mettez|mets)\s+(?:de\s+)?$", before)
            or whole_line_number
        )
        if not cue and slots.quantities and _CONTRAST.search(before):
            # "48 tubes et non 20", "20 au lieu de 48 tubes": the number counts the same thing.
            previous = slots.quantities[-1]
            unit, product, cands = previous.unit, previous.product, previous.candidates
            cue = True
        if not cue:
            continue
        if product is None and not cands and unit is not None and unit in lexicon.units:
            implied = lexicon.units[unit]
            if len(implied) == 1:
                product = implied[0]
            elif implied:
                cands = implied
        slots.quantities.append(
            Quantity(
                value, match.group(), bool(match.group(1)), unit, product, cands, shade, match.start(), match.end(), each
            )
        )
        line.take(match.start(), match.end())
    # "un shampooing", "une poudre", "un tube de 6.4": the article is one unit.
    for i, tok in enumerate(toks):
        if tok.text not in {"un", "une"} or i + 1 >= len(toks) or tok.punct_after:
            continue
        if i > 0 and toks[i - 1].text in {"l'", "et", "qu'", "chacun", "chaque"}:
            continue
        unit, product, cands, shade = _attach(i, toks, slots, lexicon, allow_shade=False)
        nxt = toks[i + 1]
        direct = any(p.start == nxt.start for p in slots.products) or stem(nxt.text) in lexicon.containers
        if not direct or (unit is None and product is None and not cands):
            continue
        if product is None and not cands and unit in lexicon.units:
            implied = lexicon.units[unit]
            product = implied[0] if len(implied) == 1 else None
            cands = implied if len(implied) > 1 else ()
        slots.quantities.append(Quantity(1, tok.text, False, unit, product, cands, shade, tok.start, tok.end))
    slots.quantities.sort(key=lambda q: q.start)


_SHADE_WORDS = frozenset({"nuance", "teinte", "ton", "couleur", "coloris"})


def _shade_in_apposition(between: list[_Tok], glue: set[str], shade_glue: set[str], lexicon: Lexicon) -> bool:
    """« trois tubes écrasés, nuance 6.4 »: the counted items (at most two describing words), a
    comma, then the shade introduced by « nuance » / « teinte »; no other number in between."""
    cut = next((k for k, t in enumerate(between) if t.punct_after), None)
    if cut is None or len(between) > 6:
        return False
    head, tail = between[: cut + 1], between[cut + 1 :]
    if not tail or tail[0].text not in _SHADE_WORDS or any(t.punct_after for t in tail):
        return False
    if not all(t.text in shade_glue for t in tail) or any(t.text[:1].isdigit() or t.text[:1] == "~" for t in head):
        return False
    describing = [t for t in head if t.text not in glue and stem(t.text) not in lexicon.units]
    return len(describing) <= 2


def _attach(i: int, toks: list[_Tok], slots: Slots, lexicon: Lexicon, allow_shade: bool = True):
    """Unit, product, candidates and shade that follow the number at token ``i``."""
    unit = None
    product = None
    cands: tuple[str, ...] = ()
    shade = None
    if toks[i].punct_after or i + 1 >= len(toks):
        return unit, product, cands, shade
    j = i + 1
    # "48 tubes", "~50 de tubes", "24 de crèmes": the counting word, maybe after "de".
    for k in (j, j + 1):
        if k < len(toks) and stem(toks[k].text) in lexicon.units and (k == j or toks[j].text in {"de", "d'"}):
            unit = stem(toks[k].text)
            break
    glue = {"de", "d'", "en", "du", "des", "la", "le", "les", "l'"}
    # The product named right after the number (the unit word may be part of it: "tubes sans
    # ammoniaque"), with at most small words and the unit in between.
    after = toks[i].end
    shade_spans = [(s.start, s.end) for s in slots.shades if s.code]

    def in_shade(tok: _Tok) -> bool:
        return any(a <= tok.start < b for a, b in shade_spans)

    for mention in slots.products:
        if mention.start < after:
            continue
        between = [t for t in toks if after <= t.start < mention.start]
        # "30 tubes de 6.6 sans ammoniaque": a shade may come before the product words.
        if len(between) <= 5 and all(t.text in glue or stem(t.text) in lexicon.units or in_shade(t) for t in between):
            if not any(t.punct_after for t in between):
                product, cands = mention.reference, mention.candidates
                after = mention.end
            break
    if allow_shade:
        shade_glue = glue | {"teinte", "nuance", "ton"}
        product_spans = [(p.start, p.end) for p in slots.products]
        start = toks[i].end
        for mention in slots.shades:
            if mention.start < start or not mention.code:
                continue
            # Product words may sit between ("24 crèmes sans ammoniaque en 6.4").
            between = [
                t for t in toks
                if start <= t.start < mention.start and not any(a <= t.start < b for a, b in product_spans)
            ]
            if (
                len(between) <= 3
                and all(t.text in shade_glue or stem(t.text) in lexicon.units for t in between)
                and not any(t.punct_after for t in between)
            ) or _shade_in_apposition(between, glue, shade_glue, lexicon):
                shade = mention.code
            break
    return unit, product, cands, shade


# ---------------------------------------------------------------------------------------------
# Names


_NAME_STOP = {
    "de", "du", "des", "la", "le", "les", "l'", "et", "ou", "je", "j'", "vous", "nous", "il", "elle",
    "est", "c'est", "a", "au", "en", "pour", "bonjour", "bonsoir", "merci", "au revoir", "oui", "non",
    "s'il", "excusez", "pardon", "votre", "vos", "mon", "ma", "ne", "n'", "que", "qui", "qu'", "si",
    "bien", "tres", "bonne", "bon", "on", "y", "pas", "desole", "desolee", "puis", "avez", "etes",
    "serait", "sera", "avait", "cordialement", "donc", "alors", "ca", "cela", "ce", "cet", "cette",
}


def _names(raw: str, toks: list[_Tok], slots: Slots, lexicon: Lexicon, used: set[int], line: _Line) -> None:
    common = common_words()
    raw_words = set(re.findall(r"[^\W\d_][\w'-]*", raw))
    capitalised = {normalize(w) for w in raw_words if w[:1].isupper() and not w.isupper()} | {
        normalize(w) for w in raw_words if w.isupper() and len(w) > 1
    }
    taken: set[int] = set(used) | {i for i, t in enumerate(toks) if not line.free(t.start, t.end)}
    texts = [t.text for t in toks]

    def known_last(i: int) -> tuple[int, object] | None:
        for size in (3, 2, 1):
            key = tuple(texts[i : i + size])
            if len(key) == size and key in lexicon.last_names:
                return size, lexicon.last_names[key]
        return None

    def add(civility, first, last, start_i, end_i, person=None):
        text = " ".join(texts[start_i:end_i])
        known = getattr(person, "role", None)
        number = getattr(person, "client_number", None)
        if person is not None:
            first = first or None
            last = person.last_name
            civility = civility or person.civility
        name = PersonName(civility, first, last, text, known, number)
        if name not in slots.person_names:
            slots.person_names.append(name)
        taken.update(range(start_i, end_i))

    i = 0
    while i < len(toks):
        word = texts[i]
        civ = CIVILITIES.get(word)
        if civ and not toks[i].punct_after and i + 1 < len(toks):
            j = i + 1
            first = None
            if texts[j] in lexicon.first_names and j + 1 < len(toks) and not toks[j].punct_after and texts[j + 1] not in _NAME_STOP:
                first = lexicon.first_names[texts[j]]
                j += 1
            hit = known_last(j)
            if hit:
                size, person = hit
                add(civ, first, None, i, j + size, person)
                i = j + size
                continue
            nxt = texts[j]
            if nxt not in _NAME_STOP and not nxt[:1].isdigit() and (nxt not in common or nxt in capitalised):
                last = _title(nxt)
                end = j + 1
                if (not toks[j].punct_after and end < len(toks) and texts[end] not in _NAME_STOP
                        and texts[end] in capitalised and texts[end] not in common):
                    last = f"{last} {_title(texts[end])}"
                    end += 1
                add(civ, first, last, i, end)
                i = end
                continue
            if first:
                add(civ, first, None, i, j)
                i = j
                continue
        i += 1
    # Known people without civility ("Bruno Mocher", "Mocher", "Delmotte").
    for i in range(len(toks)):
        if i in taken:
            continue
        hit = known_last(i)
        if hit:
            size, person = hit
            first = None
            if i > 0 and texts[i - 1] in lexicon.first_names and (i - 1) not in taken:
                first = lexicon.first_names[texts[i - 1]]
                start = i - 1
            else:
                start = i
            if texts[i] in common and texts[i] not in capitalised and first is None:
                continue
            add(None, first, None, start, i + size, person)
    # First names: known ones (capitalised, or not an ordinary word), and any word in the
    # positions where French puts one ("je m'appelle X", "ici X", "X à votre service").
    joined = " ".join(texts)
    positional: set[str] = set()
    for pattern in (
        r"\b(?:je\s+m'\s*appelle|je\s+suis|ici|moi\s+c'\s*est|c'\s*est)\s+([^\W\d_][\w-]*)",
        r"\b([^\W\d_][\w-]*)\s+a\s+(?:votre\s+(?:service|ecoute|disposition)|l'\s*appareil)\b",
        r"\b(?:en\s+ligne\s+avec|vous\s+parlez\s+(?:a|avec))\s+([^\W\d_][\w-]*)",
    ):
        for match in re.finditer(pattern, joined):
            positional.add(match.group(1))
    for key in lexicon.company_keys:
        pattern = r"\b" + r"\s+".join(map(re.escape, key)) + r"\b[\s,]*([^\W\d_][\w-]*)(?:[\s,]+(?:bonjour|bonsoir|j'\s*ecoute|a\s+votre)|\s*$)"
        for match in re.finditer(pattern, joined):
            positional.add(match.group(1))
        pattern = r"\b(?:bonjour|bonsoir)[\s,]+([^\W\d_][\w-]*)[\s,]+(?:de\s+(?:chez\s+)?|chez\s+)?" + r"\s+".join(map(re.escape, key))
        for match in re.finditer(pattern, joined):
            positional.add(match.group(1))
        # "SERV'FAMILLES bonjour, Nathan" (the name ends the line).
        pattern = r"\b" + r"\s+".join(map(re.escape, key)) + r"[\s,]+(?:bonjour|bonsoir)[\s,]+([^\W\d_][\w-]*)\W*$"
        for match in re.finditer(pattern, joined):
            positional.add(match.group(1))
    for i, word in enumerate(texts):
        if i in taken or word in _NAME_STOP:
            continue
        name = None
        if word in lexicon.first_names and (word in capitalised or word not in common or word in positional):
            name = lexicon.first_names[word]
        elif word in positional and word not in common and word not in lexicon.first_names and len(word) > 1:
            name = _title(word)
        if name and name not in slots.first_names:
            slots.first_names.append(name)
    for person in slots.person_names:
        if person.first_name and person.first_name not in slots.first_names:
            slots.first_names.append(person.first_name)


# ---------------------------------------------------------------------------------------------
# Entry point


def extract_slots(text: str, lexicon: Lexicon, now: datetime | None = None) -> Slots:
    """Read the slots of one line (see the module docstring)."""
    slots = Slots()
    norm = normalize(text)
    if not norm:
        return slots
    digits = digitize(norm)
    line = _Line(digits)
    # E-mail first: its dots and digits must not become shades or phone numbers.
    for match in line.finditer(_EMAIL):
        slots.email = match.group()
        line.take(match.start(), match.end())
        break
    if slots.email is None and _SPOKEN_AT.search(digits):
        # Read the dictated address on the folded text, where "salon-nathalie" keeps its hyphen.
        slots.email = _spoken_email(digitize(" ".join(fold(text).lower().replace("'", " ").split())))
        if slots.email:
            # The dictated words ("julie point martin arobase...") are not names or products.
            for match in re.finditer(r"(?:\S+\s+(?:point|tiret|underscore)\s+)*\S+\s+(?:arobase|arrobase|arobas|at)\s+\S+(?:\s+(?:point|tiret)\s+\S+)*", digits):
                line.take(match.start(), match.end())
    _phone(line, slots)
    _references(line, slots, now)
    _money(line, slots)
    _dates(line, slots, now)
    _times(line, slots, now)
    _shade_codes(line, slots, lexicon)
    toks = _tokens(line)
    used = _products_and_shades(line, toks, slots, lexicon)
    _quantities(line, toks, slots, lexicon, used)
    _names(text, toks, slots, lexicon, used, line)
    slots.company_named = any(
        line.free(m.start(), m.end())
        for key in lexicon.company_keys
        for m in re.finditer(r"\b" + r"\s+".join(map(re.escape, key)) + r"\b", digits)
    )
    return slots
