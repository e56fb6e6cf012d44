"""What a notebook shows: HTML cards, charts, highlighted text and the ipywidgets.

The only layer that builds HTML or imports ipywidgets.
"""
