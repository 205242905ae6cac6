"""reflect: an offline, private, voice-based reflection assistant."""

__version__ = "0.1.0"
