"""Content: loading and validating the YAML data of the trainer.

``yamlio.load_yaml(path, Model)`` reads any content file into a validated pydantic object, or raises
``trainer.errors.UserError`` naming file, line and field. ``company.load_company(company_id)`` builds
a company's reference data (``trainer.domain.company.CompanyData``) from ``scenarios/<id>/reference/``.
Scenarios and grids have their own modules. This layer imports the domain, never the store or the TUI.
"""
