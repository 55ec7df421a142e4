"""Complaint records ("fiche réclamation", Doc 8): routing, customer deadline, checklist, life cycle.

Deadlines count working days (Monday to Friday, French public holidays excluded) from "J", the day
the complaint is received; a complaint received on a Saturday counts from Monday (D7). The 15 days
of silence after which an answered complaint closes itself are calendar days (D8).

Life cycle (BRIEF §3.3)::

    ouverte ─┬─> en_analyse ─┬─> en_traitement ─> en_attente_satisfaction ─┬─> cloturee
             │               └─> non_recevable ─> cloturee                 └─> action_revisee ─┐
             ├─> en_traitement                                  ^      cloturee ─> action_revisee
             └─> non_recevable                                  └──────────────────────────────┘
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal, get_args

from pydantic import Field, model_validator

from trainer.domain.common import (
    AwareDatetime,
    ClientNumber,
    ComplaintNumber,
    DomainModel,
    OrderNumber,
    business_date,
)
from trainer.domain.errors import DomainError
from trainer.domain.records import ComplaintCategory
from trainer.domain.workdays import add_working_days

CATEGORIES: tuple[str, ...] = get_args(ComplaintCategory)

ResponsibleService = Literal["technique", "logistique", "clientele", "daf"]
Channel = Literal["telephone", "courriel", "avis_en_ligne", "courrier", "constat"]
DayCount = Literal["ouvres", "calendaires"]

CHANNEL_LABELS: dict[str, str] = {
    "telephone": "téléphone",
    "courriel": "courriel",
    "avis_en_ligne": "avis en ligne",
    "courrier": "courrier",
    "constat": "constat",
}
SERVICE_LABELS: dict[str, str] = {
    "technique": "service technique",
    "logistique": "service logistique",
    "clientele": "service clientèle",
    "daf": "direction administrative et financière",
}
CATEGORY_LABELS: dict[str, str] = {
    "technique_qualite": "réclamation technique : qualité des produits",
    "technique_utilisation": "réclamation technique : conditions d'utilisation",
    "livraison_retard": "livraison : retard",
    "livraison_avarie": "livraison : avarie",
    "livraison_erreur_preparation": "livraison : erreur de préparation du colis",
    "procedure_erreur_saisie": "procédure : erreur de saisie de la commande",
    "e_reputation": "e-réputation : avis en ligne",
}


class DeadlineRule(DomainModel):
    """Who handles a category and how many days (after J) the customer gets an answer."""

    service: ResponsibleService
    days: int = Field(ge=0, description="0 for « J », 1 for « J+1 », 7 for « J+7 ».")
    wording: str = Field(description="The source's wording, e.g. « J à J+1 ».")
    informs: list[ResponsibleService] = Field(default_factory=list)


DOC8_RULES: dict[str, DeadlineRule] = {
    "technique_qualite": DeadlineRule(service="technique", days=7, wording="J+7"),
    "technique_utilisation": DeadlineRule(service="technique", days=1, wording="J+1"),
    "livraison_retard": DeadlineRule(service="clientele", days=1, wording="J ou J+1"),
    "livraison_avarie": DeadlineRule(service="clientele", days=0, wording="J"),
    "livraison_erreur_preparation": DeadlineRule(
        service="clientele", days=1, wording="J à J+1", informs=["logistique"]
    ),
    "procedure_erreur_saisie": DeadlineRule(service="clientele", days=0, wording="J (solution proposée)"),
    "e_reputation": DeadlineRule(service="clientele", days=7, wording="J+7"),
}
"""Doc 8's decision table; the latest day of a range ("J ou J+1") is the promise (D7)."""

INADMISSIBLE_ANSWER_DAYS = 2
"""« La réclamation est-elle recevable ? NON → Réponse au réclamant par courriel : J+2 »."""
ANALYSIS_DAYS = 1
"""« Analyse de la réclamation : dès réception au plus tard J+1 »."""
AUTO_CLOSE_DAYS = 15
"""« en cas d'absence de manifestation dans un délai de 15 jours » (calendar days, D8)."""


class ProcedureStep(DomainModel):
    """One step of the written procedure, quoted; ``days`` after J when the step has its own deadline."""

    text: str = Field(min_length=1)
    days: int | None = Field(default=None, ge=0)
    service: ResponsibleService | None = None


