"""The conformance kit's pytest plugin (entry point `pytest11`); inert unless asked for.

A backend author checks a plugin against the numpy reference with either of

    UNIKERAS_BACKEND=mybackend pytest --unikeras-conformance
    UNIKERAS_BACKEND=mybackend pytest --pyargs unikeras.testing.conformance

The first adds the kit's test module (`unikeras.testing.conformance`) to whatever else pytest
collects; the second runs only the kit. Either way the session ends with a summary: ops the
backend implements out of the contract, and conformance cases passed. Without them this plugin
only registers its option and marker, and imports nothing from unikeras.
"""

import os

MARKER = "unikeras_conformance"
OPTION = "--unikeras-conformance"
# A top-level module, outside the `unikeras` package, so that loading the plugin (which pytest
# does in every session where unikeras is installed) never imports unikeras or an engine.
KIT_PATH = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "unikeras", "testing", "conformance.py"
)


def pytest_addoption(parser):
    parser.getgroup("unikeras").addoption(
        OPTION,
        action="store_true",
        help="run the unikeras conformance kit: every op case on the selected backend "
        "(UNIKERAS_BACKEND) compared with the numpy reference backend",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", f"{MARKER}: a case of the unikeras conformance kit")
    if config.getoption("unikeras_conformance") and KIT_PATH not in config.args:
        config.args.append(KIT_PATH)
    config.pluginmanager.register(_Summary(), "unikeras-conformance-summary")


class _Summary:
    """Tallies conformance case outcomes and prints the coverage report at the end."""

    def __init__(self):
        self.outcomes = {"passed": 0, "failed": 0, "skipped": 0}

    def pytest_runtest_logreport(self, report):
        if MARKER not in report.keywords:
            return
        # A case's outcome is its call phase, or the setup phase when setup did not pass.
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes[report.outcome] += 1

    def pytest_terminal_summary(self, terminalreporter):
        if not any(self.outcomes.values()):
            return
        from unikeras.info import coverage

        report = coverage()
        write = terminalreporter.write_line
        terminalreporter.section(f"unikeras conformance: backend {report['backend']!r}")
        implemented = len(report["implemented"])
        write(f"ops implemented: {implemented} / {report['contract']} in the contract")
        if report["missing"]:
            write(f"not implemented: {', '.join(report['missing'])}")
        o = self.outcomes
        write(f"cases: {o['passed']} passed, {o['failed']} failed, {o['skipped']} skipped")
