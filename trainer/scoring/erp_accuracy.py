"""Did the student record in the ERP what the customer really wanted? (part of « Traiter la demande »)

The scenario's ``expected.records`` are partial CONTRACT §4 records (shape agreed with the scenario
engineer): a list in a field means "any of these is accepted". They are compared with the
transcript's ``outcome.records``, field by field; each comparison is an ``ErpCheck`` with a French
message a teacher would write ("Promotion oubliée : 48 crèmes sans ammoniaque donnent droit à
20 %, la ligne est à 0 %").

Without a scenario (an outside transcript), the order lines are still checked against the
company's promotion tiers, so a forgotten promotion is caught either way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from trainer.dialogue.normalize import fold
from trainer.scoring.context import CompanyInfo
from trainer.scoring.models import ErpCheck

KIND_FR = {"order": "commande", "complaint": "réclamation", "message": "message", "reminder": "relance"}
FIELD_FR = {
    "caller.name": "le nom de l'appelant",
    "caller.company": "la société de l'appelant",
    "callback_number": "le numéro où rappeler",
    "callback_when": "le moment du rappel",
    "subject": "l'objet de l'appel",
    "for": "le destinataire",
}


def _any(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _norm(text: Any) -> str:
    return " ".join(fold(str(text)).lower().replace("_", " ").replace("-", " ").split())


def _rate(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _pct(rate: Decimal | None) -> str:
    if rate is None:
        return "?"
    return f"{(rate * 100).normalize():f} %"


def _get_path(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _label(line: dict[str, Any], company: CompanyInfo | None) -> str:
    ref = str(line.get("reference", "")).upper()
    if line.get("product") and str(line["product"]).upper() != ref:
        return str(line["product"])
    if company and ref in company.product_names:
        return company.product_names[ref]
    return ref or "produit"


def _check(record: str, field: str, ok: bool, message: str, category: str,
           expected: Any = None, actual: Any = None) -> ErpCheck:
    return ErpCheck(
        record=record,
        field=field,
        ok=ok,
        message=message,
        category=category,
        expected=None if expected is None else str(expected),
        actual=None if actual is None else str(actual),
    )


# --------------------------------------------------------------------------------------------


def _qty(value: Any) -> int | None:
    """A quantity written as a number or as a numeric string (outside tools write "48")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _aggregate(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for line in lines:
        if not isinstance(line, dict):
            continue
        ref = str(line.get("reference", "")).upper()
        slot = out.setdefault(ref, {"quantity": 0, "rates": set(), "shades": set(), "lines": []})
        qty = _qty(line.get("quantity"))
        if qty is not None:
            slot["quantity"] += qty
        rate = _rate(line.get("discount_rate", "0"))
        if rate is not None:
            slot["rates"].add(rate)
        if line.get("shade"):
            slot["shades"].add(str(line["shade"]))
        slot["lines"].append(line)
    return out


def _compare_order(exp: dict[str, Any], act: dict[str, Any], company: CompanyInfo | None) -> list[ErpCheck]:
    checks: list[ErpCheck] = []
    client_exp = exp.get("client") or {}
    client_act = act.get("client") or {}
    if isinstance(client_exp, dict) and isinstance(client_act, dict):
        if "number" in client_exp and client_act.get("number") is not None:
            ok = str(client_act.get("number")) in [str(x) for x in _any(client_exp["number"])]
            checks.append(_check("order", "client.number", ok,
                                 "Client retrouvé dans le PGI." if ok else
                                 f"Commande passée au nom du client {client_act.get('number')} au lieu de {client_exp['number']}.",
                                 "client", client_exp["number"], client_act.get("number")))
        if "segment" in client_exp:
            actual_seg = client_act.get("segment") or client_act.get("kind")
            if actual_seg:
                wanted = [_norm(x) for x in _any(client_exp["segment"])]
                got = _norm(actual_seg)
                ok = any(got == w or w.startswith(got) for w in wanted)
                checks.append(_check("order", "client.segment", ok,
                                     "Type de client bien renseigné." if ok else
                                     f"Type de client {q_(actual_seg)} au lieu de {q_(client_exp['segment'])}.",
                                     "client", client_exp["segment"], actual_seg))
    exp_lines = _aggregate([x for x in exp.get("lines") or [] if isinstance(x, dict)])
    act_lines = _aggregate([x for x in act.get("lines") or [] if isinstance(x, dict)])
    raw_expected = {str(x.get("reference", "")).upper(): x for x in exp.get("lines") or [] if isinstance(x, dict)}
    for ref, want in exp_lines.items():
        label = _label(raw_expected.get(ref, {"reference": ref}), company)
        got = act_lines.get(ref)
        if got is None:
            checks.append(_check("order", f"lines.{ref}", False, f"Ligne manquante : {want['quantity']} × {label}.",
                                 "ligne", want["quantity"], None))
            continue
        qty_options = _any(raw_expected[ref].get("quantity")) if len(want["lines"]) == 1 else [want["quantity"]]
        ok = got["quantity"] in [q for q in (_qty(x) for x in qty_options) if q is not None]
        checks.append(_check("order", f"lines.{ref}.quantity", ok,
                             f"Quantité juste pour {label} ({got['quantity']})." if ok else
                             f"Mauvaise quantité pour {label} : {got['quantity']} saisi(s) au lieu de {' ou '.join(str(x) for x in qty_options)}.",
                             "quantite", qty_options, got["quantity"]))
        rate_options: set[Decimal] = set()
        for line in want["lines"]:
            for value in _any(line.get("discount_rate")) if line.get("discount_rate") is not None else []:
                r = _rate(value)
                if r is not None:
                    rate_options.add(r)
        if rate_options:
            actual_rates = got["rates"] or {Decimal("0.00")}
            ok = actual_rates <= rate_options
            shown = sorted(actual_rates)
            if ok:
                msg = f"Remise correcte sur {label} ({_pct(shown[0])})."
            elif max(rate_options) > 0 and max(actual_rates) == 0:
                msg = f"Promotion oubliée sur {label} : {_pct(max(rate_options))} attendus, la ligne est à 0 %."
            else:
                msg = f"Remise incorrecte sur {label} : {', '.join(_pct(r) for r in shown)} au lieu de {' ou '.join(_pct(r) for r in sorted(rate_options))}."
            checks.append(_check("order", f"lines.{ref}.discount_rate", ok, msg, "remise",
                                 " ou ".join(_pct(r) for r in sorted(rate_options)), ", ".join(_pct(r) for r in shown)))
        wanted_shades = {str(s) for line in want["lines"] for s in _any(line.get("shades") or [])}
        if wanted_shades:
            missing = sorted(wanted_shades - got["shades"])
            checks.append(_check("order", f"lines.{ref}.shades", not missing,
                                 f"Nuances bien saisies pour {label}." if not missing else
                                 f"Nuances manquantes pour {label} : {', '.join(missing)}.",
                                 "nuances", sorted(wanted_shades), sorted(got["shades"])))
    for ref, got in act_lines.items():
        if ref not in exp_lines:
            label = _label(got["lines"][0], company)
            checks.append(_check("order", f"lines.{ref}", False,
                                 f"Ligne en trop : {got['quantity']} × {label} (l'appelant ne l'a pas commandé).",
                                 "ligne", None, got["quantity"]))
    if "payment_terms" in exp:
        actual = act.get("payment_terms")
        wanted = [_norm(x) for x in _any(exp["payment_terms"])]
        ok = actual is not None and any(_norm(actual).startswith(w) or _norm(actual) == w for w in wanted)
        checks.append(_check("order", "payment_terms", ok,
                             f"Conditions de paiement correctes ({actual})." if ok else
                             f"Conditions de paiement : {q_(actual) if actual else 'aucune'} au lieu de {q_(exp['payment_terms'])}.",
                             "paiement", exp["payment_terms"], actual))
    return checks


def q_(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ou ".join(f"« {v} »" for v in value)
    return f"« {value} »"


def _days_between(start: date, end: date) -> set[int]:
    """Calendar and working-day distances (Doc 8 does not say which; the domain uses working days)."""
    out = {(end - start).days}
    try:
        from trainer.domain.workdays import is_working_day

        count = 0
        day = start
        step = 1 if end >= start else -1
        while day != end:
            from datetime import timedelta

            day = day + timedelta(days=step)
            if is_working_day(day):
                count += step
        out.add(count)
    except ImportError:  # pragma: no cover - the domain module is part of the package
        pass
    return out


def _compare_complaint(exp: dict[str, Any], act: dict[str, Any], call_date: date | None) -> list[ErpCheck]:
    checks: list[ErpCheck] = []
    if "category" in exp:
        wanted = [str(x) for x in _any(exp["category"])]
        got = act.get("category")
        ok = got in wanted
        checks.append(_check("complaint", "category", ok,
                             f"Catégorie de réclamation correcte ({got})." if ok else
                             f"Catégorie de réclamation {q_(got)} au lieu de {q_(wanted)}.",
                             "categorie", wanted, got))
    if "responsible_service" in exp:
        wanted = [_norm(x).removeprefix("service ").removeprefix("le ") for x in _any(exp["responsible_service"])]
        got_raw = act.get("responsible_service")
        got = _norm(got_raw or "").removeprefix("service ").removeprefix("le ")
        ok = bool(got) and any(got == w or got.startswith(w) or w.startswith(got) for w in wanted)
        checks.append(_check("complaint", "responsible_service", ok,
                             f"Service responsable correct ({got_raw})." if ok else
                             f"Service responsable {q_(got_raw)} au lieu de {q_(exp['responsible_service'])}.",
                             "service", exp["responsible_service"], got_raw))
    if "deadline_days" in exp and call_date is not None:
        wanted = [int(x) for x in _any(exp["deadline_days"]) if isinstance(x, int | float)]
        raw = act.get("customer_deadline")
        try:
            deadline = date.fromisoformat(str(raw)[:10]) if raw else None
        except ValueError:
            deadline = None
        if deadline is None:
            checks.append(_check("complaint", "customer_deadline", False, "Aucun délai promis au client dans la fiche réclamation.",
                                 "delai", wanted, raw))
        else:
            distances = _days_between(call_date, deadline)
            ok = bool(distances & set(wanted))
            shown = " ou ".join("J" if d == 0 else f"J+{d}" for d in wanted)
            checks.append(_check("complaint", "customer_deadline", ok,
                                 f"Délai promis conforme à la procédure ({deadline.isoformat()})." if ok else
                                 f"Délai promis au {deadline.isoformat()} : la procédure demande {shown}.",
                                 "delai", shown, deadline.isoformat()))
    if "solution_any" in exp:
        wanted = [_norm(x) for x in _any(exp["solution_any"])]
        got = _norm(act.get("solution") or "")
        ok = bool(got) and any(w in got for w in wanted)
        checks.append(_check("complaint", "solution", ok,
                             "Solution enregistrée conforme à la procédure." if ok else
                             f"Solution {q_(act.get('solution')) if got else 'absente'} : attendu {q_(exp['solution_any'])}.",
                             "solution", exp["solution_any"], act.get("solution")))
    return checks


def _compare_message(exp: dict[str, Any], act: dict[str, Any]) -> list[ErpCheck]:
    checks: list[ErpCheck] = []
    if "for" in exp:
        wanted = [_norm(x).split()[-1] for x in _any(exp["for"]) if str(x).strip()]
        got = _norm(act.get("for") or "")
        ok = bool(got) and any(w in got.split() for w in wanted)
        checks.append(_check("message", "for", ok,
                             f"Message adressé à la bonne personne ({act.get('for')})." if ok else
                             f"Message adressé à {q_(act.get('for'))} au lieu de {q_(exp['for'])}.",
                             "destinataire", exp["for"], act.get("for")))
    for path in _any(exp.get("required") or []):
        value = _get_path(act, str(path))
        ok = value is not None and str(value).strip() != ""
        name = FIELD_FR.get(str(path), str(path))
        checks.append(_check("message", str(path), ok,
                             f"Message complet : {name} est noté." if ok else f"Message incomplet : {name} manque.",
                             "champs", "requis", value))
    return checks


def _compare_reminder(exp: dict[str, Any], act: dict[str, Any], call_date: date | None) -> list[ErpCheck]:
    checks: list[ErpCheck] = []
    for key, category, label in (("stage", "etape", "Étape de relance"), ("outcome", "issue", "Issue de la relance")):
        if key in exp:
            wanted = [str(x) for x in _any(exp[key])]
            got = act.get(key)
            ok = got in wanted
            checks.append(_check("reminder", key, ok,
                                 f"{label} correcte ({got})." if ok else f"{label} {q_(got)} au lieu de {q_(wanted)}.",
                                 category, wanted, got))
    if exp.get("promised_payment_date") == "required":
        raw = act.get("promised_payment_date")
        ok = bool(raw)
        message = "Date de paiement promise notée sur la fiche." if ok else "Relance sans date de paiement promise : obtenez et notez une date précise."
        if ok and call_date is not None:
            try:
                if date.fromisoformat(str(raw)[:10]) < call_date:
                    ok = False
                    message = f"La date promise ({raw}) est antérieure à l'appel."
            except ValueError:
                ok = False
                message = f"Date promise illisible ({raw})."
        checks.append(_check("reminder", "promised_payment_date", ok, message, "date", "requise", raw))
    return checks


def _overlap(exp: dict[str, Any], act: dict[str, Any]) -> int:
    if exp.get("kind") == "order":
        e = {str(x.get("reference", "")).upper() for x in exp.get("lines") or [] if isinstance(x, dict)}
        a = {str(x.get("reference", "")).upper() for x in act.get("lines") or [] if isinstance(x, dict)}
        return len(e & a)
    return 0


def compare_records(expected: list[dict[str, Any]], records: list[dict[str, Any]], *,
                    call_date: date | None = None, company: CompanyInfo | None = None) -> list[ErpCheck]:
    """Every check of what the student recorded against what the customer wanted."""
    checks: list[ErpCheck] = []
    used: set[int] = set()
    for exp in expected:
        kind = exp.get("kind")
        candidates = [(i, r) for i, r in enumerate(records) if r.get("kind") == kind and i not in used]
        if not candidates:
            checks.append(_check(str(kind), "record", False,
                                 f"Aucune fiche « {KIND_FR.get(str(kind), kind)} » enregistrée dans le PGI alors que l'appel en demandait une.",
                                 "fiche", kind, None))
            continue
        index, act = max(candidates, key=lambda c: _overlap(exp, c[1]))
        used.add(index)
        if kind == "order":
            checks.extend(_compare_order(exp, act, company))
        elif kind == "complaint":
            checks.extend(_compare_complaint(exp, act, call_date))
        elif kind == "message":
            checks.extend(_compare_message(exp, act))
        elif kind == "reminder":
            checks.extend(_compare_reminder(exp, act, call_date))
    return checks


def promotion_checks(records: list[dict[str, Any]], company: CompanyInfo | None) -> list[ErpCheck]:
    """Without a scenario: are the promotion tiers applied on the recorded order lines?"""
    if company is None or not company.promo_references:
        return []
    checks: list[ErpCheck] = []
    for rec in records:
        if rec.get("kind") != "order":
            continue
        agg = _aggregate([x for x in rec.get("lines") or [] if isinstance(x, dict)])
        for ref, got in agg.items():
            if ref not in company.promo_references:
                continue
            due = Decimal("0.00")
            for min_qty, rate in company.promo_tiers:
                if got["quantity"] >= min_qty:
                    due = _rate(rate) or due
            actual = got["rates"] or {Decimal("0.00")}
            ok = actual == {due}
            label = _label(got["lines"][0], company)
            if ok:
                msg = f"Promotion du mois bien appliquée sur {label} ({_pct(due)} pour {got['quantity']})."
            elif due > 0 and max(actual) == 0:
                msg = f"Promotion oubliée sur {label} : {got['quantity']} unités donnent droit à {_pct(due)}, la ligne est à 0 %."
            else:
                msg = f"Remise de {', '.join(_pct(r) for r in sorted(actual))} sur {label} : le palier de {got['quantity']} unités donne {_pct(due)}."
            checks.append(_check("order", f"lines.{ref}.discount_rate", ok, msg, "remise", _pct(due),
                                 ", ".join(_pct(r) for r in sorted(actual))))
    return checks


def erp_checks(expected: list[dict[str, Any]], records: list[dict[str, Any]], *,
               call_date: date | None, company: CompanyInfo | None) -> list[ErpCheck]:
    """The scenario's expected records when there are some, else the promotion self-check."""
    if expected:
        return compare_records(expected, records, call_date=call_date, company=company)
    return promotion_checks(records, company)
