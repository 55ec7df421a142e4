"""Call facts that grid items draw on, besides the charter rules.

A fact is a named measure of the call: a value between 0 and 1 (1 = fully observed), or ``None``
when it cannot be judged from what the session recorded (no grievance → the 9-step method does not
apply; text mode → the voice cannot be heard). Each comes with the turns that show it and a short
French note for the item's comment. Grids name facts in their ``draws_on`` lists (see
``grids/*.yaml`` and ``docs/SCORING.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.scoring.context import CallView, TurnView
from trainer.scoring.feedback import q, tour, tours
from trainer.scoring.models import ErpCheck
from trainer.scoring.rules import RuleVerdict


@dataclass(frozen=True)
class FactResult:
    """Value 0..1 (None: not judged), evidence turns, French note."""

    value: float | None
    note: str
    turns: list[int] = field(default_factory=list)


@dataclass
class FactContext:
    """What a fact may read: the call, the rule verdicts, the ERP checks."""

    call: CallView
    rules: dict[str, RuleVerdict]
    erp: list[ErpCheck]


FactFn = Callable[[FactContext], FactResult]
FACTS: dict[str, FactFn] = {}


def fact(name: str) -> Callable[[FactFn], FactFn]:
    """Register a fact under the name grids use."""

    def wrap(fn: FactFn) -> FactFn:
        FACTS[name] = fn
        return fn

    return wrap


def _yes(note: str, turns: list[int]) -> FactResult:
    return FactResult(1.0, note, sorted(set(turns)))


def _no(note: str, turns: list[int] | None = None) -> FactResult:
    return FactResult(0.0, note, sorted(set(turns or [])))


def _na(note: str) -> FactResult:
    return FactResult(None, note, [])


def _first_said(call: CallView, table: str, said: str, advice: str) -> FactResult:
    """Met at the student's first turn matching ``table`` (« said (tour N) »), else ``advice``."""
    found = [tv.index for tv in call.with_table(table, call.student)]
    if found:
        return _yes(f"{said} ({tour(found[0])})", found[:1])
    return _no(advice)


def _after(call: CallView, index: int) -> list[TurnView]:
    return [tv for tv in call.student if tv.index > index]


# --------------------------------------------------------------------------------------------
# Voice, courtesy, clarity
# --------------------------------------------------------------------------------------------

WPM_REFERENCE = 120.0


@fact("voix_posee")
def voix_posee(ctx: FactContext) -> FactResult:
    """Voice mode: pace near 120 words per minute, few fillers, audible level."""
    call = ctx.call
    if call.transcript.mode != "voice":
        return _na("Appel en mode texte : le débit, la clarté et le volume de la voix ne peuvent pas être mesurés")
    measured = [tv for tv in call.student if tv.turn.words_per_minute is not None or tv.turn.loudness_dbfs is not None]
    if not measured:
        return _na("Appel vocal sans mesures de la voix (débit, volume) dans la transcription")
    parts: list[float] = []
    notes: list[str] = []
    wpms = [tv.turn.words_per_minute for tv in measured if tv.turn.words_per_minute is not None]
    if wpms:
        wpm = sum(wpms) / len(wpms)
        gap = abs(wpm - WPM_REFERENCE) / WPM_REFERENCE
        parts.append(1.0 if gap <= 0.2 else 0.5 if gap <= 0.4 else 0.0)
        pace = "posé" if gap <= 0.2 else ("trop rapide" if wpm > WPM_REFERENCE else "trop lent")
        notes.append(f"débit moyen {wpm:.0f} mots/min ({pace}, repère ~{WPM_REFERENCE:.0f})")
    levels = [tv.turn.loudness_dbfs for tv in measured if tv.turn.loudness_dbfs is not None]
    if levels:
        level = sum(levels) / len(levels)
        ok = -35.0 <= level <= -8.0
        parts.append(1.0 if ok else 0.0)
        notes.append(f"volume moyen {level:.0f} dBFS ({'audible' if ok else 'trop faible' if level < -35 else 'saturé'})")
    fillers = sum(len(tv.utt.fillers) for tv in call.student)
    words = sum(tv.utt.word_count for tv in call.student) or 1
    ratio = fillers / words
    parts.append(1.0 if ratio <= 0.02 else 0.5 if ratio <= 0.05 else 0.0)
    notes.append(f"{fillers} mot(s) parasite(s) (« euh », « ben »…)")
    return FactResult(sum(parts) / len(parts), "Voix : " + ", ".join(notes), [tv.index for tv in measured[:3]])


