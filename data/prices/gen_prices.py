#!/usr/bin/env python3
"""gen_prices.py - compile data/prices/REGION.csv into a C source (itype_prices.c).

Usage: gen_prices.py CATALOG_H OUTPUT.c DIR FILE.csv...

CATALOG_H is models/ec2/instance_type.h: its ITYPE_CATALOG entries are the
types every region must price. DIR is data/prices: the listed files must be
exactly the *.csv files there (so a file added without a line in
data/prices/meson.build fails the build instead of being ignored).
The format is described in data/prices/README.md. Any error names file:line
and exits 1; nothing is written then.

Python 3 standard library only: meson itself runs on Python 3, so wherever
the project can be configured, this script can run.
"""
import os
import re
import sys

# item key -> itype_services field (models/ec2/instance_type.h)
SERVICES = {
    "alb/hour": "alb_hour",
    "alb/lcu_hour": "alb_lcu_hour",
    "cloudwatch/alarm_month": "cw_alarm_month",
    "cloudwatch/metric_month": "cw_metric_month",
    "sns/publish_million": "sns_publish_million",
    "sns/http_million": "sns_http_million",
    "sns/email_100k": "sns_email_100k",
    "sns/sms": "sns_sms",
    "lambda/request_million": "lambda_request_million",
    "lambda/gb_second_x86_64": "lambda_gb_second_x86_64",
    "lambda/gb_second_arm64": "lambda_gb_second_arm64",
    "dynamodb/wru_million": "ddb_wru_million",
    "dynamodb/rru_million": "ddb_rru_million",
    "dynamodb/wcu_hour": "ddb_wcu_hour",
    "dynamodb/rcu_hour": "ddb_rcu_hour",
    "dynamodb/storage_gb_month": "ddb_storage_gb_month",
    "s3/storage_gb_month": "s3_storage_gb_month",
    "s3/put_thousand": "s3_put_thousand",
    "s3/get_thousand": "s3_get_thousand",
    "ebs/snapshot_gb_month": "ebs_snapshot_gb_month",
    "ebs/gp3_gb_month": "ebs_gp3_gb_month",
    "ebs/gp2_gb_month": "ebs_gp2_gb_month",
    "cloudwatch/alarm_high_res_month": "cw_alarm_high_res_month",
}
HEADER = "item,usd,status,note"
STATUSES = ("confirmed", "unverified")
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
USD_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\b")


class Error(Exception):
    pass


def read_catalog(path):
    """[(identifier, name)] from the ITYPE_CATALOG X(...) lines."""
    cat = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'\s*X\((\w+),\s*"([^"]+)",', line)
            if m:
                cat.append((m.group(1), m.group(2)))
    if not cat:
        raise Error(f"{path}: no ITYPE_CATALOG entries found")
    return cat


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_region(path, catalog):
    region = os.path.basename(path)[:-len(".csv")]
    if not REGION_RE.match(region):
        raise Error(f"{path}: '{region}' is not a region name (like us-west-2)")
    names = {name: ident for ident, name in catalog}
    source, date, header_seen = [], None, False
    in_source = False
    items = {}  # key -> (usd literal, status, line)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        where = f"{path}:{n}"
        if line.strip() == "":
            raise Error(f"{where}: empty line")
        if line.startswith("#"):
            text = line[1:].strip()
            if text.startswith("source:"):
                source.append(text[len("source:"):].strip())
                in_source = True
            elif text.startswith("date:"):
                if date is not None:
                    raise Error(f"{where}: a second '# date:'")
                m = DATE_RE.match(text[len("date:"):].strip())
                if not m or not (1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31):
                    raise Error(f"{where}: '# date:' must start with YYYY-MM-DD")
                date = m.group(0)
                in_source = False
            elif in_source and line.startswith("#   "):
                source.append(text)
            else:
                in_source = False
            continue
        if header_seen and line == HEADER:
            raise Error(f"{where}: a second header row")
        if not header_seen:
            if line != HEADER:
                raise Error(f"{where}: expected the header row '{HEADER}'")
            header_seen = True
            continue
        cols = line.split(",", 3)
        if len(cols) != 4:
            raise Error(f"{where}: expected 4 columns ({HEADER}), got {len(cols)}")
        key, usd, status, note = (c.strip() for c in cols)
        if key in items:
            raise Error(f"{where}: '{key}' given twice (first at line {items[key][2]})")
        if key.startswith("ec2/"):
            if key[4:] not in names:
                raise Error(f"{where}: '{key[4:]}' is not in the catalog (ITYPE_CATALOG in models/ec2/instance_type.h)")
        elif key not in SERVICES:
            raise Error(f"{where}: unknown item '{key}' (ec2/TYPE or one of {', '.join(SERVICES)})")
        if not USD_RE.match(usd) or float(usd) <= 0:
            raise Error(f"{where}: price '{usd}' must be a positive decimal number like 0.0416")
        if status not in STATUSES:
            raise Error(f"{where}: status '{status}' must be confirmed or unverified")
        if not note:
            raise Error(f"{where}: the note (where the figure comes from) is empty")
        items[key] = (usd, status, n)
    if not source:
        raise Error(f"{path}: no '# source:' comment")
    if date is None:
        raise Error(f"{path}: no '# date: YYYY-MM-DD' comment")
    if not header_seen:
        raise Error(f"{path}: no header row '{HEADER}'")
    missing = [f"ec2/{name}" for _, name in catalog if f"ec2/{name}" not in items]
    missing += [k for k in SERVICES if k not in items]
    if missing:
        raise Error(f"{path}: no price for {', '.join(missing)}")
    return {"name": region, "source": " ".join(source), "date": date, "items": items}


