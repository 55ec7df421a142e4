"""The student script of ``trainer play`` (CONTRACT §3): speech lines and ``/`` actions.

One non-blank line is one student turn; ``#`` starts a comment line; a line starting with ``/`` is
an action, not speech. The actions are French words; their arguments are positional or
``clé=valeur``, a value with spaces between double quotes (``"…"`` or ``« … »``; the apostrophe is
French punctuation, never a quote). See ``ACTIONS`` for the list; ``trainer play --help`` prints
``script_help()``.

Parsing checks the form (known action, known argument names, required arguments, integers where
integers go) and names the file and the line of any mistake. Whether a product, a shade or a client
exists is checked by the call session against the company's data, before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.domain.errors import unreadable
from trainer.errors import UserError


class ScriptError(UserError):
    """A script that cannot be played; the message names the file, the line and what is wrong."""


@dataclass(frozen=True)
class ArgSpec:
    """One argument of an action: canonical name, accepted spellings, kind and whether required."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # "text" | "int"
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class ActionSpec:
    """An action of the script language."""

    name: str
    summary: str
    example: str
    args: tuple[ArgSpec, ...] = ()
    positional: tuple[str, ...] = ()  # canonical names filled by positional values, in order
    erp: bool = True  # an ERP entry (recorded as a system turn), not a phone gesture

    def arg(self, key: str) -> ArgSpec | None:
        """The argument spec for a spelling of its name (accents and case ignored)."""
        folded = _fold_key(key)
        for spec in self.args:
            if folded == spec.name or folded in spec.aliases:
                return spec
        return None


