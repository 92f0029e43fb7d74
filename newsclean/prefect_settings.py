"""Prefect's settings for newsclean, in one place: quiet and fast for a local run, set in the
environment before Prefect is imported. Anything the user exported wins (`setdefault`)."""
from __future__ import annotations

import os
from collections.abc import MutableMapping

# No phoning home, wherever a Prefect process runs (client, temporary API, a served deployment's server).
PRIVATE = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}
# A local run with no server configured: nothing is recorded that nobody will look at (task runs,
# events, logs to the API), and the temporary API may take a while on a fresh PREFECT_HOME.
QUIET_RUN = PRIVATE | {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}
# A served deployment: a real server records task runs and events, which is what its UI shows.
SERVED = {k: v for k, v in QUIET_RUN.items() if not k.startswith("PREFECT_SERVER_SERVICES")}


def apply(settings: dict[str, str], env: MutableMapping[str, str] | None = None) -> None:
    """Set each setting unless the environment already has it."""
    env = os.environ if env is None else env
    for key, value in settings.items():
        env.setdefault(key, value)
