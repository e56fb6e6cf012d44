"""The HTML widget every view uses: ipywidgets' own, whose value MathJax never typesets."""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from reviewbook.notebook.html import math_free


def _to_page(value: str, widget: widgets.Widget) -> str:
    return math_free(value)


class HtmlWidget(widgets.HTML):
    """``ipywidgets.HTML`` whose value reaches the page inside `math_free`: ipywidgets
    typesets an HTML widget's content each time it changes, and record text is not
    mathematics. In Python, ``value`` stays the markup it was given."""

    value = traitlets.Unicode(help="The markup shown.").tag(sync=True, to_json=_to_page)
