"""This repository as an application: its folders, manifest, notebooks and `reviewbook add`.

The only layer that knows where the checkout is and that runs notebooks.
"""
