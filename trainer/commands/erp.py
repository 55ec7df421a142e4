"""``trainer erp …``: the company ERP (PGI) on the command line.

Read-only listings as aligned text tables with French headers (or ``--json``): clients, orders,
complaints (late ones first), reminders due, aged balance. One writing command, ``new-order``, so a
teacher can try the pricing rules and so bad input can be tested end to end.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer

from trainer.commands.common import DbOption, JsonOption, print_json
from trainer.errors import UserError

erp_app = typer.Typer(
    name="erp",
    help="Le PGI de l'entreprise : clients, commandes, réclamations, relances, balance âgée.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Jour de référence AAAA-MM-JJ (défaut : aujourd'hui, heure de Paris).", show_default=False),
]
CompanyOption = Annotated[
    str | None, typer.Option("--company", help="Entreprise (generik, servfamilles ; défaut : toutes).", show_default=False)
]


# -- text tables -----------------------------------------------------------------------------------------


def _width(text: str) -> int:
    # Combining accents take no column; everything we print is otherwise one column per character.
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """An aligned text table: header, a rule, the rows; columns in ``right`` are right-aligned."""
    widths = [_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], _width(cell))

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    parts = [line(headers), "  ".join("-" * w for w in widths)]
    parts += [line(row) for row in rows]
    return "\n".join(parts)


def _eur(amount: Decimal) -> str:
    from trainer.domain.money import format_eur

    return format_eur(amount)


def _day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _rate(rate: Decimal) -> str:
    from trainer.domain.money import format_rate_percent

    return format_rate_percent(rate) if rate else ""


def _money_json(amount: Decimal) -> str:
    return f"{amount:.2f}"


def parse_day(text: str | None) -> date:
    """``--date`` (AAAA-MM-JJ), or today in Paris."""
    from trainer.domain.common import PARIS

    if not text:
        return datetime.now(PARIS).date()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--date : « {text} » n'est pas une date valide (format attendu AAAA-MM-JJ).") from None


def _store(db: str | None):
    from trainer.store import ensure_ready

    return ensure_ready(db)


@contextmanager
def _reading(db: str | None) -> Iterator[Any]:
    """A read-only database session on the store of ``--db``, the store closed afterwards."""
    store = _store(db)
    try:
        with store.read() as session:
            yield session
    finally:
        store.dispose()


# -- clients ---------------------------------------------------------------------------------------------


@erp_app.command("clients")
def clients(
    db: DbOption = None,
    json_out: JsonOption = False,
    segment: Annotated[
        str | None,
        typer.Option(
            "--segment",
            help="salon_independant, salon_enseigne, coiffeur_domicile, grossiste, apprenti, particulier.",
            show_default=False,
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Fragment du numéro, du nom, du salon, de la ville ou du téléphone.", show_default=False),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="client ou prospect.", show_default=False)] = None,
    company: CompanyOption = None,
) -> None:
    """Liste les fiches clients (filtrées par segment, statut ou texte)."""
    from trainer.domain.clients import ClientStatus, Segment
    from trainer.store import repositories as repo

    if segment is not None and segment not in {s.value for s in Segment}:
        raise UserError(
            f"--segment : « {segment} » inconnu (segments : {', '.join(s.value for s in Segment)})."
        )
    if status is not None and status not in {s.value for s in ClientStatus}:
        raise UserError(f"--status : « {status} » inconnu (client ou prospect).")
    with _reading(db) as session:
        found = repo.find_clients(session, company_id=company, text=search, segment=segment, status=status)
    if json_out:
        print_json(
            {
                "clients": [
                    {
                        **c.model_dump(mode="json", exclude_none=True),
                        "kind": c.kind,
                        "payment_terms": c.payment_terms.label,
                    }
                    for c in found
                ]
            }
        )
        return
    rows = [
        [
            c.number or "",
            c.name,
            c.company or "",
            c.segment.label,
            c.status.value,
            c.region,
            c.contact.phone or c.contact.mobile or "",
            c.payment_terms.label,
        ]
        for c in found
    ]
    typer.echo(
        render_table(
            ["N° client", "Contact", "Salon / société", "Segment", "Statut", "Région", "Téléphone", "Paiement"], rows
        )
    )
    typer.echo(f"{len(found)} client(s).")


# -- orders ----------------------------------------------------------------------------------------------


def order_json(order: Any) -> dict[str, Any]:
    """An order as in CONTRACT §4 (``kind: order``) plus its TVA, TTC, date, status and delivery."""
    from trainer.domain.clients import SEGMENT_KIND

    return {
        "kind": "order",
        "id": order.number,
        "client": {
            "name": order.client_name,
            "kind": SEGMENT_KIND[order.segment],
            **({"number": order.client_number} if order.client_number else {}),
            **({"company": order.client_company} if order.client_company else {}),
        },
        "lines": [
            {
                "product": line.product,
                "reference": line.reference,
                **({"shade": line.shade} if line.shade else {}),
                "quantity": line.quantity,
                "unit_price_ht": _money_json(line.unit_price_ht),
                "discount_rate": f"{line.discount_rate:.2f}",
                "total_ht": _money_json(line.total_ht),
            }
            for line in order.lines
        ],
        "total_ht": _money_json(order.total_ht),
        "total_tva": _money_json(order.total_tva),
        "total_ttc": _money_json(order.total_ttc),
        "payment_terms": order.payment_terms.label,
        "delivery_promise": order.delivery.wording(),
        "status": order.status.value,
        "created_at": order.created_at.isoformat(),
    }


def _order_lines_table(order: Any) -> str:
    rows = [
        [
            line.reference,
            line.product,
            f"{line.shade} {line.shade_name}" if line.shade else "",
            str(line.quantity),
            _eur(line.unit_price_ht),
            _rate(line.discount_rate),
            _eur(line.total_ht),
        ]
        for line in order.lines
    ]
    return render_table(
        ["Référence", "Produit", "Nuance", "Qté", "PU HT", "Remise", "Total HT"], rows, right=(3, 4, 5, 6)
    )


def print_order(order: Any) -> None:
    """The priced order as the ERP shows it."""
    from trainer.domain.common import PARIS

    who = order.client_name + (f" ({order.client_company})" if order.client_company else "")
    typer.echo(
        f"Commande {order.number} du {order.created_at.astimezone(PARIS):%d/%m/%Y à %H:%M} — "
        f"client {order.client_number or 'sans numéro'} : {who}"
    )
    typer.echo(_order_lines_table(order))
    label_width = 18
    for label, amount in (
        ("Total HT", order.total_ht),
        ("dont remises", order.total_discount),
        ("TVA 20 %", order.total_tva),
        ("Total TTC", order.total_ttc),
    ):
        typer.echo(f"{label:<{label_width}}{_eur(amount):>14}")
    typer.echo(f"Paiement : {order.payment_terms.label}")
    typer.echo(f"{order.delivery.wording()}.")


@erp_app.command("orders")
def orders(
    db: DbOption = None,
    json_out: JsonOption = False,
    client: Annotated[str | None, typer.Option("--client", help="N° client (CLI-00042).", show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Nombre maximal de commandes.")] = 50,
    company: CompanyOption = None,
) -> None:
    """Liste les commandes, les plus récentes d'abord."""
    from trainer.domain.common import PARIS
    from trainer.store import repositories as repo

    with _reading(db) as session:
        if client and repo.client_row(session, number=client) is None:
            raise UserError(f"--client : aucun client ne porte le numéro « {client} ».")
        found = repo.list_orders(session, client_number=client, limit=limit, company_id=company)
    if json_out:
        print_json({"orders": [order_json(o) for o in found]})
        return
    rows = [
        [
            o.number or "",
            f"{o.created_at.astimezone(PARIS):%d/%m/%Y}",
            o.client_number or "",
            o.client_company or o.client_name,
            str(len(o.lines)),
            str(sum(line.quantity for line in o.lines)),
            _eur(o.total_ht),
            _eur(o.total_ttc),
            o.status.label,
        ]
        for o in found
    ]
    typer.echo(
        render_table(
            ["N° commande", "Date", "N° client", "Client", "Lignes", "Unités", "Total HT", "Total TTC", "Statut"],
            rows,
            right=(4, 5, 6, 7),
        )
    )
    typer.echo(f"{len(found)} commande(s).")