class CategoryProcedure(DomainModel):
    category: ComplaintCategory
    heading: str = Field(description="Heading of Doc 8, e.g. « 2. Réclamations sur livraison ».")
    question: str
    rule: DeadlineRule
    steps: list[ProcedureStep] = Field(min_length=1)


class ComplaintProcedure(DomainModel):
    """Doc 8 as data: the common front end, one block per category, the closure rules."""

    day_count: DayCount = "ouvres"
    analysis_days: int = Field(default=ANALYSIS_DAYS, ge=0)
    inadmissible_answer_days: int = Field(default=INADMISSIBLE_ANSWER_DAYS, ge=0)
    auto_close_days: int = Field(default=AUTO_CLOSE_DAYS, ge=1)
    front_steps: list[ProcedureStep] = Field(min_length=1)
    categories: list[CategoryProcedure]
    closure_steps: list[ProcedureStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _all_categories(self) -> ComplaintProcedure:
        found = [c.category for c in self.categories]
        missing = [c for c in CATEGORIES if c not in found]
        if missing:
            raise ValueError(f"procédure incomplète : catégories manquantes {', '.join(missing)}")
        duplicates = {c for c in found if found.count(c) > 1}
        if duplicates:
            raise ValueError(f"catégorie décrite deux fois : {', '.join(sorted(duplicates))}")
        return self

    def for_category(self, category: str) -> CategoryProcedure:
        """The block of ``category``; ``DomainError`` for an unknown category."""
        check_category(category)
        return next(c for c in self.categories if c.category == category)


def check_category(category: str) -> str:
    """``category`` when it is one of the seven, else ``DomainError`` listing them."""
    if category not in CATEGORIES:
        raise DomainError(
            f"Catégorie de réclamation inconnue « {category} » (catégories : {', '.join(CATEGORIES)}).",
            field="category",
        )
    return category


def add_days(start: date, days: int, day_count: DayCount = "ouvres") -> date:
    """J + ``days``: working days (J moved to a working day first) or calendar days."""
    if day_count == "calendaires":
        return start + timedelta(days=days)
    return add_working_days(start, days)


def rule_for(category: str, procedure: ComplaintProcedure | None = None) -> DeadlineRule:
    """Routing and deadline of a category, from the procedure data when given, else Doc 8's table."""
    check_category(category)
    if procedure is not None:
        return procedure.for_category(category).rule
    return DOC8_RULES[category]


def responsible_service(category: str, procedure: ComplaintProcedure | None = None) -> str:
    """The service that handles a category (« Chaque service est responsable… »)."""
    return rule_for(category, procedure).service


def customer_deadline(
    category: str,
    received: date | datetime,
    *,
    admissible: bool | None = True,
    procedure: ComplaintProcedure | None = None,
) -> date:
    """The date promised to the customer: J + the category's delay (J+2 when inadmissible).

    ``received`` is the reception day, or a timezone-aware moment (read in Paris time).
    """
    day = business_date(received) if isinstance(received, datetime) else received
    day_count = procedure.day_count if procedure else "ouvres"
    if admissible is False:
        days = procedure.inadmissible_answer_days if procedure else INADMISSIBLE_ANSWER_DAYS
    else:
        days = rule_for(category, procedure).days
    return add_days(day, days, day_count)


class ComplaintStatus(StrEnum):
    OUVERTE = "ouverte"
    EN_ANALYSE = "en_analyse"
    NON_RECEVABLE = "non_recevable"
    EN_TRAITEMENT = "en_traitement"
    EN_ATTENTE_SATISFACTION = "en_attente_satisfaction"
    ACTION_REVISEE = "action_revisee"
    CLOTUREE = "cloturee"

    @property
    def label(self) -> str:
        return {
            "ouverte": "ouverte",
            "en_analyse": "en analyse",
            "non_recevable": "non recevable",
            "en_traitement": "en traitement",
            "en_attente_satisfaction": "en attente de satisfaction",
            "action_revisee": "action corrective révisée",
            "cloturee": "clôturée",
        }[self.value]


S = ComplaintStatus
COMPLAINT_TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    S.OUVERTE: frozenset({S.EN_ANALYSE, S.EN_TRAITEMENT, S.NON_RECEVABLE}),
    S.EN_ANALYSE: frozenset({S.EN_TRAITEMENT, S.NON_RECEVABLE}),
    S.NON_RECEVABLE: frozenset({S.CLOTUREE}),
    S.EN_TRAITEMENT: frozenset({S.EN_ATTENTE_SATISFACTION}),
    S.EN_ATTENTE_SATISFACTION: frozenset({S.CLOTUREE, S.ACTION_REVISEE}),
    S.ACTION_REVISEE: frozenset({S.EN_ATTENTE_SATISFACTION}),
    S.CLOTUREE: frozenset({S.ACTION_REVISEE}),
}

