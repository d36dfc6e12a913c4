"""The gateway: the only public surface (pages, widget, chat, console, API)."""
