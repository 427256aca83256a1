"""Read the forms of a page the way a browser submits them.

A test that posts what it thinks the page holds proves little: a browser drops
a date it can't read, sends nothing for an unchecked box and the first option of
a select with nothing selected. ``post_forms(html)`` gives, for every
``<form method="post">``, the action, the controls (their input types, for a
test that changes one) and the data a person clicking its submit button sends.

The rules are the HTML standard's "constructing the entry list" and the value
sanitization of each input type, for the controls the portal uses.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DATE = re.compile(r"\d{4,}-\d{2}-\d{2}")
DATETIME_LOCAL = re.compile(r"\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?")
TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?")
MONTH = re.compile(r"\d{4,}-\d{2}")
NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")
# Types whose value a browser throws away when it isn't in the type's format.
SANITIZED = {
    "date": DATE,
    "datetime-local": DATETIME_LOCAL,
    "time": TIME,
    "month": MONTH,
    "number": NUMBER,
    "range": NUMBER,
}
# Types whose value has its line breaks removed (and, for e-mail and URL, the
# spaces around it).
ONE_LINE = {"text", "search", "tel", "password", "email", "url"}
BUTTONS = {"submit", "image", "reset", "button"}
CHECKABLE = {"checkbox", "radio"}


@dataclass
class Control:
    """One named control of a form, as rendered."""

    tag: str  # input, select, textarea, button
    type: str  # the input's type, "select", "select-multiple", "textarea", …
    name: str
    value: str = ""
    checked: bool = False
    disabled: bool = False
    required: bool = False
    options: list[tuple[str, bool, bool]] = field(default_factory=list)
    # (value, selected, disabled) for a select
    attrs: dict = field(default_factory=dict)

    def entries(self) -> list[tuple[str, str]]:
        """What the control adds to the submission (buttons aside)."""
        if self.disabled or not self.name:
            return []
        if self.type in CHECKABLE:
            return [(self.name, self.value or "on")] if self.checked else []
        if self.type == "file":
            return []
        if self.type == "select-multiple":
            return [(self.name, v) for v, sel, off in self.options if sel and not off]
        if self.type == "select":
            chosen = self.selected_option()
            return [] if chosen is None else [(self.name, chosen)]
        if self.type == "textarea":
            return [(self.name, self.value)]
        return [(self.name, sanitized(self.type, self.value))]

    def selected_option(self) -> str | None:
        selected = [(v, off) for v, sel, off in self.options if sel]
        if selected:
            # The last option marked selected wins; a disabled one isn't sent.
            value, off = selected[-1]
            return None if off else value
        if self.attrs.get("size") not in (None, "", "1"):
            return None
        enabled = [v for v, _sel, off in self.options if not off]
        return enabled[0] if enabled else None


def sanitized(input_type: str, value: str) -> str:
    if input_type in ONE_LINE:
        value = value.replace("\r", "").replace("\n", "")
        if input_type in ("email", "url"):
            value = value.strip(" \t\f")
    pattern = SANITIZED.get(input_type)
    if pattern is not None and not pattern.fullmatch(value):
        return ""
    return value


@dataclass
class Form:
    action: str
    attrs: dict
    controls: list[Control] = field(default_factory=list)
    buttons: list[Control] = field(default_factory=list)

    @property
    def submit_buttons(self) -> list[Control]:
        return [b for b in self.buttons if b.type in ("submit", "image")]

    def data(self, button: Control | None = None) -> list[tuple[str, str]]:
        """The entries a browser sends when `button` (default: the first submit
        button) is clicked; line breaks become CRLF, as a browser sends them."""
        if button is None and self.submit_buttons:
            button = self.submit_buttons[0]
        entries = []
        for control in self.controls:
            entries += control.entries()
        if button is not None and button.name and not button.disabled:
            entries.append((button.name, button.value))
        return [(name, _crlf(value)) for name, value in entries]

    def action_of(self, button: Control | None = None) -> str:
        if button is None and self.submit_buttons:
            button = self.submit_buttons[0]
        if button is not None and button.attrs.get("formaction") is not None:
            return button.attrs["formaction"]
        return self.action

    def control(self, name: str) -> Control:
        matches = [c for c in self.controls if c.name == name]
        if not matches:
            raise KeyError(name)
        return matches[0]

    def named(self) -> dict[str, list[Control]]:
        """Controls by name: a radio group or a set of checkboxes is one name."""
        result: dict[str, list[Control]] = {}
        for control in self.controls:
            if control.name:
                result.setdefault(control.name, []).append(control)
        return result


def _crlf(value: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", value)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Control | None = None
        self.option: dict | None = None
        self.textarea: Control | None = None
        self.button: Control | None = None
        self.text: list[str] = []
        # Depths of the open fieldsets and whether each is disabled.
        self.fieldsets: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: ("" if value is None else value) for name, value in attrs}
        if tag == "form":
            self.form = Form(action=attrs.get("action", ""), attrs=attrs)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        disabled = "disabled" in attrs or any(self.fieldsets)
        if tag == "fieldset":
            self.fieldsets.append("disabled" in attrs)
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            control = Control(
                tag="input",
                type=kind,
                name=attrs.get("name", ""),
                value=attrs.get("value", ""),
                checked="checked" in attrs,
                disabled=disabled,
                required="required" in attrs,
                attrs=attrs,
            )
            if kind in BUTTONS:
                self.form.buttons.append(control)
            else:
                self.form.controls.append(control)
        elif tag == "select":
            self.select = Control(
                tag="select",
                type="select-multiple" if "multiple" in attrs else "select",
                name=attrs.get("name", ""),
                disabled=disabled,
                required="required" in attrs,
                attrs=attrs,
            )
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self._end_option()
            self.option = {"attrs": attrs, "text": []}
        elif tag == "textarea":
            self.textarea = Control(
                tag="textarea",
                type="textarea",
                name=attrs.get("name", ""),
                disabled=disabled,
                required="required" in attrs,
                attrs=attrs,
            )
            self.text = []
            self.form.controls.append(self.textarea)
        elif tag == "button":
            self.button = Control(
                tag="button",
                type=attrs.get("type", "submit").lower(),
                name=attrs.get("name", ""),
                value=attrs.get("value", ""),
                disabled=disabled,
                attrs=attrs,
            )
            self.form.buttons.append(self.button)

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)
        elif self.option is not None:
            self.option["text"].append(data)

    def _end_option(self):
        if self.option is None:
            return
        attrs = self.option["attrs"]
        text = " ".join("".join(self.option["text"]).split())
        self.select.options.append(
            (attrs.get("value", text), "selected" in attrs, "disabled" in attrs)
        )
        self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
            self.fieldsets = []
        elif tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            value = "".join(self.text)
            # The parser drops one line break right after <textarea>.
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            self.textarea.value = value
            self.textarea = None
        elif tag == "button":
            self.button = None


def forms(html: str) -> list[Form]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.forms


def post_forms(html: str) -> list[Form]:
    return [f for f in forms(html) if f.attrs.get("method", "get").lower() == "post"]