@erp_app.command("new-order")
def new_order(
    client: Annotated[str, typer.Option("--client", help="N° du client (CLI-00042).")],
    line: Annotated[
        list[str],
        typer.Option(
            "--line",
            help="Ligne RÉFÉRENCE:NUANCE:QUANTITÉ, répétable (GNK-CCS-100:6.4:48 ; sans nuance : GNK-SHA-1000::1).",
        ),
    ],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Enregistre une commande et affiche son chiffrage (promotion, HT, TVA, TTC, paiement, livraison).

    Une saisie refusée (quantité nulle, négative ou démesurée, produit ou nuance inconnus…) n'écrit
    rien dans la base.
    """
    from trainer.domain.common import PARIS
    from trainer.domain.errors import DomainError
    from trainer.store import repositories as repo

    requests = [parse_line_option(text, index) for index, text in enumerate(line, start=1)]
    store = _store(db)
    now = datetime.now(PARIS)
    try:
        try:
            order = store.run(lambda s: repo.create_order(s, client_number=client, lines=requests, now=now))
        except DomainError as exc:
            raise UserError(_line_context(str(exc), line)) from None
    finally:
        store.dispose()
    if json_out:
        print_json(order_json(order))
    else:
        print_order(order)


def parse_line_option(text: str, index: int) -> dict[str, Any]:
    """``GNK-CCS-100:6.4:48`` -> reference, shade, quantity; ``GNK-SHA-1000::1`` or ``GNK-SHA-1000:1``."""
    from trainer.domain.errors import DomainError
    from trainer.domain.orders import parse_quantity

    parts = [p.strip() for p in text.split(":")]
    if len(parts) == 2:
        reference, shade, quantity = parts[0], "", parts[1]
    elif len(parts) == 3:
        reference, shade, quantity = parts
    else:
        raise UserError(
            f"--line n° {index} « {text} » : attendu RÉFÉRENCE:NUANCE:QUANTITÉ (par exemple GNK-CCS-100:6.4:48, "
            "ou GNK-SHA-1000::1 sans nuance)."
        )
    if not reference:
        raise UserError(f"--line n° {index} « {text} » : la référence du produit manque.")
    try:
        qty = parse_quantity(quantity)
    except DomainError as exc:
        raise UserError(f"--line n° {index} « {text} » : {exc}") from None
    return {"reference": reference.upper(), "shade": shade or None, "quantity": qty}


def _line_context(message: str, lines: list[str]) -> str:
    # The domain numbers lines ("Ligne 2 : …") after merging; name the option the user typed.
    import re

    m = re.match(r"Ligne (\d+) : (.*)", message)
    if m and 1 <= int(m.group(1)) <= len(lines):
        return f"--line n° {m.group(1)} « {lines[int(m.group(1)) - 1]} » : {m.group(2)}"
    return message


# -- complaints ------------------------------------------------------------------------------------------


@erp_app.command("complaints")
def complaints(
    db: DbOption = None,
    json_out: JsonOption = False,
    day: DateOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Inclure les réclamations clôturées.")] = False,
    company: CompanyOption = None,
) -> None:
    """Liste les réclamations avec leur délai client, en retard d'abord."""
    from trainer.domain.common import PARIS
    from trainer.domain.complaints import CATEGORY_LABELS, SERVICE_LABELS
    from trainer.store import repositories as repo

    today = parse_day(day)
    with _reading(db) as session:
        found = repo.list_complaints(session, today=today, include_closed=all_, company_id=company)
    if json_out:
        print_json(
            {
                "date": today.isoformat(),
                "complaints": [
                    {
                        "kind": "complaint",
                        "id": c.complaint.number,
                        "client": {
                            "name": c.complaint.client_name,
                            **({"number": c.complaint.client_number} if c.complaint.client_number else {}),
                            **({"company": c.complaint.client_company} if c.complaint.client_company else {}),
                        },
                        "category": c.complaint.category,
                        "responsible_service": c.complaint.responsible_service,
                        "status": c.complaint.status.value,
                        "received_at": c.complaint.received_at.isoformat(),
                        "customer_deadline": c.complaint.customer_deadline.isoformat(),
                        "overdue": c.overdue,
                        "days_late": c.days_late,
                        **({"solution": c.complaint.solution} if c.complaint.solution else {}),
                    }
                    for c in found
                ],
            }
        )
        return
    rows = [
        [
            c.complaint.number or "",
            f"{c.complaint.received_at.astimezone(PARIS):%d/%m/%Y}",
            c.complaint.client_company or c.complaint.client_name,
            CATEGORY_LABELS.get(c.complaint.category, c.complaint.category),
            SERVICE_LABELS.get(c.complaint.responsible_service, c.complaint.responsible_service),
            _day(c.complaint.customer_deadline),
            f"{c.days_late} j" if c.overdue else "",
            c.complaint.status.label,
        ]
        for c in found
    ]
    typer.echo(
        render_table(
            ["N° réclamation", "Reçue le", "Client", "Catégorie", "Service", "Délai client", "Retard", "Statut"],
            rows,
            right=(6,),
        )
    )
    late = sum(1 for c in found if c.overdue)
    typer.echo(f"{len(found)} réclamation(s), dont {late} en retard au {_day(today)}.")


# -- reminders and aged balance ---------------------------------------------------------------------------


@erp_app.command("reminders")
def reminders(
    db: DbOption = None,
    json_out: JsonOption = False,
    day: DateOption = None,
    company: CompanyOption = None,
) -> None:
    """Relances à faire ce jour-là (procédure de relance, Doc 9), les plus en retard d'abord."""
    from trainer.store import repositories as repo

    today = parse_day(day)
    with _reading(db) as session:
        due = repo.reminders_due_on(session, today=today, company_id=company)
        names = {c.number: c for c in repo.find_clients(session)}
    if json_out:
        print_json(
            {
                "date": today.isoformat(),
                "reminders_due": [
                    {
                        "invoice": r.invoice_number,
                        "client": {"number": r.client_number, "name": _client_label(names, r.client_number)},
                        "stage": r.stage,
                        "due_on": r.due_on.isoformat(),
                        "stage_from": r.stage_from.isoformat(),
                        "days_overdue": r.days_overdue,
                        "amount_due": _money_json(r.amount_due),
                    }
                    for r in due
                ],
            }
        )
        return
    rows = [
        [
            r.invoice_number,
            r.client_number,
            _client_label(names, r.client_number),
            _day(r.due_on),
            str(r.days_overdue),
            _eur(r.amount_due),
            r.label,
            _day(r.stage_from),
        ]
        for r in due
    ]
    typer.echo(
        render_table(
            ["Facture", "N° client", "Client", "Échéance", "Jours de retard", "Montant dû", "Relance à faire", "Depuis le"],
            rows,
            right=(4, 5),
        )
    )
    typer.echo(f"{len(due)} relance(s) à faire le {_day(today)}.")


def _client_label(clients: dict[str | None, Any], number: str) -> str:
    client = clients.get(number)
    if client is None:
        return ""
    return client.company or client.name


@erp_app.command("balance")
def balance(
    db: DbOption = None,
    json_out: JsonOption = False,
    day: DateOption = None,
    company: CompanyOption = None,
) -> None:
    """Balance âgée des tiers : ce que doit chaque client, par ancienneté du retard."""
    from trainer.domain.invoices import AGE_BUCKETS, BUCKET_LABELS
    from trainer.store import repositories as repo

    today = parse_day(day)
    with _reading(db) as session:
        aged = repo.aged_balance_on(session, today=today, company_id=company)
        names = {c.number: c for c in repo.find_clients(session)}
    buckets = [name for name, *_ in AGE_BUCKETS]
    if json_out:
        print_json(
            {
                "date": today.isoformat(),
                "rows": [
                    {
                        "client": {"number": r.client_number, "name": _client_label(names, r.client_number)},
                        "buckets": {b: _money_json(r.buckets[b]) for b in buckets},
                        "total": _money_json(r.total),
                        "invoices": r.invoices,
                    }
                    for r in aged.rows
                ],
                "totals": {b: _money_json(aged.totals[b]) for b in buckets},
                "total": _money_json(aged.total),
            }
        )
        return
    rows = [
        [r.client_number, _client_label(names, r.client_number), *(_eur(r.buckets[b]) for b in buckets), _eur(r.total)]
        for r in aged.rows
    ]
    rows.append(["", "Total", *(_eur(aged.totals[b]) for b in buckets), _eur(aged.total)])
    right = tuple(range(2, 3 + len(buckets)))
    typer.echo(
        render_table(["N° client", "Client", *(BUCKET_LABELS[b] for b in buckets), "Total dû"], rows, right=right)
    )
    typer.echo(f"Balance âgée au {_day(today)} : {len(aged.rows)} client(s) débiteur(s).")


def register(app: typer.Typer) -> None:
    """Add ``trainer erp`` to the application."""
    app.add_typer(erp_app, name="erp")
