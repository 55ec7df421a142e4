"""French wording shared by the rules and the grid: quotations, turn references, rule labels.

Turn numbers in the advice are the indices of the transcript's ``turns`` (the same numbers as in
the JSON ``turns`` evidence), so a teacher can find the line the advice talks about.
"""

from __future__ import annotations

RULE_LABELS: dict[str, str] = {
    "accueil.decrocher_3_sonneries": "Décrocher avant la 3e sonnerie",
    "accueil.formule": "Formule d'accueil « Entreprise, prénom, bonjour »",
    "accueil.vouvoiement": "Vouvoyer l'appelant",
    "accueil.identifier_appelant": "Identifier l'appelant",
    "echange.formules_a_eviter": "Éviter les formules du tableau « Évitez de dire »",
    "echange.langage_soigne": "Langage soigné et poli",
    "echange.ecoute_active": "Écoute active",
    "echange.reclamation_opportunite": "Réclamation vue comme une occasion d'amélioration",
    "echange.problemes_internes": "Ne pas exposer les problèmes internes",
    "echange.reponse_precise": "Réponse précise (pas d'approximation)",
    "conclusion.reformulation": "Reformuler ce qui a été convenu",
    "conclusion.autres_questions": "Demander s'il y a d'autres questions ou besoins",
    "conclusion.prise_de_conge": "Prise de congé personnalisée",
    "conclusion.raccrocher_en_dernier": "Raccrocher en dernier (ou conclure son propre appel)",
}

VERDICT_FR = {"respected": "respectée", "violated": "non respectée", "not_applicable": "sans objet"}


def q(text: str) -> str:
    """French quotation marks with non-breaking spaces: « texte »."""
    text = " ".join(str(text).split())
    return f"«\u00a0{text}\u00a0»"


def tour(index: int) -> str:
    """« tour 3 »."""
    return f"tour {index}"


def tours(indices: list[int] | tuple[int, ...]) -> str:
    """« tour 3 », « tours 3 et 5 », « tours 3, 5 et 7 » (at most five listed)."""
    uniq = sorted(set(indices))
    if not uniq:
        return ""
    if len(uniq) == 1:
        return tour(uniq[0])
    shown = uniq[:5]
    more = "…" if len(uniq) > 5 else ""
    return "tours " + ", ".join(str(i) for i in shown[:-1]) + f" et {shown[-1]}{more}"


def said(quote: str, index: int) -> str:
    """« Vous avez dit « … » (tour 3) »."""
    return f"Vous avez dit {q(quote)} ({tour(index)})"


def join_fr(items: list[str]) -> str:
    """« a, b et c »."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]


def sentence(text: str) -> str:
    """Capitalise and end with a full stop (unless it already ends with punctuation)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?…»":
        text += "."
    elif text.endswith("»") and not text.endswith(".»"):
        text += "."
    return text
