"""Emulated routers: asyncssh servers whose shells keep real configuration state."""
