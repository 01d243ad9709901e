#!/usr/bin/env python3
"""Writes docs/snapshot-tables.md, the reference of every snapshot table, from the
`snapshot_tables` of a snapshot (the collectors' own declarations: columns, types,
meanings and the API calls that fill them).

Usage: gen_tables_doc.py SNAPSHOT OUT.md     (SNAPSHOT: e.g. build/demo-account.db)
       gen_tables_doc.py SNAPSHOT OUT.md --check   (exit 1 when OUT.md differs)
"""
import json
import sqlite3
import sys


def render(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT table_name, column_name, column_type, description, calls, is_key "
        "FROM snapshot_tables ORDER BY table_name, rowid").fetchall()
    tables = {}
    for table, column, ctype, description, calls, is_key in rows:
        tables.setdefault(table, []).append((column, ctype, description or "",
                                             json.loads(calls or "[]"), is_key))
    out = ["# What a snapshot holds",
           "",
           "Every table `bulwark collect` writes, as its collector declares it (the same list is in",
           "every snapshot: `bulwark query SNAPSHOT \"SELECT * FROM snapshot_tables\"`). Each row has",
           "`account_id`, `region` (`global` for global services) and `raw` (the resource as the",
           "API returned it). \"Listed by\" are the calls whose failure makes the table's rows",
           "unknown; a column filled by another call names it. Written by",
           "`python3 scripts/gen_tables_doc.py build/demo-account.db docs/snapshot-tables.md`.",
           "",
           f"{len(tables)} tables.",
           ""]
    for table, columns in tables.items():
        listing = next((c[3] for c in columns if c[0] == "region"), [])
        key = next((c[0] for c in columns if c[4]), None)
        out.append(f"## {table}")
        out.append("")
        out.append("Listed by " + ", ".join(f"`{c}`" for c in listing) +
                   (f"; one row per `{key}`." if key else "."))
        out.append("")
        out.append("| column | type | meaning | filled by |")
        out.append("|---|---|---|---|")
        for column, ctype, description, calls, _ in columns:
            if column in ("account_id", "region", "raw"):
                continue
            extra = [c for c in calls if c not in listing]
            desc = description.replace("|", "\\|")
            out.append(f"| `{column}` | {ctype} | {desc} | {', '.join(f'`{c}`' for c in extra)} |")
        out.append("")
    return "\n".join(out)


def main():
    text = render(sys.argv[1])
    if "--check" in sys.argv[3:]:
        with open(sys.argv[2]) as f:
            if f.read() != text:
                sys.exit(f"{sys.argv[2]} is out of date: run python3 scripts/gen_tables_doc.py "
                         f"{sys.argv[1]} {sys.argv[2]}")
        return
    with open(sys.argv[2], "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
