"""The scenario linter: what a teacher's scenario file gets wrong before a student meets it.

``lint_paths(paths)`` returns a list of ``Problem`` (file, line, code, French message), empty when
everything is fine. Checks:

- ``invalide``: the file does not load (YAML or format error: the loader's message, with its line);
- ``etat-inaccessible``: a state no transition leads to from ``start``;
- ``impasse``: a state that is neither ``final`` nor ``closing`` and never moves on (no transition
  with ``goto`` or ``end``), or a state where the customer has nothing to say at all;
- ``variable-inconnue``: a ``{slot}`` in a line that neither the simulator nor ``slots:`` defines;
- ``sans-variante``: a line with a single wording (the customer would repeat it word for word);
- ``replique-inconnue`` / ``replique-inutilisee``: a line id used but not defined / defined but
  never used;
- ``intention-inconnue``: an intent name the NLU does not know;
- ``drapeau-jamais-pose``: a flag a condition reads that nothing ever sets;
- ``donnees-entreprise``: a client number, product reference, shade or invoice absent from the
  company's reference data, or a persona whose client number names someone else;
- ``personnage-incoherent``: one persona id used by two scenarios with different name or voice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer.content.scenarios import (
    BUILTIN_SLOTS,
    COMMON_FILE,
    ENGINE_FLAGS,
    KNOWN_INTENTS,
    CommonContent,
    Condition,
    Rule,
    Scenario,
    common,
    parse_scenario_file,
    scenario_files,
    template_slots,
)
from trainer.content.yamlio import Loc, load_yaml_text, parse_yaml_text, read_text
from trainer.errors import UserError

NLU_INTENTS_FILE = Path(__file__).resolve().parent.parent / "dialogue" / "data" / "intents.yaml"
# Events the simulator raises (trainer/dialogue/customer.py) that are not in ENGINE_FLAGS.
SIMULATOR_EVENTS = frozenset(
    """order_line_missing order_line_extra order_unquantified order_echo_ok correction_accepted
    promo_noted promo_repeated solution_vague deadline_too_long repeat_request not_understood
    off_topic impatience goodbye_early hung_up_on leave_phrase""".split()
)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of the linter."""

    path: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, ligne {self.line}" if self.line else self.path
        return f"{where} [{self.code}] : {self.message}"

    def to_json(self) -> dict:
        """JSON-ready form."""
        return {"file": self.path, "line": self.line, "code": self.code, "message": self.message}


def known_intents() -> frozenset[str]:
    """Intents of docs/INTERFACES.md plus those of the NLU's data file (read as data, if present)."""
    names = set(KNOWN_INTENTS)
    if NLU_INTENTS_FILE.is_file():
        try:
            data, _ = parse_yaml_text(read_text(NLU_INTENTS_FILE), str(NLU_INTENTS_FILE))
        except UserError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("intents"), dict):
            names |= set(data["intents"])
    return frozenset(names)


def _line(lines: dict[Loc, int], *loc: str | int) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _conditions(cond: Condition) -> Iterable[Condition]:
    yield cond
    for sub in cond.any:
        yield from _conditions(sub)


