"""How screens are reached, and what every screen can count on (the app context).

The home screen and the command palette (``ctrl+p``) list the *destinations* open to the current
user's role. A destination names its screen class by import path (``"module:Class"``), so the home
screen appears without importing every screen of the program (the one-second start), and a screen
whose module does not exist yet is simply not listed.

Adding a screen (for instance the observer, teacher, dashboard or ERP screens)::

    # in trainer/tui/navigation.py, BUILTIN_DESTINATIONS (or at run time):
    register_destination(Destination(
        key="observateur",                       # stable id, also used by tests
        title="Observer une séance",             # French, shown on the home menu and in the palette
        help="Suivre un appel en direct et remplir la grille d'observation",
        target="trainer.tui.screens.observer:ObserverScreen",
        roles=frozenset({"observer", "teacher"}),
        order=20,
    ))

The class is instantiated with no argument and pushed on the screen stack; it reads what it needs
from ``self.ctx`` (subclass ``TrainerScreen``): ``ctx.db_url``, ``ctx.user``, ``ctx.now()``,
``ctx.store()`` (call it from a thread worker: it waits until the database is ready). A screen that
needs arguments (a session id) is pushed directly by the screen that knows them:
``self.app.push_screen(DebriefScreen(session_id=...))``.

Blocking work (database, speech, scoring) goes in ``@work(thread=True, exclusive=True,
exit_on_error=False)`` workers; a failed worker is reported once, in French, by
``TrainerApp.report_worker_error`` (wired for every ``TrainerScreen`` and ``TrainerModal``).
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from trainer.paths import resolve_db_url

if TYPE_CHECKING:  # pragma: no cover
    from trainer.store import Store

PARIS = ZoneInfo("Europe/Paris")

Role = Literal["student", "observer", "teacher"]
ROLE_LABELS: dict[str, str] = {"student": "élève", "observer": "observateur", "teacher": "enseignant"}
ALL_ROLES: frozenset[str] = frozenset(ROLE_LABELS)


def paris_now() -> datetime:
    """The current time in Europe/Paris (timezone-aware): the default clock of the app."""
    return datetime.now(PARIS)


# -- who is using the app --------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentUser:
    """The person in front of the terminal.

    A student or an observer is identified by name only (no password at school); a teacher has
    logged in with a password checked against the argon2 hash of the ``users`` table.
    """

    username: str
    display_name: str
    role: Role = "student"
    user_id: int | None = None

    @property
    def role_label(self) -> str:
        """The role in French: « élève », « observateur », « enseignant »."""
        return ROLE_LABELS[self.role]

    @classmethod
    def student(cls, name: str) -> CurrentUser:
        """A student known by name (the username is derived from it)."""
        return cls(username=username_from_name(name), display_name=name.strip(), role="student")

    @classmethod
    def observer(cls, name: str) -> CurrentUser:
        """An observer known by name."""
        return cls(username=username_from_name(name), display_name=name.strip(), role="observer")


def username_from_name(name: str) -> str:
    """A stable login name from a display name: « Élodie Martin » → ``elodie.martin``."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name.strip().lower())
    chars: list[str] = []
    for ch in folded:
        if unicodedata.combining(ch):
            continue
        if ch.isalnum():
            chars.append(ch)
        elif ch in " -_.'’":
            chars.append(".")
    slug = ".".join(part for part in "".join(chars).split(".") if part)
    return slug[:64] or "anonyme"


# -- what every screen can reach -------------------------------------------------------------------


