"""Guided breathing and the pause rule: patterns as data, exact timing plans, the break timer."""