def _fold_key(key: str) -> str:
    decomposed = unicodedata.normalize("NFKD", key.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("_", "-")


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec(
            "decrocher",
            "appel entrant : l'élève décroche après N sonneries (1 par défaut) ; appel sortant : le "
            "correspondant décroche après N sonneries ; avant la première réplique",
            "/decrocher 2",
            (ArgSpec("sonneries", ("n", "nombre"), "int", False, "nombre de sonneries avant de décrocher"),),
            ("sonneries",),
            erp=False,
        ),
        ActionSpec(
            "audio",
            "mode voix (--voice) : l'élève dit cet enregistrement WAV, transcrit par la reconnaissance "
            "vocale configurée (TRAINER_ASR_MODEL) ; débit, volume, mots parasites et silence avant de "
            "répondre sont notés sur sa réplique ; chemin relatif au dossier du script",
            "/audio reponses/bonjour.wav",
            (ArgSpec("fichier", ("wav", "chemin", "path"), "text", True, "enregistrement WAV de la réplique"),),
            ("fichier",),
            erp=False,
        ),
        ActionSpec(
            "raccrocher",
            "l'élève raccroche ; les lignes suivantes sont ignorées (et signalées)",
            "/raccrocher",
            erp=False,
        ),
        ActionSpec(
            "client",
            "ouvre la fiche d'un client existant par son numéro",
            "/client CLI-00042",
            (ArgSpec("numero", ("numéro", "num", "n"), "text", True, "numéro client CLI-00000"),),
            ("numero",),
        ),
        ActionSpec(
            "nouveau-client",
            "crée un client (prospect) dans le PGI",
            '/nouveau-client nom="Sophie Martin" salon="Salon Sophie" segment=salon_independant '
            'region="Nouvelle-Aquitaine" tel="05 56 12 34 56"',
            (
                ArgSpec("nom", ("name", "contact"), "text", True, "nom de la personne"),
                ArgSpec("civilite", ("civilité", "civ"), "text", False, "Madame ou Monsieur"),
                ArgSpec("salon", ("societe", "entreprise", "raison-sociale", "enseigne"), "text", False,
                        "nom du salon ou de l'entreprise"),
                ArgSpec("segment", (), "text", True,
                        "salon_independant, salon_enseigne, coiffeur_domicile, grossiste ou apprenti"),
                ArgSpec("region", (), "text", False, "région"),
                ArgSpec("tel", ("telephone", "tél", "phone"), "text", False, "téléphone"),
                ArgSpec("email", ("mail", "courriel", "e-mail"), "text", False, "adresse électronique"),
                ArgSpec("adresse", ("rue",), "text", False, "adresse postale"),
                ArgSpec("code-postal", ("cp",), "text", False, "code postal"),
                ArgSpec("ville", (), "text", False, "ville"),
            ),
        ),
        ActionSpec(
            "ligne",
            "ajoute une ligne de commande : référence, teinte (crèmes colorantes), quantité",
            "/ligne GNK-CCS-100 6.4 24   ou   /ligne GNK-SHA-1000 1",
            (
                ArgSpec("reference", ("ref", "produit"), "text", True, "référence du catalogue"),
                ArgSpec("teinte", ("nuance", "shade"), "text", False, "code de teinte, ex. 6.4"),
                ArgSpec("quantite", ("qte", "quantité", "qté", "q"), "int", True, "quantité (1 à 9 999)"),
            ),
            ("reference", "teinte", "quantite"),
        ),
        ActionSpec(
            "supprimer-ligne",
            "retire la ligne de commande numéro N (1 = la première)",
            "/supprimer-ligne 2",
            (ArgSpec("numero", ("numéro", "n", "ligne"), "int", True, "numéro de la ligne"),),
            ("numero",),
        ),
        ActionSpec(
            "reclamation",
            "remplit la fiche réclamation (service et délai déduits de la catégorie)",
            '/reclamation categorie=livraison_avarie solution="nouvel envoi" faits="tubes écrasés"',
            (
                ArgSpec("categorie", ("catégorie", "type"), "text", True,
                        "technique_qualite, technique_utilisation, livraison_retard, livraison_avarie, "
                        "livraison_erreur_preparation, procedure_erreur_saisie ou e_reputation"),
                ArgSpec("solution", ("action",), "text", False, "solution proposée au client"),
                ArgSpec("faits", ("motif", "description", "resume", "résumé"), "text", False, "faits rapportés"),
                ArgSpec("commande", ("cmd", "facture"), "text", False, "commande ou facture concernée"),
                ArgSpec("canal", (), "text", False, "telephone (par défaut), courriel, courrier, avis_en_ligne ou constat"),
            ),
        ),
        ActionSpec(
            "satisfaction",
            "rappel de satisfaction : le client est-il satisfait de la solution ? oui : la réclamation "
            "en cours est clôturée ; non : l'action corrective est révisée (ou la réclamation rouverte)",
            '/satisfaction oui   ou   /satisfaction non action="nouvel envoi en colissimo"',
            (
                ArgSpec("reponse", ("réponse", "satisfait", "satisfaite"), "text", True, "oui ou non"),
                ArgSpec("action", ("solution", "action-revisee"), "text", False,
                        "action corrective révisée (si le client n'est pas satisfait)"),
                ArgSpec("reclamation", ("réclamation", "rec", "numero"), "text", False,
                        "numéro REC-… (sinon la réclamation en cours du client)"),
            ),
            ("reponse",),
        ),
        ActionSpec(
            "message",
            "prend un message pour un collègue absent",
            '/message pour="M. Mocher" nom="Paul Girard" societe="Coiff\'Expo" tel="06 12 34 56 78" '
            'objet="salon professionnel" rappel="demain 10 h"',
            (
                ArgSpec("pour", ("destinataire", "a"), "text", True, "personne demandée, ex. M. Mocher"),
                ArgSpec("nom", ("appelant", "de"), "text", True, "nom de l'appelant"),
                ArgSpec("societe", ("société", "entreprise", "salon"), "text", False, "société de l'appelant"),
                ArgSpec("tel", ("telephone", "tél", "numero"), "text", False, "numéro où rappeler"),
                ArgSpec("objet", ("motif", "sujet"), "text", False, "objet de l'appel"),
                ArgSpec("rappel", ("quand", "rappeler"), "text", False, "quand rappeler"),
            ),
        ),
        ActionSpec(
            "relance",
            "note le résultat d'une relance d'impayé",
            "/relance resultat=promesse_de_paiement date=2026-11-30",
            (
                ArgSpec("resultat", ("résultat", "issue"), "text", True,
                        "promesse_de_paiement, litige, deja_paye, injoignable ou refus"),
                ArgSpec("date", ("echeance", "le"), "text", False, "date de paiement promise AAAA-MM-JJ"),
                ArgSpec("facture", ("fac",), "text", False, "numéro de facture (sinon celle du scénario)"),
                ArgSpec("commentaire", ("note",), "text", False, "remarque libre"),
            ),
        ),
    )
}


