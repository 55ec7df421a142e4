"""Complaint records: routing, customer deadlines (Friday, Saturday, holidays), life cycle, closure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from trainer.content.company import load_company
from trainer.domain.common import PARIS
from trainer.domain.complaints import (
    CATEGORIES,
    DOC8_RULES,
    ComplaintStatus,
    auto_close,
    customer_deadline,
    open_complaint,
    responsible_service,
)
from trainer.domain.errors import DomainError

WEDNESDAY = date(2026, 11, 18)
FRIDAY = date(2026, 11, 20)
SATURDAY = date(2026, 11, 21)
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def procedure():
    return load_company("generik", today=WEDNESDAY).complaint_procedure


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def test_the_seven_categories_are_routed(procedure):
    assert set(CATEGORIES) == {
        "technique_qualite", "technique_utilisation", "livraison_retard", "livraison_avarie",
        "livraison_erreur_preparation", "procedure_erreur_saisie", "e_reputation",
    }
    expected = {
        "technique_qualite": "technique", "technique_utilisation": "technique", "livraison_retard": "clientele",
        "livraison_avarie": "clientele", "livraison_erreur_preparation": "clientele",
        "procedure_erreur_saisie": "clientele", "e_reputation": "clientele",
    }
    for category, service in expected.items():
        assert responsible_service(category) == service
        assert responsible_service(category, procedure) == service


def test_procedure_data_agrees_with_doc8_table(procedure):
    for category in CATEGORIES:
        assert procedure.for_category(category).rule.days == DOC8_RULES[category].days
        assert procedure.for_category(category).rule.service == DOC8_RULES[category].service


@pytest.mark.parametrize(
    ("category", "received", "deadline"),
    [
        ("livraison_avarie", WEDNESDAY, WEDNESDAY),  # J
        ("technique_utilisation", WEDNESDAY, date(2026, 11, 19)),  # J+1
        ("technique_qualite", WEDNESDAY, date(2026, 11, 27)),  # J+7 working days
        ("e_reputation", WEDNESDAY, date(2026, 11, 27)),
        ("livraison_retard", WEDNESDAY, date(2026, 11, 19)),  # "J ou J+1": latest
        ("livraison_erreur_preparation", WEDNESDAY, date(2026, 11, 19)),  # "J à J+1"
        ("procedure_erreur_saisie", WEDNESDAY, WEDNESDAY),
        # Friday: J is Friday, J+1 is Monday.
        ("livraison_avarie", FRIDAY, FRIDAY),
        ("technique_utilisation", FRIDAY, MONDAY),
        ("livraison_retard", FRIDAY, MONDAY),
        ("technique_qualite", FRIDAY, date(2026, 12, 1)),
        # Saturday: J moves to Monday.
        ("livraison_avarie", SATURDAY, MONDAY),
        ("technique_utilisation", SATURDAY, TUESDAY),
        ("technique_qualite", SATURDAY, date(2026, 12, 2)),
        # Tuesday 10 November 2026: J+1 skips the 11 November holiday.
        ("technique_utilisation", date(2026, 11, 10), date(2026, 11, 12)),
        # Christmas Eve 2026 (Thursday): J+1 skips Friday 25 December and the weekend.
        ("technique_utilisation", date(2026, 12, 24), date(2026, 12, 28)),
    ],
)
def test_customer_deadline(procedure, category, received, deadline):
    assert customer_deadline(category, received) == deadline
    assert customer_deadline(category, received, procedure=procedure) == deadline


def test_inadmissible_answer_is_j_plus_2(procedure):
    assert customer_deadline("technique_qualite", WEDNESDAY, admissible=False) == FRIDAY
    assert customer_deadline("livraison_avarie", FRIDAY, admissible=False, procedure=procedure) == TUESDAY


def test_deadline_is_read_in_paris_time():
    # 23:30 UTC on Friday is already Saturday in Paris.

    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert customer_deadline("livraison_avarie", late) == MONDAY


def test_calendar_day_count_is_available(procedure):
    calendar = procedure.model_copy(update={"day_count": "calendaires"})
    assert customer_deadline("technique_utilisation", FRIDAY, procedure=calendar) == SATURDAY


def test_unknown_category_is_one_sentence():
    with pytest.raises(DomainError, match="Catégorie de réclamation inconnue « colis »"):
        customer_deadline("colis", WEDNESDAY)


def _delmotte(procedure, category="livraison_avarie", day=FRIDAY):
    return open_complaint(
        category=category, received_at=at(day), channel="telephone", client_name="Dominique Delmotte",
        client_number="CLI-00042", facts="Boîtes de tubes écrasées pour la deuxième fois.", procedure=procedure,
    )


def test_avarie_complaint_has_the_nine_dpd_steps(procedure):
    complaint = _delmotte(procedure)
    assert complaint.status is ComplaintStatus.OUVERTE
    assert complaint.responsible_service == "clientele"
    assert complaint.customer_deadline == FRIDAY
    assert len(complaint.checklist) == 9
    assert complaint.checklist[0].text.startswith("1. Convenir d'un arrangement")
    assert complaint.checklist[0].due_on == FRIDAY
    assert "Carine" in complaint.checklist[5].text
    assert complaint.checklist[8].text.startswith("9. Vérifier 15 jours après")


def test_preparation_error_informs_logistics(procedure):
    complaint = _delmotte(procedure, "livraison_erreur_preparation")
    assert complaint.informed_services == ["logistique"]
    assert complaint.customer_deadline == MONDAY
    assert [item.text for item in complaint.checklist] == [
        "1. Proposer une solution au client (nouvel envoi ou facture d'avoir)",
        "2. Informer le service logistique",
    ]


def test_product_review_informs_technical_service(procedure):
    complaint = open_complaint(
        category="e_reputation", received_at=at(WEDNESDAY), channel="avis_en_ligne", client_name="Sandrine Coutant",
        facts="Les couleurs cuivre et rouge ne tiennent pas.", product_related=True, procedure=procedure,
    )
    assert complaint.responsible_service == "clientele"
    assert complaint.informed_services == ["technique"]
    assert complaint.customer_deadline == date(2026, 11, 27)


def test_full_life_cycle_to_closure_by_satisfaction(procedure):
    complaint = _delmotte(procedure).start_analysis().qualify(True)
    assert complaint.status is ComplaintStatus.EN_TRAITEMENT and complaint.admissible is True
    answered = complaint.answer(at(FRIDAY, 15), "Nouvel envoi des tubes, emballage séparé des flacons.")
    assert answered.status is ComplaintStatus.EN_ATTENTE_SATISFACTION and answered.answered_on == FRIDAY
    closed = answered.record_satisfaction(True, at(MONDAY))
    assert closed.status is ComplaintStatus.CLOTUREE and closed.closure_reason == "satisfait"
    assert closed.closed_on == MONDAY


def test_answer_needs_a_solution(procedure):
    with pytest.raises(DomainError, match="solution"):
        _delmotte(procedure).qualify(True).answer(at(FRIDAY))


def test_inadmissible_complaint_is_answered_at_j2_and_closed(procedure):
    complaint = _delmotte(procedure, "technique_qualite").start_analysis().qualify(False, procedure=procedure)
    assert complaint.status is ComplaintStatus.NON_RECEVABLE
    assert complaint.customer_deadline == TUESDAY  # Friday + 2 working days
    closed = complaint.answer(at(MONDAY), "Réponse par courriel : produit utilisé hors des conditions prévues.")
    assert closed.status is ComplaintStatus.CLOTUREE and closed.closure_reason == "non_recevable"


def test_auto_closure_on_day_15_exactly(procedure):
    answered = _delmotte(procedure).qualify(True).answer(at(FRIDAY, 15), "Nouvel envoi.")
    assert auto_close(answered, FRIDAY + timedelta(days=14)).status is ComplaintStatus.EN_ATTENTE_SATISFACTION
    closed = auto_close(answered, FRIDAY + timedelta(days=15))
    assert closed.status is ComplaintStatus.CLOTUREE
    assert closed.closure_reason == "sans_nouvelles"
    assert closed.closed_on == date(2026, 12, 5)
    # Run late: the closing day is still day 15.
    assert auto_close(answered, date(2027, 1, 10)).closed_on == date(2026, 12, 5)
    # Not answered yet: nothing to close.
    pending = _delmotte(procedure).qualify(True)
    assert auto_close(pending, date(2027, 1, 10)) is pending


def test_not_satisfied_revises_the_corrective_action(procedure):
    answered = _delmotte(procedure).qualify(True).answer(at(FRIDAY), "Nouvel envoi.")
    revised = answered.record_satisfaction(False, at(MONDAY), revised_action="Renvoi en deux colis séparés et avoir de 10 %.",
                                           procedure=procedure)
    assert revised.status is ComplaintStatus.ACTION_REVISEE
    assert revised.customer_deadline == MONDAY  # avarie: J from the new contact
    assert revised.revisions[-1].action.startswith("Renvoi en deux colis")
    again = revised.answer(at(MONDAY, 16), None)
    assert again.status is ComplaintStatus.EN_ATTENTE_SATISFACTION
    with pytest.raises(DomainError, match="action corrective"):
        answered.record_satisfaction(False, at(MONDAY), revised_action="")


def test_reopening_a_closed_complaint(procedure):
    closed = auto_close(_delmotte(procedure).qualify(True).answer(at(FRIDAY), "Nouvel envoi."), date(2026, 12, 10))
    reopened = closed.reopen(at(date(2026, 12, 14)), "Nouvel envoi avec calage renforcé.", procedure=procedure)
    assert reopened.status is ComplaintStatus.ACTION_REVISEE
    assert reopened.closed_on is None and reopened.closure_reason is None
    assert reopened.customer_deadline == date(2026, 12, 14)
    with pytest.raises(DomainError, match="clôturée"):
        reopened.reopen(at(date(2026, 12, 15)), "encore")


def test_forbidden_transitions(procedure):
    complaint = _delmotte(procedure)
    with pytest.raises(DomainError, match="ne peut pas passer"):
        complaint.record_satisfaction(True, at(FRIDAY))
    closed = complaint.qualify(True).answer(at(FRIDAY), "Avoir.").record_satisfaction(True, at(FRIDAY))
    with pytest.raises(DomainError):
        closed.start_analysis()


def test_overdue_complaints(procedure):
    complaint = _delmotte(procedure, "technique_utilisation", WEDNESDAY)
    assert not complaint.is_overdue(date(2026, 11, 19))
    assert complaint.is_overdue(FRIDAY)
    answered = complaint.qualify(True).answer(at(date(2026, 11, 19)), "Fiche d'utilisation envoyée.")
    assert not answered.is_overdue(FRIDAY)


def test_checklist_ticking(procedure):
    complaint = _delmotte(procedure).tick(0, FRIDAY)
    assert complaint.checklist[0].done_on == FRIDAY and complaint.checklist[1].done_on is None
    with pytest.raises(DomainError, match="n° 10"):
        complaint.tick(9, FRIDAY)