class _Linter:
    def __init__(
        self,
        scenario: Scenario,
        lines: dict[Loc, int],
        source: str,
        intents: frozenset[str],
        companies: dict[str, object] | None = None,
    ) -> None:
        self.companies = companies if companies is not None else {}
        self.s = scenario
        self.lines = lines
        self.source = source
        self.intents = intents
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, *loc: str | int) -> None:
        self.problems.append(Problem(self.source, _line(self.lines, *loc), code, message))

    # Every rule of the scenario with its location in the file.
    def rules(self) -> list[tuple[tuple[str | int, ...], Rule]]:
        found: list[tuple[tuple[str | int, ...], Rule]] = []
        for name, state in self.s.states.items():
            for i, rule in enumerate(state.transitions):
                found.append((("states", name, "transitions", i), rule))
        for i, rule in enumerate(self.s.answers):
            found.append((("answers", i), rule))
        for i, rule in enumerate(self.s.anytime):
            found.append((("anytime", i), rule))
        return found

    def run(self) -> list[Problem]:
        self.check_states()
        self.check_lines()
        self.check_intents_and_flags()
        self.check_company()
        return self.problems

    # --- States ----------------------------------------------------------------------------

    def check_states(self) -> None:
        s = self.s
        global_targets = [r.goto for r in s.anytime if r.goto] + [r.goto for r in s.answers if r.goto]
        reached = {s.start}
        todo = [s.start]
        while todo:
            name = todo.pop()
            targets = [r.goto for r in s.states[name].transitions if r.goto] + global_targets
            for target in targets:
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
        for name in s.states:
            if name not in reached:
                self.add("etat-inaccessible", f"l'état « {name} » n'est atteint par aucune transition depuis « {s.start} »", "states", name)
        for name, state in s.states.items():
            if state.final:
                if state.transitions:
                    self.add("impasse", f"l'état final « {name} » a des transitions qui ne serviront jamais", "states", name, "transitions")
                continue
            moves = [r for r in state.transitions if (r.goto and r.goto != name) or r.end]
            moves += [r for r in s.anytime if (r.goto and r.goto != name) or r.end]
            if not moves and not state.closing:
                self.add(
                    "impasse",
                    f"l'état « {name} » ne mène nulle part (aucune transition avec goto ou end) : "
                    "ajoutez une transition, ou « closing: true » si l'appel peut s'y conclure",
                    "states",
                    name,
                )
            if not state.transitions and not state.idle and not state.say and name != s.start:
                self.add("impasse", f"dans l'état « {name} », le client n'a rien à dire (ni say, ni transitions, ni idle)", "states", name)

    # --- Lines -----------------------------------------------------------------------------

    def used_lines(self) -> list[tuple[str, tuple[str | int, ...]]]:
        used: list[tuple[str, tuple[str | int, ...]]] = []
        for name, state in self.s.states.items():
            used += [(lid, ("states", name, "say")) for lid in state.say]
            used += [(lid, ("states", name, "idle")) for lid in state.idle]
        for loc, rule in self.rules():
            used += [(lid, (*loc, "say")) for lid in rule.say]
        for i, fact in enumerate(self.s.hidden_facts):
            used.append((fact.say, ("hidden_facts", i, "say")))
        for i, goal in enumerate(self.s.goals):
            if goal.remind:
                used.append((goal.remind, ("goals", i, "remind")))
        return used

    def check_lines(self) -> None:
        s = self.s
        slots = BUILTIN_SLOTS | set(s.slots)
        for line_id, loc in self.used_lines():
            if not s.has_line(line_id):
                self.add("replique-inconnue", f"la réplique « {line_id} » n'est définie ni dans lines ni dans le fichier commun", *loc)
        used_ids = {lid for lid, _ in self.used_lines()}
        # Lines the simulator says by itself may be overridden by a scenario: never « unused ».
        engine_lines = set(common().lines)
        for line_id, variants in s.lines.items():
            if len(variants) < 2:
                self.add("sans-variante", f"la réplique « {line_id} » n'a qu'une formulation : donnez-en au moins deux", "lines", line_id)
            if line_id not in used_ids and line_id not in engine_lines:
                self.add("replique-inutilisee", f"la réplique « {line_id} » n'est jamais dite", "lines", line_id)
            for i, text in enumerate(variants):
                for slot in template_slots(text):
                    if slot not in slots:
                        self.add("variable-inconnue", f"variable {{{slot}}} inconnue dans la réplique « {line_id} »", "lines", line_id, i)
        card = s.role_card
        texts = [(("role_card", "situation"), card.situation)]
        for field in ("documents", "instructions", "objectives"):
            texts += [(("role_card", field, i), text) for i, text in enumerate(getattr(card, field))]
        for loc, text in texts:
            for slot in template_slots(text):
                if slot not in slots:
                    self.add("variable-inconnue", f"variable {{{slot}}} inconnue dans la fiche de rôle", *loc)
        for loc, rule in self.rules():
            for cond in _conditions(rule.when):
                for slot in cond.has + cond.lacks:
                    if slot not in slots:
                        self.add("variable-inconnue", f"variable « {slot} » inconnue dans has/lacks", *loc, "when")

    # --- Intents and flags -----------------------------------------------------------------

    def flags_set(self) -> set[str]:
        names = set(ENGINE_FLAGS) | set(SIMULATOR_EVENTS) | {f"said_{i}" for i in self.intents}
        for _, rule in self.rules():
            names |= set(rule.set)
        for rule in common().answers:
            names |= set(rule.set)
        for fact in self.s.hidden_facts:
            names |= set(fact.set) | {f"fact_{fact.id}"}
        return names

    def check_intents_and_flags(self) -> None:
        settable = self.flags_set()
        conditions: list[tuple[tuple[str | int, ...], Condition]] = [((*loc, "when"), rule.when) for loc, rule in self.rules()]
        conditions += [(("hidden_facts", i, "when"), f.when) for i, f in enumerate(self.s.hidden_facts)]
        conditions += [(("goals", i, "when"), g.when) for i, g in enumerate(self.s.goals)]
        for loc, cond in conditions:
            for name in sorted(cond.intents()):
                if name not in self.intents:
                    self.add("intention-inconnue", f"intention « {name} » inconnue de la compréhension (NLU)", *loc)
            for name in sorted(cond.flag_names()):
                if name not in settable:
                    self.add("drapeau-jamais-pose", f"le drapeau ou l'événement « {name} » n'est jamais posé", *loc)

    # --- Company data ----------------------------------------------------------------------

    def check_company(self) -> None:
        from trainer.content.company import load_company

        try:
            if self.s.company not in self.companies:
                self.companies[self.s.company] = load_company(self.s.company)
            company = self.companies[self.s.company]
        except UserError as exc:
            self.add("donnees-entreprise", f"données de l'entreprise illisibles : {exc}", "company")
            return
        persona = self.s.persona
        clients = {c.number: c for c in company.clients}
        if persona.client_number:
            client = clients.get(persona.client_number)
            if client is None:
                self.add("donnees-entreprise", f"le numéro client {persona.client_number} n'existe pas chez {self.s.company}", "persona", "client_number")
            elif client.name != persona.name:
                self.add(
                    "donnees-entreprise",
                    f"le client {persona.client_number} s'appelle « {client.name} », pas « {persona.name} »",
                    "persona",
                    "name",
                )
        catalogue = company.catalogue
        order = self.s.wants.order
        if order is not None:
            lines = [("wants", "order", "lines", i, line) for i, line in enumerate(order.lines)]
            if order.on_promotion:
                lines += [("wants", "order", "on_promotion", "raise_to", i, line) for i, line in enumerate(order.on_promotion.raise_to)]
            for *loc, line in lines:
                self._check_product(catalogue, line.reference, line.shade, tuple(loc))
        for i, record in enumerate(self.s.expected.records):
            data = record.model_dump()
            for j, line in enumerate(data.get("lines") or []):
                if isinstance(line, dict) and line.get("reference"):
                    for shade in line.get("shades") or [None]:
                        self._check_product(catalogue, line["reference"], shade, ("expected", "records", i, "lines", j))
            client = data.get("client")
            if isinstance(client, dict) and client.get("number") and client["number"] not in clients:
                self.add("donnees-entreprise", f"client attendu {client['number']} inconnu", "expected", "records", i, "client")
            invoice = data.get("invoice")
            if isinstance(invoice, str) and not self._has_invoice(company, invoice):
                self.add("donnees-entreprise", f"facture attendue {invoice} inconnue", "expected", "records", i, "invoice")
        payment = self.s.wants.payment
        if payment is not None and not self._has_invoice(company, payment.invoice):
            self.add("donnees-entreprise", f"la facture {payment.invoice} n'existe pas chez {self.s.company}", "wants", "payment", "invoice")

    def _check_product(self, catalogue, reference: str, shade: str | None, loc: tuple) -> None:
        from trainer.domain.errors import DomainError

        if catalogue is None:
            self.add("donnees-entreprise", f"référence {reference} : l'entreprise n'a pas de catalogue", *loc)
            return
        try:
            catalogue.product(reference)
            if shade is not None:
                catalogue.shade(reference, shade)
        except DomainError as exc:
            self.add("donnees-entreprise", str(exc).rstrip("."), *loc)

    @staticmethod
    def _has_invoice(company, number: str) -> bool:
        return any(getattr(inv, "number", None) == number for inv in getattr(company, "invoices", None) or [])


