"""Bad input, shared by the security suite: what an attacker, a broken client or a careless
paste sends. Each payload says which kinds of form field it is aimed at, so the sweep stays
a few minutes long: every text-like field gets every payload; choice fields, checkboxes and
file-less hidden fields get the ones that can break a parser (see SECURITY.md)."""

from dataclasses import dataclass

TEXT = frozenset({"text", "textarea", "email", "url", "search", "tel", "password"})
NUMBER = frozenset({"number"})
DATE = frozenset({"date", "datetime-local", "time"})
CHOICE = frozenset({"select", "radio", "checkbox"})
HIDDEN = frozenset({"hidden"})
EVERY = TEXT | NUMBER | DATE | CHOICE | HIDDEN


@dataclass(frozen=True)
class Payload:
    name: str
    value: str
    kinds: frozenset[str] = EVERY
    # Aimed at running script, or at breaking the pages that show it: the sweep looks at
    # every page that shows the saved value (the others only at the answer and redirect).
    deep: bool = False


SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"

PAYLOADS = [
    Payload("script", SCRIPT, deep=True),
    Payload("img-onerror", IMG, deep=True),
    Payload("js-url", JS_URL, deep=True),
    Payload(
        "markdown-link",
        "[click me](javascript:alert(1)) <a href='javascript:x'>x</a> ![i](x\" onerror=\"alert(1))",
        TEXT,
        deep=True,
    ),
    Payload("sql", "'; DROP TABLE core_user; -- \" OR 1=1 --", EVERY),
    Payload("long", "A" * 100_000, TEXT | HIDDEN, deep=True),
    Payload("control", "tab\there\r\nnul\x00bell\x07esc\x1b[31m del\x7f", EVERY, deep=True),
    Payload(
        "rtl-emoji",
        "\u202egnp.exe \u200f \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd "
        "\U0001f469\U0001f3fd\u200d\U0001f52c\U0001f9ea \U0001f4a9",
        TEXT | CHOICE | HIDDEN,
    ),
    Payload("huge-number", "99999999999999999999999999999999", EVERY),
    Payload("negative-float", "-1e308", NUMBER | DATE | CHOICE | HIDDEN),
    Payload("bad-date", "2026-02-30T25:61", DATE | TEXT),
    Payload("year-zero", "0000-00-00", DATE),
    Payload("bad-email", "a@b@c..d <x@y>", TEXT),
    Payload("header-injection", "x@example.org\r\nBcc: victim@example.org", TEXT),
]
