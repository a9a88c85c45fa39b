"""`foerderflow up`: clean Ctrl-C without tracebacks, and a second start reuses the state."""

import json

import pytest
from stack_support import start_stack, stop_stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]  # two stack starts: make test-all


def test_ctrl_c_is_clean_and_restart_reuses_state(tmp_path) -> None:
    var = tmp_path / "var"
    first = start_stack(var)
    state = json.loads((var / "stack.json").read_text())
    assert state["ui"].startswith("http://127.0.0.1:")
    assert "Datenbank: neu angelegt" in first.text()
    assert stop_stack(first) == 0
    output = first.text()
    assert "Traceback" not in output
    assert "foerderflow ist beendet." in output
    assert not (var / "stack.json").exists()
    for log in (var / "logs").glob("*.log"):
        assert "Traceback" not in log.read_text(errors="replace"), log.name

    second = start_stack(var)
    try:
        assert "Datenbank: vorhanden" in second.text()
    finally:
        assert stop_stack(second) == 0
