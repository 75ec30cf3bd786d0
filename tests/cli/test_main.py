"""The CLI frame: usage errors exit 2 with one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys

from maildoctor.cli import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "maildoctor" in capsys.readouterr().out


def test_unknown_command_is_usage_error(capsys):
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert "No such command" in err and "Traceback" not in err


def test_bad_nameserver_is_usage_error(capsys):
    assert main(["demo", "--scenario", "nope"]) == 2
    assert "unknown scenario" in capsys.readouterr().err


def test_demo_list(capsys):
    assert main(["demo", "--list"]) == 0
    out = capsys.readouterr().out
    assert "incident" in out and "healthy" in out


def test_console_script_runs_in_subprocess(subprocess_env):
    done = subprocess.run(
        [sys.executable, "-m", "maildoctor", "--help"],
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "Find out why email is not being delivered" in done.stdout


def test_every_registered_command_loads_under_its_name():
    import click

    from maildoctor.cli import COMMANDS, cli

    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name


def test_help_lists_commands_without_importing_them(subprocess_env):
    code = (
        "import sys; from maildoctor.cli import main; main(['--help']); "
        "print('boto3' in sys.modules, 'maildoctor.cli.ses_cmd' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, timeout=60
    )
    assert "ses-smtp-password" in done.stdout
    assert done.stdout.strip().endswith("False False")


def test_a_bug_in_a_check_is_an_internal_error_without_traceback(subprocess_env, dns_server):
    dns_server.load({"example.com": [{"TXT": "v=spf1 -all"}]})
    code = (
        "import sys, maildoctor.dns.spf as spf\n"
        "async def boom(*a, **k): raise RuntimeError('injected')\n"
        "spf.check_spf = boom\n"
        "from maildoctor.cli import main\n"
        f"sys.exit(main(['dns', 'example.com', '--nameserver', '{dns_server.address}',"
        " '--timeout', '1']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 3  # never 0: a bug is an internal error, not a skipped check
    assert "internal error: RuntimeError: injected" in done.stderr
