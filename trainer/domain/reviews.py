"""Online reviews on avis-generik.fr (Doc 7) and how Doc 8 handles them.

"Les avis sont tous traités par le service clientèle." A dissatisfied review becomes an
``e_reputation`` complaint (the service technique is informed when the problem is about a product);
a satisfied one gets a thank-you. Both are answered within J+7.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from trainer.domain.clients import normalize_region
from trainer.domain.common import DomainModel
from trainer.domain.complaints import ComplaintProcedure, add_days, rule_for

Sentiment = Literal["insatisfaction", "satisfaction", "mitige"]


class Review(DomainModel):
    """A review left on the reviews site. ``region`` is the official name (old names accepted)."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    site: str = "https://avis-generik.fr"
    region: str | None = None
    posted_on: date
    text: str = Field(min_length=1)
    sentiment: Sentiment
    product_related: bool = False
    client_number: str | None = None
    reply: str | None = None
    reply_published_on: date | None = None
    source: str | None = Field(default=None, description="Where the text comes from (e.g. « Doc 7 »).")
    region_as_written: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _official_region(cls, data: object) -> object:
        # Doc 7 writes the provisional 2016 names; keep them as written and file the official one.
        if isinstance(data, dict) and data.get("region"):
            data = dict(data)
            data.setdefault("region_as_written", data["region"])
            data["region"] = normalize_region(str(data["region"]))
        return data

    @property
    def is_complaint(self) -> bool:
        """A dissatisfied or mixed review is handled as an ``e_reputation`` complaint."""
        return self.sentiment in ("insatisfaction", "mitige")

    def reply_due(self, procedure: ComplaintProcedure | None = None) -> date:
        """The day the reply must be published (J+7 from the posting day)."""
        day_count = procedure.day_count if procedure else "ouvres"
        return add_days(self.posted_on, rule_for("e_reputation", procedure).days, day_count)

    def informs_technical_service(self) -> bool:
        """« S'il s'agit d'un problème lié au produit : informer le service technique »."""
        return self.is_complaint and self.product_related
