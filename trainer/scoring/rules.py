"""The charter rules of CONTRACT §5, one detector each.

Every detector takes a ``CallView`` and returns a ``RuleResult``: a verdict, the turns that show it
(a respected rule points at the turn that proves it, a violation at the offending turn, a rule that
does not apply says why) and French advice a teacher would write, quoting the student.

How each rule is read (the contract's binding decisions, plus the project's) is documented in
``docs/SCORING.md``; the phrases themselves are data in ``grids/phrases/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trainer.dialogue.normalize import fold
from trainer.scoring.context import CallView, TurnView, is_interrupted, product_family
from trainer.scoring.feedback import RULE_LABELS, join_fr, q, said, sentence, tour, tours
from trainer.scoring.lexicon import Hit


@dataclass(slots=True)
class RuleVerdict:
    """One rule's verdict as the detectors produce it (turned into ``models.RuleResult`` in the report)."""

    id: str
    verdict: str
    turns: list[int]
    advice: str
    label: str | None = None

    def as_dict(self) -> dict:
        """The CONTRACT §5 shape (plus the label)."""
        return {"id": self.id, "verdict": self.verdict, "turns": self.turns, "advice": self.advice, "label": self.label}


RuleResult = RuleVerdict
RuleFn = Callable[[CallView], RuleVerdict]
RULES: dict[str, RuleFn] = {}


