#!/usr/bin/env python3
"""fuzz/make_corpus.py SOURCE_ROOT OUT_DIR: assembles the fuzzer's seed corpus.

OUT_DIR is emptied of *.yaml and filled with
  bad-NAME.yaml      tests/bad/NAME.yaml; a "# set: PATH=VALUE" header line becomes a
                     first line "#set PATH=VALUE", the form fuzz_scenario.c passes as --set
  pending-NAME.yaml  tests/bad-pending/NAME.yaml, the same way
  NAME.yaml          scenarios/NAME.yaml
  default.yaml       the built-in scenario, from models/core/scenario_default.c
  set-*.yaml         fuzz/seeds/sets.txt: a valid --set on one of the above
Prints the number of files written.
"""
import ast
import os
import re
import sys


def read(path):
    with open(path, "rb") as f:
        return f.read()


def default_text(root):
    """The C string default_text[] of scenario_default.c (adjacent literals joined)."""
    src = read(os.path.join(root, "models/core/scenario_default.c")).decode()
    body = re.search(r"default_text\[\]\s*=\s*(.*?);", src, re.S).group(1)
    lits = re.findall(r'"(?:[^"\\]|\\.)*"', body)
    return "".join(ast.literal_eval(lit) for lit in lits).encode()


def with_set(text):
    """text with its first '# set: X' header line (leading comments only) as a first line '#set X'."""
    for line in text.split(b"\n"):
        if not line.startswith(b"#"):
            break
        if line.startswith(b"# set: "):
            return b"#set " + line[len(b"# set: "):] + b"\n" + text
    return text


def main():
    root, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".yaml"):
            os.remove(os.path.join(out, name))
    seeds = {}
    for folder, prefix in (("tests/bad", "bad-"), ("tests/bad-pending", "pending-")):
        d = os.path.join(root, folder)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name.endswith(".yaml"):
                    seeds[prefix + name] = with_set(read(os.path.join(d, name)))
    bases = {"default.yaml": default_text(root)}
    d = os.path.join(root, "scenarios")
    for name in sorted(os.listdir(d)):
        if name.endswith(".yaml"):
            bases[name] = read(os.path.join(d, name))
    seeds.update(bases)
    for line in read(os.path.join(root, "fuzz/seeds/sets.txt")).decode().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, base, setting = line.split(None, 2)
        if base not in bases:
            sys.exit("fuzz/seeds/sets.txt: %s: no base scenario %s" % (name, base))
        seeds[name + ".yaml"] = b"#set " + setting.encode() + b"\n" + bases[base]
    for name, text in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(text)
    print(len(seeds))


if __name__ == "__main__":
    main()