class AppContext:
    """What the screens share: the database URL and its store, the clock, the current user.

    The database is prepared (schema created or upgraded, reference data seeded) once, in a worker
    started when the app mounts; ``store()`` waits for it, so call it from thread workers only.
    """

    def __init__(
        self,
        db_url: str | None,
        *,
        clock: Callable[[], datetime] | None = None,
        user: CurrentUser | None = None,
    ) -> None:
        self.db_url: str = resolve_db_url(db_url)
        self.clock: Callable[[], datetime] = clock or paris_now
        self.fixed_clock: bool = clock is not None
        """A clock was injected (tests): calls then run on simulated time, deterministic."""
        self.user: CurrentUser | None = user
        self.exam_mode: bool = False
        self.voice: bool = False
        self.capture_source: Any = None
        """The student's microphone in voice mode: None for the system's, or any SpeechRecognition
        ``AudioSource`` (a recording played as the microphone: tests, machines without one)."""
        self.ring_seconds: float = 3.0
        """Seconds between two rings of the call desk (a French line rings about every 3 s)."""
        self._store: Store | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._lock = threading.Lock()

    # time -- business rules take "now"/"today" as arguments, never read the clock themselves
    def now(self) -> datetime:
        """The app's clock (fixed in tests), timezone-aware, in Europe/Paris."""
        value = self.clock()
        if value.tzinfo is None:
            raise ValueError("the clock must return timezone-aware datetimes")
        return value.astimezone(PARIS)

    def today(self) -> date:
        """The business date in Europe/Paris."""
        return self.now().date()

    def new_call_clock(self) -> Any:
        """The clock of a new call: the wall clock, or simulated time from ``now()`` under a fixed clock."""
        from trainer.call.clock import SimulatedClock, WallClock

        if self.fixed_clock:
            return SimulatedClock(self.now())
        return WallClock()

    # database
    def prepare(self) -> None:
        """Open the database and bring it up to date (blocking; run in a worker). Idempotent."""
        with self._lock:
            if self._ready.is_set():
                return
            try:
                self._store = _open_ready_store(self.db_url)
            except BaseException as exc:  # kept and raised again to every caller of store()
                self._error = exc
                raise
            finally:
                self._ready.set()

    @property
    def is_ready(self) -> bool:
        """True once the database has been prepared (successfully or not)."""
        return self._ready.is_set()

    def store(self, timeout: float | None = 60.0) -> Store:
        """The prepared store; waits for the preparation (thread workers only)."""
        if not self._ready.wait(timeout):
            from trainer.errors import SetupError

            raise SetupError("La base de données n'est pas prête : réessayez dans un instant.")
        if self._error is not None:
            raise self._error
        assert self._store is not None
        return self._store

    def close(self) -> None:
        """Release the database connections."""
        if self._store is not None:
            self._store.dispose()


def _open_ready_store(url: str) -> Store:
    """The store at ``url`` with its schema and reference data in place (first launch included)."""
    import trainer.store as store_pkg

    ensure_ready = getattr(store_pkg, "ensure_ready", None)
    if ensure_ready is not None:
        return ensure_ready(url)
    # Older store layer without ensure_ready: same effect through the public Store methods.
    store = store_pkg.open_store(url)
    store.init_schema()
    seed = getattr(store, "seed", None)
    if seed is not None:
        seed()
    return store


# -- destinations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    """A screen reachable from the home menu and the command palette."""

    key: str
    title: str
    help: str
    target: str
    """``"package.module:ClassName"``; instantiated with no argument."""
    roles: frozenset[str] = field(default_factory=lambda: ALL_ROLES)
    order: int = 100
    role_labels: tuple[tuple[str, str, str], ...] = ()
    """(role, title, help) when a role sees the same screen under other words (« Mes séances »)."""

    def title_for(self, user: CurrentUser | None) -> str:
        """The title shown to ``user``."""
        for role, title, _help in self.role_labels:
            if user is not None and user.role == role:
                return title
        return self.title

    def help_for(self, user: CurrentUser | None) -> str:
        """The help line shown to ``user``."""
        for role, _title, help_text in self.role_labels:
            if user is not None and user.role == role:
                return help_text
        return self.help

    def is_available(self) -> bool:
        """True when the screen's module exists (without importing it)."""
        module_name = self.target.partition(":")[0]
        try:
            return importlib.util.find_spec(module_name) is not None
        except (ImportError, ValueError):
            return False

    def allows(self, user: CurrentUser | None) -> bool:
        """True when ``user`` may open this destination."""
        return user is not None and user.role in self.roles

    def load(self) -> type[Screen[Any]]:
        """Import and return the screen class."""
        module_name, _, attr = self.target.partition(":")
        module = importlib.import_module(module_name)
        screen_class = getattr(module, attr)
        if not (isinstance(screen_class, type) and issubclass(screen_class, Screen)):
            raise TypeError(f"{self.target} is not a Screen class")
        return screen_class


