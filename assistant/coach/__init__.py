"""Coaching on a rehearsed line: what was said (findings), how the partner would likely take it,
and short, warm feedback. Rules are data in dialogs/coaching.yaml; scripts in dialogs/rehearsals/.
"""
