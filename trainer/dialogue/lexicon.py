"""What the NLU knows of a company: product words, shades, people, client numbers.

A ``Lexicon`` is built once per company from its reference data
(``trainer.content.company.load_company``) and from the NLU data files of ``data/``
(``products.yaml``: aliases keyed by catalogue reference; ``first_names.yaml``). It precomputes
every phrase as a tuple of *stems* (see ``stem``) so that matching a line is a few dictionary
lookups. When a company's reference data cannot be loaded, the lexicon still works with the data
files alone (product aliases, the standard shade notation), so that the NLU never fails because
of content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from trainer.dialogue.nlu_data import FirstNamesFile, ProductsFile, load_data
from trainer.dialogue.normalize import normalize, vocabulary
from trainer.errors import UserError

# Reflect digits of the hairdressers' notation "level.reflects" (BRIEF §1.5; names used by the
# GENERIK shade chart). A reflect word alone ("les cuivrés") names a family of shades.
REFLECTS = {
    "cendre": "1",
    "irise": "2",
    "dore": "3",
    "cuivre": "4",
    "acajou": "5",
    "rouge": "6",
    "marron": "7",
}
# The standard level names (1 to 10), used when no shade chart is available.
LEVELS = {
    "noir": 1,
    "brun": 2,
    "chatain fonce": 3,
    "chatain": 4,
    "chatain clair": 5,
    "blond fonce": 6,
    "blond": 7,
    "blond clair": 8,
    "blond tres clair": 9,
    "blond tres clair eclaircissant": 10,
}
# Words between the pieces of a product name that a speaker may add or drop.
_GLUE = {"de", "d'", "du", "des", "la", "le", "l'", "a", "en", "au", "aux"}


def stem(word: str) -> str:
    """A crude French stem for matching product and shade words.

    Plural "s"/"x" and final "e"s are dropped, so that "crèmes", "crème", "cuivrée", "cuivré",
    "blonde" and "blond" meet. Applied the same way to the lexicon and to the line, it only has
    to be consistent, not linguistically right.
    """
    if len(word) > 3 and word[-1] in "sx" and word[-2] != "s":
        word = word[:-1]
    while len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def phrase_key(text: str) -> tuple[str, ...]:
    """The stems of a phrase, glue words dropped ("crème de la promotion" → ("crem", "promotion"))."""
    out = []
    for tok in normalize(text).replace("'", "' ").split():
        tok = tok.strip(".,;:!?\"")
        if not tok or tok in _GLUE:
            continue
        out.append(stem(tok))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ProductEntry:
    """One way of naming a product: the phrase stems and the references it may mean."""

    key: tuple[str, ...]
    candidates: tuple[str, ...]
    alias: str


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """Someone the company knows: a colleague ("M. Mocher") or a client ("Mme Delmotte")."""

    civility: str | None
    first_name: str | None
    last_name: str
    role: str  # "staff" or "client"
    client_number: str | None = None
    company: str | None = None


@dataclass
class Lexicon:
    """Precomputed vocabulary of one company (see the module docstring)."""

    company_id: str
    company_name: str
    company_keys: tuple[tuple[str, ...], ...]
    product_names: dict[str, str]
    products: list[ProductEntry]
    units: dict[str, tuple[str, ...]]
    shade_codes: frozenset[str]
    shade_names: dict[tuple[str, ...], str]
    shade_labels: dict[str, str]
    persons: list[PersonEntry]
    last_names: dict[tuple[str, ...], PersonEntry]
    first_names: dict[str, str]
    client_numbers: frozenset[str]
    promo_references: tuple[str, ...]
    containers: frozenset[str] = frozenset()
    # The name as written (company_keys adds how it is heard: « générique » for GENERIK).
    company_exact_keys: tuple[tuple[str, ...], ...] = ()
    max_key_len: int = 1
    product_index: dict[str, list[ProductEntry]] = field(default_factory=dict)
    shade_index: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    match_vocab: tuple[str, ...] = ()
    _known: frozenset[str] = frozenset()
    _plain_words: frozenset[str] = frozenset()
    _canon_cache: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.products:
            self.product_index.setdefault(entry.key[0], []).append(entry)
        for entries in self.product_index.values():
            entries.sort(key=lambda e: -len(e.key))
        for key in self.shade_names:
            self.shade_index.setdefault(key[0], []).append(key)
        for keys in self.shade_index.values():
            keys.sort(key=len, reverse=True)
        words = {w for e in self.products for w in e.key} | {w for k in self.shade_names for w in k}
        words |= {stem(u) for u in self.units}
        self.match_vocab = tuple(sorted(w for w in words if len(w) >= 4))
        self._known = frozenset(words)
        # Ordinary French words of the data files are never "corrected" into product words.
        self._plain_words = vocabulary()
        self.max_key_len = max([len(e.key) for e in self.products] + [len(k) for k in self.shade_names] + [1])

    def product_label(self, reference: str) -> str:
        """French label of a reference ("Crème colorante sans ammoniaque"), or the reference."""
        return self.product_names.get(reference, reference)

    def canonical(self, token: str) -> str:
        """The stem of ``token``, corrected to a lexicon word when it is a near miss.

        "amoniaque" → "ammoniaqu", "shampouing" → "shampooing"; only for words of 5 letters or
        more, and never onto a word that differs in its first letter.
        """
        cached = self._canon_cache.get(token)
        if cached is not None:
            return cached
        st = stem(token)
        result = st
        if len(st) >= 5 and st not in self._known and token not in self._plain_words:
            found = process.extractOne(st, self.match_vocab, scorer=fuzz.ratio, score_cutoff=84)
            if found and found[0][0] == st[0]:
                result = found[0]
        if len(self._canon_cache) < 20000:
            self._canon_cache[token] = result
        return result


def _company_name_keys(name: str, spoken: bool = True) -> tuple[tuple[str, ...], ...]:
    norm = normalize(name)
    variants = {norm, norm.replace("'", ""), norm.replace("'", " "), norm.replace("'", " ").replace(" ", "")}
    if not spoken:
        return tuple(sorted({tuple(v.split()) for v in variants if v}))
    # How speech recognition or a hurried student writes a name said aloud: a final "k" heard as
    # "que" or "c" (GENERIK, « générique »), a silent final "s" left out (SERV'FAMILLES, « servfamille »).
    for variant in list(variants):
        if variant.endswith("k") and len(variant) > 3:
            variants.update({variant[:-1] + "que", variant[:-1] + "c"})
        if variant.endswith("s") and len(variant) > 3:
            variants.add(variant[:-1])
    return tuple(sorted({tuple(v.split()) for v in variants if v}))


def _load_product_data() -> tuple[dict[str, list[str]], list[dict], dict[str, tuple[str, ...]], frozenset[str]]:
    data = load_data("products.yaml", ProductsFile)
    aliases = {k: list(v) for k, v in data.products.items()}
    ambiguous = [{"candidates": g.candidates, "aliases": g.aliases} for g in data.ambiguous]
    units = {}
    containers = set()
    for word, spec in data.units.items():
        key = stem(normalize(str(word)))
        units[key] = tuple(spec.implies) if spec else ()
        if spec and spec.container:
            containers.add(key)
    return aliases, ambiguous, units, frozenset(containers)


def _load_first_names() -> list[str]:
    return list(load_data("first_names.yaml", FirstNamesFile).first_names)


def _fallback_product_names() -> dict[str, str]:
    # The references fixed in docs/INTERFACES.md, used when the company data cannot be loaded.
    return {
        "GNK-SPB-300": "Spray brillance",
        "GNK-MFX-200": "Mousse fixante",
        "GNK-SHA-1000": "Shampooing usage fréquent à la protéine d'amande",
        "GNK-PDB-500": "Poudre décolorante blanche enrichie en kératine",
        "GNK-OXC-1000": "Oxydant crème universel",
        "GNK-CCA-100": "Crème colorante avec ammoniaque",
        "GNK-CCS-100": "Crème colorante sans ammoniaque",
    }


def _standard_shades() -> dict[str, str]:
    """Codes and names of the standard notation, for a company without a shade chart."""
    names = {v: k for k, v in LEVELS.items()}
    out = {}
    for level in range(1, 11):
        out[str(level)] = names[level]
        for reflect_word, digit in REFLECTS.items():
            out[f"{level}.{digit}"] = f"{names[level]} {reflect_word}"
    return out


def build_lexicon(company_id: str) -> Lexicon:
    """Build the lexicon of a company (see ``get_lexicon`` for the cached one)."""
    company = None
    try:
        from trainer.content.company import load_company

        company = load_company(company_id)
    except (UserError, ImportError, OSError, ValueError):
        company = None

    aliases, ambiguous, units, containers = _load_product_data()
    product_names: dict[str, str] = {}
    promo: tuple[str, ...] = ()
    shade_labels: dict[str, str] = {}
    persons: list[PersonEntry] = []
    client_numbers: set[str] = set()
    company_name = company_id.upper()
    if company is not None:
        company_name = company.facts.name
        if company.catalogue is not None:
            product_names = {p.reference: p.name for p in company.catalogue.products}
            promo = tuple(company.catalogue.promo_eligible_references())
            for chart in company.catalogue.shade_charts:
                for shade in chart.shades:
                    shade_labels.setdefault(shade.code, shade.name)
        for person in company.persons:
            persons.append(
                PersonEntry(
                    "Madame" if person.civility == "Mme" else "Monsieur",
                    person.first_name,
                    person.last_name,
                    "staff",
                )
            )
        for client in company.clients:
            client_numbers.add(str(client.number))
            parts = client.name.split()
            first, last = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (None, client.name)
            civ = getattr(client, "civility", None)
            civility = {"Mme": "Madame", "M.": "Monsieur"}.get(str(civ) if civ else "", None)
            persons.append(PersonEntry(civility, first, last, "client", str(client.number), client.company))
    elif company_id == "generik":
        product_names = _fallback_product_names()
        promo = ("GNK-CCS-100",)
        persons.append(PersonEntry("Monsieur", "Bruno", "Mocher", "staff"))
    if not shade_labels and company_id == "generik":
        shade_labels = _standard_shades()

    products: list[ProductEntry] = []
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()

    def add(alias: str, candidates: tuple[str, ...]) -> None:
        key = phrase_key(alias)
        if key and (key, candidates) not in seen:
            seen.add((key, candidates))
            products.append(ProductEntry(key, candidates, alias))

    for reference, name in product_names.items():
        add(name, (reference,))
        add(reference, (reference,))  # "GNK-CCS-100" read out or typed
    for reference, words in aliases.items():
        if product_names and reference not in product_names:
            continue  # aliases of another company's catalogue
        for alias in words:
            add(alias, (reference,))
    for group in ambiguous:
        candidates = tuple(c for c in group.get("candidates") or [] if not product_names or c in product_names)
        if len(candidates) >= 1:
            for alias in group.get("aliases") or []:
                add(str(alias), candidates)
    if product_names:
        units = {u: tuple(r for r in refs if r in product_names) for u, refs in units.items()}

    shade_names: dict[tuple[str, ...], str] = {}
    for code, name in shade_labels.items():
        key = phrase_key(name)
        if key:
            shade_names.setdefault(key, code)

    first_names = {normalize(n): n for n in _load_first_names()}
    for person in persons:
        if person.first_name:
            first_names.setdefault(normalize(person.first_name), person.first_name)
    last_names: dict[tuple[str, ...], PersonEntry] = {}
    for person in persons:
        key = tuple(normalize(person.last_name).split())
        if key:
            last_names.setdefault(key, person)

    return Lexicon(
        company_id=company_id,
        company_name=company_name,
        company_keys=_company_name_keys(company_name),
        company_exact_keys=_company_name_keys(company_name, spoken=False),
        product_names=product_names,
        products=products,
        units=units,
        shade_codes=frozenset(shade_labels),
        shade_names=shade_names,
        shade_labels=shade_labels,
        persons=persons,
        last_names=last_names,
        first_names=first_names,
        client_numbers=frozenset(client_numbers),
        promo_references=promo,
        containers=containers,
    )


@lru_cache(maxsize=8)
def get_lexicon(company_id: str = "generik") -> Lexicon:
    """The cached lexicon of a company (built on first use, then shared)."""
    return build_lexicon(company_id)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words that are not names even when capitalised at the start of a sentence."""
    extra = {
        "rose", "marine", "claire", "clair", "pierre", "blanc", "blanche", "jade", "olive", "ange",
        "france", "noir", "brun", "aurore", "prune", "capucine", "margaux", "paris",
    }
    return vocabulary() | frozenset(extra)


_SHADE_CODE = re.compile(r"^(10|[1-9])(?:\.(\d{1,2}))?$")


def valid_shade_code(code: str, lexicon: Lexicon) -> bool:
    """True when ``code`` is a shade of the company's chart (or any well-formed code without one)."""
    if not _SHADE_CODE.match(code):
        return False
    return code in lexicon.shade_codes if lexicon.shade_codes else True

