"""Load a company's reference data from ``scenarios/<company>/reference/*.yaml``.

Each file has ``version: 1`` and one section; the files known to the loader are listed in
``SECTIONS``. An unknown file in the folder is refused, so that a misspelt name is not silently
ignored. Relative dates (``issued_days_ago: 70``) are resolved against ``today``: seeding on any day
gives invoices at the same reminder stages.

    >>> company = load_company("generik")
    >>> company.catalogue.product("GNK-CCS-100").unit_price_ht
    Decimal('3.80')
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.content.yamlio import load_yaml, validation_message
from trainer.domain.catalogue import DiscoveryParcel, Product, ShadeChart
from trainer.domain.clients import Client
from trainer.domain.common import PARIS
from trainer.domain.company import CompanyData, CompanyFacts, ExternalContact, Partner, Person, Service
from trainer.domain.promotions import Promotion
from trainer.errors import UserError
from trainer.paths import scenarios_dir

COMPANY_IDS = ("generik", "servfamilles")


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = Field(description="Format version of the file; only 1 exists.")


class CompanyFile(_File):
    id: str
    facts: CompanyFacts
    services: list[Service] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    external_contacts: list[ExternalContact] = Field(default_factory=list)
    facts_extra: dict[str, str] = Field(default_factory=dict)


class CatalogueFile(_File):
    prices_note: str | None = None
    products: list[Product] = Field(min_length=1)
    discovery_parcel: DiscoveryParcel | None = None


class ShadesFile(_File):
    chart: ShadeChart


class PromotionsFile(_File):
    promotions: list[Promotion]


class ClientsFile(_File):
    clients: list[Client]


SECTIONS: dict[str, type[_File]] = {
    "company.yaml": CompanyFile,
    "catalogue.yaml": CatalogueFile,
    "shades.yaml": ShadesFile,
    "promotions.yaml": PromotionsFile,
    "clients.yaml": ClientsFile,
}
"""File name → model. ``company.yaml`` is required; the others are optional."""


def reference_dir(company_id: str) -> Path:
    """The folder of a company's reference data."""
    return scenarios_dir() / company_id / "reference"


def paris_today() -> date:
    """Today's date in Paris: the default day relative dates are counted from."""
    return datetime.now(PARIS).date()


def load_company(company_id: str, *, today: date | None = None, directory: Path | None = None) -> CompanyData:
    """Load and validate a company's reference data; ``UserError`` names file, line and field.

    ``today`` is the day relative dates of the files are counted from (default: today in Paris).
    ``directory`` overrides ``scenarios/<company_id>/reference`` (tests, teachers' own data).
    """
    folder = directory if directory is not None else reference_dir(company_id)
    if not folder.is_dir():
        known = ", ".join(COMPANY_IDS)
        raise UserError(f"Entreprise « {company_id} » inconnue : dossier {folder} introuvable (connues : {known}).")
    day = today or paris_today()
    files: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        model = SECTIONS.get(path.name)
        if model is None:
            raise UserError(
                f"{path} : fichier inattendu dans les données de référence (fichiers reconnus : {', '.join(SECTIONS)})."
            )
        files[path.name] = load_yaml(path, model, context={"today": day})
    if "company.yaml" not in files:
        raise UserError(f"{folder} : le fichier company.yaml (identité de l'entreprise) est obligatoire.")
    company: CompanyFile = files["company.yaml"]
    if company.id != company_id and directory is None:
        raise UserError(f"{folder / 'company.yaml'}, champ id : « {company.id} » au lieu de « {company_id} ».")
    data: dict[str, Any] = company.model_dump(exclude={"version"})
    catalogue_file: CatalogueFile | None = files.get("catalogue.yaml")
    shades_file: ShadesFile | None = files.get("shades.yaml")
    if catalogue_file is not None:
        data["catalogue"] = {
            "products": [p.model_dump() for p in catalogue_file.products],
            "shade_charts": [shades_file.chart.model_dump()] if shades_file else [],
            "discovery_parcel": catalogue_file.discovery_parcel.model_dump() if catalogue_file.discovery_parcel else None,
            "prices_note": catalogue_file.prices_note,
        }
    if "promotions.yaml" in files:
        data["promotions"] = [p.model_dump() for p in files["promotions.yaml"].promotions]
    if "clients.yaml" in files:
        data["clients"] = [c.model_dump() for c in files["clients.yaml"].clients]
    try:
        return CompanyData.model_validate(data)
    except ValidationError as exc:
        # Cross-file checks (a promotion on an unknown reference, a duplicate client number...).
        raise UserError(validation_message(f"{folder} (vérification d'ensemble)", exc)) from None
