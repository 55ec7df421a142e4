"""The ERP panel ("PGI") of the call desk: client, order lines, complaint form, message, reminder.

The panel only collects what the student types and posts ``ErpPanel.ActionRequested`` with the
canonical action names and arguments of the call session (the same as the ``/`` actions of
``trainer play`` scripts: ``client``, ``nouveau-client``, ``ligne``, ``supprimer-ligne``,
``reclamation``, ``message``, ``relance``). The call desk runs the action on the ``CallSession``
(which applies the company's rules) in a worker, then hands the panel the session's ERP preview to
show: priced lines with the promotion and the totals, the complaint's service and deadline...
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from trainer.domain.money import format_eur


def _field(label: str, widget: Any) -> ComposeResult:
    yield Label(label, classes="erp-label")
    yield widget


def _pct(rate: Any) -> str:
    from decimal import Decimal

    try:
        value = Decimal(str(rate)) * 100
    except Exception:  # noqa: BLE001 - shown as is
        return str(rate)
    return f"{value.normalize():f} %" if value else "—"


def _money(value: Any) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return format_eur(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


class ErpPanel(Vertical):
    """The student's ERP during a call."""

    class ActionRequested(Message):
        """The student validated an entry: run ``name`` with ``args`` on the call session."""

        def __init__(self, name: str, args: dict[str, Any]) -> None:
            super().__init__()
            self.name = name
            self.args = args

    class ClientSearch(Message):
        """The student searches the client files (number, name, salon, town, phone)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        yield Static("Aucune fiche ouverte.", id="erp-status")
        with TabbedContent(id="erp-tabs"):
            with TabPane("Client", id="erp-client"), VerticalScroll():
                yield Input(placeholder="Rechercher : nom, salon, n° client, ville…", id="client-search", compact=True)
                yield OptionList(id="client-results")
                yield Static("[b]Nouveau client[/b]", classes="erp-section")
                with Grid(classes="erp-form"):
                    yield from _field("Nom", Input(id="nc-nom", compact=True, placeholder="Prénom Nom"))
                    yield from _field("Salon", Input(id="nc-salon", compact=True))
                    yield from _field("Segment", Select[str]([], id="nc-segment", compact=True, prompt="Segment…"))
                    yield from _field("Région", Select[str]([], id="nc-region", compact=True, prompt="Région…"))
                    yield from _field("Téléphone", Input(id="nc-tel", compact=True))
                    yield from _field("Courriel", Input(id="nc-email", compact=True))
                    yield from _field("Adresse", Input(id="nc-adresse", compact=True))
                    yield from _field("Code postal", Input(id="nc-cp", compact=True, max_length=5))
                    yield from _field("Ville", Input(id="nc-ville", compact=True))
                yield Button("Créer le client", id="nc-create", variant="primary", compact=True)
            with TabPane("Commande", id="erp-order"), VerticalScroll():
                with Grid(classes="erp-form"):
                    yield from _field("Produit", Select[str]([], id="line-ref", compact=True, prompt="Produit…"))
                    yield from _field("Nuance", Input(id="line-shade", compact=True, placeholder="ex. 6.4"))
                    yield from _field("Quantité", Input(id="line-qty", compact=True, placeholder="ex. 48"))
                with Horizontal(classes="erp-buttons"):
                    yield Button("Ajouter la ligne", id="line-add", variant="primary", compact=True)
                    yield Button("Retirer", id="line-remove", compact=True, tooltip="Retirer la ligne choisie dans la liste")
                yield OptionList(id="order-lines")
                yield Static("", id="order-totals")
            with TabPane("Réclamation", id="erp-complaint"), VerticalScroll():
                with Grid(classes="erp-form"):
                    yield from _field("Catégorie", Select[str]([], id="cp-category", compact=True, prompt="Catégorie…"))
                    yield from _field("Faits", Input(id="cp-facts", compact=True, placeholder="ce que dit le client"))
                    yield from _field("Commande", Input(id="cp-order", compact=True, placeholder="CMD-… (si connue)"))
                    yield from _field("Solution", Input(id="cp-solution", compact=True, placeholder="ex. nouvel envoi"))
                yield Button("Enregistrer la fiche", id="cp-save", variant="primary", compact=True)
                yield Static("", id="complaint-preview")
                # A satisfaction call follows up a complaint on file: close it, or revise its action.
                yield Static("[b]Suivi d'une réclamation en cours[/b] (rappel de satisfaction)", classes="erp-section")
                with Grid(classes="erp-form"):
                    yield from _field(
                        "Satisfait ?",
                        Select[str](
                            [("Oui : clôturer la réclamation", "oui"), ("Non : réviser l'action", "non")],
                            id="fu-answer", compact=True, prompt="Réponse du client…",
                        ),
                    )
                    yield from _field("Action", Input(id="fu-action", compact=True, placeholder="révisée, si non satisfait"))
                yield Button("Noter le suivi", id="fu-save", variant="primary", compact=True)
                yield Static("", id="follow-up-preview")
            with TabPane("Message", id="erp-message"), VerticalScroll():
                with Grid(classes="erp-form"):
                    yield from _field("Pour", Select[str]([], id="msg-for", compact=True, prompt="Destinataire…"))
                    yield from _field("Appelant", Input(id="msg-name", compact=True, placeholder="Prénom Nom"))
                    yield from _field("Société", Input(id="msg-company", compact=True))
                    yield from _field("Téléphone", Input(id="msg-tel", compact=True))
                    yield from _field("Objet", Input(id="msg-subject", compact=True))
                    yield from _field("Rappeler", Input(id="msg-when", compact=True, placeholder="ex. demain 10 h"))
                yield Button("Enregistrer le message", id="msg-save", variant="primary", compact=True)
                yield Static("", id="message-preview")
            with TabPane("Relance", id="erp-reminder"), VerticalScroll():
                with Grid(classes="erp-form"):
                    yield from _field("Résultat", Select[str]([], id="rl-outcome", compact=True, prompt="Résultat…"))
                    yield from _field("Date promise", Input(id="rl-date", compact=True, placeholder="AAAA-MM-JJ"))
                    yield from _field("Facture", Input(id="rl-invoice", compact=True, placeholder="FAC-…"))
                    yield from _field("Commentaire", Input(id="rl-comment", compact=True))
                yield Button("Noter la relance", id="rl-save", variant="primary", compact=True)
                yield Static("", id="reminder-preview")
        yield Static("", id="erp-error", classes="error")

    def on_mount(self) -> None:
        self.border_title = "PGI"
        self.query_one("#client-results", OptionList).display = False
        self.query_one("#order-lines", OptionList).display = False
        from trainer.domain.complaints import CATEGORY_LABELS
        from trainer.domain.invoices import OUTCOME_LABELS

        self.query_one("#cp-category", Select).set_options(
            [(label[:1].upper() + label[1:], key) for key, label in CATEGORY_LABELS.items()]
        )
        self.query_one("#rl-outcome", Select).set_options(
            [(label[:1].upper() + label[1:], key) for key, label in OUTCOME_LABELS.items()]
        )

    # -- set-up from the company's data ----------------------------------------------------------

    def setup(self, company: Any) -> None:
        """Fill the choices from the company's reference data (catalogue, persons, segments, regions)."""
        from trainer.domain.clients import REGIONS, SEGMENT_LABELS

        catalogue = getattr(company, "catalogue", None)
        products = catalogue.products if catalogue is not None else []
        self.query_one("#line-ref", Select).set_options(
            [(f"{p.reference}  {p.label}", p.reference) for p in products]
        )
        self.query_one("#nc-segment", Select).set_options(
            [(label, segment.value) for segment, label in SEGMENT_LABELS.items()]
        )
        self.query_one("#nc-region", Select).set_options([(region, region) for region in REGIONS])
        persons = [getattr(p, "display", None) or f"{p.civility} {p.last_name}" for p in company.persons]
        self.query_one("#msg-for", Select).set_options([(f"{name}", name) for name in persons])

    # -- what the student types ---------------------------------------------------------------------

    def _value(self, selector: str) -> str:
        widget = self.query_one(selector)
        if isinstance(widget, Select):
            value = widget.value
            return "" if value is Select.NULL else str(value)
        assert isinstance(widget, Input)
        return " ".join(widget.value.split())

    def _args(self, **fields: str) -> dict[str, Any]:
        """Non-empty fields only (the session fills defaults and checks what is required)."""
        return {key: self._value(selector) for key, selector in fields.items() if self._value(selector)}

    def _request(self, name: str, args: dict[str, Any]) -> None:
        self.show_error("")
        self.post_message(self.ActionRequested(name, args))

    def _submit(self, name: str, **fields: str) -> None:
        """Send a form (ERP action argument → field selector); an empty required field is named
        by its label on the form, not by the script language's argument name."""
        from trainer.call.script import ACTIONS

        for arg in ACTIONS[name].args:
            selector = fields.get(arg.name)
            if arg.required and selector is not None and not self._value(selector):
                self.show_error(f"Renseignez le champ « {self._label_of(selector)} ».")
                self.query_one(selector).focus()
                return
        self._request(name, self._args(**fields))

    def _label_of(self, selector: str) -> str:
        """The label shown just before a field of a form grid."""
        widget = self.query_one(selector)
        siblings = list(widget.parent.children) if widget.parent is not None else []
        index = siblings.index(widget) if widget in siblings else 0
        if index > 0 and isinstance(siblings[index - 1], Label):
            return str(siblings[index - 1].render()).strip()
        return selector.lstrip("#")

    @on(Input.Submitted, "#client-search")
    def _search(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.post_message(self.ClientSearch(text))

    def show_search_results(self, clients: list[Any]) -> None:
        """Show the client files found; selecting one opens it in the call."""
        results = self.query_one("#client-results", OptionList)
        results.display = True
        results.clear_options()
        if not clients:
            results.add_option(Option("Aucun client trouvé.", disabled=True))
            return
        for client in clients:
            company = f" — {client.company}" if client.company else ""
            address = client.contact.address
            city = f" ({address.city})" if address is not None else ""
            results.add_option(Option(f"{client.number}  {escape(client.name + company + city)}", id=client.number))
        results.highlighted = 0
        results.focus()

    @on(OptionList.OptionSelected, "#client-results")
    def _open_client(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._request("client", {"numero": event.option.id})

    @on(Button.Pressed, "#nc-create")
    def _create_client(self) -> None:
        self._submit(
            "nouveau-client",
            nom="#nc-nom",
            salon="#nc-salon",
            segment="#nc-segment",
            region="#nc-region",
            tel="#nc-tel",
            email="#nc-email",
            adresse="#nc-adresse",
            **{"code-postal": "#nc-cp"},
            ville="#nc-ville",
        )

    @on(Input.Submitted, "#line-shade, #line-qty")
    @on(Button.Pressed, "#line-add")
    def _add_line(self) -> None:
        self._submit("ligne", reference="#line-ref", teinte="#line-shade", quantite="#line-qty")

    @on(Button.Pressed, "#line-remove")
    def _remove_line(self) -> None:
        lines = self.query_one("#order-lines", OptionList)
        if lines.option_count == 0 or lines.highlighted is None:
            self.show_error("Aucune ligne à retirer : choisissez-en une dans la liste.")
            return
        self._request("supprimer-ligne", {"numero": lines.highlighted + 1})

    @on(Button.Pressed, "#cp-save")
    def _save_complaint(self) -> None:
        self._submit("reclamation", categorie="#cp-category", faits="#cp-facts", commande="#cp-order", solution="#cp-solution")

    @on(Button.Pressed, "#fu-save")
    def _save_follow_up(self) -> None:
        self._submit("satisfaction", reponse="#fu-answer", action="#fu-action")

    @on(Button.Pressed, "#msg-save")
    def _save_message(self) -> None:
        self._submit(
            "message",
            pour="#msg-for",
            nom="#msg-name",
            societe="#msg-company",
            tel="#msg-tel",
            objet="#msg-subject",
            rappel="#msg-when",
        )

    @on(Button.Pressed, "#rl-save")
    def _save_reminder(self) -> None:
        self._submit("relance", resultat="#rl-outcome", date="#rl-date", facture="#rl-invoice", commentaire="#rl-comment")

    # -- feedback from the session ------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """One French sentence under the panel (empty to clear)."""
        self.query_one("#erp-error", Static).update(escape(message))

    def accepted(self, name: str, summary: str) -> None:
        """An entry was accepted: clear the fields that were used, tell the student what was recorded."""
        self.show_error("")
        self.notify(summary, title="PGI", timeout=4)
        if name == "ligne":
            for selector in ("#line-shade", "#line-qty"):
                self.query_one(selector, Input).value = ""
            self.query_one("#line-ref", Select).focus()

    def show_preview(self, preview: dict[str, Any]) -> None:
        """Show what the ERP would record now (see ``CallSession.erp_preview``)."""
        self._show_status(preview)
        self._show_order(preview.get("order"), list(preview.get("warnings") or []))
        self._show_complaint(preview.get("complaint"))
        self._show_simple("#follow-up-preview", preview.get("follow_up"), FOLLOW_UP_FIELDS)
        self._show_simple("#message-preview", preview.get("message"), MESSAGE_FIELDS)
        self._show_simple("#reminder-preview", preview.get("reminder"), REMINDER_FIELDS)

    def _show_status(self, preview: dict[str, Any]) -> None:
        client = preview.get("client") or {}
        if not client:
            text = "Aucune fiche client ouverte."
        else:
            number = client.get("number") or client.get("id") or "nouveau"
            name = client.get("name") or client.get("display_name") or ""
            company = client.get("company") or client.get("salon")
            terms = client.get("payment_terms")
            text = f"[b]Client[/b] {escape(str(number))} — {escape(str(name))}"
            if company:
                text += f", {escape(str(company))}"
            if terms:
                text += f"\n[dim]Paiement : {escape(str(terms))}[/dim]"
        problems = [str(p) for p in preview.get("problems") or []]
        if problems:
            text += "\n[$warning]À compléter : " + escape(" ; ".join(problems)) + "[/]"
        self.query_one("#erp-status", Static).update(text)

    def _show_order(self, order: dict[str, Any] | None, warnings: list[str]) -> None:
        lines = self.query_one("#order-lines", OptionList)
        kept = lines.highlighted
        lines.clear_options()
        totals = self.query_one("#order-totals", Static)
        if not order or not order.get("lines"):
            lines.display = False
            totals.update("[dim]Aucune ligne de commande.[/dim]")
            return
        lines.display = True
        for number, line in enumerate(order["lines"], start=1):
            lines.add_option(Option(line_markup(number, line)))
        if kept is not None:
            lines.highlighted = min(kept, lines.option_count - 1)
        rows = []
        for label, key in (("Total HT", "total_ht"), ("TVA 20 %", "total_tva"), ("Total TTC", "total_ttc")):
            if order.get(key) is not None:
                rows.append(f"{label:<10}[b]{_money(order[key]):>14}[/b]")
        if order.get("payment_terms"):
            rows.append(f"[dim]Paiement : {escape(str(order['payment_terms']))}[/dim]")
        if order.get("delivery"):
            rows.append(f"[dim]{escape(str(order['delivery']))}[/dim]")
        rows += [f"[$accent]{escape(w)}[/]" for w in warnings]
        totals.update("\n".join(rows))

    def _show_complaint(self, complaint: dict[str, Any] | None) -> None:
        self._show_simple("#complaint-preview", complaint, COMPLAINT_FIELDS)

    def _show_simple(self, selector: str, data: dict[str, Any] | None, fields: tuple[tuple[str, str], ...]) -> None:
        widget = self.query_one(selector, Static)
        if not data:
            widget.update("")
            return
        lines = [
            f"[b]{label}[/b] : {escape(_plain(data[key]))}"
            for key, label in fields
            if data.get(key) not in (None, "", [])
        ]
        widget.update("\n".join(lines))


def line_markup(number: int, line: dict[str, Any]) -> str:
    """One order line on two rows: product and shade, then quantity × price − discount = total."""
    product = escape(str(line.get("product") or line.get("reference") or "?"))
    shade = f" — nuance {escape(str(line['shade']))}" if line.get("shade") else ""
    first = f"{number}. {product}{shade}"
    quantity = line.get("quantity", "?")
    if line.get("total_ht") is None:
        return f"{first}\n   {quantity} (prix calculé quand le client est saisi)"
    rate = _pct(line.get("discount_rate", "0"))
    discount = f" − {rate}" if rate != "—" else ""
    second = f"   {quantity} × {_money(line.get('unit_price_ht'))}{discount} = [b]{_money(line['total_ht'])}[/b] HT"
    return f"{first}\n{second}"


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


COMPLAINT_FIELDS = (
    ("category_label", "Catégorie"),
    ("responsible_service_label", "Service responsable"),
    ("customer_deadline", "Délai client"),
    ("solution", "Solution"),
    ("status", "Statut"),
)
FOLLOW_UP_FIELDS = (
    ("complaint", "Réclamation"),
    ("status_label", "Nouveau statut"),
    ("solution", "Action"),
    ("customer_deadline", "Délai client"),
)
MESSAGE_FIELDS = (
    ("for", "Pour"),
    ("caller", "Appelant"),
    ("callback_number", "Rappeler au"),
    ("subject", "Objet"),
    ("callback_when", "Quand"),
)
REMINDER_FIELDS = (
    ("invoice", "Facture"),
    ("amount_due", "Montant dû"),
    ("outcome_label", "Résultat"),
    ("promised_payment_date", "Date promise"),
)