@fact("politesse")
def politesse(ctx: FactContext) -> FactResult:
    """Courtesy markers (merci, s'il vous plaît, je vous en prie, avec plaisir…) in several turns."""
    call = ctx.call
    turns = [tv.index for tv in call.student if call.lex.find("remerciement", tv.utt)
             or {"plait", "prie", "plaisir", "volontiers"} & tv.utt.own_token_set()]
    if not call.student:
        return _na("Aucune parole de l'élève")
    if len(turns) >= 2:
        return _yes(f"Formules de politesse dans plusieurs tours ({tours(turns)})", turns)
    if turns:
        return FactResult(0.5, f"Une seule formule de politesse ({tours(turns)}) : soyez courtois tout au long de l'appel", turns)
    return _no("Aucune formule de politesse (« merci », « s'il vous plaît », « je vous en prie »)")


@fact("personnalisation")
def personnalisation(ctx: FactContext) -> FactResult:
    """The student addresses the caller by name during the call (before the leave-taking)."""
    call = ctx.call
    if not call.student or call.wrong_number:
        return _na("Aucun échange où nommer l'appelant")
    closing = {tv.index for tv in call.closing}
    used = [tv.index for tv in call.student if tv.index not in closing and call.addresses_caller(tv)]
    if used:
        return _yes(f"Vous nommez l'appelant pendant l'échange ({tours(used)})", used)
    who = call.caller_display
    if who:
        return _no(f"Vous ne nommez jamais l'appelant pendant l'échange : appelez-le par son nom ({q(who)})")
    return _no("Vous ne nommez jamais l'appelant pendant l'échange : demandez son nom et utilisez-le "
               f"({q('Pourriez-vous me rappeler votre nom ?')}, puis « Madame … » ou « Monsieur … »)")


@fact("phrases_courtes")
def phrases_courtes(ctx: FactContext) -> FactResult:
    """Short sentences: 20 words or fewer on average, none above 35."""
    call = ctx.call
    sentences = [(tv.index, len(s.tokens)) for tv in call.student for s in tv.utt.own]
    if len(sentences) < 2:
        return _na("Trop peu de phrases de l'élève pour juger la concision")
    average = sum(n for _, n in sentences) / len(sentences)
    longest = max(sentences, key=lambda x: x[1])
    if average <= 20 and longest[1] <= 35:
        return _yes(f"Phrases courtes (moyenne {average:.0f} mots)", [])
    if average <= 25:
        return FactResult(0.5, f"Phrases un peu longues (moyenne {average:.0f} mots, {longest[1]} au {tour(longest[0])})", [longest[0]])
    return _no(f"Phrases trop longues (moyenne {average:.0f} mots) : faites des phrases courtes", [longest[0]])


@fact("empathie")
def empathie(ctx: FactContext) -> FactResult:
    """After a grievance, the student shows compassion (« je comprends », « je suis désolé(e) »)."""
    call = ctx.call
    if not call.grievance:
        return _na("Pas de mécontentement exprimé : l'empathie n'est pas en jeu")
    first = call.grievance[0].index
    found = [tv.index for tv in _after(call, first) if call.lex.find("empathie", tv.utt) or call.lex.find("excuses", tv.utt)]
    if found:
        return _yes(f"Empathie exprimée ({tours(found[:2])})", found[:2])
    return _no("Aucune marque d'empathie après la plainte (« je comprends votre mécontentement »)")


# --------------------------------------------------------------------------------------------
# Sales: promotion, stakes, terms of payment, assertiveness
# --------------------------------------------------------------------------------------------


