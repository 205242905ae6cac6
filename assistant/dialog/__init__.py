"""Dialog scripts (data in dialogs/), the transitions machine built from them, the session loop."""
