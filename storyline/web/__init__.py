"""The web app and HTTP API over the store: `app.create_app` and `app.serve`."""

__all__: list[str] = []
