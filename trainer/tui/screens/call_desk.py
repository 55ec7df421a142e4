"""The call desk: the phone rings, the conversation, the ERP panel, the drawer, the hang-up.

Everything that touches the call goes through ONE ``CallSession`` (the same object ``trainer play``
drives): the desk only shows what the session says and sends what the student types or enters in
the ERP. The session is not thread-safe, so every call to it runs in a thread worker holding
``self._lock``; the UI thread never waits for it (the input line is simply disabled while the
customer « answers »).

Voice mode: the customer's lines are spoken; the student answers aloud with F5 (« Parler »): the
microphone listens in a worker, the turn ends when the student stops talking (SpeechRecognition's
energy threshold and pause) or presses F5 again, then Whisper (loaded once per call, in a worker,
as the call starts) transcribes it and the text becomes the student's turn with its voice measures.
Without a microphone or a model, one French sentence says so and the call goes on in text.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static, Tabs

from trainer.tui.navigation import TrainerScreen
from trainer.tui.widgets.conversation import ConversationLog
from trainer.tui.widgets.erp_panel import ErpPanel
from trainer.tui.widgets.mood import MOOD_MAX, MoodGauge
from trainer.tui.widgets.ring import RingIndicator

if TYPE_CHECKING:  # pragma: no cover
    from trainer.call.session import CallSession

MAX_RINGS = 20
"""After this many rings the phone stops ringing by itself (the student must still pick up)."""


def mood_to_gauge(mood: float | None) -> int | None:
    """The session's mood (-1 furious … 1 delighted) on the gauge's 0–10 scale."""
    if mood is None:
        return None
    return max(0, min(MOOD_MAX, round((float(mood) + 1) * MOOD_MAX / 2)))


def _continues_in_text(message: str) -> str:
    """A voice notice as one sentence that says the call goes on in text."""
    message = message.strip().rstrip(".")
    if "écrit" not in message and "texte" not in message:
        message += " : l'appel continue à l'écrit"
    return message + "."


def _measures_line(measures: dict[str, Any]) -> str:
    """How the student's last turn was said, in one French line under the conversation."""
    parts = []
    if measures.get("words_per_minute") is not None:
        parts.append(f"débit {measures['words_per_minute']:.0f} mots/min (repère 120)")
    if measures.get("loudness_dbfs") is not None:
        parts.append(f"volume {measures['loudness_dbfs']:.0f} dBFS".replace("-", "−"))
    if measures.get("filler_words_per_minute"):
        parts.append(f"mots parasites {measures['filler_words_per_minute']:.0f}/min")
    return "Votre réplique : " + (", ".join(parts) if parts else "trop courte pour mesurer le débit") + "."


