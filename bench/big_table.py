#!/usr/bin/python3
"""Tables for bench/big.sh: one row per run, then each 10x variant's cost per request
against its base (goal: within 1.5x), then peak RSS against run length (goal: within 10%).

Usage: big_table.py RAWFILE (lines "label=SCENARIO/VARIANT peer=... key=value ...")
"""
import sys


def parse(line):
    return dict(tok.split('=', 1) for tok in line.split() if '=' in tok)


def main():
    rows = [parse(l) for l in open(sys.argv[1]) if l.startswith('label=')]
    print('| run | simulated | requests | ok | events | wall s | req/s | events/s | ns/req | CPU s | CPU ns/req | peak RSS MB |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|')
    by = {}
    for r in rows:
        by[r['label']] = r
        print('| %s | %s s | %.3g | %.4f | %.3g | %.1f | %.3gM | %.3gM | %.0f | %.1f | %.0f | %.1f |'
              % (r['label'], r['sim_s'], float(r['reqs']), float(r['ok']) / max(float(r['reqs']), 1),
                 float(r['events']), float(r['run_s']), float(r['req_rate']) / 1e6, float(r['ev_rate']) / 1e6,
                 float(r['ns_per_req']), float(r['cpu_s']), float(r['cpu_ns_per_req']), int(r['rss_kb']) / 1024))
    print()
    print('| scenario | variant | wall ns/req | base | ratio | CPU ns/req | base | ratio | goal <= 1.5x (CPU) | peak RSS ratio |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for label, r in by.items():
        scn, var = label.split('/', 1)
        base = by.get(scn + '/base')
        if not var.startswith('x10') or not base:
            continue
        ratio = float(r['ns_per_req']) / float(base['ns_per_req'])
        cratio = float(r['cpu_ns_per_req']) / float(base['cpu_ns_per_req'])
        print('| %s | %s | %.0f | %.0f | %.2fx | %.0f | %.0f | %.2fx | %s | %.2fx |'
              % (scn, var, float(r['ns_per_req']), float(base['ns_per_req']), ratio, float(r['cpu_ns_per_req']),
                 float(base['cpu_ns_per_req']), cratio, 'yes' if cratio <= 1.5 else '**no**',
                 int(r['rss_kb']) / int(base['rss_kb'])))
    rss = [(float(r['reqs']), r) for l, r in by.items() if '/rss-' in l]
    if len(rss) >= 2:
        rss.sort(key=lambda x: x[0])
        lo = rss[0][1]
        print()
        print('| RSS run | requests | peak RSS MB | vs %.0e requests | goal <= 1.10x |' % rss[0][0])
        print('|---|---|---|---|---|')
        for n, r in rss:
            q = int(r['rss_kb']) / int(lo['rss_kb'])
            print('| %s | %.3g | %.1f | %.3fx | %s |' % (r['label'], n, int(r['rss_kb']) / 1024, q,
                                                    'yes' if q <= 1.10 else '**no**'))


if __name__ == '__main__':
    main()