def emit(regions, catalog):
    out = ["/* Generated by data/prices/gen_prices.py from data/prices/REGION.csv: do not edit. */",
           '#include "models/ec2/instance_type.h"', ""]
    out.append("#define ITYPE_ROW_(id, name, vcpus, speed) {name, vcpus, speed, P_##id, SCN_CREDITS_DEFAULT},")
    for i, r in enumerate(regions):
        items = r["items"]
        out.append(f"/* {r['name']} */")
        for ident, name in catalog:
            out.append(f"#define P_{ident} {items['ec2/' + name][0]}")
        out.append(f"static const scn_itype types_{i}[ITYPE_N] = {{ITYPE_CATALOG(ITYPE_ROW_)}};")
        for ident, _ in catalog:
            out.append(f"#undef P_{ident}")
        unv = [c_string(k) for k, v in items.items() if v[1] == "unverified"]
        out.append(f"static const char *const unverified_{i}[] = {{{', '.join(unv + ['NULL'])}}};")
        out.append("")
    out.append("const itype_region itype_regions_[] = {")
    for i, r in enumerate(regions):
        svc = ", ".join(f".{field} = {r['items'][key][0]}" for key, field in SERVICES.items())
        out.append(f"    {{{c_string(r['name'])}, {c_string(r['source'])}, {c_string(r['date'])}, types_{i},")
        out.append(f"     {{{svc}}}, unverified_{i}}},")
    out.append("};")
    out.append("const size_t itype_n_regions_ = sizeof itype_regions_ / sizeof itype_regions_[0];")
    out.append(f"const char itype_regions_list_[] = {c_string(', '.join(r['name'] for r in regions))};")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 5:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    catalog_h, output, directory, files = argv[1], argv[2], argv[3], argv[4:]
    try:
        catalog = read_catalog(catalog_h)
        on_disk = sorted(f for f in os.listdir(directory) if f.endswith(".csv"))
        listed = sorted(os.path.basename(f) for f in files)
        if on_disk != listed:
            extra = sorted(set(on_disk) - set(listed))
            gone = sorted(set(listed) - set(on_disk))
            raise Error(f"{directory}: the *.csv files there and the list in data/prices/meson.build differ"
                        + (f"; not listed: {', '.join(extra)}" if extra else "")
                        + (f"; listed but missing: {', '.join(gone)}" if gone else ""))
        regions = sorted((parse_region(f, catalog) for f in files), key=lambda r: r["name"])
        text = emit(regions, catalog)
    except (Error, OSError) as e:
        print(f"gen_prices.py: {e}", file=sys.stderr)
        return 1
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