class CallDeskScreen(TrainerScreen[None]):
    """One call, from the first ring to the record."""

    CSS_PATH = "call_desk.tcss"
    # Below 100 columns the ERP panel gets a fixed width so that its five tabs stay readable.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "pick_up", "Décrocher"),
        Binding("f3", "toggle_drawer", "Charte"),
        Binding("f4", "focus_erp", "PGI"),
        Binding("f5", "talk", "Parler"),
        Binding("f6", "toggle_sound", "Son", show=False),
        Binding("f10", "hang_up", "Raccrocher"),
        Binding("escape", "leave", "Abandonner", show=False),
    ]

    def __init__(self, scenario_id: str, *, ring_seconds: float | None = None, seed: int | None = None) -> None:
        super().__init__()
        self.scenario_id = scenario_id
        self.ring_seconds = ring_seconds
        self.seed = seed
        self.session: CallSession | None = None
        self._lock = threading.Lock()
        self._ring_timer: Timer | None = None
        self._clock_timer: Timer | None = None
        self._sound_on = True
        self._player: tuple[str, ...] | None = None
        self._finishing = False
        self._left = False
        """The student left the call (its abandon runs in a worker of the app)."""
        self.drawer_texts: tuple[str, str, str] | None = None
        self._listening: threading.Event | None = None  # set to end the turn being recorded (F5 again)
        self._voice_input: bool | None = None  # None: being prepared; False: off (notice given)
        self.voice_notice: str | None = None

    # -- layout --------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="line-bar"):
            yield RingIndicator(id="ring")
            yield MoodGauge(id="mood")
        with Horizontal(id="desk"):
            with Vertical(id="talk"):
                yield ConversationLog(id="conversation")
                yield Input(placeholder="Préparation de l'appel…", id="say", disabled=True, max_length=2000)
            yield ErpPanel(id="erp")
        yield Static("", id="desk-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#mood", MoodGauge).display = not self.ctx.exam_mode
        self.query_one("#ring", RingIndicator).pickup_key = "F2 ou Entrée"
        self._start()

    # -- starting the call ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="call-start")
    def _start(self) -> None:
        from trainer.call.session import CallSession

        store = self.ctx.store()
        user = self.ctx.user
        voice, notice = self._voice_if_wanted()
        session = CallSession.start(
            self.scenario_id,
            store=store,
            student=user.username if user else "eleve",
            seed=self.seed,
            mode="voice" if voice is not None else "text",
            clock=self.ctx.new_call_clock(),
            voice=voice,
        )
        if voice is not None and hasattr(voice, "bind"):
            voice.bind(session.folder)
        session.listen(self._turn_from_thread)
        drawer_texts = self._drawer_texts(session)
        self.app.call_from_thread(self._started, session, drawer_texts, notice)

    def _voice_if_wanted(self) -> tuple[Any, str | None]:
        """The customer's voice when the student asked for it, or (None, why not in one sentence)."""
        if not self.ctx.voice:
            return None, None
        try:
            from trainer.call.voice import SessionVoice

            return SessionVoice.create(), None
        except ImportError:
            return None, "Le mode voix n'est pas installé (extra « voice ») : l'appel continue en texte."
        except Exception as exc:  # noqa: BLE001 - VoiceUnavailable and engine failures alike
            message = str(exc).rstrip(".")
            if "texte" not in message:
                message += " : l'appel continue en texte"
            return None, message + "."

    def _drawer_texts(self, session: CallSession) -> tuple[str, str, str]:
        from trainer.tui.widgets.drawer import catalogue_markup, charter_markup, load_charter, shades_markup

        charter, own = load_charter(session.scenario.company)
        return (
            charter_markup(charter, own),
            catalogue_markup(session.company, self.ctx.today()),
            shades_markup(session.company),
        )

    def _started(self, session: CallSession, drawer_texts: tuple[str, str, str], notice: str | None) -> None:
        self.session = session
        scenario = session.scenario
        self.sub_title = scenario.title
        log = self.query_one("#conversation", ConversationLog)
        log.customer_label = "Client" if scenario.direction == "incoming" else "Correspondant"
        self.query_one("#erp", ErpPanel).setup(session.company)
        self.drawer_texts = drawer_texts
        if notice:
            self.notify(notice, title="Voix", severity="warning", timeout=10)
        if session.mode == "voice":
            from trainer.tui.widgets.sound import find_player

            self._player = find_player()
            if self._player is None:
                self.notify(
                    "Aucun lecteur audio (aplay, paplay ou ffplay) : la voix du client est enregistrée "
                    "dans le dossier de la séance, l'appel continue en texte.",
                    title="Voix",
                    severity="warning",
                    timeout=10,
                )
        ring = self.query_one("#ring", RingIndicator)
        ring.state = "ringing" if scenario.direction == "incoming" else "dialing"
        say = self.query_one("#say", Input)
        say.disabled = False
        say.placeholder = (
            "Votre réplique, puis Entrée…"
            if scenario.direction == "incoming"
            else "Attendez qu'on décroche…"
        )
        say.focus()
        if session.mode == "voice" and session.voice is not None and hasattr(session.voice, "use_microphone"):
            self._status("Mode voix : préparation du micro et de la reconnaissance vocale…")
            self._prepare_listening()
        else:
            self._voice_input = False
        self.refresh_bindings()
        self._ring()
        self._ring_timer = self.set_interval(self.ring_seconds or self.ctx.ring_seconds, self._ring)
        self._clock_timer = self.set_interval(1.0, self._tick)

    # -- turns arrive from the session (worker thread) ---------------------------------------------

    def _turn_from_thread(self, index: int, turn: dict[str, Any]) -> None:
        self.app.call_from_thread(self._show_turn, index, turn)

    def _show_turn(self, index: int, turn: dict[str, Any]) -> None:
        speaker = turn.get("speaker", "system")
        if speaker == "system" and turn.get("event") == "ring":
            # Rings are shown by the ring indicator (and still recorded in the transcript).
            return
        self.query_one("#conversation", ConversationLog).add_turn(index, speaker, turn.get("text", ""), turn.get("t"))
        if speaker == "customer":
            if turn.get("mood") is not None:
                self.query_one("#mood", MoodGauge).mood = mood_to_gauge(turn["mood"])
            if turn.get("audio") and self._sound_on and self._player and self.session is not None:
                from trainer.tui.widgets.sound import play

                play(self.session.folder / turn["audio"], self._player)

    # -- the phone -----------------------------------------------------------------------------------

    def _ring(self) -> None:
        session = self.session
        if session is None or session.phase != "ringing":
            if self._ring_timer is not None:
                self._ring_timer.stop()
            return
        if session.rings >= MAX_RINGS:
            return
        self._ring_worker()

    @work(thread=True, exit_on_error=False, group="call-ring")
    def _ring_worker(self) -> None:
        session = self.session
        if session is None or not self._lock.acquire(blocking=False):
            return  # a turn is being processed: this ring is skipped, the next one counts
        try:
            if session.phase != "ringing":
                return
            reply = session.ring()
            rings = session.rings
        finally:
            self._lock.release()
        self.app.call_from_thread(self._rang, rings, reply is not None)

    def _rang(self, rings: int, answered: bool) -> None:
        ring = self.query_one("#ring", RingIndicator)
        ring.rings = rings
        if self.session is None:
            return
        if answered or self.session.phase == "talking":
            self._online()
            return
        self.app.bell()
        if self.session.mode == "voice" and self._sound_on and self._player:
            from trainer.tui.widgets.sound import play, write_ring_tone

            play(write_ring_tone(self.session.folder / "audio" / "sonnerie.wav"), self._player)

    def _online(self) -> None:
        if self._ring_timer is not None:
            self._ring_timer.stop()
        self.query_one("#ring", RingIndicator).state = "online"
        say = self.query_one("#say", Input)
        say.placeholder = "Votre réplique, puis Entrée…"

    def _tick(self) -> None:
        session = self.session
        if session is None:
            return
        ring = self.query_one("#ring", RingIndicator)
        if session.phase == "talking":
            ring.elapsed = session.clock.t()

    def action_pick_up(self) -> None:
        """Pick up the ringing phone (incoming call)."""
        session = self.session
        if session is None:
            return
        if session.direction == "outgoing":
            self.notify("C'est vous qui appelez : attendez que le correspondant décroche.", severity="warning")
            return
        if session.phase != "ringing":
            return
        self._speak(None)

    # -- the student speaks --------------------------------------------------------------------------

    @on(Input.Submitted, "#say")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        session = self.session
        if session is None or self._finishing:
            return
        if session.phase == "ringing" and session.direction == "outgoing":
            self.notify("Le correspondant n'a pas encore décroché.", severity="warning")
            return
        if session.phase not in ("ringing", "talking"):
            self.notify("L'appel est terminé : complétez le PGI puis F10 pour l'enregistrer.", severity="warning")
            return
        if not text and session.phase == "talking":
            return
        event.input.value = ""
        self._speak(text or None)

    def _speak(self, text: str | None) -> None:
        say = self.query_one("#say", Input)
        say.disabled = True
        self._speak_worker(text)

    @work(thread=True, exit_on_error=False, group="call-turn")
    def _speak_worker(self, text: str | None) -> None:
        session = self.session
        assert session is not None
        reply = None
        with self._lock:
            try:
                if session.phase == "ringing" and session.direction == "incoming":
                    session.pick_up()
                    self.app.call_from_thread(self._online)
                if text:
                    reply = session.student_says(text)
            finally:
                self.app.call_from_thread(self._turn_done, reply)

    def _turn_done(self, reply: Any) -> None:
        session = self.session
        say = self.query_one("#say", Input)
        say.disabled = False
        if session is not None and session.phase == "ended":
            self._customer_hung_up()
            return
        say.focus()

    def _customer_hung_up(self) -> None:
        ring = self.query_one("#ring", RingIndicator)
        if self.session is not None:
            ring.elapsed = self.session.clock.t()
        ring.state = "ended"
        say = self.query_one("#say", Input)
        say.disabled = True
        say.placeholder = "L'appel est terminé."
        who = "Le client" if self.session is None or self.session.direction == "incoming" else "Le correspondant"
        self._status(f"{who} a raccroché. Complétez le PGI si besoin, puis F10 pour enregistrer l'appel.")

    def _status(self, text: str) -> None:
        self.query_one("#desk-status", Static).update(text)

    # -- the student speaks aloud (voice mode) -------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F5 « Parler » shows in voice mode only, dimmed while the microphone or the model is missing."""
        if action == "talk":
            session = self.session
            if session is None or session.mode != "voice":
                return False
            return True if self._voice_input else None
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="call-voice-load")
    def _prepare_listening(self) -> None:
        """Open the microphone, then load the speech-recognition model once for the whole call."""
        from trainer.voice.errors import VoiceUnavailable

        session = self.session
        assert session is not None
        voice = session.voice
        try:
            voice.use_microphone(self.ctx.capture_source)
            voice.load_recognizer()
        except VoiceUnavailable as exc:
            self.app.call_from_thread(self._voice_input_off, _continues_in_text(str(exc)))
            return
        self.app.call_from_thread(self._voice_input_on)

    def _voice_input_on(self) -> None:
        self._voice_input = True
        self.refresh_bindings()
        self._status("Mode voix : F5 pour parler ; la réplique se termine quand vous vous taisez (ou F5 à nouveau).")

    def _voice_input_off(self, notice: str) -> None:
        self._voice_input = False
        self.voice_notice = notice
        self.refresh_bindings()
        self.notify(notice, title="Voix", severity="warning", timeout=10)
        self._status(notice)

    def action_talk(self) -> None:
        """F5: start speaking (the microphone listens); F5 again ends the turn at once."""
        session = self.session
        if session is None or self._finishing:
            return
        if self._listening is not None:
            self._listening.set()
            return
        if not self._voice_input:
            self.notify(self.voice_notice or "La reconnaissance vocale se prépare : un instant…", title="Voix")
            return
        if session.phase == "ringing" and session.direction == "outgoing":
            self.notify("Le correspondant n'a pas encore décroché.", severity="warning")
            return
        if session.phase not in ("ringing", "talking"):
            self.notify("L'appel est terminé : complétez le PGI puis F10 pour l'enregistrer.", severity="warning")
            return
        self._listening = threading.Event()
        self.query_one("#say", Input).disabled = True
        self._status("🎙 Parlez… (la réplique se termine quand vous vous taisez, ou F5)")
        self._listen_worker(self._listening)

    @work(thread=True, exit_on_error=False, group="call-listen")
    def _listen_worker(self, stop: threading.Event) -> None:
        from trainer.voice.errors import VoiceUnavailable

        session = self.session
        assert session is not None
        voice = session.voice
        status: str | None = None
        try:
            if session.phase == "ringing" and session.direction == "incoming":
                with self._lock:
                    session.pick_up()
                self.app.call_from_thread(self._online)
            try:
                recording = voice.record_turn(stop)
            except VoiceUnavailable as exc:
                self.app.call_from_thread(self._voice_input_off, _continues_in_text(str(exc)))
                return
            self.app.call_from_thread(self._status, "Transcription de votre réplique…")
            heard = voice.hear(recording.path) if recording.speech_detected else None
            if heard is None or not heard.text.strip():
                status = "Je n'ai rien entendu : F5 pour recommencer, ou écrivez votre réplique."
                return
            measures = dict(heard.measures)
            try:
                measures["audio"] = str(recording.path.resolve().relative_to(session.folder.resolve()))
            except ValueError:
                measures["audio"] = str(recording.path)
            with self._lock:
                if session.phase == "talking":
                    session.student_says(heard.text, voice_measures=measures)
            status = _measures_line(measures)
        finally:
            self.app.call_from_thread(self._listened, status)

    def _listened(self, status: str | None) -> None:
        self._listening = None
        if self._finishing or not self.is_attached:
            return
        if status:
            self._status(status)
        self._turn_done(None)

    # -- ERP -----------------------------------------------------------------------------------------

    @on(ErpPanel.ActionRequested)
    def _erp_action(self, event: ErpPanel.ActionRequested) -> None:
        if self.session is None or self._finishing:
            return
        self._erp_worker(event.name, event.args)

    @work(thread=True, exit_on_error=False, group="call-erp")
    def _erp_worker(self, name: str, args: dict[str, Any]) -> None:
        from trainer.errors import UserError

        session = self.session
        assert session is not None
        with self._lock:
            try:
                summary = session.erp_action(name, args)
            except UserError as exc:
                self.app.call_from_thread(self.query_one("#erp", ErpPanel).show_error, str(exc))
                return
            preview = session.erp_preview()
        panel = self.query_one("#erp", ErpPanel)
        self.app.call_from_thread(panel.accepted, name, summary)
        self.app.call_from_thread(panel.show_preview, preview)

    @on(ErpPanel.ClientSearch)
    def _client_search(self, event: ErpPanel.ClientSearch) -> None:
        self._search_worker(event.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="call-search")
    def _search_worker(self, text: str) -> None:
        from trainer.store import repositories as repo

        company = self.session.scenario.company if self.session is not None else None
        with self.ctx.store().read() as db:
            clients = repo.find_clients(db, company_id=company, text=text, limit=30)
        self.app.call_from_thread(self.query_one("#erp", ErpPanel).show_search_results, clients)

    # -- drawer, focus, sound ------------------------------------------------------------------------

    def action_toggle_drawer(self) -> None:
        """Open the charter, the catalogue and the shade chart (F3 or Échap closes them)."""
        if self.drawer_texts is None:
            return
        from trainer.tui.widgets.drawer import DrawerScreen

        self.app.push_screen(DrawerScreen(*self.drawer_texts))

    def action_focus_erp(self) -> None:
        """Jump between the input line and the ERP panel."""
        erp = self.query_one("#erp", ErpPanel)
        if erp.has_focus_within:
            self.query_one("#say", Input).focus()
        else:
            # The tab strip inside the TabbedContent takes the focus (the container itself cannot):
            # the arrows then change the ERP tab.
            erp.query_one("#erp-tabs").query_one(Tabs).focus()

    def action_toggle_sound(self) -> None:
        """Mute or unmute the ring and the customer's voice."""
        self._sound_on = not self._sound_on
        self.notify("Son rétabli." if self._sound_on else "Son coupé.")

    # -- the end -------------------------------------------------------------------------------------

    def action_hang_up(self) -> None:
        """Hang up (and record the call); after the customer hung up: record the call."""
        session = self.session
        if session is None or self._finishing:
            return
        if session.phase in ("ringing", "talking"):
            from trainer.tui.widgets.dialogs import ConfirmModal

            question = (
                "Raccrocher et enregistrer l'appel ?\n"
                "[dim]Le PGI sera enregistré tel qu'il est ; la charte veut que l'appelant raccroche "
                "le premier quand c'est lui qui a appelé.[/dim]"
            )
            self.app.push_screen(ConfirmModal(question, yes="Raccrocher", no="Continuer l'appel"), self._confirmed_hang_up)
        else:
            self._finish()

    def _confirmed_hang_up(self, confirmed: bool | None) -> None:
        if confirmed:
            self._finish()

    def _finish(self) -> None:
        self._finishing = True
        if self._listening is not None:
            self._listening.set()  # hanging up while speaking: the microphone stops now
        for timer in (self._ring_timer, self._clock_timer):
            if timer is not None:
                timer.stop()
        self.query_one("#say", Input).disabled = True
        self._status("Enregistrement de l'appel et correction en cours…")
        self._finish_worker()

    @work(thread=True, exclusive=True, exit_on_error=False, group="call-finish")
    def _finish_worker(self) -> None:
        session = self.session
        assert session is not None
        with self._lock:
            try:
                result = session.hang_up(by="student")
            except Exception:
                self.app.call_from_thread(self._finish_failed)
                raise
        self.app.call_from_thread(self._finished, result)

    def _finish_failed(self) -> None:
        self._finishing = False
        self._status("L'appel n'a pas pu être enregistré (voir le message) ; le journal de la séance est conservé.")

    def _finished(self, result: Any) -> None:
        from trainer.tui.screens.debrief import DebriefScreen

        assert self.session is not None
        self.app.switch_screen(DebriefScreen(result=result, scenario=self.session.scenario))

    def action_leave(self) -> None:
        """Leave the call without recording it in the ERP nor scoring it (after confirmation)."""
        if self._finishing:
            return
        if self.session is None or self.session.phase == "closed":
            self.app.pop_screen()
            return
        from trainer.tui.widgets.dialogs import ConfirmModal

        self.app.push_screen(
            ConfirmModal(
                "Abandonner l'appel ? Rien ne sera enregistré dans le PGI et l'appel ne sera pas noté ; "
                "la séance restera dans « Mes séances », marquée « interrompue », avec sa transcription.",
                yes="Abandonner",
                no="Continuer",
            ),
            self._confirmed_leave,
        )

    def _confirmed_leave(self, confirmed: bool | None) -> None:
        if confirmed:
            # The abandon writes to the database and may wait for a busy session: in a thread
            # worker of the app (it outlives this screen), never on the UI thread.
            self._left = True
            self.app.run_worker(self._abandon, name="abandon-call", thread=True, exit_on_error=False)
            self.app.pop_screen()

    def _abandon(self) -> None:
        session = self.session
        if session is None or session.phase == "closed":
            return
        # The session may be busy in a worker for a moment; the abandon waits for it briefly.
        if self._lock.acquire(timeout=5):
            try:
                session.abandon()
            finally:
                self._lock.release()

    def on_unmount(self) -> None:
        """Closing the app in the middle of a call: the session is marked abandoned."""
        if self._listening is not None:
            self._listening.set()
        if not self._finishing and not self._left:
            self._abandon()
