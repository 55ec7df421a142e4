"""The company's ERP (« PGI ») as the reception desk sees it: clients, orders, complaints, reminders.

- ``ErpScreen``: tabs for the clients (search), the orders, the complaints with their customer
  deadlines (late ones first and in red, with the days of delay), the reminders due today (Doc 9
  stages) and the aged balance (« balance âgée des tiers »); ``Entrée`` opens the client file.
- ``ClientFileScreen``: the client file (« fiche client ») with its history: the contact log and
  the calls (sessions) that wrote to it, its orders, complaints and invoices.

Everything is read in thread workers through the store's repositories; business figures (late or
not, stage due, buckets) come from the domain rules applied to the app's clock (``ctx.today()``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Select, Static, TabbedContent, TabPane

from trainer.domain.common import PARIS
from trainer.domain.money import format_eur
from trainer.tui.navigation import TrainerScreen
from trainer.tui.screens.observer import viewer_of
from trainer.tui.widgets.staff_sessions import FitTable, SessionTable, fill_table

LATE = "bold red"


def day(d: date | datetime | None) -> str:
    """``23/11/2026`` (a datetime is read in Paris time)."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(PARIS).date()
    return d.strftime("%d/%m/%Y")


def eur(amount: Decimal | None) -> Text:
    """An amount, right-aligned."""
    return Text(format_eur(amount) if amount is not None else "", justify="right")


def eur_bare(amount: Decimal | None) -> Text:
    """An amount without its currency sign (``10 039,40``), right-aligned."""
    text = format_eur(amount).replace("\u00a0€", "").replace(" €", "") if amount is not None else ""
    return Text(text, justify="right")


def _labels() -> dict[str, dict[str, str]]:
    from trainer.domain.complaints import CATEGORY_LABELS, SERVICE_LABELS
    from trainer.domain.invoices import BUCKET_LABELS, STAGE_LABELS

    return {
        "category": CATEGORY_LABELS,
        "service": SERVICE_LABELS,
        "stage": STAGE_LABELS,
        "bucket": BUCKET_LABELS,
    }


SHORT_CATEGORIES = {
    "technique_qualite": "technique : qualité",
    "technique_utilisation": "technique : utilisation",
    "livraison_retard": "livraison : retard",
    "livraison_avarie": "livraison : avarie",
    "livraison_erreur_preparation": "livraison : erreur colis",
    "procedure_erreur_saisie": "erreur de saisie",
    "e_reputation": "e-réputation",
}
"""Categories as the lists show them (the client file and the complaint show the full label)."""

SHORT_STAGES = {
    "email": "courriel",
    "telephone": "téléphone",
    "mise_en_demeure": "mise en demeure",
    "injonction": "injonction",
}
CHANNELS = {
    "telephone": "téléphone",
    "courriel": "courriel",
    "courrier": "courrier",
    "lettre_recommandee": "recommandé",
    "visite": "visite",
}
DIRECTIONS = {"entrant": "entrant", "sortant": "sortant"}
PURPOSES = {
    "commande": "commande",
    "reclamation": "réclamation",
    "information": "information",
    "relance": "relance",
    "prospection": "prospection",
    "satisfaction": "satisfaction",
    "message": "message",
    "autre": "autre",
}


