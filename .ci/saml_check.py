"""Check scimkit's SAML output with a real SAML stack.

Usage: python saml_check.py DIR

DIR holds what `cargo run --example saml_session_tags -- write DIR` wrote:
statement.xml (a standalone saml:AttributeStatement), fragment.xml (the same statement with
the saml: prefix left for an enclosing assertion to bind) and expected.json ([{name, values}]).

1. Both documents are validated, offline, against the OASIS SAML 2.0 assertion schema that
   the PyPI package pysaml2 ships (saml2/data/schemas), with xmlschema; the fragment inside a
   minimal saml:Assertion, which pysaml2's own schema validator checks too.
2. pysaml2 parses both and its attributes must equal expected.json: names, NameFormat, values.
"""

import json
import sys
from importlib.resources import files
from pathlib import Path

import xmlschema
from saml2 import saml
from saml2.xml.schema import validate as pysaml2_validate

NAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"


def assertion_schema():
    schemas = files("saml2.data.schemas")
    source = str(schemas.joinpath("saml-schema-assertion-2.0.xsd"))
    locations = {
        "http://www.w3.org/XML/1998/namespace": str(schemas.joinpath("xml.xsd")),
        "http://www.w3.org/2000/09/xmldsig#": str(schemas.joinpath("xmldsig-core-schema.xsd")),
        "http://www.w3.org/2001/04/xmlenc#": str(schemas.joinpath("xenc-schema.xsd")),
        ASSERTION_NS: source,
    }
    # "sandbox": only files under the schema directory may be read; never the network.
    return xmlschema.XMLSchema(
        source, locations=locations, base_url=source, allow="sandbox"
    )


def wrap(fragment):
    return (
        f'<saml:Assertion xmlns:saml="{ASSERTION_NS}" ID="_scimkit-ci" Version="2.0" '
        'IssueInstant="2025-01-01T00:00:00Z">'
        "<saml:Issuer>https://idp.example.com/saml</saml:Issuer>"
        f"{fragment}</saml:Assertion>"
    )


def attributes(statement):
    out = []
    for a in statement.attribute:
        if a.name_format != NAME_FORMAT_URI:
            raise AssertionError(f"{a.name}: NameFormat {a.name_format!r}")
        out.append({"name": a.name, "values": [v.text or "" for v in a.attribute_value]})
    return out


def compare(what, got, expected):
    if got == expected:
        return True
    print(f"FAIL {what}: pysaml2 read attributes that differ from the input", file=sys.stderr)
    for g, e in zip(got, expected):
        if g != e:
            print(f"  got      {g!r}\n  expected {e!r}", file=sys.stderr)
    if len(got) != len(expected):
        print(f"  {len(got)} attributes, expected {len(expected)}", file=sys.stderr)
    return False


def main(directory):
    d = Path(directory)
    statement_xml = (d / "statement.xml").read_text(encoding="utf-8")
    assertion_xml = wrap((d / "fragment.xml").read_text(encoding="utf-8"))
    expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
    schema = assertion_schema()
    results = []

    def check(name, fn):
        try:
            ok = fn()
        except Exception as e:  # report every failure, keep going
            print(f"FAIL {name}: {type(e).__name__}: {e}", file=sys.stderr)
            ok = False
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}")

    def valid(xml):
        schema.validate(xml)
        return True

    def pysaml2_valid(xml):
        pysaml2_validate(xml)
        return True

    check("statement.xml is valid against saml-schema-assertion-2.0.xsd", lambda: valid(statement_xml))
    check("fragment.xml in an Assertion is valid against the same schema", lambda: valid(assertion_xml))
    check("fragment.xml in an Assertion passes pysaml2's schema validator", lambda: pysaml2_valid(assertion_xml))
    check(
        "pysaml2 reads statement.xml back equal",
        lambda: compare("statement", attributes(saml.attribute_statement_from_string(statement_xml)), expected),
    )
    check(
        "pysaml2 reads the Assertion back equal",
        lambda: compare(
            "assertion", attributes(saml.assertion_from_string(assertion_xml).attribute_statement[0]), expected
        ),
    )
    failed = results.count(False)
    print(f"saml_check: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
