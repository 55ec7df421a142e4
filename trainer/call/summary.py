"""French one-line descriptions of the records a call produced (terminal summary, TUI debrief)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

NARROW_NBSP = "\u202f"

_SERVICES = {
    "technique": "service technique",
    "logistique": "service logistique",
    "clientele": "service clientèle",
    "daf": "service administratif et financier",
}
_OUTCOMES = {
    "promesse_de_paiement": "promesse de paiement",
    "litige": "litige",
    "deja_paye": "déjà payé",
    "injoignable": "injoignable",
    "refus": "refus de payer",
}


def euros(value: Any) -> str:
    """« 1 234,50 € » from a decimal string."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    whole, _, cents = f"{amount:,.2f}".partition(".")
    grouped = whole.replace(",", NARROW_NBSP)
    return f"{grouped},{cents} €"


def french_date(value: Any) -> str:
    """« 24/11/2026 » from an ISO date string."""
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def describe_record(record: dict[str, Any]) -> str:
    """One French line for a CONTRACT §4 record."""
    kind = record.get("kind")
    client = (record.get("client") or {}).get("name", "?")
    if kind == "order":
        lines = record.get("lines") or []
        detail = ", ".join(
            f"{line.get('quantity')} × {line.get('reference')}"
            + (f" {line['shade']}" if line.get("shade") else "")
            + (f" (-{int(Decimal(str(line['discount_rate'])) * 100)} %)" if Decimal(str(line.get("discount_rate", "0"))) else "")
            for line in lines
        )
        return (
            f"Commande {record.get('id')} — {client} : {detail} ; total HT {euros(record.get('total_ht'))}, "
            f"paiement {record.get('payment_terms')}"
        )
    if kind == "complaint":
        service = _SERVICES.get(record.get("responsible_service", ""), record.get("responsible_service"))
        text = (
            f"Réclamation {record.get('id')} — {client} : {record.get('category')}, {service}, "
            f"réponse promise le {french_date(record.get('customer_deadline'))}"
        )
        if record.get("solution"):
            text += f" ; solution : {record['solution']}"
        return text
    if kind == "message":
        caller = record.get("caller") or {}
        who = caller.get("name", "?") + (f" ({caller['company']})" if caller.get("company") else "")
        text = f"Message {record.get('id')} pour {record.get('for')} de {who}"
        if record.get("callback_number"):
            text += f", rappeler au {record['callback_number']}"
        if record.get("callback_when"):
            text += f" ({record['callback_when']})"
        if record.get("subject"):
            text += f" ; objet : {record['subject']}"
        return text
    if kind == "reminder":
        text = (
            f"Relance {record.get('id')} — {client}, facture {record.get('invoice')} "
            f"({euros(record.get('amount_due'))}) : {_OUTCOMES.get(record.get('outcome', ''), record.get('outcome'))}"
        )
        if record.get("promised_payment_date"):
            text += f" le {french_date(record['promised_payment_date'])}"
        return text
    return f"{kind} {record.get('id')}"
