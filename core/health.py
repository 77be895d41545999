"""Is this process able to serve? The database answers a query and the broker takes a
connection. Used by /healthz (core.middleware.HealthCheckMiddleware) and the container
healthchecks; the answer names the failing part and never the error text."""

import logging

from django.db import connections

logger = logging.getLogger(__name__)

# Seconds the broker gets to answer: a healthcheck that hangs is a failed healthcheck.
BROKER_TIMEOUT = 3


def health_database() -> bool:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health check: the database is unreachable", exc_info=True)
        # The next request must not reuse a half-open connection.
        connection.close_if_unusable_or_obsolete()
        return False


def health_broker() -> bool:
    from celery import current_app as app  # the project's (config.celery), not imported up

    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
            # Redis: the channel pings the server when it opens.
            broker.default_channel  # noqa: B018
        return True
    except Exception:
        logger.warning("Health check: the broker is unreachable", exc_info=True)
        return False


def health_check() -> dict[str, bool]:
    return {"database": health_database(), "broker": health_broker()}
