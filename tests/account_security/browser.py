"""Submit a page's form as a browser would (tests/browser_forms.py reads it)."""

from tests.browser_forms import post_forms


def page_path(response) -> str:
    return response.request["PATH_INFO"]


def submit(client, response, values: dict, *, having: str = "", action: str = ""):
    """Fill the page's post form that has the control ``having`` (or goes to
    ``action``) and send it.

    Every name in ``values`` must be a control of that form: a test cannot fill
    in a field the page does not show. A list is every value of the name (the
    boxes ticked, the options chosen).
    """
    assert response.status_code in (200, 429), response.status_code
    html = response.content.decode()
    form = next(
        f
        for f in post_forms(html)
        if (having and having in f.named()) or (action and f.action == action)
    )
    missing = set(values) - set(form.named())
    assert not missing, f"the form has no {sorted(missing)}"
    data: dict[str, list[str]] = {}
    for name, value in form.data():
        data.setdefault(name, []).append(value)
    data.update(
        {
            name: value if isinstance(value, list) else [value]
            for name, value in values.items()
        }
    )
    return client.post(form.action_of() or page_path(response), data)
