"""Bar charts drawn on the server as inline SVG: no script, no library, prints well."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
ROW = 36
BAR = 14
LABEL_CHARS = 48


def bar_chart(bars, *, title: str) -> SafeString:
    """Horizontal bars, one per (label, count, percent), each labelled above it.

    Labels go above the bars rather than beside them, so that long answers
    fit a 360-px phone. Colours are attributes, not styles (CSP).
    """
    bars = list(bars)
    top = max((bar.count for bar in bars), default=0) or 1
    height = ROW * len(bars) + 4
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = ROW * i
        label = str(bar.shown)
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1] + "…"
        length = round((WIDTH - 84) * bar.count / top, 1)
        parts.append(
            f'<text x="0" y="{y + 12}" font-size="11" fill="#1a1a1a">'
            f"{escape(label)}</text>"
            f'<rect x="0" y="{y + 16}" width="{max(length, 1)}" height="{BAR}" '
            f'fill="#0b5cad"/>'
            f'<text x="{length + 6}" y="{y + 27}" font-size="11" fill="#1a1a1a">'
            f"{bar.count} ({bar.percent:g}%)</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped
