"""One learned text model for every part that must understand a sentence (safety and coach)."""
