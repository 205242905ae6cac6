"""Insights over weeks, computed from the journal alone: what keeps coming back."""
