"""Clients of the ERP: segment, region, contact, status and the terms of payment of the segment.

Episode 4 of the case: "contrairement aux salons de coiffure, aux coiffeurs à domicile et aux
apprentis qui payent comptant, les grossistes peuvent payer par virement, par chèque ou par lettre de
change relevé (LCR) à 30 jours fin de mois". Salons under a banner pay cash too (docs/DECISIONS.md D1).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from trainer.domain.common import ClientNumber, DomainModel, Email, Phone, Postcode


class Segment(StrEnum):
    """Customer segments of GENERIK (BRIEF §1.3) and the private customers of SERV'FAMILLES."""

    SALON_INDEPENDANT = "salon_independant"
    SALON_ENSEIGNE = "salon_enseigne"
    COIFFEUR_DOMICILE = "coiffeur_domicile"
    GROSSISTE = "grossiste"
    APPRENTI = "apprenti"
    PARTICULIER = "particulier"

    @property
    def label(self) -> str:
        """French label shown in the ERP."""
        return SEGMENT_LABELS[self]


SEGMENT_LABELS: dict[Segment, str] = {
    Segment.SALON_INDEPENDANT: "salon indépendant",
    Segment.SALON_ENSEIGNE: "salon sous enseigne",
    Segment.COIFFEUR_DOMICILE: "coiffeur à domicile",
    Segment.GROSSISTE: "grossiste",
    Segment.APPRENTI: "apprenti",
    Segment.PARTICULIER: "particulier",
}

SEGMENT_KIND: dict[Segment, str] = {
    Segment.SALON_INDEPENDANT: "salon",
    Segment.SALON_ENSEIGNE: "salon",
    Segment.COIFFEUR_DOMICILE: "coiffeur_domicile",
    Segment.GROSSISTE: "grossiste",
    Segment.APPRENTI: "apprenti",
    Segment.PARTICULIER: "particulier",
}
"""The coarse ``client.kind`` of the public records (CONTRACT §4: "salon", "grossiste"...)."""


class ClientStatus(StrEnum):
    PROSPECT = "prospect"
    CLIENT = "client"


PaymentMethod = Literal["comptant", "carte", "virement", "cheque", "lcr"]

PAYMENT_METHOD_LABELS: dict[str, str] = {
    "comptant": "comptant",
    "carte": "carte bancaire",
    "virement": "virement",
    "cheque": "chèque",
    "lcr": "lettre de change relevé (LCR)",
}


class PaymentTerms(DomainModel):
    """Terms of payment: ``code`` is stable, ``label`` is what the ERP prints on the order."""

    code: Literal["comptant", "30_jours_fin_de_mois", "a_reception_de_facture"]
    label: str
    methods: list[PaymentMethod]
    on_credit: bool = Field(description="True when the client pays after delivery, on invoice.")


CASH = PaymentTerms(code="comptant", label="comptant", methods=["comptant", "carte", "cheque"], on_credit=False)
THIRTY_DAYS_END_OF_MONTH = PaymentTerms(
    code="30_jours_fin_de_mois",
    label="30 jours fin de mois (virement, chèque ou LCR)",
    methods=["virement", "cheque", "lcr"],
    on_credit=True,
)
ON_INVOICE = PaymentTerms(
    code="a_reception_de_facture",
    label="à réception de facture",
    methods=["virement", "cheque", "carte"],
    on_credit=True,
)


def payment_terms_for(segment: Segment | str) -> PaymentTerms:
    """The terms of payment that follow from the segment (Episode 4; D1 for salons under a banner).

    Wholesalers pay at "30 jours fin de mois" by transfer, cheque or LCR; every hairdresser
    (independent or banner salon, home hairdresser, apprentice) pays cash. SERV'FAMILLES' private
    customers pay on receipt of the invoice (invented, D1).
    """
    seg = Segment(segment)
    if seg is Segment.GROSSISTE:
        return THIRTY_DAYS_END_OF_MONTH
    if seg is Segment.PARTICULIER:
        return ON_INVOICE
    return CASH


REGIONS: tuple[str, ...] = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
)
"""The 13 regions of metropolitan France (the discovery parcel targets "la France métropolitaine")."""

REGION_ALIASES: dict[str, str] = {
    # Provisional names of 2016, used by the reviews of Doc 7.
    "aquitaine-limousin-poitou-charentes": "Nouvelle-Aquitaine",
    "alsace-champagne-ardenne-lorraine": "Grand Est",
    "nord-pas-de-calais-picardie": "Hauts-de-France",
    "languedoc-roussillon-midi-pyrenees": "Occitanie",
    "nouvelle aquitaine": "Nouvelle-Aquitaine",
    "paca": "Provence-Alpes-Côte d'Azur",
    "ile-de-france": "Île-de-France",
}


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def normalize_region(value: str) -> str:
    """The official name of a metropolitan region, accepting old names and missing accents."""
    folded = _fold(value)
    for region in REGIONS:
        if _fold(region) == folded:
            return region
    if folded in REGION_ALIASES:
        return REGION_ALIASES[folded]
    raise ValueError(f"« {value} » n'est pas une région de France métropolitaine ({', '.join(REGIONS)})")


class Address(DomainModel):
    street: str = Field(min_length=1)
    postcode: Postcode
    city: str = Field(min_length=1)

    def one_line(self) -> str:
        """« 12 rue des Lilas, 33000 Bordeaux »."""
        return f"{self.street}, {self.postcode} {self.city}"


class Contact(DomainModel):
    """How to reach a client; at least a phone or an e-mail (checked by ``Client``)."""

    phone: Phone | None = None
    mobile: Phone | None = None
    email: Email | None = None
    address: Address | None = None


class Client(DomainModel):
    """A client file ("fiche client") in the ERP.

    ``name`` is the person one talks to ("Dominique Delmotte"), ``company`` the salon or firm
    ("Dominique coiffure à domicile"). ``number`` is None until the store assigns one.
    """

    number: ClientNumber | None = None
    name: str = Field(min_length=2, description="Contact person: « Dominique Delmotte ».")
    civility: Literal["M.", "Mme"] | None = None
    company: str | None = Field(default=None, description="Salon or firm name.")
    segment: Segment
    region: str
    status: ClientStatus = ClientStatus.CLIENT
    contact: Contact = Field(default_factory=Contact)
    since: date | None = None
    notes: str | None = None

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> str:
        return normalize_region(str(value))

    @model_validator(mode="after")
    def _reachable(self) -> Client:
        if not (self.contact.phone or self.contact.mobile or self.contact.email):
            raise ValueError("un client doit avoir au moins un téléphone ou une adresse électronique")
        return self

    @property
    def payment_terms(self) -> PaymentTerms:
        """The terms of payment of the client's segment."""
        return payment_terms_for(self.segment)

    @property
    def kind(self) -> str:
        """Coarse kind for public records: salon, coiffeur_domicile, grossiste, apprenti, particulier."""
        return SEGMENT_KIND[self.segment]

    @property
    def salutation(self) -> str:
        """« Madame Delmotte » / « Monsieur Mocher », or the full name when the civility is unknown."""
        last = self.name.split()[-1]
        if self.civility == "Mme":
            return f"Madame {last}"
        if self.civility == "M.":
            return f"Monsieur {last}"
        return self.name

    def display_name(self) -> str:
        """« Dominique Delmotte (Dominique coiffure à domicile) »."""
        return f"{self.name} ({self.company})" if self.company else self.name