ClosureReason = Literal["satisfait", "sans_nouvelles", "non_recevable"]


class ChecklistItem(DomainModel):
    """One step of the procedure to tick in the complaint file."""

    text: str
    due_on: date | None = None
    service: ResponsibleService | None = None
    done_on: date | None = None


class Revision(DomainModel):
    """A revised corrective action after the customer said they were not satisfied."""

    at: AwareDatetime
    action: str = Field(min_length=3)
    new_deadline: date


class Complaint(DomainModel):
    """A "fiche réclamation". ``number`` (``REC-2026-000123``) is assigned by the store."""

    number: ComplaintNumber | None = None
    client_number: ClientNumber | None = None
    client_name: str = Field(min_length=1)
    client_company: str | None = None
    channel: Channel
    category: ComplaintCategory
    received_at: AwareDatetime
    facts: str = Field(min_length=3, description="What happened, in the customer's terms (« Faits »).")
    expectation: str | None = Field(default=None, description="What the customer expects.")
    solution: str | None = None
    order_number: OrderNumber | None = None
    admissible: bool | None = None
    responsible_service: ResponsibleService
    informed_services: list[ResponsibleService] = Field(default_factory=list)
    customer_deadline: date
    status: ComplaintStatus = ComplaintStatus.OUVERTE
    checklist: list[ChecklistItem] = Field(default_factory=list)
    answered_on: date | None = None
    closed_on: date | None = None
    closure_reason: ClosureReason | None = None
    revisions: list[Revision] = Field(default_factory=list)
    product_related: bool = Field(default=False, description="For e-reputation: the review is about a product.")
    seed_key: str | None = Field(default=None, description="Stable key of a complaint of the reference data.")

    @property
    def received_on(self) -> date:
        """J: the reception date in Paris."""
        return business_date(self.received_at)

    def _to(self, target: ComplaintStatus, **update: object) -> Complaint:
        if target not in COMPLAINT_TRANSITIONS[self.status]:
            raise DomainError(
                f"Une réclamation « {self.status.label} » ne peut pas passer à « {target.label} ».", field="status"
            )
        return self.model_copy(update={"status": target, **update})

    def is_open(self) -> bool:
        return self.status is not ComplaintStatus.CLOTUREE

    def is_overdue(self, today: date) -> bool:
        """True when the customer still waits for an answer after the promised day."""
        waiting = self.status in (S.OUVERTE, S.EN_ANALYSE, S.EN_TRAITEMENT, S.NON_RECEVABLE, S.ACTION_REVISEE)
        return waiting and today > self.customer_deadline

    def start_analysis(self) -> Complaint:
        """« Analyse de la réclamation » by the responsible service."""
        return self._to(S.EN_ANALYSE)

    def qualify(self, admissible: bool, *, procedure: ComplaintProcedure | None = None) -> Complaint:
        """Decide « La réclamation est-elle recevable ? ». Inadmissible: answer by e-mail at J+2."""
        if admissible:
            return self._to(S.EN_TRAITEMENT, admissible=True)
        deadline = customer_deadline(self.category, self.received_on, admissible=False, procedure=procedure)
        return self._to(S.NON_RECEVABLE, admissible=False, customer_deadline=deadline)

    def answer(self, now: datetime, solution: str | None = None) -> Complaint:
        """The customer got the answer or the solution: wait for their satisfaction.

        An inadmissible complaint is closed by its answer (the e-mail of J+2).
        """
        day = business_date(now)
        text = solution if solution is not None else self.solution
        if self.status is S.NON_RECEVABLE:
            return self._to(S.CLOTUREE, answered_on=day, closed_on=day, closure_reason="non_recevable", solution=text)
        if not text:
            raise DomainError("Indiquez la solution apportée au client avant de lui répondre.", field="solution")
        return self._to(S.EN_ATTENTE_SATISFACTION, answered_on=day, solution=text)

    def record_satisfaction(
        self,
        satisfied: bool,
        now: datetime,
        *,
        revised_action: str | None = None,
        procedure: ComplaintProcedure | None = None,
    ) -> Complaint:
        """« Le réclamant est-il satisfait ? » Oui: closure. Non: revision of the corrective action."""
        if satisfied:
            return self._to(S.CLOTUREE, closed_on=business_date(now), closure_reason="satisfait")
        return self._revise(now, revised_action, procedure)

    def reopen(
        self, now: datetime, revised_action: str, *, procedure: ComplaintProcedure | None = None
    ) -> Complaint:
        """A closed complaint comes back (the customer is not satisfied after all)."""
        if self.status is not S.CLOTUREE:
            raise DomainError("Seule une réclamation clôturée peut être rouverte.", field="status")
        return self._revise(now, revised_action, procedure)

    def _revise(self, now: datetime, action: str | None, procedure: ComplaintProcedure | None) -> Complaint:
        if not action or len(action.strip()) < 3:
            raise DomainError(
                "Décrivez l'action corrective révisée proposée au client (par exemple « nouvel envoi »).",
                field="revised_action",
            )
        deadline = customer_deadline(self.category, now, procedure=procedure)
        revision = Revision(at=now, action=action.strip(), new_deadline=deadline)
        return self._to(
            S.ACTION_REVISEE,
            revisions=[*self.revisions, revision],
            customer_deadline=deadline,
            solution=action.strip(),
            closed_on=None,
            closure_reason=None,
            answered_on=None,
        )

    def tick(self, index: int, today: date) -> Complaint:
        """Mark step ``index`` (0-based) of the checklist as done today."""
        if not 0 <= index < len(self.checklist):
            raise DomainError(f"La fiche n'a pas d'étape n° {index + 1}.", field="checklist")
        items = list(self.checklist)
        items[index] = items[index].model_copy(update={"done_on": today})
        return self.model_copy(update={"checklist": items})


