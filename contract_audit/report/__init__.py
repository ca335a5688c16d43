"""HTML and JSON reports for analysed documents (see docs/report.md and docs/json-schema.md).

Everything here takes :class:`contract_audit.results.DocumentResult` objects and writes files
atomically. jinja2 is imported only when a page is rendered.
"""

from contract_audit.report.atomic import atomic_write_text
from contract_audit.report.html import render_document_html, write_document_html
from contract_audit.report.index import render_index_html, write_index_html
from contract_audit.report.json import json_text, to_json, write_json
from contract_audit.report.names import output_names

__all__ = [
    "atomic_write_text",
    "json_text",
    "output_names",
    "render_document_html",
    "render_index_html",
    "to_json",
    "write_document_html",
    "write_index_html",
    "write_json",
]
