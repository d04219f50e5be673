"""Schemathesis checks of our own, loaded by run_schemathesis.sh through SCHEMATHESIS_HOOKS.

The document can only say an Open311 XML body is a string; these checks parse it, so that a character XML 1.0
forbids (U+FFFE, U+FFFF, C0 controls), written raw into a body, fails the run instead of every client's parser.
"""

from xml.etree import ElementTree

import schemathesis


@schemathesis.check
def xml_well_formed(ctx, response, case):
    """Every text/xml or application/xml body parses as XML 1.0 (expat refuses the characters XML forbids)."""
    content_type = ";".join(response.headers.get("content-type", [])).lower()
    if "xml" not in content_type or not response.content:
        return None
    try:
        ElementTree.fromstring(response.content)
    except ElementTree.ParseError as error:
        raise AssertionError(f"the XML body does not parse: {error}") from None
    return True
