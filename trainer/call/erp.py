"""The ERP panel of a call ("PGI"): the student's entries, checked as they are made, committed at the end.

Entries are the actions of the script language (``trainer/call/script.py``), whether typed as
``/ligne GNK-CCS-100 6.4 24`` in a script or sent by the TUI's panel as
``("ligne", {"reference": "GNK-CCS-100", "teinte": "6.4", "quantite": "24"})``. Each one goes into an
``ErpDraft`` (``trainer/domain/erp_draft.py``); an entry the ERP would refuse (unknown product,
shade, client number, category, colleague...) raises ``ErpError`` at once with the domain's French
sentence, and the draft is left as it was.

At hang-up, ``prepare`` completes the draft with what the customer confirmed for every kind of
record the student did not enter at all (CONTRACT §3: "without them, the ERP record is filled from
what the student restated and the customer confirmed"), builds the domain objects and keeps only
the parts the ERP accepts: a part with a blocking problem (a new client without a phone, an order
without a client...) is not recorded and its problem is reported. ``commit`` writes the rest through
``trainer.store.outcome.record_call_outcome`` in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from trainer.call.script import ScriptError, canonical_action
from trainer.content.scenarios import Scenario
from trainer.domain.common import business_date
from trainer.domain.company import CompanyData
from trainer.domain.complaints import CATEGORY_LABELS
from trainer.domain.erp_draft import (
    ClientDraft,
    ComplaintDraft,
    DraftResult,
    ErpDraft,
    FollowUpDraft,
    LineDraft,
    MessageDraft,
    ReminderDraft,
    build_from_draft,
    parse_segment,
)
from trainer.domain.errors import DomainError
from trainer.domain.money import vat_of
from trainer.domain.orders import OrderLine, price_lines
from trainer.errors import UserError

# The draft parts, in the order a problem in one makes the next fail (an order needs its client).
PARTS = ("client", "lines", "complaint", "message", "reminder", "follow_up")
_PART_OF_FIELD = {"client": "client", "lines": "lines", "complaint": "complaint", "message": "message",
                  "reminder": "reminder", "note": "note", "follow_up": "follow_up"}
_YES = {"oui", "o", "yes", "satisfait", "satisfaite", "true", "1"}
_NO = {"non", "n", "no", "insatisfait", "insatisfaite", "pas_satisfait", "pas_satisfaite", "false", "0"}
_CHANNELS = {
    "telephone": "telephone",
    "tel": "telephone",
    "courriel": "courriel",
    "email": "courriel",
    "mail": "courriel",
    "courrier": "courrier",
    "lettre": "courrier",
    "avis": "avis_en_ligne",
    "avis_en_ligne": "avis_en_ligne",
    "constat": "constat",
}
_OUTCOME_LABELS = {
    "promesse_de_paiement": "promesse de paiement",
    "litige": "litige",
    "deja_paye": "déjà payé",
    "injoignable": "injoignable",
    "refus": "refus",
}
_SERVICE_LABELS = {
    "technique": "service technique",
    "logistique": "service logistique",
    "clientele": "service clientèle",
    "daf": "service administratif et financier",
}


class ErpError(UserError):
    """An ERP entry refused; the message is one French sentence."""


@dataclass
class PreparedOutcome:
    """What will be committed at hang-up, and what will not (``problems``, French sentences)."""

    result: DraftResult
    problems: list[str] = field(default_factory=list)
    filled_from_call: list[str] = field(default_factory=list)  # parts taken from what the customer confirmed


def _part(field_name: str) -> str:
    head = field_name.split(".", 1)[0].split("[", 1)[0]
    return _PART_OF_FIELD.get(head, head)


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_").replace("-", "_")


class ErpDesk:
    """The ERP panel of one call. ``store`` is read for clients, invoices and reminder logs."""

    def __init__(self, *, company: CompanyData, scenario: Scenario, store: Any) -> None:
        self.company = company
        self.scenario = scenario
        self.store = store
        self.draft = ErpDraft()
        self.entered: set[str] = set()  # parts the student entered explicitly
        self._db_clients: dict[str, Any] = {}
        self._invoices: list[Any] | None = None
        self._reminder_logs: list[Any] | None = None
        self._complaints: list[Any] | None = None

    # -- data the ERP reads ---------------------------------------------------------------------

    def _company_view(self) -> CompanyData:
        """The company data plus the clients found in the database only (created by earlier calls)."""
        if not self._db_clients:
            return self.company
        known = {c.number for c in self.company.clients}
        extra = [c for n, c in self._db_clients.items() if n not in known]
        return self.company.model_copy(update={"clients": [*self.company.clients, *extra]})

    def _load_ledger(self) -> None:
        if self._invoices is not None:
            return
        if self.store is None:
            self._invoices = list(self.company.invoices)
            self._reminder_logs = list(self.company.reminder_logs)
            return
        from trainer.store import repositories as repo

        with self.store.read() as db:
            self._invoices = repo.list_invoices(db, company_id=self.company.id)
            self._reminder_logs = repo.list_reminder_logs(db)

    def _complaints_on_file(self, now: datetime) -> list[Any]:
        """The company's complaints as the database has them (a satisfaction call changes one)."""
        if self._complaints is None:
            if self.store is None:
                self._complaints = list(self.company.complaints)
            else:
                from trainer.store import repositories as repo

                with self.store.read() as db:
                    listed = repo.list_complaints(
                        db, today=business_date(now), include_closed=True, company_id=self.company.id
                    )
                self._complaints = [item.complaint for item in listed]
        return self._complaints

    def _find_client(self, number: str) -> Any:
        wanted = number.strip().upper()
        for client in self.company.clients:
            if client.number == wanted:
                return client
        if wanted in self._db_clients:
            return self._db_clients[wanted]
        if self.store is not None:
            from trainer.store import repositories as repo

            with self.store.read() as db:
                found = repo.find_client(db, number=wanted)
            if found is not None:
                self._db_clients[wanted] = found
                return found
        return None

    def _build(self, draft: ErpDraft, now: datetime) -> DraftResult:
        self._load_ledger()
        return build_from_draft(
            draft,
            self._company_view(),
            now,
            direction="entrant" if self.scenario.direction == "incoming" else "sortant",
            invoices=self._invoices,
            reminder_logs=self._reminder_logs,
            complaints=self._complaints_on_file(now) if draft.follow_up is not None else [],
        )

    # -- entries --------------------------------------------------------------------------------

    def apply(self, name: str, args: dict[str, Any], *, now: datetime) -> tuple[str, dict[str, Any]]:
        """Make one entry; returns (French summary, {"name", "args"} as recorded in the transcript)."""
        try:
            action, canonical = canonical_action(name, args)
        except ScriptError as exc:
            raise ErpError(str(exc)) from None
        if action in ("decrocher", "raccrocher"):
            raise ErpError(f"/{action} n'est pas une saisie du PGI.")
        # Codes as the ERP writes them, so that the transcript shows what was recorded.
        for key in ("reference", "numero", "facture", "commande"):
            if isinstance(canonical.get(key), str):
                canonical[key] = canonical[key].strip().upper()
        handler = getattr(self, "_" + action.replace("-", "_"))
        try:
            summary = handler(canonical, now)
        except DomainError as exc:
            raise ErpError(str(exc)) from None
        return summary, {"name": action, "args": canonical}

    def _refusal(self, trial: ErpDraft, now: datetime, prefix: str, *, ignore: tuple[str, ...] = ()) -> None:
        """Raise ``ErpError`` when the trial draft has a blocking problem in the fields under ``prefix``."""
        result = self._build(trial, now)
        problems = [
            p.message
            for p in result.problems
            if p.blocking and (p.field == prefix or p.field.startswith((prefix + ".", prefix + "[")))
            and not p.field.startswith(ignore)
        ]
        if problems:
            raise ErpError(" ".join(problems))

    def _client(self, args: dict[str, Any], now: datetime) -> str:
        number = args["numero"].strip().upper()
        client = self._find_client(number)
        if client is None:
            raise ErpError(f"Aucun client ne porte le numéro « {args['numero']} ».")
        self.draft = self.draft.model_copy(update={"client": ClientDraft(number=client.number)})
        self.entered.add("client")
        company = f", {client.company}" if client.company else ""
        return f"PGI : fiche client ouverte — {client.number}, {client.name}{company}."

    def _nouveau_client(self, args: dict[str, Any], now: datetime) -> str:
        parse_segment(args["segment"])  # a clear sentence for an unknown segment
        draft = ClientDraft(
            name=args["nom"],
            civility=args.get("civilite"),
            company=args.get("salon"),
            segment=args["segment"],
            region=args.get("region"),
            phone=args.get("tel"),
            email=args.get("email"),
            street=args.get("adresse"),
            postcode=args.get("code-postal"),
            city=args.get("ville"),
        )
        self._refusal(ErpDraft(client=draft), now, "client")
        self.draft = self.draft.model_copy(update={"client": draft})
        self.entered.add("client")
        salon = f" ({draft.company})" if draft.company else ""
        return f"PGI : nouveau client saisi — {draft.name}{salon}, {draft.segment}."

    def _ligne(self, args: dict[str, Any], now: datetime) -> str:
        line = LineDraft(reference=args["reference"].upper(), shade=args.get("teinte"), quantity=args["quantite"])
        lines = [*self.draft.lines, line]
        index = len(lines) - 1
        self._refusal(ErpDraft(lines=lines), now, f"lines[{index}]")
        self.draft = self.draft.model_copy(update={"lines": lines})
        self.entered.add("lines")
        product = self.company.catalogue.product(line.reference) if self.company.catalogue else None
        label = product.name if product is not None else line.reference
        shade = f" teinte {line.shade}" if line.shade else ""
        return f"PGI : ligne {index + 1} ajoutée — {line.quantity} × {label}{shade} ({line.reference})."

    def _supprimer_ligne(self, args: dict[str, Any], now: datetime) -> str:
        number = args["numero"]
        if not 1 <= number <= len(self.draft.lines):
            count = len(self.draft.lines)
            raise ErpError(
                f"Pas de ligne {number} : la commande a {count} ligne{'s' if count > 1 else ''}."
                if count
                else "La commande n'a aucune ligne à retirer."
            )
        lines = list(self.draft.lines)
        removed = lines.pop(number - 1)
        self.draft = self.draft.model_copy(update={"lines": lines})
        self.entered.add("lines")
        return f"PGI : ligne {number} retirée ({removed.quantity} × {removed.reference})."

    def _reclamation(self, args: dict[str, Any], now: datetime) -> str:
        current = self.draft.complaint or ComplaintDraft()
        update: dict[str, Any] = {"category": args["categorie"].strip()}
        for key, target in (("solution", "solution"), ("faits", "facts"), ("commande", "order_number")):
            if key in args:
                update[target] = args[key]
        if "canal" in args:
            channel = _CHANNELS.get(_fold(args["canal"]))
            if channel is None:
                raise ErpError(
                    f"Canal « {args['canal']} » inconnu (téléphone, courriel, courrier, avis en ligne, constat)."
                )
            update["channel"] = channel
        draft = current.model_copy(update=update)
        # The facts may come from what the customer said (filled at hang-up), and the client later.
        self._refusal(ErpDraft(complaint=draft), now, "complaint", ignore=("complaint.facts",))
        self.draft = self.draft.model_copy(update={"complaint": draft})
        self.entered.add("complaint")
        label = CATEGORY_LABELS.get(draft.category or "", draft.category)
        solution = f" ; solution : {draft.solution}" if draft.solution else ""
        return f"PGI : fiche réclamation remplie — {label}{solution}."

    def _message(self, args: dict[str, Any], now: datetime) -> str:
        current = self.draft.message or MessageDraft()
        update = {
            target: args[key]
            for key, target in (
                ("pour", "for_"), ("nom", "caller_name"), ("societe", "caller_company"),
                ("tel", "callback_number"), ("objet", "subject"), ("rappel", "callback_when"),
            )
            if key in args
        }
        draft = current.model_copy(update=update)
        self._refusal(ErpDraft(message=draft), now, "message")
        self.draft = self.draft.model_copy(update={"message": draft})
        self.entered.add("message")
        return f"PGI : message pour {draft.for_} de {draft.caller_name or '?'} noté."

    def _relance(self, args: dict[str, Any], now: datetime) -> str:
        current = self.draft.reminder or ReminderDraft()
        update: dict[str, Any] = {"outcome": _fold(args["resultat"])}
        for key, target in (("date", "promised_date"), ("facture", "invoice_number"), ("commentaire", "notes")):
            if key in args:
                update[target] = args[key]
        draft = current.model_copy(update=update)
        if not draft.invoice_number:
            payment = self.scenario.wants.payment
            if payment is None:
                raise ErpError("Relance : indiquez la facture relancée (facture=FAC-000000).")
            # The invoice the call is about (it is on the student's role card).
            draft = draft.model_copy(update={"invoice_number": payment.invoice})
        self._refusal(ErpDraft(reminder=draft, client=self.draft.client), now, "reminder")
        self.draft = self.draft.model_copy(update={"reminder": draft})
        self.entered.add("reminder")
        outcome = _OUTCOME_LABELS.get(draft.outcome or "", draft.outcome)
        when = f" au {draft.promised_date}" if draft.promised_date else ""
        return f"PGI : relance de la facture {draft.invoice_number} notée — {outcome}{when}."

    def _satisfaction(self, args: dict[str, Any], now: datetime) -> str:
        answer = _fold(args["reponse"])
        if answer not in _YES and answer not in _NO:
            raise ErpError(f"Satisfaction : « {args['reponse']} » ; répondez oui ou non.")
        satisfied = answer in _YES
        draft = FollowUpDraft(
            complaint_number=args.get("reclamation"), satisfied=satisfied, revised_action=args.get("action")
        )
        client = self.draft.client or self._dialled_client()
        self._refusal(ErpDraft(client=client, follow_up=draft), now, "follow_up")
        # The follow-up is written on the file of the client called (shown in the panel at once).
        self.draft = self.draft.model_copy(update={"follow_up": draft, "client": client})
        self.entered.add("follow_up")
        if satisfied:
            return "PGI : client satisfait — la réclamation sera clôturée."
        return f"PGI : client non satisfait — action corrective révisée : {draft.revised_action}."

    def _dialled_client(self) -> ClientDraft | None:
        """Outgoing call: the client whose number the student dialled."""
        number = self.scenario.persona.client_number
        if self.scenario.direction == "outgoing" and number:
            return ClientDraft(number=number)
        return None

    # -- at hang-up -----------------------------------------------------------------------------

    def completed_draft(
        self, confirmed: Any, student_lines: list[str] | None = None, customer_reason: str | None = None
    ) -> tuple[ErpDraft, list[str]]:
        """The draft with what the customer confirmed for the parts the student did not enter.

        ``student_lines`` (the student's turns) give the words of an accepted solution: the customer
        remembers the gist (« envoyer les 28 »), the form keeps the student's own sentence.
        ``customer_reason`` (the customer's first answer to the student) stands for the facts of a
        complaint when the customer revealed nothing more precise.
        """
        draft = self.draft
        filled: list[str] = []
        if confirmed is None:
            return draft, filled
        if "lines" not in self.entered and confirmed.order is not None and confirmed.order.lines:
            draft = draft.model_copy(
                update={"lines": [LineDraft(reference=w.reference, shade=w.shade, quantity=w.quantity)
                                  for w in confirmed.order.lines]}
            )
            filled.append("lines")
        complaint = getattr(confirmed, "complaint", None)
        # A callback ("rappel") follows up an existing complaint: nothing new is opened from it.
        new_grievance = self.scenario.kind != "rappel"
        if "complaint" not in self.entered and complaint is not None and new_grievance and (
            complaint.solution or complaint.facts
        ):
            draft = draft.model_copy(
                update={"complaint": ComplaintDraft(
                    category=complaint.category,
                    facts=" ".join(complaint.facts) or _clip(customer_reason),
                    solution=_sentence_with(complaint.solution, student_lines or []),
                )}
            )
            filled.append("complaint")
        elif "complaint" in self.entered and draft.complaint is not None and not draft.complaint.facts:
            facts = " ".join(complaint.facts) if complaint is not None and complaint.facts else _clip(customer_reason)
            if facts:
                draft = draft.model_copy(update={"complaint": draft.complaint.model_copy(update={"facts": facts})})
        message = getattr(confirmed, "message", None)
        if "message" not in self.entered and message is not None and (message.caller_name or message.callback_number):
            draft = draft.model_copy(
                update={"message": MessageDraft(
                    for_=message.for_,
                    caller_name=message.caller_name,
                    caller_company=message.caller_company,
                    callback_number=message.callback_number,
                    subject=message.subject,
                    callback_when=message.callback_when,
                )}
            )
            filled.append("message")
        payment = getattr(confirmed, "payment", None)
        if "reminder" not in self.entered and payment is not None and payment.outcome:
            draft = draft.model_copy(
                update={"reminder": ReminderDraft(
                    invoice_number=payment.invoice,
                    stage=payment.stage,
                    outcome=payment.outcome,
                    promised_date=payment.promised_payment_date,
                    promised_method=payment.method,
                )}
            )
            filled.append("reminder")
        satisfaction = getattr(complaint, "satisfied", None) if complaint is not None else None
        if "follow_up" not in self.entered and not new_grievance and satisfaction is not None:
            # A satisfaction call: what the customer answered closes the complaint (or revises it).
            draft = draft.model_copy(
                update={"follow_up": FollowUpDraft(
                    satisfied=satisfaction,
                    revised_action=None if satisfaction else _sentence_with(complaint.solution, student_lines or []),
                )}
            )
            filled.append("follow_up")
        needs_client = bool(draft.lines or draft.complaint or draft.reminder or draft.follow_up)
        if "client" not in self.entered and needs_client and draft.client is None:
            client = self._client_from_caller(confirmed)
            if client is not None:
                draft = draft.model_copy(update={"client": client})
                filled.append("client")
        return draft, filled

    def _client_from_caller(self, confirmed: Any) -> ClientDraft | None:
        caller = confirmed.caller
        if caller.client_number:
            return ClientDraft(number=caller.client_number)
        persona = self.scenario.persona
        if self.scenario.direction == "outgoing" and persona.client_number:
            # The student called this client: their file is the one the number was dialled from.
            return ClientDraft(number=persona.client_number)
        if persona.client_number and (caller.name or caller.company):
            # The caller said who they are: the receptionist finds their file.
            return ClientDraft(number=persona.client_number)
        if caller.new_client and caller.name:
            return ClientDraft(
                name=caller.name,
                civility=persona.civility,
                company=caller.company,
                segment=caller.segment,
                region=caller.region,
                phone=caller.phone,
                email=caller.email,
            )
        return None

    def prepare(
        self,
        *,
        now: datetime,
        confirmed: Any,
        student_lines: list[str] | None = None,
        customer_reason: str | None = None,
    ) -> PreparedOutcome:
        """Build what the call will record: only the parts the ERP accepts, the others as problems."""
        draft, filled = self.completed_draft(confirmed, student_lines, customer_reason)
        completed = draft
        problems: list[str] = []
        result = self._build(draft, now)
        dropped: set[str] = set()
        # A part with a blocking problem is left out; parts that needed it then fail in turn
        # (an order without its client), so repeat until the rest is clean.
        for _ in range(len(PARTS) + 1):
            blocking = [p for p in result.problems if p.blocking]
            if not blocking:
                break
            for problem in blocking:
                part = _part(problem.field)
                if problem.message not in problems:
                    problems.append(problem.message)
                dropped.add(part)
            # A part that only failed for want of a client goes with the client.
            update: dict[str, Any] = {}
            for part in dropped:
                if part in ("client", "lines", "complaint", "message", "reminder", "note", "follow_up"):
                    update[part] = [] if part == "lines" else None
            if "client" in dropped:
                update.update({"lines": [], "complaint": None, "reminder": None, "follow_up": None})
            draft = draft.model_copy(update=update)
            result = self._build(draft, now)
        if any(p.blocking for p in result.problems):  # pragma: no cover - every part dropped above
            result = self._build(ErpDraft(), now)
        wanted = completed
        lost = [
            part
            for part, built in (
                ("client", result.client), ("lines", result.order), ("complaint", result.complaint),
                ("message", result.message), ("reminder", result.reminder),
                ("follow_up", result.complaint_update),
            )
            if getattr(wanted, part) and built is None
        ]
        if lost:
            problems.insert(0, "Non enregistré dans le PGI : " + ", ".join(_PART_WORDS[p] for p in lost) + ".")
        problems.extend(w for w in result.warnings if w not in problems)
        return PreparedOutcome(result=result, problems=problems, filled_from_call=filled)

    def commit(self, db: Any, prepared: PreparedOutcome, *, now: datetime, session_id: Any) -> list[dict[str, Any]]:
        """Write the prepared outcome in the caller's transaction; returns the CONTRACT §4 records."""
        from trainer.store.outcome import record_call_outcome

        recorded = record_call_outcome(
            db,
            result=prepared.result,
            company_id=self.company.id,
            now=now,
            session_id=session_id,
            company=self._company_view(),
        )
        return recorded.records_json()

    def _unpriced_preview(self, now: datetime) -> dict[str, Any]:
        """The order lines before the client is known: priced with the promotion, no payment terms."""
        lines = [{"reference": d.reference, "shade": d.shade, "quantity": d.quantity} for d in self.draft.lines]
        if self.company.catalogue is None:
            return {"lines": lines}
        requests = [{"reference": d.reference or "", "shade": d.shade, "quantity": d.quantity} for d in self.draft.lines]
        try:
            priced = price_lines(requests, self.company.catalogue, self.company.promotions, on=business_date(now))
        except DomainError:
            return {"lines": lines}
        rates = {line.reference: line for line in priced}
        out_lines = []
        total = Decimal("0")
        for request in requests:
            model = rates[request["reference"].upper()]
            line = OrderLine(
                reference=model.reference,
                product=model.product,
                shade=request["shade"],
                quantity=request["quantity"],
                unit_price_ht=model.unit_price_ht,
                discount_rate=model.discount_rate,
            )
            total += line.total_ht
            out_lines.append(
                {
                    "product": line.product,
                    "reference": line.reference,
                    "shade": line.shade,
                    "quantity": line.quantity,
                    "unit_price_ht": str(line.unit_price_ht),
                    "discount_rate": str(line.discount_rate),
                    "total_ht": str(line.total_ht),
                }
            )
        tva = vat_of(total)
        return {
            "lines": out_lines,
            "total_ht": str(total),
            "total_tva": str(tva),
            "total_ttc": str(total + tva),
            "payment_terms": None,
        }

    def preview(self, *, now: datetime, confirmed: Any = None) -> dict[str, Any]:
        """What the ERP panel shows now: client, priced order, complaint routing, message, reminder."""
        result = self._build(self.draft, now)
        out: dict[str, Any] = {"problems": result.errors, "warnings": result.warnings}
        client = result.client
        if client is not None:
            out["client"] = {
                "number": client.number,
                "name": client.name,
                "company": client.company,
                "segment": str(client.segment),
                "payment_terms": client.payment_terms.label,
            }
        elif self.draft.client is not None:
            out["client"] = {"number": self.draft.client.number, "name": self.draft.client.name,
                             "company": self.draft.client.company}
        if result.order is not None:
            order = result.order
            out["order"] = {
                "lines": [
                    {
                        "product": line.product,
                        "reference": line.reference,
                        "shade": line.shade,
                        "quantity": line.quantity,
                        "unit_price_ht": str(line.unit_price_ht),
                        "discount_rate": str(line.discount_rate),
                        "total_ht": str(line.total_ht),
                    }
                    for line in order.lines
                ],
                "total_ht": str(order.total_ht),
                "total_tva": str(order.total_tva),
                "total_ttc": str(order.total_ttc),
                "payment_terms": order.payment_terms.label,
                "delivery": order.delivery.wording(),
                "promotion": next((w for w in result.warnings if w.startswith("Promotion")), None),
            }
        elif self.draft.lines:
            out["order"] = self._unpriced_preview(now)
        complaint = result.complaint
        if complaint is not None:
            out["complaint"] = {
                "category": complaint.category,
                "category_label": CATEGORY_LABELS.get(complaint.category, complaint.category),
                "responsible_service": complaint.responsible_service,
                "responsible_service_label": _SERVICE_LABELS.get(complaint.responsible_service,
                                                                 complaint.responsible_service),
                "customer_deadline": complaint.customer_deadline.strftime("%d/%m/%Y"),
                "solution": complaint.solution,
                "status": complaint.status.value,
            }
        elif self.draft.complaint is not None:
            category = self.draft.complaint.category or ""
            out["complaint"] = {"category": category, "category_label": CATEGORY_LABELS.get(category, category),
                                "solution": self.draft.complaint.solution}
        update = result.complaint_update
        if update is not None:
            out["follow_up"] = {
                "complaint": update.number,
                "status": update.status.value,
                "status_label": update.status.label,
                "solution": update.solution,
                "customer_deadline": update.customer_deadline.strftime("%d/%m/%Y"),
            }
        if result.message is not None:
            message = result.message
            out["message"] = {
                "for": message.for_,
                "caller": {"name": message.caller_name, "company": message.caller_company},
                "callback_number": message.callback_number,
                "subject": message.subject,
                "callback_when": message.callback_when,
            }
        if result.reminder is not None:
            log = result.reminder
            out["reminder"] = {
                "invoice": log.invoice_number,
                "amount_due": str(log.amount_due) if log.amount_due is not None else None,
                "stage": log.stage,
                "outcome": log.outcome,
                "outcome_label": _OUTCOME_LABELS.get(log.outcome, log.outcome),
                "promised_payment_date": log.promised_payment_date.strftime("%d/%m/%Y")
                if log.promised_payment_date else None,
            }
        out["today"] = business_date(now).isoformat()
        return out


def _clip(text: str | None, limit: int = 500) -> str | None:
    """A customer's line as facts on a form: whole when short, cut at a word otherwise."""
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _sentence_with(phrase: str | None, lines: list[str]) -> str | None:
    """The student's sentence that holds ``phrase`` (accents and case ignored), last one first."""
    if not phrase:
        return phrase
    import re

    wanted = _fold(phrase).replace("_", " ")
    for line in reversed(lines):
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if wanted in _fold(sentence).replace("_", " "):
                return sentence.strip()
    return phrase


_PART_WORDS = {
    "client": "la fiche client",
    "lines": "la commande",
    "complaint": "la réclamation",
    "message": "le message",
    "reminder": "la relance",
    "follow_up": "le suivi de la réclamation",
}