def _eligible_quantity(call: CallView) -> int | None:
    """Quantity of promotion-eligible products in the call (records, expected, else the words)."""
    company = call.company
    refs = company.promo_references if company else frozenset()
    total = 0
    found = False
    for rec in call.records_of("order"):
        for line in rec.get("lines") or []:
            if isinstance(line, dict) and str(line.get("reference", "")).upper() in refs:
                total += int(line.get("quantity") or 0)
                found = True
    if found:
        return total
    mentions = call.order_mentions()
    if "creme_sans_ammoniaque" in mentions:
        return mentions["creme_sans_ammoniaque"][0]
    for rec in call.scenario.expected:
        if rec.get("kind") == "order":
            for line in rec.get("lines") or []:
                if isinstance(line, dict) and str(line.get("reference", "")).upper() in refs:
                    qty = line.get("quantity")
                    qty = qty[0] if isinstance(qty, list) and qty else qty
                    if isinstance(qty, int | float):
                        total += int(qty)
                        found = True
    return total if found else None


def _first_requested_quantity(call: CallView) -> tuple[int, int] | None:
    """(quantity, turn) of the caller's first request of the promotion-eligible product."""
    for tv in call.customer:
        from trainer.scoring.context import family_quantities

        for fam, qty in family_quantities(call.lex, tv.utt):
            if fam in ("creme_sans_ammoniaque", "creme"):
                return qty, tv.index
    return None


@fact("promotion_annoncee")
def promotion_annoncee(ctx: FactContext) -> FactResult:
    """On an order of promotion-eligible products, the student announces the promotion."""
    call = ctx.call
    qty = _eligible_quantity(call)
    if qty is None:
        return _na("Aucun produit en promotion n'est en jeu dans cet appel")
    turns = [tv.index for tv in call.with_table("promotion", call.student)]
    if turns:
        return _yes(f"Promotion du mois annoncée ({tours(turns[:2])})", turns[:2])
    return _no("La promotion du mois sur les crèmes sans ammoniaque n'a pas été annoncée")