@dataclass(frozen=True)
class Speech:
    """One student turn of the script: a typed line, or a recording (``/audio``) to recognise."""

    line: int
    text: str
    audio: Path | None = None  # /audio: the WAV the student says (``text`` is then the action line)


@dataclass(frozen=True)
class Action:
    """One ``/`` action of the script, with its arguments under their canonical names."""

    line: int
    name: str
    args: dict[str, Any]
    raw: str


Item = Speech | Action


@dataclass
class Script:
    """A parsed script: its items in order, and the pick-up ring count (``/decrocher``)."""

    source: str
    items: list[Item] = field(default_factory=list)
    rings: int | None = None  # None: no /decrocher (default 1 ring)
    rings_line: int | None = None

    @property
    def speeches(self) -> list[Speech]:
        """The student's turns only."""
        return [item for item in self.items if isinstance(item, Speech)]

    @property
    def recordings(self) -> list[Speech]:
        """The student's turns given as recordings (``/audio``), voice mode only."""
        return [item for item in self.items if isinstance(item, Speech) and item.audio is not None]

    @property
    def erp_actions(self) -> list[Action]:
        """The ERP entries only (not /decrocher, /raccrocher)."""
        return [item for item in self.items if isinstance(item, Action) and ACTIONS[item.name].erp]


_QUOTES = {'"': '"', "«": "»", "“": "”"}
_TOKEN_KEY = re.compile(r"^([^\s=\"«“]+)=")


def _tokens(body: str, where: str) -> list[tuple[str | None, str]]:
    """Split an action's arguments into (key or None, value), honouring double quotes."""
    out: list[tuple[str | None, str]] = []
    i, n = 0, len(body)
    while i < n:
        if body[i].isspace():
            i += 1
            continue
        key: str | None = None
        match = _TOKEN_KEY.match(body[i:])
        if match:
            key = match.group(1)
            i += match.end()
        if i < n and body[i] in _QUOTES:
            closing = _QUOTES[body[i]]
            end = body.find(closing, i + 1)
            if end < 0:
                raise ScriptError(f"{where} : guillemet ouvert sans guillemet fermant ({closing} attendu).")
            value = body[i + 1 : end].strip()
            i = end + 1
            if i < n and not body[i].isspace():
                raise ScriptError(f"{where} : une espace est attendue après le guillemet fermant.")
        else:
            start = i
            while i < n and not body[i].isspace():
                i += 1
            value = body[start:i]
        out.append((key, value))
    return out


def _parse_int(value: str, spec: ArgSpec, where: str) -> int:
    text = value.replace("\u202f", "").replace("\u00a0", "").strip()
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise ScriptError(f"{where}, argument {spec.name} : « {value} » n'est pas un nombre entier.")
    return int(text)


def find_action(name: str, where: str) -> ActionSpec:
    """The spec of an action name (accents, case, ``_``/``-`` ignored), else ``ScriptError``."""
    spec = ACTIONS.get(_fold_key(name))
    if spec is None:
        known = ", ".join(f"/{a}" for a in ACTIONS)
        shown = name if name else "(vide)"
        raise ScriptError(f"{where} : action « /{shown} » inconnue ; actions possibles : {known}.")
    return spec


def _canonical(spec: ActionSpec, pairs: list[tuple[str | None, Any]], where: str) -> dict[str, Any]:
    """Check (key or None, value) pairs against ``spec``; returns the arguments by canonical name."""
    args: dict[str, Any] = {}
    positional = list(spec.positional)
    # /ligne REF QTE (no shade): two positional values mean reference + quantity.
    if spec.name == "ligne" and [k for k, _ in pairs] == [None, None]:
        positional = ["reference", "quantite"]
    for key, value in pairs:
        if key is None:
            if not positional:
                raise ScriptError(f"{where} : valeur « {value} » en trop (exemple : {spec.example}).")
            arg = spec.arg(positional.pop(0))
            assert arg is not None
        else:
            arg = spec.arg(key)
            if arg is None:
                names = ", ".join(a.name for a in spec.args) or "aucun"
                raise ScriptError(f"{where} : argument « {key} » inconnu ; arguments possibles : {names}.")
            if arg.name in positional:
                positional.remove(arg.name)
        if arg.name in args:
            raise ScriptError(f"{where} : argument {arg.name} donné deux fois.")
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            raise ScriptError(f"{where}, argument {arg.name} : valeur vide.")
        if arg.kind == "int":
            value = value if isinstance(value, int) and not isinstance(value, bool) else _parse_int(str(value), arg, where)
        else:
            value = str(value)
        args[arg.name] = value
    for arg in spec.args:
        if arg.required and arg.name not in args:
            raise ScriptError(
                f"{where} : argument {arg.name} manquant ({arg.help}) ; exemple : {spec.example}."
            )
    return args


