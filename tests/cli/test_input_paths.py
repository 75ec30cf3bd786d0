"""Inputs must be regular files, directories (where a command takes them) or ``-``.

A FIFO would block the run forever whatever ``--timeout`` says, a device never ends, a
socket cannot be read: each is refused with exit 2 and one line saying what it is. A
symbolic link loop says so, not "no such file".
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from maildoctor.cli import main

DIAG = ["diagnose", "--from", "sender@example.com", "--skip", "dns", "--skip", "blocklist"]

#: command line with {} for the path -> whether a directory is acceptable there
COMMANDS: list[tuple[list[str], bool]] = [
    (["bounce", "{}"], True),
    (["headers", "{}"], False),
    (["logs", "{}"], False),
    ([*DIAG, "--bounce", "{}"], True),
    ([*DIAG, "--headers", "{}"], False),
    ([*DIAG, "--log", "{}"], False),
    (["smtp", "--smtp-transcript-replay", "{}"], False),
    (["dns", "example.com", "--dns-fixture", "{}"], False),
    (["smtp", "127.0.0.1", "--ca-file", "{}"], False),
]
IDS = [
    " ".join(c[0][:1] + [a for a in c[0][1:] if a.startswith("--") and a != "--from"])
    for c in COMMANDS
]


def run_bounded(argv: list[str], unblock: Path | None = None) -> int:
    """Run the CLI in a thread; a run still blocked after 10 s fails the test."""
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(main(argv)), daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive() and unblock is not None:
        os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked reader go
        thread.join(5)
        pytest.fail(f"{argv} blocked on {unblock}")
    assert result, f"{argv} did not finish"
    return result[0]


def _with(argv: list[str], path: Path | str) -> list[str]:
    return [str(path) if a == "{}" else a for a in argv]


@pytest.mark.parametrize(("argv", "dirs"), COMMANDS, ids=IDS)
def test_fifo_refused(tmp_path, capsys, argv, dirs):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert run_bounded(_with(argv, fifo), unblock=fifo) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "FIFO" in err, err


@pytest.mark.parametrize(("argv", "dirs"), COMMANDS, ids=IDS)
def test_device_socket_loop(tmp_path, capsys, argv, dirs):
    sock_path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    broken = tmp_path / "broken"
    broken.symlink_to(tmp_path / "nowhere")
    try:
        for path, word in (
            ("/dev/null", "character device"),
            (sock_path, "socket"),
            (loop, "symbolic link loop"),
            (broken, "broken symbolic link"),
            (tmp_path / "missing", "no such file"),
        ):
            assert run_bounded(_with(argv, path)) == 2, path
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and word in err, (path, err)
    finally:
        server.close()


@pytest.mark.parametrize(
    ("argv", "dirs"),
    [c for c in COMMANDS if not c[1]],
    ids=[i for i, c in zip(IDS, COMMANDS, strict=True) if not c[1]],
)
def test_directory_refused_where_a_file_is_due(tmp_path, capsys, argv, dirs):
    assert run_bounded(_with(argv, tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "directory" in err, err
