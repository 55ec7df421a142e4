"""Teacher accounts: argon2 password hashes in the ``users`` table.

Decision (README, « Comptes enseignants »): the first teacher account is created on first use, from
the login screen, when the database holds no teacher yet; any teacher can then create other
accounts. Students and observers are known by name only and have no password.

The functions take a ``Store`` and run one unit of work each, through the store's users repository
(``trainer.store.sessions``): call them from thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from trainer.errors import UserError

if TYPE_CHECKING:  # pragma: no cover
    from trainer.store import Store

MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Account:
    """A row of the ``users`` table, without the hash."""

    user_id: int
    username: str
    display_name: str
    role: str


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; the hash string carries its parameters)."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def has_teacher(store: Store) -> bool:
    """True when at least one teacher account with a password exists."""
    from trainer.store import sessions as users_repo

    with store.read() as session:
        return any(user.has_password for user in users_repo.list_users(session, role="teacher"))


def authenticate(store: Store, username: str, password: str) -> Account | None:
    """The teacher account when ``username`` and ``password`` match, else ``None``."""
    from trainer.domain.errors import DomainError
    from trainer.store import sessions as users_repo

    try:
        with store.read() as session:
            user = users_repo.get_user(session, username=username)
            password_hash = users_repo.password_hash_of(session, username=username) if user else None
    except DomainError:  # an empty or too long username
        user, password_hash = None, None
    if user is None or user.role != "teacher" or not password_hash:
        # Same cost as a real check, so that timing does not tell which usernames exist.
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(password_hash, password):
        return None
    return Account(user.id, user.username, user.display_name, user.role)


def create_teacher(
    store: Store, *, username: str, display_name: str, password: str, now: datetime
) -> Account:
    """Create a teacher account; ``UserError`` (French) when a field is wrong or the name taken."""
    from trainer.store import sessions as users_repo

    username = username.strip().lower()
    display_name = display_name.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise UserError("Identifiant : de 1 à 64 caractères, sans espace.")
    if not display_name:
        raise UserError("Nom affiché : obligatoire (ex. : Mme Durand).")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Mot de passe : au moins {MIN_PASSWORD_LENGTH} caractères.")
    password_hash = hash_password(password)

    def work(session) -> Account:
        if users_repo.get_user(session, username=username) is not None:
            raise UserError(f"Identifiant : « {username} » existe déjà.")
        user = users_repo.get_or_create_user(
            session, username=username, now=now, display_name=display_name, role="teacher"
        )
        users_repo.set_password_hash(session, username=username, password_hash=password_hash)
        return Account(user.id, user.username, user.display_name, user.role)

    return store.run(work)


def ensure_person(store: Store, *, username: str, display_name: str, role: str, now: datetime) -> Account:
    """Find or create the student/observer row of a person known by name."""
    from trainer.store import sessions as users_repo

    def work(session) -> Account:
        user = users_repo.get_or_create_user(
            session, username=username, now=now, display_name=display_name, role=role  # type: ignore[arg-type]
        )
        return Account(user.id, user.username, user.display_name, user.role)

    return store.run(work)


@cache
def _dummy_hash() -> str:
    return hash_password("mot de passe factice")
