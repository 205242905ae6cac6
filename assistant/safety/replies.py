"""What the safety flow asks after a concern, and how it reads the replies (the `choice`,
`choices`, `fine` and `still_unsafe` sections of dialogs/support.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.base.phrases import contains_phrase, whole_phrase


@dataclass(frozen=True)
class ChoiceTexts:
    """The offer of a choice, what is said around it, and the goodbyes after a concern."""

    offer: str
    choice: str  # the question in full, the first time: breathe, continue, pause or stop?
    choice_short: tuple[str, ...]  # its short forms, after that (in turn)
    choices: dict[str, str]  # normalized phrase -> choice
    continuing: str  # the person chose to go on with the questions
    unclear: tuple[str, ...]  # variants, said in turn
    quiet: tuple[str, ...]
    stopped: str
    closing: str

    def choice_of(self, text: str) -> str | None:
        """The choice when the whole reply is one of its phrases."""
        phrase = whole_phrase(self.choices, text)
        return self.choices[phrase] if phrase is not None else None


@dataclass(frozen=True)
class Replies:
    """Replies that say "I'm fine" (checked once more) or that the person may still not be
    safe (answered with where help is)."""

    fine_phrases: tuple[str, ...]  # "I'm fine"
    taken_back: tuple[str, ...]  # "you misunderstood", "I was joking"
    fine_check: str
    taken_back_check: str
    ask_safe: str  # "Are you safe right now?"
    safe_thanks: str  # a yes to it, right after a disclosure
    safe_replies: tuple[str, ...]  # whole replies to `ask_safe` that say yes
    fine_accepted: str
    unsafe_phrases: tuple[str, ...]  # anywhere in a reply: may still not be safe
    unsafe_replies: tuple[str, ...]  # as the whole reply ("no")
    still_unsafe: tuple[str, ...]  # variants, said in turn

    def fine_kind(self, text: str) -> str | None:
        """The kind of "I am fine": taken_back ("you misunderstood"), fine, or None."""
        if contains_phrase(self.taken_back, text):
            return "taken_back"
        return "fine" if contains_phrase(self.fine_phrases, text) else None

    def says_safe(self, text: str) -> bool:
        """A whole reply to "Are you safe right now?" that says yes."""
        return whole_phrase(self.safe_replies, text) is not None

    def says_unsafe(self, text: str) -> bool:
        """A reply saying the person may still not be safe ("not ok", "no", "pills")."""
        unsafe = whole_phrase(self.unsafe_replies, text) is not None
        return unsafe or self.mentions_unsafe(text)

    def mentions_unsafe(self, text: str) -> bool:
        """A phrase anywhere in the reply saying the person may not be safe ("scared", "help"):
        not the whole replies such as "no", which answer a question."""
        return contains_phrase(self.unsafe_phrases, text)