def lint_common() -> list[Problem]:
    """Problems of the common file (lines without variants, slots unknown)."""
    source = str(COMMON_FILE.name)
    try:
        text = read_text(COMMON_FILE)
        _, lines = parse_yaml_text(text, source)
        content = load_yaml_text(text, CommonContent, source)
    except UserError as exc:
        return [Problem(source, None, "invalide", str(exc))]
    problems: list[Problem] = []
    for line_id, variants in content.lines.items():
        if len(variants) < 2:
            problems.append(Problem(source, _line(lines, "lines", line_id), "sans-variante", f"la réplique « {line_id} » n'a qu'une formulation"))
        for i, text_ in enumerate(variants):
            for slot in template_slots(text_):
                if slot not in BUILTIN_SLOTS:
                    problems.append(Problem(source, _line(lines, "lines", line_id, i), "variable-inconnue", f"variable {{{slot}}} inconnue"))
    for i, rule in enumerate(content.answers):
        for line_id in rule.say:
            if line_id not in content.lines:
                problems.append(Problem(source, _line(lines, "answers", i, "say"), "replique-inconnue", f"réplique « {line_id} » non définie"))
    return problems


def lint_file(path: Path, intents: frozenset[str] | None = None, companies: dict[str, object] | None = None) -> list[Problem]:
    """Problems of one scenario file (``companies`` caches company data across files)."""
    from trainer.content.scenarios import _display

    source = _display(path)
    try:
        scenario, lines = parse_scenario_file(path)
    except UserError as exc:
        return [Problem(source, None, "invalide", str(exc))]
    return sorted(_Linter(scenario, lines, source, intents or known_intents(), companies).run())


