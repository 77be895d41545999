"""Finding the forms of a rendered page, and looking for script that would run in HTML.

The sweep in test_bad_input.py does not keep its own list of form fields: it renders each
page as a person who may use it and reads the <form> elements the way a browser would.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

SKIP_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}
NOT_ATTACKED = {"csrfmiddlewaretoken"}


@dataclass
class Field:
    name: str
    kind: str  # the input type, "select", "radio", "checkbox" or "textarea"


@dataclass
class Form:
    method: str
    targets: list[tuple[str, dict]]  # (path, extra data from the button that sends there)
    fields: list[Field]
    baseline: dict[str, list[str]] = field(default_factory=dict)

    def attackable(self) -> list[Field]:
        return [f for f in self.fields if f.name not in NOT_ATTACKED]


def representative(fields: list[Field]) -> list[Field]:
    """One field per shape: the matrix row's ``note_1`` … ``note_40`` or a formset's
    ``form-0-status`` … are the same field many times over; the first stands for all."""
    seen, out = set(), []
    for item in fields:
        shape = (re.sub(r"\d+", "#", item.name), item.kind)
        if shape not in seen:
            seen.add(shape)
            out.append(item)
    return out


def _option_value(option) -> str:
    value = option.get("value")
    return option.get_text() if value is None else value


def forms_on(html: bytes | str, page_path: str) -> list[Form]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all("form"):
        method = (element.get("method") or "get").lower()
        action = element.get("action") or page_path
        targets = [(action, {})]
        hx_post = element.get("data-hx-post") or element.get("hx-post")
        if hx_post and hx_post != action:
            targets.append((hx_post, {}))
        for button in element.find_all(["button", "input"]):
            if button.get("formaction"):
                extra = {button["name"]: button.get("value", "")} if button.get("name") else {}
                targets.append((button["formaction"], extra))
        form = Form(method=method, targets=targets, fields=[])
        seen = set()
        for control in element.find_all(["input", "select", "textarea"]):
            name = control.get("name")
            if not name or control.has_attr("disabled"):
                continue
            if control.name == "select":
                kind = "select"
                options = control.find_all("option")
                chosen = [o for o in options if o.has_attr("selected")] or options[:1]
                values = [_option_value(o) for o in chosen]
            elif control.name == "textarea":
                kind, values = "textarea", [control.get_text()]
            else:
                kind = (control.get("type") or "text").lower()
                if kind in SKIP_INPUT_TYPES:
                    continue
                if kind in {"checkbox", "radio"}:
                    values = [control.get("value", "on")] if control.has_attr("checked") else []
                else:
                    values = [control.get("value", "")]
            form.baseline.setdefault(name, []).extend(values)
            if name not in seen:
                seen.add(name)
                form.fields.append(Field(name=name, kind=kind))
        found.append(form)
    return found


# Every script-carrying payload in corpus.py contains one of these; a page without any of
# them is not parsed (the portal's own markup has no script to find, see test_headers.py).
SCRIPT_MARKERS = ("alert(1)", "javascript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def running_scripts(html: bytes | str) -> list[str]:
    """What in this HTML would run script: inline <script>, event-handler attributes,
    script URLs, and elements that load or redirect code. The portal's own pages have none
    of these (test_headers.py scans every template), so anything found came from input."""
    text = html.decode(errors="replace") if isinstance(html, bytes) else html
    if not any(marker in text.lower() for marker in SCRIPT_MARKERS):
        return []
    soup = BeautifulSoup(text, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name == "script":
            kind = (tag.get("type") or "").lower()
            src = tag.get("src") or ""
            if kind in {"application/json", "application/ld+json"}:
                continue
            if not src.startswith("/static/"):
                found.append(str(tag)[:200])
            continue
        if tag.name in {"iframe", "object", "embed", "base", "frame", "meta"} and (
            tag.get("src") or tag.get("data") or tag.get("href") or tag.get("http-equiv")
        ):
            if tag.name == "meta" and (tag.get("http-equiv") or "").lower() != "refresh":
                continue
            found.append(str(tag)[:200])
        for attribute, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on"):
                found.append(f"<{tag.name} {attribute}=…> {text[:80]}")
            elif attribute.lower() in URL_ATTRIBUTES:
                cleaned = "".join(text.split()).lower()
                if cleaned.startswith(BAD_SCHEMES):
                    found.append(f"<{tag.name} {attribute}={text[:80]}>")
    return found


ERROR_MARKERS = (
    "is-invalid",
    "invalid-feedback",
    "errorlist",
    "alert-danger",
    'role="alert"',
    "text-danger",
)


def shows_an_error(body: str) -> bool:
    return any(marker in body for marker in ERROR_MARKERS)
