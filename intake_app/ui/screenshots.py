"""``intake-app --screenshots DIR``: every main screen, offscreen, in English and Arabic, as PNG."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from intake_app.core.clock import SystemClock
from intake_app.core.i18n import SHIPPED_LANGUAGES
from intake_app.core.session import VaultOptions
from intake_app.ui.intake_tab import IntakeTab
from intake_app.ui.liaison_tab import LiaisonTab
from intake_app.ui.main import application
from intake_app.ui.tasks import ImmediateRunner

SIZE = (1100, 720)


def _grab(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()  # one paint pass for a still image; never used as a wait loop
    widget.grab().save(str(path))


def render(out: Path, languages: tuple[str, ...] = ("en", "ar")) -> list[Path]:
    from intake_app.app import DEMO_PASSPHRASE, DEMO_USER, ensure_demo_vault
    from intake_app.ui.shell import ShellWindow

    application()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="intake-screens-") as work:
        vault_dir = Path(work) / "vault"
        options = VaultOptions()
        ensure_demo_vault(vault_dir, options)
        for language in languages:
            assert language in SHIPPED_LANGUAGES
            fresh = ShellWindow(
                Path(work) / f"new-{language}", options, SystemClock(), ImmediateRunner()
            )
            fresh.resize(*SIZE)
            fresh.set_language(language)
            fresh.show()
            written.append(out / f"{language}-first-run.png")
            _grab(fresh, written[-1])
            fresh.close()
            window = ShellWindow(vault_dir, options, SystemClock(), ImmediateRunner())
            window.resize(*SIZE)
            window.set_language(language)
            window.show()
            page = window.unlock_page
            page.user.setCurrentText(DEMO_USER)
            written.append(out / f"{language}-unlock.png")
            _grab(window, written[-1])
            page.passphrase.setText(DEMO_PASSPHRASE)
            page.unlock()
            written.append(out / f"{language}-cases.png")
            _grab(window, written[-1])
            assert window.services is not None
            reference = (
                next(
                    c.reference
                    for c in window.services.cases.list(limit=50)
                    if any(
                        s.current.language == language
                        for s in window.services.statements.for_case(c.reference)
                    )
                )
                if language != "en"
                else window.services.cases.list(limit=1)[0].reference
            )
            window.open_case(reference)
            assert window.case_view is not None
            view = window.case_view
            for name in (
                "overview",
                "testimony",
                "intake",
                "interview",
                "consent",
                "referrals",
                "liaison",
                "attachments",
                "exports",
                "activity",
            ):
                tab = getattr(view, name, None) or next(
                    (
                        view.tabs.widget(i)
                        for i in range(view.tabs.count())
                        if type(view.tabs.widget(i)).__name__.lower().startswith(name)
                    ),
                    None,
                )
                if tab is None:
                    continue
                if isinstance(tab, IntakeTab) and tab.view is None:
                    tab.start_form("incident")
                view.tabs.setCurrentWidget(tab)
                written.append(out / f"{language}-{name}.png")
                _grab(window, written[-1])
            if isinstance(view.liaison, LiaisonTab) and window.services is not None:
                plan = window.services.liaison.contact_plan(reference)
                if plan is not None and plan.safe_channels:
                    draft = view.liaison._draft_dialog(plan.safe_channels, plan.preferred_language)
                    written.append(out / f"{language}-update-draft.png")
                    _grab(draft, written[-1])
                    draft.close()
            if view.exports is not None:
                dialog = view.exports.new_export()
                dialog.protection.setCurrentIndex(1)  # demo recipients have no certificate
                written.append(out / f"{language}-export-dialog.png")
                _grab(dialog, written[-1])
                dialog.close()
            window.show_follow_up()
            written.append(out / f"{language}-follow-up.png")
            _grab(window, written[-1])
            window.lock()
            written.append(out / f"{language}-locked.png")
            _grab(window, written[-1])
            window.close()
        window.set_language("en")
    return written