def lint_paths(paths: Iterable[Path] | None = None) -> list[Problem]:
    """Problems of the given scenario files, or of every scenario and the common file."""
    intents = known_intents()
    problems: list[Problem] = []
    if paths is None:
        problems += lint_common()
        targets = scenario_files()
    else:
        targets = [Path(p) for p in paths]
    companies: dict[str, object] = {}
    for path in targets:
        problems += lint_file(path, intents, companies)
    problems += _persona_conflicts(targets)
    return problems


def _persona_conflicts(paths: list[Path]) -> list[Problem]:
    """A persona id used by several scenarios must be the same person with the same voice."""
    from trainer.content.scenarios import _display, load_scenario_file

    seen: dict[str, tuple[str, tuple]] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            scenario = load_scenario_file(path)
        except UserError:
            continue  # already reported as « invalide »
        p = scenario.persona
        key = (p.name, p.civility, p.client_number, p.voice.gender, p.voice.pitch, p.voice.rate)
        first = seen.setdefault(p.id, (scenario.id, key))
        if first[1] != key:
            problems.append(
                Problem(
                    _display(path),
                    None,
                    "personnage-incoherent",
                    f"le personnage « {p.id} » n'a pas le même nom, numéro client ou voix que dans {first[0]}",
                )
            )
    return problems