def auto_close(complaint: Complaint, today: date, *, procedure: ComplaintProcedure | None = None) -> Complaint:
    """Close an answered complaint after 15 days without news (calendar days, D8); else unchanged.

    Answered on D: still open on D+14, closed on D+15 (``closed_on`` is D+15 even if this runs later).
    """
    days = procedure.auto_close_days if procedure else AUTO_CLOSE_DAYS
    if complaint.status is not S.EN_ATTENTE_SATISFACTION or complaint.answered_on is None:
        return complaint
    closing_day = complaint.answered_on + timedelta(days=days)
    if today < closing_day:
        return complaint
    return complaint._to(S.CLOTUREE, closed_on=closing_day, closure_reason="sans_nouvelles")


def checklist_for(
    category: str, received_on: date, procedure: ComplaintProcedure | None
) -> list[ChecklistItem]:
    """The steps to tick for a category, with their own deadlines when the procedure gives one."""
    if procedure is None:
        return []
    block = procedure.for_category(category)
    items = []
    for step in block.steps:
        due = add_days(received_on, step.days, procedure.day_count) if step.days is not None else None
        items.append(ChecklistItem(text=step.text, due_on=due, service=step.service or block.rule.service))
    return items


def open_complaint(
    *,
    category: str,
    received_at: datetime,
    channel: str,
    client_name: str,
    facts: str,
    client_number: str | None = None,
    client_company: str | None = None,
    expectation: str | None = None,
    solution: str | None = None,
    order_number: str | None = None,
    product_related: bool = False,
    procedure: ComplaintProcedure | None = None,
) -> Complaint:
    """Register a complaint: routed to its service, deadline computed, checklist from the procedure.

    For ``e_reputation`` about a product the service technique is informed (Doc 8).
    """
    check_category(category)
    rule = rule_for(category, procedure)
    informed = list(rule.informs)
    if category == "e_reputation" and product_related and "technique" not in informed:
        informed.append("technique")
    received_on = business_date(received_at)
    return Complaint(
        number=None,
        client_number=client_number,
        client_name=client_name,
        client_company=client_company,
        channel=channel,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        received_at=received_at,
        facts=facts,
        expectation=expectation,
        solution=solution,
        order_number=order_number,
        responsible_service=rule.service,
        informed_services=informed,
        customer_deadline=customer_deadline(category, received_on, procedure=procedure),
        checklist=checklist_for(category, received_on, procedure),
        product_related=product_related,
    )
