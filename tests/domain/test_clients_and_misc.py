"""Clients and payment terms, regions, phones, shades, promotions, messages, reviews, contact log, holidays."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from trainer.domain.catalogue import normalize_shade_code
from trainer.domain.clients import Client, Segment, normalize_region, payment_terms_for
from trainer.domain.common import PARIS, normalize_email, normalize_phone
from trainer.domain.contacts import ContactLogEntry
from trainer.domain.messages import Message
from trainer.domain.promotions import Promotion, PromotionTier
from trainer.domain.reviews import Review
from trainer.domain.workdays import add_working_days, easter_sunday, is_working_day, public_holidays

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("segment", "code"),
    [
        ("salon_independant", "comptant"),
        ("salon_enseigne", "comptant"),
        ("coiffeur_domicile", "comptant"),
        ("apprenti", "comptant"),
        ("grossiste", "30_jours_fin_de_mois"),
    ],
)
def test_payment_terms_follow_the_segment(segment, code):
    terms = payment_terms_for(segment)
    assert terms.code == code
    if segment == "grossiste":
        assert set(terms.methods) == {"virement", "cheque", "lcr"} and terms.on_credit
    else:
        assert not terms.on_credit


def test_client_needs_a_way_to_be_reached_and_a_real_region():
    with pytest.raises(ValidationError, match="téléphone ou une adresse"):
        Client(name="Jean Dupont", segment="apprenti", region="Bretagne")
    with pytest.raises(ValidationError, match="n'est pas une région"):
        Client(name="Jean Dupont", segment="apprenti", region="Atlantide", contact={"phone": "0299000000"})
    client = Client(number="cli-00099", name="Jean Dupont", civility="M.", segment="salon_enseigne",
                    region="nouvelle aquitaine", contact={"phone": "+33 5 36 49 00 00"})
    assert client.number == "CLI-00099"
    assert client.region == "Nouvelle-Aquitaine"
    assert client.contact.phone == "05 36 49 00 00"
    assert client.kind == "salon" and client.salutation == "Monsieur Dupont"
    with pytest.raises(ValidationError, match="CLI-00042"):
        Client(number="C42", name="Jean Dupont", segment="apprenti", region="Bretagne", contact={"phone": "0299000000"})


@pytest.mark.parametrize(
    ("raw", "region"),
    [("Aquitaine-Limousin-Poitou-Charentes", "Nouvelle-Aquitaine"), ("Alsace-Champagne-Ardenne-Lorraine", "Grand Est"),
     ("ile-de-france", "Île-de-France"), ("PROVENCE-ALPES-COTE D'AZUR", "Provence-Alpes-Côte d'Azur")],
)
def test_regions(raw, region):
    assert normalize_region(raw) == region


@pytest.mark.parametrize(
    ("raw", "phone"),
    [("0612345678", "06 12 34 56 78"), ("06.12.34.56.78", "06 12 34 56 78"), ("+33 6 12 34 56 78", "06 12 34 56 78"),
     ("0033612345678", "06 12 34 56 78"), ("0800.885.563", "08 00 88 55 63")],
)
def test_phone_normalisation(raw, phone):
    assert normalize_phone(raw) == phone


@pytest.mark.parametrize("bad", ["12345", "06 12 34", "00 12 34 56 78", "abc", "06123456789"])
def test_bad_phones(bad):
    with pytest.raises(ValueError, match="n'est pas un numéro"):
        normalize_phone(bad)


def test_email():
    assert normalize_email(" Dominique.Coiffure@Example.com ") == "dominique.coiffure@example.com"
    with pytest.raises(ValueError, match="adresse électronique"):
        normalize_email("dominique@")


@pytest.mark.parametrize(("raw", "code"), [("6,4", "6.4"), (" 7.44 ", "7.44"), ("10", "10"), ("6.0", "6"), ("6/4", "6.4")])
def test_shade_codes(raw, code):
    assert normalize_shade_code(raw) == code


@pytest.mark.parametrize("bad", ["0", "11", "6.", "6.444", "blond", ""])
def test_bad_shade_codes(bad):
    with pytest.raises(ValueError, match="code de nuance"):
        normalize_shade_code(bad)


def test_promotion_rules():
    promo = Promotion(id="p", label="p", eligible_references=["GNK-CCS-100"],
                      tiers=[PromotionTier(min_quantity=20, rate="0.10"), PromotionTier(min_quantity=48, rate="0.20"),
                             PromotionTier(min_quantity=72, rate="0.30")],
                      valid_from=date(2026, 11, 1), valid_to=date(2026, 11, 30))
    assert promo.discount_rate(19) == 0 and promo.discount_rate(20) == Decimal("0.10")
    assert promo.next_tier(40).min_quantity == 48 and promo.next_tier(72) is None
    assert promo.is_active(date(2026, 11, 30)) and not promo.is_active(date(2026, 12, 1))
    assert promo.describe() == "10 % dès 20, 20 % dès 48, 30 % dès 72"
    with pytest.raises(ValidationError, match="croissant"):
        Promotion(id="p", label="p", eligible_references=["X"],
                  tiers=[PromotionTier(min_quantity=48, rate="0.20"), PromotionTier(min_quantity=20, rate="0.10")])
    with pytest.raises(ValidationError, match="entre 0 et 1"):
        PromotionTier(min_quantity=20, rate="10")


def test_message_missing_fields():
    message = Message(**{"for": "M. Mocher", "caller_name": "Paul Vidal", "taken_at": NOW})
    assert message.missing_fields() == [
        "le numéro où rappeler", "l'objet de l'appel", "le moment où rappeler", "la société ou le salon de l'appelant",
    ]
    full = message.model_copy(update={"callback_number": "06 39 98 00 01", "subject": "Présentation d'une gamme de brosses",
                                      "callback_when": "demain avant 10 h", "caller_company": "Brosses & Co"})
    assert full.is_complete()
    with pytest.raises(ValidationError, match="numéro de téléphone"):
        Message(**{"for": "M. Mocher", "caller_name": "Paul Vidal", "taken_at": NOW, "callback_number": "12"})


def test_naive_datetimes_are_refused():
    with pytest.raises(ValidationError, match="fuseau horaire"):
        Message(**{"for": "M. Mocher", "caller_name": "Paul Vidal", "taken_at": datetime(2026, 11, 18, 10, 0)})


def test_review_keeps_the_region_as_written_and_replies_at_j7():
    review = Review(id="a", region="Alsace-Champagne-Ardenne-Lorraine", posted_on=date(2026, 11, 18),
                    text="Jamais de cadeau.", sentiment="insatisfaction")
    assert review.region == "Grand Est" and review.region_as_written == "Alsace-Champagne-Ardenne-Lorraine"
    assert review.reply_due() == date(2026, 11, 27)
    assert review.is_complaint and not review.informs_technical_service()
    product = review.model_copy(update={"product_related": True})
    assert product.informs_technical_service()


def test_contact_log_next_action():
    entry = ContactLogEntry(client_number="CLI-00028", at=NOW, channel="telephone", direction="sortant",
                            purpose="prospection", summary="Relance du colis découverte", reason_no_order="pas eu le temps de tester",
                            next_action="Rappeler", next_action_on=date(2026, 11, 25))
    assert entry.next_action_on == date(2026, 11, 25)
    with pytest.raises(ValidationError, match="prochaine action"):
        ContactLogEntry(client_number="CLI-00028", at=NOW, channel="telephone", direction="sortant",
                        purpose="prospection", summary="Relance", next_action_on=date(2026, 11, 25))


def test_french_public_holidays():
    assert easter_sunday(2026) == date(2026, 4, 5) and easter_sunday(2027) == date(2027, 3, 28)
    holidays = public_holidays(2026)
    assert len(holidays) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 11, 11)} <= holidays
    assert not is_working_day(date(2026, 5, 1)) and is_working_day(date(2026, 5, 4))
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)  # Good Friday is worked; Easter Monday is not
    assert add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 23)


def test_segment_values_match_the_interfaces():
    assert {s.value for s in Segment} >= {"salon_independant", "salon_enseigne", "coiffeur_domicile", "grossiste", "apprenti"}
