class ReportRenderError(Exception):
    """A report that cannot be rendered as it must be (a character the fonts lack, a
    resource outside the package): the reason, never a PDF that is not the report."""
