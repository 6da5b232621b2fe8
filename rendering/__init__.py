"""Court reports rendered for people: one Jinja2 template per report kind to the judge's
HTML page and, through WeasyPrint, to the PDF/A-2u filed with the court, in the fonts
shipped here (`fonts/`). `domain.report_page` decides what a report says; this package
only lays it out. Rendering is deterministic: one report, the same bytes, on any machine.
"""
