"""The offline web site and JSON API: `create_app(store_path)` and `serve(store_path)`."""

from kakehashi.web.app import create_app, serve

__all__ = ["create_app", "serve"]