def rule(rule_id: str) -> Callable[[RuleFn], RuleFn]:
    """Register a detector under its CONTRACT §5 id."""

    def wrap(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = fn
        return fn

    return wrap


def _result(rule_id: str, verdict: str, turns: list[int], advice: str) -> RuleResult:
    return RuleVerdict(rule_id, verdict, sorted(set(turns)), sentence(advice), RULE_LABELS.get(rule_id))


def _na(rule_id: str, why: str) -> RuleResult:
    return _result(rule_id, "not_applicable", [], why)


def _hits(call: CallView, table: str, turns: list[TurnView]) -> list[tuple[TurnView, Hit]]:
    out: list[tuple[TurnView, Hit]] = []
    for tv in turns:
        for h in call.lex.find(table, tv.utt):
            out.append((tv, h))
    return out


def _no_student(rule_id: str) -> RuleResult:
    return _na(rule_id, "La transcription ne contient aucune parole de l'élève")


def _first_reply(call: CallView) -> TurnView:
    """The student's first answer to the caller (where a question was expected)."""
    first_customer = next((tv.index for tv in call.customer), None)
    if first_customer is not None:
        reply = call.next_student(first_customer)
        if reply is not None:
            return reply
    return call.student[0]


def _company_display(call: CallView) -> str:
    if call.company is not None:
        return call.company.display
    return "Nom de l'entreprise"


# --------------------------------------------------------------------------------------------
# Accueillir
# --------------------------------------------------------------------------------------------


@rule("accueil.decrocher_3_sonneries")
def decrocher(call: CallView) -> RuleResult:
    rid = "accueil.decrocher_3_sonneries"
    if call.direction == "outgoing":
        return _na(rid, "Appel sortant : c'est vous qui appelez, vous n'avez pas à décrocher")
    rings = call.rings
    if rings is None:
        return _na(rid, "La transcription n'indique pas le nombre de sonneries avant le décroché")
    count, evidence = rings
    if count <= 2:
        when = "dès la première sonnerie" if count <= 1 else "à la 2e sonnerie"
        return _result(rid, "respected", evidence, f"Vous avez décroché {when}, avant la 3e, comme le demande la charte")
    return _result(
        rid,
        "violated",
        evidence,
        f"Vous avez laissé sonner {count} fois : décrochez avant la 3e sonnerie, au-delà l'appelant "
        f"s'impatiente et peut raccrocher. Décrochez dès la 1re ou la 2e sonnerie et dites aussitôt "
        f"{q(f'{_company_display(call)}, prénom, bonjour !')}",
    )


def _first_name(call: CallView, tv: TurnView) -> str | None:
    """The student's first name in their opening turn, if any (memoised per line and login)."""
    key = ("first_name", call.lex._id, call.transcript.student)
    if key not in tv.utt.memo:
        tv.utt.memo[key] = _find_first_name(call, tv)
    return tv.utt.memo[key]


def _find_first_name(call: CallView, tv: TurnView) -> str | None:
    lex = call.lex
    student_login = fold(call.transcript.student or "").lower()
    for sentence_index, s in enumerate(tv.utt.sentences):
        if s.reported:
            continue
        excluded: set[int] = set()
        for table in ("entreprises", "salutation", "non_prenoms", "presentation"):
            for h in lex.find(table, tv.utt):
                if h.sentence_index == sentence_index:
                    excluded.update(range(h.start, h.end))
        for h in lex.find("prenoms", tv.utt):
            if h.sentence_index == sentence_index:
                return h.sentence.tokens[h.start].capitalize()
        toks = s.tokens
        raw_caps = {fold(w).lower() for w in _capitalised_words(s.raw)}
        cue_next = {h.end for h in lex.find("presentation", tv.utt) if h.sentence_index == sentence_index}
        cue_prev = {h.start - 1 for h in lex.find("presentation", tv.utt) if h.sentence_index == sentence_index}
        for i, tok in enumerate(toks):
            if i in excluded or not tok.isalpha() or len(tok) < 2:
                continue
            if tok == student_login or tok in raw_caps or i in cue_next or i in cue_prev:
                return tok.capitalize()
    return None


def _capitalised_words(raw: str) -> list[str]:
    import re

    return re.findall(r"\b[A-ZÀ-Ý][a-zà-ÿ'’-]+\b", raw)


@rule("accueil.formule")
def formule(call: CallView) -> RuleResult:
    rid = "accueil.formule"
    if call.direction == "outgoing":
        return _na(rid, "Appel sortant : la formule d'accueil ne s'applique qu'aux appels reçus")
    if not call.student:
        return _no_student(rid)
    first = call.student[0]
    display = _company_display(call)
    company_hits = call.lex.find("entreprises", first.utt)
    greeting_ok = bool(call.lex.find("salutation", first.utt))
    name = _first_name(call, first)
    if call.company_id and call.company_id in call.lex.entry_ids("entreprises"):
        company_ok = any(h.entry.key == call.company_id for h in company_hits)
    elif company_hits:
        company_ok = True
    else:
        # A company this installation does not know ("Agence Pub Express, Marc, bonjour"): a name
        # written with capitals, other than the first name and the greeting, stands for it.
        skip = {fold(w).lower() for w in ("Bonjour", "Bonsoir", "Allô", "Allo", "Oui", name or "")}
        others = [w for w in _capitalised_words(" ".join(s.raw for s in first.utt.own)) if fold(w).lower() not in skip]
        company_ok = bool(others)
    missing = []
    if not company_ok:
        missing.append("le nom de l'entreprise")
    if not name:
        missing.append("votre prénom")
    if not greeting_ok:
        missing.append("la salutation")
    model = q(f"{display}, {name or 'prénom'}, bonjour !")
    if not missing:
        return _result(rid, "respected", [first.index], f"Formule d'accueil complète dès le décroché ({tour(first.index)}) : entreprise, prénom et salutation")
    return _result(
        rid,
        "violated",
        [first.index],
        f"{said(first.utt.own[0].quote() if first.utt.own else first.turn.text, first.index)} : il manque "
        f"{join_fr(missing)}. Dites {model}",
    )


@rule("accueil.vouvoiement")
def vouvoiement(call: CallView) -> RuleResult:
    rid = "accueil.vouvoiement"
    if not call.student:
        return _no_student(rid)
    found = _hits(call, "tutoiement", call.student)
    if found:
        tv, h = found[0]
        others = sorted({t.index for t, _ in found} - {tv.index})
        more = f" (et aussi au {tours(others)})" if others else ""
        return _result(
            rid,
            "violated",
            [t.index for t, _ in found],
            f"{said(h.quote(), tv.index)}{more} : vouvoyez toujours l'appelant ({q(h.entry.instead or 'vous')})",
        )
    vous = [tv.index for tv in call.student if {"vous", "votre", "vos"} & tv.utt.own_token_set()]
    evidence = vous[:3] or [tv.index for tv in call.student[:3]]
    return _result(rid, "respected", evidence, f"Vous vouvoyez l'appelant tout au long de l'appel ({tours(evidence)})")


@rule("accueil.identifier_appelant")
def identifier(call: CallView) -> RuleResult:
    rid = "accueil.identifier_appelant"
    if call.direction == "outgoing":
        return _na(rid, "Appel sortant : vous savez qui vous appelez ; vérifiez plutôt votre interlocuteur (CROC)")
    if not call.student:
        return _no_student(rid)
    if call.wrong_number:
        return _na(rid, "L'appelant s'était trompé de numéro : il n'y avait pas de demande à traiter")
    asks = call.with_table("identite", call.student)
    deal = call.dealing
    deal_index = deal.index if deal is not None else None
    if asks and (deal_index is None or asks[0].index <= deal_index):
        return _result(
            rid,
            "respected",
            [asks[0].index],
            f"Vous avez demandé l'identité de l'appelant ({tour(asks[0].index)}) avant de traiter sa demande",
        )
    self_id = call.caller_self_id
    if self_id is not None and (deal_index is None or self_id.index < deal_index):
        evidence = [self_id.index]
        used = next((tv for tv in call.student if tv.index > self_id.index and call.addresses_caller(tv)), None)
        if used is not None:
            evidence.append(used.index)
        return _result(
            rid,
            "respected",
            evidence,
            f"L'appelant s'est présenté de lui-même ({tour(self_id.index)}) : il était identifié avant le traitement de sa demande",
        )
    if asks:
        return _result(
            rid,
            "violated",
            [deal_index, asks[0].index] if deal_index is not None else [asks[0].index],
            f"Vous n'avez demandé qui appelait qu'au {tour(asks[0].index)}, après avoir commencé à traiter la demande "
            f"({tour(deal_index or asks[0].index)}) : identifiez l'appelant dès l'accueil, par exemple "
            f"{q('Pourriez-vous me rappeler votre nom ?')}",
        )
    # Where the question was due (the first reply to the caller) and where the request was dealt with.
    where = sorted({_first_reply(call).index} | ({deal_index} if deal_index is not None else set()))
    return _result(
        rid,
        "violated",
        where,
        "Vous n'avez pas demandé qui appelait (nom, salon ou numéro de client) : "
        f"demandez-le dès l'accueil, par exemple {q('Pourriez-vous me rappeler votre nom et celui de votre salon ?')}",
    )


# --------------------------------------------------------------------------------------------
# Conduire l'échange
# --------------------------------------------------------------------------------------------


@rule("echange.formules_a_eviter")
def formules_a_eviter(call: CallView) -> RuleResult:
    rid = "echange.formules_a_eviter"
    if not call.student:
        return _no_student(rid)
    found = _hits(call, "evitez_de_dire", call.student)
    if found:
        parts: list[str] = []
        seen: set[str] = set()
        for tv, h in found:
            if h.entry.avoid in seen or len(parts) >= 2:
                continue
            seen.add(h.entry.avoid or h.entry.key)
            parts.append(f"{said(h.quote(), tv.index)} : dites plutôt {q(h.entry.instead or '')}")
        return _result(rid, "violated", [tv.index for tv, _ in found], " ; ".join(parts))
    polite = call.with_table("indisponible_poli", call.student)
    ids = call.with_table("identite", call.student)
    evidence = [tv.index for tv in (polite[:1] + ids[:1])]
    if polite:
        h = call.lex.find("indisponible_poli", polite[0].utt)[0]
        return _result(
            rid,
            "respected",
            evidence,
            f"{said(h.quote(), polite[0].index)} : c'est la formule polie qu'attend la charte, sans "
            f"{q('Il n’est pas là')} ni {q('C’est de la part ?')}",
        )
    evidence = evidence or [tv.index for tv in call.student]
    return _result(
        rid,
        "respected",
        evidence,
        f"Aucune formule à éviter ({q('C’est de la part ?')}, {q('C’est pourquoi ?')}, {q('Il n’est pas là')})",
    )


@rule("echange.langage_soigne")
def langage_soigne(call: CallView) -> RuleResult:
    rid = "echange.langage_soigne"
    if not call.student:
        return _no_student(rid)
    found = _hits(call, "registre_familier", call.student)
    fillers = call.lex.filler_words("mots_parasites_familiers")
    filler_turns = [(tv, w) for tv in call.student for w in tv.utt.fillers if w in fillers]
    if found or filler_turns:
        parts: list[str] = []
        # One remark per sentence (« ok ça marche » is matched by two entries).
        distinct = list({(tv.index, h.sentence_index): (tv, h) for tv, h in reversed(found)}.values())[::-1]
        for tv, h in distinct[:2]:
            instead = h.entry.instead
            parts.append(f"{said(h.quote(), tv.index)}" + (f" : préférez {q(instead)}" if instead and not instead.startswith("(") else " : supprimez ce mot"))
        if filler_turns and len(parts) < 2:
            tv, word = filler_turns[0]
            parts.append(f"« {word} » ({tour(tv.index)}) est familier : marquez plutôt un court silence")
        return _result(
            rid,
            "violated",
            [tv.index for tv, _ in found] + [tv.index for tv, _ in filler_turns],
            " ; ".join(parts) + " ; gardez un langage soigné avec l'appelant",
        )
    tips = _hits(call, "registre_admis", call.student)
    evidence = [tv.index for tv in call.student]
    advice = "Registre soigné et poli tout au long de l'appel"
    if tips:
        tv, h = tips[0]
        advice += f". {said(h.quote(), tv.index)} : {h.entry.note}"
    return _result(rid, "respected", evidence, advice)


_NOT_NEED = ("identite", "autres_questions", "patienter", "exclus_besoin", "conge", "croc_contact")


def _asks_about_need(call: CallView, tv: TurnView) -> bool:
    """A question about the need in this turn (memoised on the line: it depends on the words only)."""
    key = ("asks_need", call.lex._id)
    found = tv.utt.memo.get(key)
    if found is None:
        if call.lex.find("besoin", tv.utt) or call.lex.find("attente_client", tv.utt):
            found = True
        else:
            excluded: set[int] = set()
            for table in _NOT_NEED:
                excluded.update(h.sentence_index for h in call.lex.find(table, tv.utt))
            found = any(s.question and not s.reported and i not in excluded for i, s in enumerate(tv.utt.sentences))
        tv.utt.memo[key] = found
    return found


def _need_question_turns(call: CallView) -> list[TurnView]:
    """Student turns with a question about the need (not only identity, hold or closing)."""
    return [tv for tv in call.student if _asks_about_need(call, tv)]


def _protest(call: CallView, tv: TurnView) -> bool:
    """The caller (or a stage direction) says the student cut in or answered beside the point."""
    hits = call.lex.find("client_non_ecoute", tv.utt, own=tv.speaker == "customer")
    if tv in call.grievance:
        # « J'ai reçu de la 6.3, ce n'est pas ce que j'ai demandé » is about the goods.
        hits = [h for h in hits if h.entry.key != "pas_ce_que_j_ai_demande"]
    return bool(hits)


def _cut_ins(call: CallView) -> list[tuple[int, int, str]]:
    """(student turn, evidence turn, why) for each time the student cut in or answered beside the point."""
    out: list[tuple[int, int, str]] = []
    turns = call.turns
    for pos, tv in enumerate(turns):
        if tv.speaker == "customer" and is_interrupted(tv.turn.text) and pos + 1 < len(turns):
            nxt = turns[pos + 1]
            if nxt.speaker == "student" and nxt.utt.word_count > 4:
                out.append((nxt.index, tv.index, "cut"))
        if tv.speaker in ("customer", "system") and _protest(call, tv):
            before = call.student_before(tv.index)
            # A protest right after the greeting is not about an answer the student gave.
            opening = tv.speaker == "customer" and before is not None and before.index == call.student[0].index
            if before is not None and not opening and before.index not in {o[0] for o in out}:
                out.append((before.index, tv.index, "beside"))
    return out


@rule("echange.ecoute_active")
def ecoute_active(call: CallView) -> RuleResult:
    rid = "echange.ecoute_active"
    if not call.student:
        return _no_student(rid)
    if call.wrong_number:
        return _na(rid, "L'appelant s'était trompé de numéro : il n'y avait pas de besoin à explorer")
    cuts = _cut_ins(call)
    if cuts:
        student_index, evidence_index, why = cuts[0]
        if why == "cut":
            text = (
                f"Au {tour(student_index)}, vous avez coupé la parole à l'appelant ({tour(evidence_index)}) : "
                "laissez-le finir avant de répondre, puis questionnez-le sur son besoin, par exemple "
                f"{q('Je vous écoute. Pouvez-vous me préciser ce qui s’est passé ?')}"
            )
        else:
            text = (
                f"Au {tour(student_index)}, votre réponse n'a pas suivi ce que disait l'appelant (il le signale au "
                f"{tour(evidence_index)}) : écoutez jusqu'au bout et reformulez avant de répondre, par exemple "
                f"{q('Si je comprends bien, vous souhaitez… C’est bien cela ?')}"
            )
        return _result(rid, "violated", [student_index, evidence_index], text)
    questions = _need_question_turns(call)
    if not questions:
        where = _first_reply(call).index
        return _result(
            rid,
            "violated",
            [where],
            "Vous n'avez posé aucune question sur le besoin de l'appelant : questionnez-le pour bien le cerner, par "
            f"exemple {q('Pouvez-vous me préciser les produits et les quantités souhaités ?')}",
        )
    first = questions[0]
    quote = next((s.quote() for s in first.utt.own if s.question), first.utt.own[0].quote() if first.utt.own else first.turn.text)
    return _result(
        rid,
        "respected",
        [tv.index for tv in questions[:3]],
        f"Vous avez questionné l'appelant sur son besoin, par exemple {q(quote)} ({tour(first.index)}), sans lui couper la parole",
    )


@rule("echange.reclamation_opportunite")
def reclamation_opportunite(call: CallView) -> RuleResult:
    rid = "echange.reclamation_opportunite"
    if not call.grievance:
        return _na(rid, "L'appelant n'a exprimé aucun grief pendant cet appel")
    if not call.student:
        return _no_student(rid)
    first = call.grievance[0]
    after = [tv for tv in call.student if tv.index > first.index]
    blames = _hits(call, "rejet_faute", call.student)
    ack = call.first_with("reconnaissance", call.student, after=first.index)
    apology = call.first_with("excuses", call.student, after=first.index)
    if blames:
        tv, h = blames[0]
        extra = " même si vous vous êtes excusé(e) ensuite" if apology is not None and apology.index > tv.index else ""
        return _result(
            rid,
            "violated",
            [tv.index for tv, _ in blames],
            f"{said(h.quote(), tv.index)} : c'est une remarque défensive qui rejette la faute{extra}. "
            f"Une réclamation est une occasion de s'améliorer : dites plutôt {q(h.entry.instead or 'Je suis désolé(e), je m’en occupe.')}",
        )
    if apology is None and ack is None:
        where = after[0].index if after else first.index
        return _result(
            rid,
            "violated",
            [first.index, where],
            f"L'appelant s'est plaint ({tour(first.index)}) : remerciez-le de l'avoir signalé et présentez des excuses, "
            f"par exemple {q('Merci de nous l’avoir signalé, je suis vraiment désolé(e).')}",
        )
    if apology is None:
        return _result(
            rid,
            "violated",
            [first.index, ack.index],
            f"Vous avez reconnu le problème ({tour(ack.index)}) mais sans vous excuser : présentez les excuses de "
            f"l'entreprise ({q('Je suis vraiment désolé(e) pour ce désagrément.')})",
        )
    if ack is None:
        return _result(
            rid,
            "violated",
            [first.index, apology.index],
            f"Vous vous êtes excusé(e) ({tour(apology.index)}) ; remerciez aussi l'appelant de son signalement ou "
            f"montrez que vous comprenez ({q('Merci de nous l’avoir signalé, je comprends votre mécontentement.')})",
        )
    return _result(
        rid,
        "respected",
        [ack.index, apology.index],
        f"Réclamation bien accueillie : vous remerciez ou reconnaissez le problème ({tour(ack.index)}) et vous "
        f"présentez des excuses ({tour(apology.index)}), sans rejeter la faute",
    )


@rule("echange.problemes_internes")
def problemes_internes(call: CallView) -> RuleResult:
    rid = "echange.problemes_internes"
    if not call.student:
        return _no_student(rid)
    found = _hits(call, "problemes_internes", call.student)
    if found:
        tv, h = found[0]
        return _result(
            rid,
            "violated",
            [tv.index for tv, _ in found],
            f"{said(h.quote(), tv.index)} : n'exposez pas les problèmes internes de l'entreprise, dites plutôt "
            f"{q(h.entry.instead or 'Je m’en occupe personnellement.')}",
        )
    evidence = [tv.index for tv in call.student if call.grievance and tv.index > call.grievance[0].index][:3]
    evidence = evidence or [tv.index for tv in call.student]
    return _result(rid, "respected", evidence, "Aucun problème interne exposé à l'appelant")


# Vague markers that state ignorance (« je ne sais pas ») rather than hedge what follows them:
# « je ne sais pas je vérifie et je vous rappelle avant 16 h » (speech recognition, no comma) still
# commits. A hedge (« peut-être », « je crois que », « normalement ») taints the rest of its clause.
_IGNORANCE = frozenset({"je_ne_sais_pas"})


def _clause_of(sentence: Any, pos: int) -> int:
    """Index of the clause (0-based) that token ``pos`` belongs to."""
    return sum(1 for end in sentence.clause_ends if end < pos)


def _commitment(call: CallView, tv: TurnView | None) -> bool:
    """A commitment (find out, call back, send…) with a time in this turn.

    The commitment and its time must not sit in a hedged clause: « on pourra peut-être vous les
    envoyer la semaine prochaine » or « je ne sais pas, peut-être demain » commit to nothing. The
    time goes with the commitment: same sentence, or the next one.
    """
    if tv is None:
        return False
    tainted: set[tuple[int, int]] = set()  # (sentence, token) positions under a hedge
    for h in call.lex.find("vague", tv.utt):
        if h.entry.key in _IGNORANCE:
            stop = h.end
        else:
            clause = _clause_of(h.sentence, h.start)
            stop = min((e + 1 for e in h.sentence.clause_ends if _clause_of(h.sentence, e) == clause),
                       default=len(h.sentence.tokens))
        tainted.update((h.sentence_index, p) for p in range(h.start, stop))

    engaged = {h.sentence_index for h in call.lex.find("engagement", tv.utt) + call.lex.find("solution", tv.utt)
               if (h.sentence_index, h.start) not in tainted}
    times = {h.sentence_index for h in call.lex.find("horaire", tv.utt) if (h.sentence_index, h.start) not in tainted}
    # « Demain avant midi, je vous rappelle. » / « Je vous rappelle. Avant 16 h, c'est promis. »
    return any(t in (e, e + 1) for e in engaged for t in times)


@rule("echange.reponse_precise")
def reponse_precise(call: CallView) -> RuleResult:
    rid = "echange.reponse_precise"
    if not call.student:
        return _no_student(rid)
    vague = _hits(call, "vague", call.student)
    unredeemed: list[tuple[TurnView, Hit]] = []
    redeemed: list[tuple[int, int]] = []
    for tv, h in vague:
        if _commitment(call, tv):
            redeemed.append((tv.index, tv.index))
            continue
        nxt = call.next_student(tv.index)
        if _commitment(call, nxt):
            redeemed.append((tv.index, nxt.index))
            continue
        unredeemed.append((tv, h))
    if unredeemed:
        tv, h = unredeemed[0]
        return _result(
            rid,
            "violated",
            [t.index for t, _ in unredeemed],
            f"{said(h.quote(), tv.index)} : réponse approximative laissée sans engagement précis. "
            f"Dites plutôt {q('Je vérifie et je vous rappelle avant 16 h.')}",
        )
    if redeemed:
        v, c = redeemed[0]
        return _result(
            rid,
            "respected",
            [v, c],
            f"Votre réponse incertaine ({tour(v)}) est aussitôt rachetée par un engagement précis avec un moment ({tour(c)})",
        )
    precise = [tv.index for tv in call.student if call.lex.find("horaire", tv.utt) or call.lex.find("traitement", tv.utt)]
    evidence = precise[:3] or [tv.index for tv in call.student]
    return _result(rid, "respected", evidence, "Réponses précises, sans approximation")


# --------------------------------------------------------------------------------------------
# Conclure
# --------------------------------------------------------------------------------------------


@dataclass
class Agreement:
    """What the call agreed, as far as scoring can tell."""

    kind: str  # order, complaint, message, reminder, info
    groups: list[tuple[str, str, int, list[int]]] = field(default_factory=list)  # family, label, total, line qtys
    # Quantities the student proposed and the caller accepted without saying them: also right.
    alternatives: dict[str, set[int]] = field(default_factory=dict)


def _order_groups_from_lines(call: CallView, lines: list[dict]) -> list[tuple[str, str, int, list[int]]]:
    groups: dict[str, tuple[str, str, int, list[int]]] = {}
    for line in lines:
        ref = str(line.get("reference") or line.get("product") or "?").upper()
        qty = line.get("quantity")
        if isinstance(qty, list):
            qty = qty[0] if qty else None
        if isinstance(qty, str) and qty.strip().isdigit():
            qty = int(qty.strip())
        if isinstance(qty, bool) or not isinstance(qty, int | float):
            continue
        label = str(line.get("product") or (call.company.product_names.get(ref) if call.company else "") or ref)
        family = product_family(call.lex, label) or "creme"
        fam, lab, total, qtys = groups.get(ref, (family, label, 0, []))
        groups[ref] = (fam, lab, total + int(qty), [*qtys, int(qty)])
    return list(groups.values())


def agreement(call: CallView) -> Agreement:
    """What the student should restate: order lines, solution and deadline, message, promised date.

    The ERP records of the call come first (what was actually agreed); without them, the caller's
    own requests in the dialogue; the scenario's expected records only tell the kind of call.
    """
    kind_map = {"commande": "order", "reclamation": "complaint", "filtrage": "message", "relance": "reminder",
                "information": "info", "rappel": "info", "reservation": "info", "invitation": "info", "avis": "info"}
    orders = call.records_of("order")
    if orders:
        lines = [x for rec in orders for x in rec.get("lines") or [] if isinstance(x, dict)]
        groups = _order_groups_from_lines(call, lines)
        if groups:
            return Agreement("order", groups)
    kind = kind_map.get(call.kind)
    if kind is None:
        for rec_kind in ("complaint", "reminder", "message"):
            if call.records_of(rec_kind):
                kind = rec_kind
                break
    if kind is None:
        if call.grievance:
            kind = "complaint"
        elif call.order_mentions():
            kind = "order"
        elif call.asks_for_person:
            kind = "message"
        else:
            kind = "info"
    if kind == "info" and call.order_mentions():
        # An information call that turned into an order (« vente additive »).
        kind = "order"
    if kind == "order":
        mentions = call.order_mentions()
        if not mentions:
            first_recap = next((tv.index for tv in call.student if call.lex.find("recapitulation", tv.utt)), None)
            mentions = call.order_mentions(("student",), before=first_recap)
        groups = [(fam, _FAMILY_FR.get(fam, fam.replace("_", " ")), qty, [qty]) for fam, (qty, _i) in mentions.items()]
        if not groups:
            return Agreement("info")
        precise = [fam for fam in mentions if fam in ("creme_sans_ammoniaque", "creme_avec_ammoniaque")]
        alternatives: dict[str, set[int]] = {}
        for fam, qtys in call.accepted_proposals().items():
            if fam == "creme" and len(precise) == 1:
                fam = precise[0]
            alternatives.setdefault(fam, set()).update(qtys)
        return Agreement("order", groups, alternatives)
    return Agreement(kind)


_FAMILY_FR = {
    "creme_sans_ammoniaque": "crèmes colorantes sans ammoniaque",
    "creme_avec_ammoniaque": "crèmes colorantes avec ammoniaque",
    "creme": "crèmes colorantes (tubes)",
    "oxydant": "oxydants",
    "shampooing": "shampooings",
    "spray": "sprays brillance",
    "mousse": "mousses fixantes",
    "poudre": "poudres décolorantes",
    "chambre": "chambres",
    "repas": "repas",
}


# One of each family, for a model restatement (« 1 spray brillance », not « 1 sprays brillance »).
_SINGULAR = {
    "crèmes colorantes sans ammoniaque": "crème colorante sans ammoniaque",
    "crèmes colorantes avec ammoniaque": "crème colorante avec ammoniaque",
    "crèmes colorantes (tubes)": "crème colorante",
    "oxydants": "oxydant",
    "shampooings": "shampooing",
    "sprays brillance": "spray brillance",
    "mousses fixantes": "mousse fixante",
    "poudres décolorantes": "poudre décolorante",
    "chambres": "chambre",
}


def _recap_turns(call: CallView, kind: str) -> list[TurnView]:
    start = call.dealing.index if call.dealing is not None else (call.student[0].index if call.student else 0)
    # A message is usually read back as notes are taken (« Je note : Monsieur Morel, au 06… »).
    tables = ("recapitulation", "prise_de_notes") if kind == "message" else ("recapitulation",)
    marked = [tv for tv in call.student if tv.index >= start and any(call.lex.find(t, tv.utt) for t in tables)]
    out: list[TurnView] = []
    for tv in marked:
        out.append(tv)
        nxt = call.next_student(tv.index)
        if nxt is not None and nxt not in out:
            out.append(nxt)
    return sorted({tv.index: tv for tv in out}.values(), key=lambda t: t.index)


def _numbers(turns: list[TurnView]) -> set[int]:
    found: set[int] = set()
    for tv in turns:
        for value, _si, _ti in tv.utt.numbers():
            if value == int(value):
                found.add(int(value))
    return found


def _families(call: CallView, turns: list[TurnView]) -> set[str]:
    return {h.entry.key for tv in turns for h in call.lex.find("produits", tv.utt, own=False)}


@rule("conclusion.reformulation")
def reformulation(call: CallView) -> RuleResult:
    rid = "conclusion.reformulation"
    if not call.student:
        return _no_student(rid)
    if call.wrong_number or not any(tv.utt.word_count > 3 for tv in call.customer):
        return _na(rid, "Rien n'a été demandé ni convenu pendant cet appel (erreur de numéro)")
    agreed = agreement(call)
    recap = _recap_turns(call, agreed.kind)
    fallback = call.closing[0].index if call.closing else call.student[-1].index
    model = q(_model_restatement(call, agreed))
    if not recap:
        return _result(
            rid,
            "violated",
            [fallback],
            f"Vous n'avez pas reformulé ce qui a été convenu avant de conclure : dites par exemple {model}",
        )
    idx = [tv.index for tv in recap]
    if agreed.kind == "order":
        nums = _numbers(recap)
        fams = _families(call, recap)
        missing: list[str] = []
        no_qty: list[str] = []
        for family, label, total, qtys in agreed.groups:
            named = family in fams or (family.startswith("creme") and "creme" in fams)
            qty_ok = (total in nums or all(x in nums for x in qtys) or (total == 1 and named)
                      or bool(agreed.alternatives.get(family, set()) & nums))
            if qty_ok and (named or total in nums and len(agreed.groups) == 1):
                continue
            if named and not qty_ok:
                no_qty.append(f"{label} ({total})")
            else:
                missing.append(f"{total} × {label}")
        if not missing and not no_qty:
            return _result(rid, "respected", idx, f"Vous avez reformulé la commande ({tours(idx)}) : toutes les lignes avec leurs quantités")
        problems = []
        if missing:
            problems.append(f"il manque {join_fr(missing)}")
        if no_qty:
            problems.append(f"les quantités ne sont pas reprises pour {join_fr(no_qty)}")
        return _result(
            rid,
            "violated",
            idx,
            f"Votre reformulation ({tours(idx)}) est incomplète : {'; '.join(problems)}. Reprenez chaque ligne avec sa "
            f"quantité : {model}",
        )
    if agreed.kind == "complaint":
        has_solution = any(call.lex.find("solution", tv.utt) or call.lex.find("engagement", tv.utt) for tv in recap)
        has_deadline = any(call.lex.find("horaire", tv.utt) for tv in recap)
        if has_solution and has_deadline:
            return _result(rid, "respected", idx, f"Vous avez reformulé la solution et le délai ({tours(idx)})")
        lacking = join_fr([x for x, ok in (("la solution", has_solution), ("le délai promis", has_deadline)) if not ok])
        return _result(rid, "violated", idx, f"Votre reformulation ({tours(idx)}) ne reprend pas {lacking} : reformulez la solution retenue et le délai, "
                       f"par exemple {model}")
    if agreed.kind == "message":
        parts = {
            "le nom de l'appelant": any(call.addresses_caller(tv) or tv.utt.own_token_set() & call.caller_names for tv in recap),
            "le numéro": any(sum(len(str(int(v))) for v, _s, _t in tv.utt.numbers()) >= 8 for tv in recap),
            "le moment du rappel": any(call.lex.find("horaire", tv.utt) for tv in recap),
            "le destinataire": any(any(t in CIV for t in tv.utt.own_tokens()) for tv in recap),
        }
        got = [k for k, ok in parts.items() if ok]
        if len(got) >= 2:
            return _result(rid, "respected", idx, f"Vous avez relu le message ({tours(idx)}) : {join_fr(got)}")
        lacking = [k for k, ok in parts.items() if not ok]
        return _result(rid, "violated", idx, f"Votre reformulation du message ({tours(idx)}) est trop vague : reprenez {join_fr(lacking[:3])}, "
                       f"par exemple {model}")
    if agreed.kind == "reminder":
        # What a reminder call agrees on is a date: of payment, of a callback, of an appointment.
        has_date = any(call.lex.find("horaire", tv.utt) for tv in recap)
        if has_date:
            return _result(rid, "respected", idx, f"Vous avez reformulé l'engagement obtenu avec sa date ({tours(idx)})")
        return _result(rid, "violated", idx, f"Votre reformulation ({tours(idx)}) doit reprendre la date promise (paiement, rappel ou rendez-vous), "
                       f"par exemple {model}")
    if any(tv.utt.word_count >= 6 for tv in recap):
        return _result(rid, "respected", idx, f"Vous avez reformulé ce qui a été convenu ({tours(idx)})")
    return _result(rid, "violated", idx, f"Votre reformulation ({tours(idx)}) est trop brève : reprenez ce qui a été dit et convenu, par exemple {model}")


CIV = {"monsieur", "madame", "mademoiselle"}


def _model_restatement(call: CallView, agreed: Agreement) -> str:
    """What the student could have said to restate this call's agreement (French, for advice)."""
    if agreed.kind == "order" and agreed.groups:
        names = [(total, _SINGULAR.get(label, label) if total == 1 else label) for _f, label, total, _q in agreed.groups]
        lines = [f"{total} {name[:1].lower()}{name[1:]}" for total, name in names]
        return f"Si je récapitule : {join_fr(lines)}. C'est bien cela ?"
    who = call.caller_display
    if agreed.kind == "complaint":
        return "Je récapitule : nous vous envoyons [la solution retenue] avant [date], et je vous tiens informé(e). C'est bien cela ?"
    if agreed.kind == "message":
        caller = who or "[nom de l'appelant]"
        return f"Je note : {caller}, au [numéro], à rappeler [moment]. C'est bien cela ?"
    if agreed.kind == "reminder":
        return "Nous disons donc : règlement de [montant] par [moyen de paiement] le [date]. C'est bien cela ?"
    return "Si je récapitule : [ce qui a été dit et convenu]. C'est bien cela ?"


@rule("conclusion.autres_questions")
def autres_questions(call: CallView) -> RuleResult:
    rid = "conclusion.autres_questions"
    if not call.student:
        return _no_student(rid)
    if call.wrong_number:
        return _na(rid, "L'appelant s'était trompé de numéro : rien à conclure")
    asks = [tv for tv in call.with_table("autres_questions", call.student) if tv.index != call.student[0].index]
    if asks:
        h = call.lex.find("autres_questions", asks[-1].utt)[0]
        return _result(rid, "respected", [asks[-1].index], f"{said(h.quote(), asks[-1].index)} : vous laissez l'appelant exprimer d'autres besoins")
    where = call.closing[0].index if call.closing else call.student[-1].index
    return _result(
        rid,
        "violated",
        [where],
        f"Avant de conclure, demandez si l'appelant a d'autres questions ou besoins : {q('Puis-je faire autre chose pour vous ?')}",
    )


@rule("conclusion.prise_de_conge")
def prise_de_conge(call: CallView) -> RuleResult:
    rid = "conclusion.prise_de_conge"
    if not call.student:
        return _no_student(rid)
    if call.wrong_number:
        return _na(rid, "L'appelant s'était trompé de numéro : son nom n'est pas connu et il n'y a rien à remercier")
    window = call.closing
    display = call.caller_display or "Madame / Monsieur [nom]"
    thanks_for = "de votre temps" if call.direction == "outgoing" else "de votre appel"
    model = q(f"Merci {thanks_for}, {display}, bonne fin de journée.")
    if not window:
        last = call.student[-1]
        return _result(rid, "violated", [last.index], f"Vous n'avez pas pris congé de l'appelant : terminez par {model}")
    idx = [tv.index for tv in window]
    thanks = any(call.lex.find("remerciement", tv.utt) for tv in window)
    named = any(call.addresses_caller(tv) for tv in window)
    if thanks and named:
        return _result(rid, "respected", idx, f"Prise de congé personnalisée ({tours(idx)}) : remerciement et nom de l'appelant")
    missing = join_fr([x for x, ok in (("le remerciement", thanks), ("le nom de l'appelant", named)) if not ok])
    quote = window[-1].utt.own[-1].quote() if window[-1].utt.own else window[-1].turn.text
    return _result(
        rid,
        "violated",
        idx,
        f"{said(quote, window[-1].index)} : il manque {missing} dans votre prise de congé. Dites {model}",
    )


@rule("conclusion.raccrocher_en_dernier")
def raccrocher(call: CallView) -> RuleResult:
    rid = "conclusion.raccrocher_en_dernier"
    hang = call.hangup
    if hang is None:
        return _na(rid, "La transcription ne dit pas qui a raccroché")
    index, by = hang
    if call.direction == "outgoing":
        if by == "student":
            return _result(rid, "respected", [index], f"Vous aviez pris l'initiative de l'appel et c'est vous qui y avez mis fin ({tour(index)})")
        return _result(
            rid,
            "violated",
            [index],
            f"C'est vous qui avez appelé : c'est à vous de conclure et de mettre fin à l'appel (l'interlocuteur a raccroché, "
            f"{tour(index)}). Concluez vous-même, {q('Je vous remercie, au revoir')}, puis raccrochez",
        )
    if by == "customer":
        return _result(rid, "respected", [index], f"Vous avez laissé l'appelant raccrocher en premier ({tour(index)})")
    return _result(
        rid,
        "violated",
        [index],
        f"Vous avez raccroché avant l'appelant ({tour(index)}) : c'est la personne qui a appelé qui met fin à l'appel. "
        f"Dites {q('Au revoir, bonne journée')} et attendez qu'il raccroche",
    )


RULE_IDS: tuple[str, ...] = (
    "accueil.decrocher_3_sonneries",
    "accueil.formule",
    "accueil.vouvoiement",
    "accueil.identifier_appelant",
    "echange.formules_a_eviter",
    "echange.langage_soigne",
    "echange.ecoute_active",
    "echange.reclamation_opportunite",
    "echange.problemes_internes",
    "echange.reponse_precise",
    "conclusion.reformulation",
    "conclusion.autres_questions",
    "conclusion.prise_de_conge",
    "conclusion.raccrocher_en_dernier",
)
assert set(RULE_IDS) == set(RULES), "every CONTRACT §5 rule has exactly one detector"


def evaluate_rules(call: CallView) -> list[RuleResult]:
    """Every charter rule, in the contract's order."""
    return [RULES[rid](call) for rid in RULE_IDS]