def parse_action(text: str, where: str) -> tuple[str, dict[str, Any]]:
    """Parse one action line (``/ligne GNK-CCS-100 6.4 24``) into (name, canonical arguments).

    ``where`` ("script.txt, ligne 12") prefixes every error message.
    """
    body = text.strip()[1:]
    head, _, rest = body.partition(" ")
    spec = find_action(head, where)
    where = f"{where}, /{spec.name}"
    return spec.name, _canonical(spec, list(_tokens(rest, where)), where)


def canonical_action(name: str, args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Check an action given as a name and a mapping (the TUI's ERP panel): same rules as a script line.

    Empty values are dropped first (a form field left blank); the error message starts with the
    action: « /ligne : argument quantite manquant… ».
    """
    spec = find_action(str(name).lstrip("/"), "PGI")
    pairs: list[tuple[str | None, Any]] = [
        (str(key), value) for key, value in args.items() if value is not None and str(value).strip() != ""
    ]
    return spec.name, _canonical(spec, pairs, f"/{spec.name}")


MAX_RINGS = 20


def parse_script(text: str, source: str = "<script>", base_dir: Path | None = None) -> Script:
    """Parse a whole script; ``ScriptError`` names the file and the line of the first mistake.

    ``base_dir`` is where ``/audio`` paths are relative to (the script's folder; default: the
    current folder). A recording that does not exist is refused here, with its line.
    """
    script = Script(source=source)
    spoken = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff").strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}, ligne {number}"
        if not line.startswith("/"):
            script.items.append(Speech(number, line))
            spoken = True
            continue
        name, args = parse_action(line, where)
        if name == "audio":
            script.items.append(Speech(number, line, audio=_recording(args["fichier"], base_dir, where)))
            spoken = True
            continue
        if name == "decrocher":
            if script.rings is not None:
                raise ScriptError(f"{where} : /decrocher est déjà donné ligne {script.rings_line}.")
            if spoken:
                raise ScriptError(f"{where} : /decrocher doit précéder la première réplique (le téléphone sonne encore).")
            rings = args.get("sonneries", 1)
            if not 1 <= rings <= MAX_RINGS:
                raise ScriptError(f"{where}, argument sonneries : de 1 à {MAX_RINGS} sonneries, pas {rings}.")
            script.rings, script.rings_line = rings, number
        script.items.append(Action(number, name, args, line))
    return script


def _recording(value: str, base_dir: Path | None, where: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    if not path.is_file():
        raise ScriptError(f"{where}, /audio : enregistrement {path} introuvable.")
    if path.suffix.lower() != ".wav":
        raise ScriptError(f"{where}, /audio : {path.name} n'est pas un fichier .wav.")
    return path


def load_script(path: Path) -> Script:
    """Read and parse a script file (UTF-8)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScriptError(unreadable(path, exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScriptError(f"{path}, ligne {line} : le fichier n'est pas en UTF-8 (octet {exc.start}).") from None
    return parse_script(text, str(path), base_dir=Path(path).resolve().parent)


def script_help(width: int = 78) -> str:
    """The actions of the script language, one paragraph each, for ``trainer play --help``."""
    import textwrap

    parts = []
    for spec in ACTIONS.values():
        args = " ".join(
            (f"{a.name}=…" if a.name not in spec.positional else a.name.upper())
            + ("" if a.required else "?")
            for a in spec.args
        )
        head = f"/{spec.name} {args}".rstrip()
        body = textwrap.fill(spec.summary[0].upper() + spec.summary[1:] + ".", width=width,
                             initial_indent="    ", subsequent_indent="    ")
        example = "    Exemple : " + spec.example  # never wrapped: it is copied as one line
        parts.append(f"{head}\n{body}\n{example}")
    return "\n\n".join(parts)
