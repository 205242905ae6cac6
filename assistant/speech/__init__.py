"""Speech: the Vosk model, the listener with its endpointing, commands, and the voice."""
