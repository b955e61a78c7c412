"""Placeholder: the consultation report (sprawozdanie) is being written."""


def register_report() -> None:
    pass