@fact("palier_superieur")
def palier_superieur(ctx: FactContext) -> FactResult:
    """Anticipation: the caller asks for a quantity just below a tier; the student points it out."""
    call = ctx.call
    company = call.company
    first = _first_requested_quantity(call)
    if company is None or not company.promo_tiers or first is None:
        return _na("Pas de quantité proche d'un palier de promotion dans cet appel")
    qty, at = first
    nxt = next((m for m, _rate in company.promo_tiers if m > qty), None)
    if nxt is None or nxt - qty > max(12, nxt // 4):
        return _na(f"La quantité demandée ({qty}) n'est pas proche d'un palier supérieur")
    for tv in _after(call, at):
        values = {int(v) for v, _s, _t in tv.utt.numbers() if v == int(v)}
        if nxt in values:
            return _yes(f"Vous signalez qu'à {nxt} unités la remise est plus forte ({tour(tv.index)}) : bonne anticipation", [tv.index])
    return _no(f"L'appelant demande {qty} unités ({tour(at)}) : signalez qu'à {nxt} il obtient le palier supérieur", [at])


@fact("forts_enjeux")
def forts_enjeux(ctx: FactContext) -> FactResult:
    """High stakes recognised: a large order (promotion tier) or a caller threatening to leave."""
    call = ctx.call
    parts: list[tuple[bool, str, list[int]]] = []
    if call.threat:
        asked = call.first_with("seconde_chance", call.student, after=call.threat[0].index)
        parts.append((asked is not None,
                      "vous demandez une nouvelle chance au client qui menace de partir" if asked else
                      f"le client menace de partir ({tour(call.threat[0].index)}) sans que vous lui demandiez une nouvelle chance",
                      [asked.index] if asked else [call.threat[0].index]))
    qty = _eligible_quantity(call)
    company = call.company
    if qty is not None and company and company.promo_tiers and qty >= company.promo_tiers[-1][0] * 2 // 3:
        promo = call.with_table("promotion", call.student)
        parts.append((bool(promo),
                      "commande importante : vous mettez en avant la promotion" if promo else
                      f"commande importante ({qty} unités) sans mise en avant de la promotion",
                      [promo[0].index] if promo else []))
    if not parts:
        return _na("Pas d'enjeu particulier repéré dans cet appel (grosse commande, client prêt à partir)")
    value = sum(1.0 for ok, _n, _t in parts if ok) / len(parts)
    return FactResult(value, "Enjeux : " + " ; ".join(n for _o, n, _t in parts), [t for _o, _n, ts in parts for t in ts])


@fact("conditions_paiement_annoncees")
def conditions_paiement_annoncees(ctx: FactContext) -> FactResult:
    """On an order, the student states the terms of payment."""
    call = ctx.call
    if call.kind != "commande" and not call.records_of("order"):
        return _na("Pas de commande : les conditions de paiement ne sont pas en jeu")
    turns = [tv.index for tv in call.with_table("conditions_paiement", call.student)]
    if turns:
        return _yes(f"Conditions de paiement précisées ({tours(turns[:2])})", turns[:2])
    return _no("Les conditions de paiement (comptant pour les salons) n'ont pas été précisées")


@fact("assertivite")
def assertivite(ctx: FactContext) -> FactResult:
    """Under pressure (transfer, discount, terms), a polite and firm refusal, without giving in."""
    call = ctx.call
    if not call.pressure:
        return _na("L'appelant n'a rien exigé hors des règles : l'assertivité n'a pas été mise à l'épreuve")
    first = call.pressure[0].index
    after = _after(call, first)
    gave_in = [tv.index for tv in after if call.lex.find("cede", tv.utt)]
    if call.kind == "filtrage" or call.asks_for_person:
        gave_in += [tv.index for tv in after if call.lex.find("transfert", tv.utt)]
    refused = [tv.index for tv in after if call.lex.find("refus_poli", tv.utt)]
    if gave_in:
        return _no(f"Vous avez cédé à la pression de l'appelant ({tours(gave_in)}) : refusez poliment mais fermement", gave_in)
    if refused:
        return _yes(f"Refus poli et ferme face à l'insistance de l'appelant ({tours(refused[:2])})", refused[:2])
    return FactResult(0.5, f"L'appelant insiste ({tour(first)}) : répondez par un refus clair et une alternative", [first])


@fact("pas_de_transfert")
def pas_de_transfert(ctx: FactContext) -> FactResult:
    """Filtering: colleagues in a meeting are not disturbed (no transfer)."""
    call = ctx.call
    if not call.asks_for_person and call.kind != "filtrage":
        return _na("Personne n'a été demandé : le filtrage n'est pas en jeu")
    transfers = [tv.index for tv in call.with_table("transfert", call.student)]
    if transfers:
        return _no(f"Vous transférez ou dérangez un collègue en réunion ({tours(transfers)}) malgré les consignes de filtrage", transfers)
    polite = [tv.index for tv in call.with_table("indisponible_poli", call.student)]
    return _yes("Consignes de filtrage respectées : aucun collègue dérangé", polite[:1])


@fact("message_complet")
def message_complet(ctx: FactContext) -> FactResult:
    """A message or callback request holds the caller's name, number, company/subject and a time."""
    call = ctx.call
    records = call.records_of("message")
    expected = [r for r in call.scenario.expected if r.get("kind") == "message"]
    if not records and not expected and call.kind != "filtrage" and not call.asks_for_person:
        return _na("Aucun message à prendre dans cet appel")
    if records:
        rec = records[0]
        caller = rec.get("caller") if isinstance(rec.get("caller"), dict) else {}
        fields = {
            "nom": bool(caller.get("name")),
            "société ou objet": bool(caller.get("company") or rec.get("subject")),
            "numéro": bool(rec.get("callback_number")),
            "moment du rappel": bool(rec.get("callback_when")),
        }
        source = "fiche message du PGI"
        turns: list[int] = []
    else:
        asked_name = call.with_table("identite", call.student)
        msg = call.with_table("message", call.student)
        number_turns = [tv for tv in call.customer if sum(len(str(int(v))) for v, _s, _t in tv.utt.numbers()) >= 8]
        fields = {
            "nom": bool(asked_name) or call.caller_self_id is not None,
            "société ou objet": bool(call.lex.find("besoin", call.student[0].utt) if call.student else False)
            or any(call.lex.find("besoin", tv.utt) for tv in call.student),
            "numéro": bool(number_turns),
            "moment du rappel": any(call.lex.find("horaire", tv.utt) for tv in msg + call.customer),
        }
        source = "échange"
        turns = [tv.index for tv in msg[:2]]
    got = [k for k, ok in fields.items() if ok]
    missing = [k for k, ok in fields.items() if not ok]
    value = len(got) / len(fields)
    if not missing:
        return FactResult(value, f"Message complet ({source}) : nom, société ou objet, numéro, moment du rappel", turns)
    return FactResult(value, f"Message incomplet ({source}) : il manque {', '.join(missing)}", turns)


# --------------------------------------------------------------------------------------------
# ERP
# --------------------------------------------------------------------------------------------


def _erp_value(checks: list[ErpCheck], what: str) -> FactResult:
    if not checks:
        return _na(f"Pas de {what} attendue à comparer (scénario inconnu ou sans fiche attendue)")
    ok = [c for c in checks if c.ok]
    bad = [c for c in checks if not c.ok]
    if not bad:
        return FactResult(1.0, f"PGI : {len(ok)} point(s) vérifié(s), tout est juste", [])
    return FactResult(len(ok) / len(checks), "PGI : " + " ".join(c.message for c in bad[:3]), [])


@fact("erp_exactitude")
def erp_exactitude(ctx: FactContext) -> FactResult:
    """Share of ERP checks passed (quantities, discounts, category, service, deadline, message…)."""
    return _erp_value(ctx.erp, "saisie")


@fact("erp_cgv")
def erp_cgv(ctx: FactContext) -> FactResult:
    """ERP checks about the sales conditions: discounts (promotion tiers) and terms of payment."""
    return _erp_value([c for c in ctx.erp if c.category in ("remise", "paiement")], "remise ni condition de paiement")


# --------------------------------------------------------------------------------------------
# Complaints: the 9-step method ([001]) and the oral answer in 5 blocks
# --------------------------------------------------------------------------------------------


def _grievance_start(call: CallView) -> int | None:
    return call.grievance[0].index if call.grievance else None


def _fact_questions(call: CallView, start: int) -> list[int]:
    out: list[int] = []
    for tv in _after(call, start):
        if any(s.question for s in tv.utt.own) and not call.lex.find("autres_questions", tv.utt):
            if not (call.lex.find("identite", tv.utt) and len(tv.utt.own) == 1):
                out.append(tv.index)
    return out


@fact("laisser_exprimer")
def laisser_exprimer(ctx: FactContext) -> FactResult:
    """Step 1: let the caller vent, no interruption, no instant solution."""
    call = ctx.call
    start = _grievance_start(call)
    if start is None:
        return _na("Pas de mécontentement exprimé")
    rule = ctx.rules.get("echange.ecoute_active")
    if rule is not None and rule.verdict == "violated" and "coupé" in rule.advice:
        return _no("Vous avez coupé la parole au client mécontent", rule.turns)
    first_reply = call.next_student(start)
    if first_reply is not None and call.lex.find("solution", first_reply.utt) and not (
        call.lex.find("empathie", first_reply.utt) or call.lex.find("excuses", first_reply.utt)
    ):
        return FactResult(0.5, f"Vous proposez une solution dès votre première réponse ({tour(first_reply.index)}) sans laisser le client s'exprimer", [first_reply.index])
    return _yes("Vous laissez le client exprimer son mécontentement", [start])


@fact("compassion")
def compassion(ctx: FactContext) -> FactResult:
    """Step 2: compassion early (first two replies after the grievance)."""
    call = ctx.call
    start = _grievance_start(call)
    if start is None:
        return _na("Pas de mécontentement exprimé")
    replies = _after(call, start)
    for pos, tv in enumerate(replies):
        if call.lex.find("empathie", tv.utt) or call.lex.find("excuses", tv.utt):
            if pos <= 1:
                return _yes(f"Compassion exprimée tout de suite ({tour(tv.index)})", [tv.index])
            return FactResult(0.5, f"Compassion exprimée tardivement ({tour(tv.index)})", [tv.index])
    return _no("Aucune compassion exprimée (« je regrette », « je suis désolé(e) »)")


@fact("questions_faits")
def questions_faits(ctx: FactContext) -> FactResult:
    """Step 3: questions about the facts (order, products, quantities, what happened)."""
    call = ctx.call
    start = _grievance_start(call)
    if start is None:
        return _na("Pas de mécontentement exprimé")
    found = _fact_questions(call, start)
    if found:
        return _yes(f"Questions précises sur les faits ({tours(found[:3])})", found[:3])
    return _no("Aucune question sur les faits (numéro de commande, produits, quantités)")


@fact("prise_de_notes")
def prise_de_notes(ctx: FactContext) -> FactResult:
    """Step 4: the student says they are taking notes."""
    call = ctx.call
    if _grievance_start(call) is None:
        return _na("Pas de réclamation : l'étape « noter » de la méthode ne s'applique pas")
    found = [tv.index for tv in call.with_table("prise_de_notes", call.student)]
    if found:
        return _yes(f"Vous signalez que vous prenez des notes ({tours(found[:2])})", found[:2])
    return _no("Signalez que vous prenez des notes (« je note »)")


@fact("seconde_chance")
def seconde_chance(ctx: FactContext) -> FactResult:
    """Step 5 (serious complaint, caller threatening to leave): ask for another chance."""
    call = ctx.call
    if not call.threat:
        return _na("Le client ne menace pas de partir : l'étape « nouvelle chance » ne s'applique pas")
    asked = call.first_with("seconde_chance", call.student, after=call.threat[0].index - 1)
    if asked:
        return _yes(f"Vous demandez au client de vous accorder une nouvelle chance ({tour(asked.index)})", [asked.index])
    return _no(f"Le client menace de partir ({tour(call.threat[0].index)}) : demandez-lui s'il vous accorde encore une chance", [call.threat[0].index])


@fact("attente_client")
def attente_client(ctx: FactContext) -> FactResult:
    """Step 6: explore what the customer expects."""
    call = ctx.call
    if _grievance_start(call) is None:
        return _na("Pas de mécontentement exprimé")
    return _first_said(call, "attente_client", "Vous explorez l'attente du client", "Demandez au client ce qu'il attend (« Que puis-je faire pour vous ? »)")


@fact("solution_proposee")
def solution_proposee(ctx: FactContext) -> FactResult:
    """A concrete solution is offered to the caller's problem."""
    call = ctx.call
    start = _grievance_start(call)
    if start is None:
        return _na("Pas de réclamation : aucune solution à proposer")
    found = [tv.index for tv in _after(call, start) if call.lex.find("solution", tv.utt)]
    if found:
        return _yes(f"Solution concrète proposée ({tour(found[0])})", found[:1])
    return _no("Aucune solution concrète proposée (nouvel envoi, avoir, rappel du service concerné)")


@fact("engagement_delai")
def engagement_delai(ctx: FactContext) -> FactResult:
    """Step 7: a personal commitment with a deadline (« je vous renvoie les tubes dès demain »)."""
    call = ctx.call
    start = _grievance_start(call)
    needs = start is not None or call.kind in ("reclamation", "filtrage", "information")
    if not needs:
        return _na("Aucun engagement à prendre dans cet appel")
    for tv in call.student if start is None else _after(call, start):
        committed = call.lex.find("engagement", tv.utt) or call.lex.find("solution", tv.utt) or call.lex.find(
            "engagement_personnel", tv.utt
        )
        if committed and call.lex.find("horaire", tv.utt):
            return _yes(f"Engagement assorti d'un délai précis ({tour(tv.index)})", [tv.index])
    return _no("Engagez-vous sur un délai précis (« je vous rappelle demain avant 12 h »)")


@fact("tenir_informe")
def tenir_informe(ctx: FactContext) -> FactResult:
    """Step 8: promise to keep the customer informed."""
    call = ctx.call
    if _grievance_start(call) is None:
        return _na("Pas de réclamation en cours")
    return _first_said(call, "tenir_informe", "Vous promettez de tenir le client informé", "Promettez de tenir le client informé des actions menées")


@fact("remercier_client")
def remercier_client(ctx: FactContext) -> FactResult:
    """Step 9: thank the customer (for the report, patience or collaboration)."""
    call = ctx.call
    if _grievance_start(call) is None:
        return _na("Pas de réclamation en cours")
    thanks = [tv.index for tv in call.student if tv.index > call.grievance[0].index and call.lex.find("remerciement", tv.utt)]
    if thanks:
        return _yes(f"Vous remerciez le client ({tours(thanks[-2:])})", thanks[-2:])
    return _no("Remerciez le client pour sa patience et sa collaboration")


@fact("reformuler_reclamation")
def reformuler_reclamation(ctx: FactContext) -> FactResult:
    """Oral answer, block 2: neutral rephrasing of the complaint before answering."""
    call = ctx.call
    start = _grievance_start(call)
    if start is None:
        return _na("Pas de réclamation à reformuler")
    solution_at = next((tv.index for tv in _after(call, start) if call.lex.find("solution", tv.utt)), None)
    for tv in _after(call, start):
        if solution_at is not None and tv.index > solution_at:
            break
        if call.lex.find("recapitulation", tv.utt):
            return _yes(f"Vous reformulez la réclamation avant d'y répondre ({tour(tv.index)})", [tv.index])
    return _no("Reformulez la réclamation de façon neutre avant de proposer une solution (« Si je comprends bien, … »)")


@fact("satisfaction_demandee")
def satisfaction_demandee(ctx: FactContext) -> FactResult:
    """Oral answer, block 4: ask whether the solution satisfies the customer."""
    call = ctx.call
    relevant = _grievance_start(call) is not None or call.kind == "rappel"
    if not relevant:
        return _na("Pas de solution à faire valider")
    return _first_said(call, "satisfaction", "Vous vérifiez que la solution convient", "Demandez si la solution convient (« Cette solution vous convient-elle ? »)")


@fact("importance_client")
def importance_client(ctx: FactContext) -> FactResult:
    """Oral answer, block 5: remind the customer how much they matter."""
    call = ctx.call
    relevant = _grievance_start(call) is not None or call.kind == "rappel"
    if not relevant:
        return _na("Pas de réclamation à conclure")
    return _first_said(call, "importance_client", "Vous rappelez l'importance du client", "Rappelez au client l'importance qu'il a pour l'entreprise")


@fact("rappel_propose")
def rappel_propose(ctx: FactContext) -> FactResult:
    """Oral answer, block 5: offer to call back in a few days."""
    call = ctx.call
    if _grievance_start(call) is None:
        return _na("Pas de réclamation à suivre")
    return _first_said(call, "rappel_propose", "Vous proposez de rappeler le client pour vérifier sa satisfaction", "Proposez de rappeler le client dans quelques jours pour vérifier que tout est réglé")


# --------------------------------------------------------------------------------------------
# Outgoing calls: CROC
# --------------------------------------------------------------------------------------------


def _outgoing_only(call: CallView) -> FactResult | None:
    if call.direction != "outgoing":
        return _na("Appel reçu : le plan CROC concerne les appels émis")
    if not call.student:
        return _na("Aucune parole de l'élève")
    return None


@fact("croc_contact")
def croc_contact(ctx: FactContext) -> FactResult:
    """C: greet, introduce oneself and the company, check the interlocutor."""
    call = ctx.call
    skip = _outgoing_only(call)
    if skip:
        return skip
    opening = call.student[:2]
    greet = any(call.lex.find("salutation", tv.utt) for tv in opening)
    company = any(call.lex.find("entreprises", tv.utt) for tv in opening)
    introduce = company or any(call.lex.find("croc_contact", tv.utt) for tv in opening)
    check = any(call.lex.find("croc_contact", tv.utt) or call.lex.find("identite", tv.utt) for tv in call.student[:3])
    parts = {"salutation": greet, "présentation (vous et votre entreprise)": introduce, "vérification de l'interlocuteur": check}
    missing = [k for k, ok in parts.items() if not ok]
    value = sum(parts.values()) / len(parts)
    idx = [tv.index for tv in opening]
    if not missing:
        return FactResult(value, "Contact réussi : salutation, présentation et vérification de l'interlocuteur", idx)
    return FactResult(value, f"Contact incomplet : il manque {', '.join(missing)}", idx)


@fact("croc_raison")
def croc_raison(ctx: FactContext) -> FactResult:
    """R: the reason for the call is stated early."""
    call = ctx.call
    skip = _outgoing_only(call)
    if skip:
        return skip
    for pos, tv in enumerate(call.student):
        if call.lex.find("croc_raison", tv.utt):
            if pos <= 2:
                return _yes(f"Raison de l'appel annoncée d'emblée ({tour(tv.index)})", [tv.index])
            return FactResult(0.5, f"Raison de l'appel annoncée tardivement ({tour(tv.index)})", [tv.index])
    return _no("Annoncez clairement la raison de votre appel (« Je vous appelle au sujet de la facture … »)")


@fact("croc_objectif")
def croc_objectif(ctx: FactContext) -> FactResult:
    """O: the call's objective is pursued and reached (a payment date, a satisfaction check…)."""
    call = ctx.call
    skip = _outgoing_only(call)
    if skip:
        return skip
    if call.kind == "relance" or call.records_of("reminder"):
        asked = call.first_with("demande_engagement", call.student)
        rec = next((r for r in call.records_of("reminder") if r.get("promised_payment_date")), None)
        answered = asked is not None and any(
            call.lex.find("horaire", tv.utt) for tv in call.customer if tv.index > asked.index
        )
        if rec is not None or answered:
            return _yes("Objectif atteint : une date de paiement précise est obtenue", [asked.index] if asked else [])
        if asked is not None:
            return FactResult(0.5, f"Vous demandez une date de paiement ({tour(asked.index)}) sans obtenir d'engagement précis", [asked.index])
        return _no("Demandez une date et un moyen de paiement précis (« À quelle date pouvez-vous régler ? »)")
    if call.kind == "rappel":
        found = call.first_with("satisfaction", call.student)
        if found:
            return _yes(f"Objectif atteint : vous vérifiez la satisfaction du client ({tour(found.index)})", [found.index])
        return _no("Demandez au client si la solution apportée lui donne satisfaction")
    questions = [tv.index for tv in call.student if tv.utt.is_question]
    agreed = ctx.rules.get("conclusion.reformulation")
    if questions and agreed is not None and agreed.verdict == "respected":
        return _yes("Objectif poursuivi par des questions et confirmé par une reformulation", questions[:2])
    if questions:
        return FactResult(0.5, "Objectif poursuivi par des questions, mais non confirmé par une reformulation", questions[:2])
    return _no("Posez les questions qui mènent à votre objectif (rendez-vous, réservation, décision)")


@fact("croc_conclusion")
def croc_conclusion(ctx: FactContext) -> FactResult:
    """C: restate, take leave, and end the call as its initiator."""
    call = ctx.call
    skip = _outgoing_only(call)
    if skip:
        return skip
    wanted = ("conclusion.reformulation", "conclusion.prise_de_conge", "conclusion.raccrocher_en_dernier")
    judged = [ctx.rules[r] for r in wanted if r in ctx.rules and ctx.rules[r].verdict != "not_applicable"]
    if not judged:
        return _na("Conclusion non observable")
    ok = [r for r in judged if r.verdict == "respected"]
    bad = [r.label or r.id for r in judged if r.verdict != "respected"]
    note = "Conclusion complète" if not bad else "Conclusion incomplète : " + ", ".join(b.lower() for b in bad)
    return FactResult(len(ok) / len(judged), note, [t for r in judged for t in r.turns][:3])


FACT_NAMES = frozenset(FACTS)


def evaluate_facts(ctx: FactContext, names: set[str]) -> dict[str, FactResult]:
    """The facts a grid needs, each computed once (none can be judged without the student's words)."""
    if not ctx.call.student:
        return {name: _na("La transcription ne contient aucune parole de l'élève") for name in names}
    return {name: FACTS[name](ctx) for name in sorted(names)}
