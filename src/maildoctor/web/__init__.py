"""``maildoctor serve``: the diagnosis as a local web page.

:func:`create_app` builds the ASGI app (Starlette) from :class:`ServeSettings`;
the CLI runs it on uvicorn. Needs the ``web`` extra (starlette, uvicorn,
python-multipart, jinja2).
"""

from .app import ServeSettings, create_app

__all__ = ["ServeSettings", "create_app"]