_REGISTRY: dict[str, Destination] = {}

BUILTIN_DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        key="nouvel_appel",
        title="Nouvel appel",
        help="Choisir un scénario, lire la fiche de rôle et prendre l'appel",
        target="trainer.tui.screens.picker:PickerScreen",
        roles=frozenset({"student", "teacher"}),
        order=10,
    ),
    Destination(
        key="observateur",
        title="Observer une séance",
        help="Suivre un appel en direct et remplir la grille d'observation",
        target="trainer.tui.screens.observer:ObserverScreen",
        roles=frozenset({"observer", "teacher"}),
        order=20,
    ),
    Destination(
        key="seances",
        title="Séances et corrections",
        help="Les séances par élève, scénario et date ; valider ou ajuster chaque critère",
        target="trainer.tui.screens.teacher:TeacherScreen",
        roles=frozenset({"student", "teacher"}),
        order=30,
        role_labels=(("student", "Mes séances", "Revoir vos appels, leur bilan et les corrections de l'enseignant"),),
    ),
    Destination(
        key="tableau_de_bord",
        title="Tableau de bord de la classe",
        help="Scores dans le temps, règles les plus enfreintes, indicateurs du PGI",
        target="trainer.tui.screens.dashboard:DashboardScreen",
        roles=frozenset({"teacher"}),
        order=40,
    ),
    Destination(
        key="pgi",
        title="PGI (ERP)",
        help="Clients, commandes, réclamations, relances et fiches clients",
        target="trainer.tui.screens.erp:ErpScreen",
        roles=ALL_ROLES,
        order=50,
    ),
)


def register_destination(destination: Destination) -> None:
    """Add or replace a destination (same ``key`` replaces)."""
    _REGISTRY[destination.key] = destination


def get_destination(key: str) -> Destination:
    """The destination registered under ``key`` (KeyError when unknown)."""
    return _REGISTRY[key]


def destinations_for(user: CurrentUser | None) -> list[Destination]:
    """The destinations ``user`` may open and whose screen exists, in menu order."""
    found = [d for d in _REGISTRY.values() if d.allows(user) and d.is_available()]
    return sorted(found, key=lambda d: (d.order, d.title))


def all_destinations() -> Iterable[Destination]:
    """Every registered destination (available or not)."""
    return tuple(_REGISTRY.values())


for _destination in BUILTIN_DESTINATIONS:
    register_destination(_destination)


# -- base classes for screens ----------------------------------------------------------------------

ResultT = TypeVar("ResultT")


class _ContextMixin:
    """Gives a screen ``self.ctx`` and routes failed workers to the app's one error handler."""

    @property
    def ctx(self) -> AppContext:
        """The app context (database, clock, current user)."""
        return self.app.ctx  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a failed worker once, in French (every subclass gets it: Textual walks the MRO)."""
        if event.state is WorkerState.ERROR:
            reporter = getattr(self.app, "report_worker_error", None)  # type: ignore[attr-defined]
            if reporter is not None:
                reporter(event.worker)


COMPACT_FOOTER_BELOW = 100
"""Terminal width under which footers drop the spaces around keys (every binding fits in 80)."""


class TrainerScreen(_ContextMixin, Screen[ResultT]):
    """Base class of the trainer's screens."""

    def on_resize(self) -> None:
        """Compact footer on narrow terminals, without the palette's key (Ctrl+P still opens it).

        Subclasses' own ``on_resize`` run too: Textual walks the MRO.
        """
        from textual.widgets import Footer

        narrow = self.size.width < COMPACT_FOOTER_BELOW
        for footer in self.query(Footer):
            footer.compact = narrow
            footer.show_command_palette = not narrow


class TrainerModal(_ContextMixin, ModalScreen[ResultT]):
    """Base class of the trainer's modal dialogs (typed result through ``dismiss``)."""
