"""Safety: the check every answer passes (check.py, with the rules of dialogs/safety.yaml
compiled by rules.py), what is said when it fires (support.py, respond.py)."""