class ErpScreen(TrainerScreen[None]):
    """The ERP's lists, one tab each."""

    CSS_PATH = "erp.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour"),
        Binding("f5", "refresh", "Actualiser"),
        Binding("ctrl+f", "search", "Rechercher un client"),
        Binding("ctrl+l", "toggle_closed", "Réclamations closes", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.company: str | None = None
        self.include_closed = False
        self._companies_ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="erp-top"):
            yield Select([], prompt="Entreprise", allow_blank=True, id="erp-company")
            yield Static("", id="erp-today")
        with TabbedContent(id="erp-tabs", initial="tab-clients"):
            with TabPane("Clients", id="tab-clients"), Vertical():
                yield Input(placeholder="Rechercher : nom, salon, ville, téléphone, n° client…", id="client-search")
                yield FitTable(id="clients", cursor_type="row", zebra_stripes=True)
            with TabPane("Commandes", id="tab-orders"):
                yield FitTable(id="orders", cursor_type="row", zebra_stripes=True)
            with TabPane("Réclamations", id="tab-complaints"), Vertical():
                yield Static("", id="complaints-note", classes="erp-note")
                yield FitTable(id="complaints", cursor_type="row", zebra_stripes=True)
            with TabPane("Relances", id="tab-reminders"), Vertical():
                yield Static("", id="reminders-note", classes="erp-note")
                yield FitTable(id="reminders", cursor_type="row", zebra_stripes=True)
            with TabPane("Balance âgée", id="tab-balance"):
                yield FitTable(id="balance", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "PGI"
        self._data: tuple | None = None
        self.query_one("#erp-today", Static).update(f"Situation au {day(self.ctx.today())}")
        self.query_one("#client-search", Input).focus()
        self.action_refresh()

    # -- loading -------------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Read the ERP again."""
        self._load(self.company, self.query_one("#client-search", Input).value, self.include_closed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="erp-load")
    def _load(self, company: str | None, search: str, include_closed: bool) -> None:
        from trainer.store import repositories as repo
        from trainer.store.seeding import seeded_companies

        today = self.ctx.today()
        store = self.ctx.store()
        with store.read() as db:
            companies = {cid: row.name for cid, row in seeded_companies(db).items()}
            if company is None and companies:
                company = "generik" if "generik" in companies else sorted(companies)[0]
            clients = repo.find_clients(db, company_id=company, text=search or None)
            names = {c.number: c for c in repo.find_clients(db, company_id=company)}
            orders = repo.list_orders(db, company_id=company)
            complaints = repo.list_complaints(db, today=today, include_closed=include_closed, company_id=company)
            due = repo.reminders_due_on(db, today=today, company_id=company)
            balance = repo.aged_balance_on(db, today=today, company_id=company)
        self.app.call_from_thread(self._show, companies, company, clients, names, orders, complaints, due, balance)

    def _show(self, companies, company, clients, names, orders, complaints, due, balance) -> None:  # noqa: ANN001
        self.company = company
        if not self._companies_ready:
            select = self.query_one("#erp-company", Select)
            select.set_options([(name, cid) for cid, name in companies.items()])
            if company:
                select.value = company
            self._companies_ready = True
        self._data = (clients, names, orders, complaints, due, balance)
        self._fill_tables()

    def on_resize(self) -> None:
        """Columns follow the terminal's width."""
        if getattr(self, "_data", None) is not None:
            self.call_after_refresh(self._fill_tables)

    def _fill_tables(self) -> None:
        clients, names, orders, complaints, due, balance = self._data
        labels = _labels()
        narrow = self.size.width < 110

        def client_label(number: str | None) -> str:
            client = names.get(number or "")
            if client is None:
                return number or ""
            return client.company or client.name

        specs: list[tuple[str, int | None]] = [("N° client", 9), ("Client", None)]
        if not narrow:
            specs.append(("Contact", None))
        specs += [("Segment", 12 if narrow else 19), ("Ville", 12 if narrow else 16), ("Téléphone", 14)]
        rows = []
        for c in clients:
            city = c.contact.address.city if c.contact.address else ""
            cells = [c.number, c.company or c.name]
            if not narrow:
                cells.append(c.name)
            cells += [c.segment.label, city, c.contact.phone or c.contact.mobile or ""]
            rows.append((c.number, cells))
        fill_table(self.query_one("#clients", DataTable), specs, rows)

        specs = [("N° commande", 15), ("Date", 10), ("Client", None), ("Total HT", 11), ("TTC", 11), ("Statut", 10)]
        if narrow:  # the TTC only: room for the client's name
            specs = [("N° commande", 15), ("Date", 10), ("Client", None), ("TTC", 11), ("Statut", 10)]
        rows = [
            (
                f"{o.number}|{o.client_number or ''}",
                [o.number or "", day(o.created_at), o.client_company or o.client_name,
                 *([] if narrow else [eur(o.total_ht)]), eur(o.total_ttc), o.status.label],
            )
            for o in orders
        ]
        fill_table(self.query_one("#orders", DataTable), specs, rows)

        specs = [("N°", 15), ("Reçue le", 10), ("Client", None), ("Catégorie", 23), ("Échéance", 10),
                 ("Retard", 7), ("Statut", None)]
        if narrow:
            specs = [("N°", 15), ("Client", None), ("Catégorie", None), ("Échéance", 10), ("Retard", 7)]
        rows = []
        late = 0
        for listing in complaints:
            c = listing.complaint
            style = LATE if listing.overdue else ""
            late += listing.overdue
            rows.append(
                (
                    f"{c.number}|{c.client_number or ''}",
                    [
                        Text(c.number or "", style=style),
                        *([] if narrow else [day(c.received_at)]),
                        c.client_company or c.client_name,
                        SHORT_CATEGORIES.get(c.category, labels["category"].get(c.category, c.category)),
                        Text(day(c.customer_deadline), style=style),
                        Text(f"⚠ {listing.days_late} j" if listing.overdue else "", style=style),
                        *([] if narrow else [c.status.label]),
                    ],
                )
            )
        fill_table(self.query_one("#complaints", DataTable), specs, rows)
        note = Text()
        if late:
            note.append(f"{late} réclamation{'s' if late > 1 else ''} en retard sur l'échéance promise au client", style=LATE)
        else:
            note.append("Aucune réclamation en retard.")
        note.append("  ·  " + ("closes comprises" if self.include_closed else "ouvertes seulement (Ctrl+L : les closes aussi)"), style="dim")
        self.query_one("#complaints-note", Static).update(note)

        specs = [("Facture", 10), ("Client", None), ("Étape à mener", 15), ("Échue le", 10), ("Retard", 7), ("Montant dû", 12)]
        rows = [
            (
                f"{r.invoice_number}|{r.client_number}",
                [r.invoice_number, client_label(r.client_number), SHORT_STAGES.get(r.stage, r.stage),
                 day(r.due_on), Text(f"{r.days_overdue} j", justify="right"), eur(r.amount_due)],
            )
            for r in due
        ]
        fill_table(self.query_one("#reminders", DataTable), specs, rows)
        count = len(due)
        self.query_one("#reminders-note", Static).update(
            f"{count} relance{'s' if count > 1 else ''} à faire aujourd'hui (procédure de relance, Doc 9)."
            if count else "Aucune relance à faire aujourd'hui."
        )

        buckets = ("non_echu", "1_30", "31_60", "61_90", "plus_90")
        # Narrow terminals: amounts without « € » (said once in the first column's title) so
        # that « 10 039,40 » fits whole.
        money = 9 if narrow else 11
        amount = eur_bare if narrow else eur
        specs = [("Client (€)" if narrow else "Client", None), ("Non échu", money), ("1-30 j", money),
                 ("31-60 j", money), ("61-90 j", money), ("> 90 j", money), ("Total", money + 1)]
        rows = []
        for row in balance.rows:
            cells = [amount(row.buckets.get(b)) if row.buckets.get(b) else Text("") for b in buckets]
            rows.append((f"bal|{row.client_number}", [client_label(row.client_number), *cells, amount(row.total)]))
        if balance.rows:
            totals = [amount(balance.totals.get(b)) for b in buckets]
            total = amount(balance.total)
            total.stylize("bold")
            rows.append(("bal|total", [Text("Total", style="bold"), *totals, total]))
        fill_table(self.query_one("#balance", DataTable), specs, rows)

    # -- interaction ---------------------------------------------------------------------------------

    @on(Select.Changed, "#erp-company")
    def _company(self, event: Select.Changed) -> None:
        if self._companies_ready and isinstance(event.value, str) and event.value != self.company:
            self.company = event.value
            self.action_refresh()

    @on(Input.Submitted, "#client-search")
    def _search(self) -> None:
        self.action_refresh()
        self.query_one("#clients", DataTable).focus()

    @on(Input.Changed, "#client-search")
    def _search_typed(self) -> None:
        self.action_refresh()

    def action_search(self) -> None:
        """Go to the client search."""
        self.query_one("#erp-tabs", TabbedContent).active = "tab-clients"
        self.query_one("#client-search", Input).focus()

    def action_toggle_closed(self) -> None:
        """Show or hide the closed complaints."""
        self.include_closed = not self.include_closed
        self.action_refresh()

    @on(DataTable.RowSelected)
    def _open_client(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        number = key.rsplit("|", 1)[-1] if "|" in key else key
        if not number or number == "total":
            return
        self.app.push_screen(ClientFileScreen(number=number))

    def action_back(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()


class ClientFileScreen(TrainerScreen[None]):
    """One client file and its history (contact log and calls)."""

    CSS_PATH = "erp.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour"),
        Binding("f5", "refresh", "Actualiser"),
    ]

    def __init__(self, *, number: str) -> None:
        super().__init__()
        self.number = number
        self._titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Chargement de la fiche…", id="client-card")
        with TabbedContent(id="client-tabs", initial="tab-history"):
            with TabPane("Historique", id="tab-history"):
                yield FitTable(id="history", cursor_type="row", zebra_stripes=True)
            with TabPane("Appels", id="tab-calls"):
                yield SessionTable(id="calls", show_student=True)
            with TabPane("Commandes", id="tab-client-orders"):
                yield FitTable(id="client-orders", cursor_type="row", zebra_stripes=True)
            with TabPane("Réclamations", id="tab-client-complaints"):
                yield FitTable(id="client-complaints", cursor_type="row", zebra_stripes=True)
            with TabPane("Factures", id="tab-invoices"):
                yield FitTable(id="invoices", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Fiche client {self.number}"
        self._data: tuple | None = None
        self.query_one("#history", DataTable).focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the client file again."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="client-file")
    def _load(self) -> None:
        from trainer.domain.errors import DomainError
        from trainer.reports import service
        from trainer.store import repositories as repo
        from trainer.store import staff

        today = self.ctx.today()
        store = self.ctx.store()
        viewer = viewer_of(self)
        with store.read() as db:
            client = repo.find_client(db, number=self.number)
            if client is None:
                raise DomainError(f"Aucun client ne porte le numéro « {self.number} ».", field="client_number")
            history = repo.contact_history(db, client_number=self.number)
            by_call = staff.contact_sessions(db, client_number=self.number)
            calls = staff.client_sessions(db, viewer=viewer, client_number=self.number)
            orders = repo.list_orders(db, client_number=self.number)
            complaints = [
                c for c in repo.list_complaints(db, today=today, include_closed=True)
                if c.complaint.client_number == client.number
            ]
            invoices = repo.list_invoices(db, client_number=self.number)
        titles = self._titles or service.scenario_titles()
        self.app.call_from_thread(self._show, client, history, by_call, calls, orders, complaints, invoices, titles, today)

    def _show(self, client, history, by_call, calls, orders, complaints, invoices, titles, today) -> None:  # noqa: ANN001
        self._titles = titles
        card = Text()
        card.append(f"{client.number}  ", style="bold")
        card.append(f"{client.civility + ' ' if client.civility else ''}{client.name}", style="bold")
        if client.company:
            card.append(f" — {client.company}")
        card.append(f"\n{client.segment.label} · {client.status.value} · paiement : {client.payment_terms.label}")
        contact = client.contact
        reach = [x for x in (contact.phone, contact.mobile, contact.email) if x]
        if reach:
            card.append("\n" + " · ".join(reach))
        if contact.address:
            card.append("\n" + contact.address.one_line())
        if client.since:
            card.append(f"\nClient depuis le {day(client.since)}")
        if client.notes:
            card.append(f"\n{client.notes}", style="italic")
        self.query_one("#client-card", Static).update(card)
        self.query_one("#calls", SessionTable).set_sessions(calls, titles)
        tabs = self.query_one("#client-tabs", TabbedContent)
        tabs.get_tab("tab-calls").label = f"Appels ({len(calls)})"
        self._data = (history, by_call, orders, complaints, invoices, today)
        self._fill_tables()

    def on_resize(self) -> None:
        """Columns follow the terminal's width."""
        if getattr(self, "_data", None) is not None:
            self.call_after_refresh(self._fill_tables)

    def _fill_tables(self) -> None:
        history, by_call, orders, complaints, invoices, today = self._data
        labels = _labels()
        narrow = self.size.width < 110
        specs: list[tuple[str, int | None]] = [("Date", 16), ("Canal", 12), ("Objet", 12), ("Résumé", None)]
        if not narrow:
            specs += [("Par", 14), ("Réf.", 15)]
        rows = []
        for index, entry in enumerate(history):
            call = (entry.at, entry.summary) in by_call
            cells = [
                entry.at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),
                CHANNELS.get(entry.channel, entry.channel) + (" ☎" if call else ""),
                PURPOSES.get(entry.purpose, entry.purpose),
                entry.summary,
            ]
            if not narrow:
                cells += [entry.by or "", entry.reference or ""]
            rows.append((f"h{index}", cells))
        fill_table(self.query_one("#history", DataTable), specs, rows)

        specs = [("N° commande", 15), ("Date", 10), ("Lignes", 6), ("Total HT", 11), ("TTC", 11), ("Statut", None)]
        rows = [
            (o.number, [o.number or "", day(o.created_at), Text(str(len(o.lines)), justify="right"),
                        eur(o.total_ht), eur(o.total_ttc), o.status.label])
            for o in orders
        ]
        fill_table(self.query_one("#client-orders", DataTable), specs, rows)

        specs = [("N°", 15), ("Reçue le", 10), ("Catégorie", None), ("Échéance", 18), ("Statut", 14)]
        rows = []
        for listing in complaints:
            c = listing.complaint
            style = LATE if listing.overdue else ""
            late = f" (⚠ {listing.days_late} j)" if listing.overdue else ""
            rows.append((c.number, [Text(c.number or "", style=style), day(c.received_at),
                                    labels["category"].get(c.category, c.category),
                                    Text(day(c.customer_deadline) + late, style=style), c.status.label]))
        fill_table(self.query_one("#client-complaints", DataTable), specs, rows)

        specs = [("Facture", 10), ("Émise le", 10), ("Échéance", 10), ("TTC", 11), ("Réglé", 11), ("Solde", None)]
        rows = []
        for inv in invoices:
            balance = inv.balance(today)
            overdue = balance > 0 and today > inv.due_on
            style = LATE if overdue else ""
            rows.append((inv.number, [Text(inv.number, style=style), day(inv.issued_on),
                                      Text(day(inv.due_on), style=style), eur(inv.amount_ttc),
                                      eur(inv.paid_amount(today)), eur(balance)]))
        fill_table(self.query_one("#invoices", DataTable), specs, rows)

    @on(DataTable.RowSelected, "#calls")
    def _open_call(self, event: DataTable.RowSelected) -> None:
        from trainer.tui.screens.teacher import ReviewScreen

        self.app.push_screen(ReviewScreen(session_id=str(event.row_key.value)))

    def action_back(self) -> None:
        """Back to the ERP lists."""
        self.app.pop_screen()
