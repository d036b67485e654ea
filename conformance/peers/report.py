#!/usr/bin/env python3
"""Runs `mta-sts conformance run` on the peer adapters in conformance/adapters/ and writes
docs/conformance-report.md (issue 18). The one command that regenerates the report, from the repository root:

    python3 conformance/peers/report.py

It builds the tool (Release) unless --tool names a built mta-sts.dll, runs every peer whose packages are
installed (mailauth: `npm ci` in conformance/adapters/mailauth; postfix-mta-sts-resolver: the Debian package)
in both profiles over the same vectors (public + --generated from --seed), and prints one line per run.
A peer that is not installed is listed as not run. The pass rates are facts about other projects' behaviour:
this script never fails because a peer fails vectors (exit 0), only when the kit itself cannot be used.
"""
import argparse
import collections
import datetime
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADAPTERS = os.path.join(ROOT, 'conformance', 'adapters')
PROFILES = ('strict', 'lenient')
KINDS = ('record', 'recordset', 'policy', 'match', 'policy-url', 'cert-name', 'tlsrpt-record', 'tlsrpt-recordset')
AREAS = {
    'record': 'RFC 8461 §3.1 TXT record',
    'recordset': 'RFC 8461 §3.1 TXT RRset (several records, multi-string)',
    'policy': 'RFC 8461 §3.2 policy file',
    'match': 'RFC 8461 §4.1 MX host matching',
    'policy-url': 'RFC 8461 §3.2/§3.4 policy URL',
    'cert-name': 'RFC 8461 §4.2 MX certificate names',
    'tlsrpt-record': 'RFC 8460 §3 TLSRPT record',
    'tlsrpt-recordset': 'RFC 8460 §3 TLSRPT RRset',
}
# Vectors on which implementations are known to split (digest §7), shown with every peer's answer.
TELLING = (
    'T-11', 'T-16', 'T-22', 'T-25', 'T-38', 'T-39', 'T-41', 'T-46', 'T-48', 'T-58.v1',
    'P-06', 'P-08', 'P-09', 'P-10', 'P-11', 'P-21', 'P-24', 'P-26', 'P-30', 'P-31', 'P-37', 'P-40', 'P-42.v1', 'P-46', 'P-48',
    'P-58', 'P-62', 'P-64', 'P-70', 'P-72', 'P-73', 'D-12.v2', 'P-91.v1',
    'M-04', 'M-07', 'M-11', 'M-20', 'M-27', 'M-29.v2', 'M-29.v5',
    'H-17', 'H-18', 'N-12',
)


def peers():
    """(name, command, why it cannot run or None) for each peer adapter."""
    mailauth = os.path.join(ADAPTERS, 'mailauth')
    resolver = '/usr/lib/python3/dist-packages/postfix_mta_sts_resolver/resolver.py'
    return [
        ('mailauth', ['node', os.path.join(mailauth, 'adapter.js')],
         None if os.path.exists(os.path.join(mailauth, 'node_modules', 'mailauth', 'package.json'))
         else 'mailauth is not installed: run `npm ci` in conformance/adapters/mailauth'),
        ('postfix-mta-sts-resolver', ['/usr/bin/python3', os.path.join(ADAPTERS, 'postfix-mta-sts-resolver', 'adapter.py')],
         None if os.path.exists(resolver) else 'the Debian package is not installed: apt-get install postfix-mta-sts-resolver'),
    ]


def hello(command):
    """The adapter's hello answer (name, version, kinds), asked the way the kit asks it."""
    answer = subprocess.run(command, input='{"seq":0,"kind":"hello","protocol":1,"profile":"strict"}\n',
                            capture_output=True, text=True, timeout=60, check=False).stdout
    return json.loads(answer.splitlines()[0])


def tool_command(args):
    if args.tool:
        return ['dotnet', args.tool]
    subprocess.run(['dotnet', 'build', os.path.join(ROOT, 'src', 'MtaSts.Cli'), '-c', 'Release', '--nologo', '-v', 'q'],
                   check=True, stdout=subprocess.DEVNULL)
    return ['dotnet', os.path.join(ROOT, 'src', 'MtaSts.Cli', 'bin', 'Release', 'net10.0', 'mta-sts.dll')]


def export(tool, profile, args):
    out = subprocess.run(tool + ['conformance', 'export', '--profile', profile, '--generated', str(args.generated),
                                 '--seed', str(args.seed)], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line]


def run(tool, profile, command, args, folder):
    path = os.path.join(folder, f'{os.path.basename(command[-1])}-{profile}.json')
    done = subprocess.run(tool + ['conformance', 'run', '--profile', profile, '--generated', str(args.generated),
                                  '--seed', str(args.seed), '--format', 'json', '--out', path, '--'] + command,
                          capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        return None, done.stderr.strip()
    with open(path, encoding='utf-8') as report:
        return json.load(report), None


def tally(vectors, report, kinds):
    """Per kind and origin: [passed, judged, not supported], from the vectors and the run's failures."""
    failed = collections.Counter((f['kind'], origin(f['id'])) for f in report['failures'])
    rows = collections.defaultdict(lambda: [0, 0, 0])
    for v in vectors:
        row = rows[(v['kind'], v['origin'])]
        if v['kind'] in kinds:
            row[1] += 1
        else:
            row[2] += 1
    for key, row in rows.items():
        row[0] = row[1] - failed[key]
    counts = report['counts']
    if sum(r[0] for r in rows.values()) != counts['passed'] or sum(r[2] for r in rows.values()) != counts['not-supported']:
        raise SystemExit(f'report.py: per-kind counts do not add up to the run\'s counts {counts}: did an adapter answer unsupported for a kind it lists?')
    return rows


def origin(vector_id):
    return 'generated' if vector_id.startswith('G') and '-' in vector_id and vector_id[1].isdigit() else 'public'


def rate(passed, judged):
    return '—' if judged == 0 else f'{passed}/{judged} ({100.0 * passed / judged:.1f} %)'


def cell(rows, kind, which):
    keys = [(kind, o) for o in which]
    passed, judged, unsupported = (sum(rows[k][i] for k in keys if k in rows) for i in range(3))
    if judged == 0 and unsupported > 0:
        return 'not supported'
    return rate(passed, judged)


def shorten(text, limit=90):
    return text if len(text) <= limit else text[:limit] + f'… ({len(text)} chars)'


def code(text):
    return '`' + text.replace('`', "'").replace('|', '\\|') + '`'


def request_text(request):
    shown = {k: v for k, v in request.items() if k != 'kind'}
    return shorten(json.dumps(shown, ensure_ascii=True, separators=(',', ':')))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--tool', help='a built mta-sts.dll (default: build src/MtaSts.Cli in Release)')
    parser.add_argument('--generated', type=int, default=10000, help='generated vectors per run (default 10000)')
    parser.add_argument('--seed', type=int, default=8461, help='the generators\' seed (default 8461)')
    parser.add_argument('--out', default=os.path.join(ROOT, 'docs', 'conformance-report.md'))
    args = parser.parse_args()

    tool = tool_command(args)
    vectors = {p: export(tool, p, args) for p in PROFILES}
    results = []
    with tempfile.TemporaryDirectory(prefix='mtasts-peers-') as folder:
        for name, command, missing in peers():
            if missing:
                print(f'conformance: {name}: not run: {missing}')
                results.append((name, None, missing))
                continue
            try:
                about = hello(command)
            except (OSError, ValueError, IndexError, subprocess.SubprocessError) as error:
                print(f'conformance: {name}: not run: its adapter did not answer hello: {error}')
                results.append((name, None, f'its adapter did not answer hello: {error}'))
                continue
            runs = {}
            for profile in PROFILES:
                report, error = run(tool, profile, command, args, folder)
                if report is None:
                    print(f'conformance: {name} {profile}: the kit could not run it: {error}')
                    continue
                rows = tally(vectors[profile], report, set(about.get('kinds', KINDS)))
                runs[profile] = (report, rows)
                c = report['counts']
                print(f"conformance: {name} {about.get('version', '')} {profile}: {c['passed']} passed, "
                      f"{c['wrong'] + c['missing-field'] + c['garbled'] + c['hang'] + c['crash']} failed, "
                      f"{c['not-supported']} not supported (pass rates are printed, not asserted)")
            results.append((name, (about, runs), None))
    write(args, vectors, results)
    print(f'conformance: wrote {os.path.relpath(args.out)}')


def versions():
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return 'unknown'
    return {'node': out(['node', '--version']), 'python': out(['/usr/bin/python3', '--version']),
            'commit': out(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'])}


def write(args, vectors, results):
    ran = [(name, about, runs) for name, value, _ in results if value for about, runs in [value]]
    v = versions()
    lines = [
        '# Conformance report: other MTA-STS implementations',
        '',
        f'Generated on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d} (UTC) by `python3 conformance/peers/report.py` '
        f'(the kit of commit {v["commit"]}; node {v["node"]}, {v["python"]}). Do not edit by hand: run the command again.',
        '',
        'The kit (`mta-sts conformance run`, [docs/conformance-protocol.md](conformance-protocol.md)) sent every vector to each',
        "implementation's adapter in `conformance/adapters/` and judged the answers against RFC 8461/8460 as",
        "[DECISIONS.md](spec/DECISIONS.md) reads them: `strict`, and again against the project's lenient mode (`lenient`,",
        'L-01..L-03) for implementations that are lenient by design. These are facts about behaviour on these inputs,',
        'not a ranking: an implementation may be lenient on purpose, and a failed vector is not always a failure in',
        'practice (a URL with upper-case letters still reaches the same host).',
        '',
        '## What ran',
        '',
        '| implementation | version | how the adapter calls it | kinds it answers |',
        '|---|---|---|---|',
    ]
    how = {
        'mailauth': '`mailauth/lib/mta-sts`: `resolvePolicy`, `parsePolicy`, `validateMx`, `fetchPolicy` ([adapter](../conformance/adapters/mailauth/README.md))',
        'postfix-mta-sts-resolver': "Debian package, `STSResolver.resolve()` with DNS and HTTPS answered from the request ([adapter](../conformance/adapters/postfix-mta-sts-resolver/README.md))",
    }
    for name, value, missing in results:
        if value:
            about, _ = value
            lines.append(f"| {name} | {about.get('version', '?')} | {how[name]} | {', '.join(about.get('kinds', []))} |")
        else:
            lines.append(f'| {name} | — | not run: {missing} | — |')
    for profile in PROFILES:
        n = collections.Counter(x['origin'] for x in vectors[profile])
        lines.append('')
        lines.append(f"Vectors, `{profile}`: {n['public']} public + {n['generated']} generated (`--generated {args.generated} --seed {args.seed}`), "
                     'the same for every implementation; kinds an adapter does not answer are counted as not supported.')
    lines += ['', 'Neither library has a strict and a lax mode of its own; their adapters answer the same in both profiles.', '']

    lines += ['## Pass rates per requirement area', '', 'passed/judged (public vectors; all = public + generated).', '']
    header = '| area | ' + ' | '.join(f'{name} {p}' for name, _, _ in ran for p in PROFILES) + ' |'
    lines += [header, '|---|' + '---|' * (len(ran) * len(PROFILES))]
    for kind in KINDS:
        if not any(x['kind'] == kind for p in PROFILES for x in vectors[p]):
            continue
        cells = []
        for _, _, runs in ran:
            for p in PROFILES:
                if p not in runs:
                    cells.append('not run')
                    continue
                rows = runs[p][1]
                public, every = cell(rows, kind, ['public']), cell(rows, kind, ['public', 'generated'])
                cells.append(public if public == every or public == 'not supported' else f'{public}; all {every}')
        lines.append(f'| {AREAS[kind]} (`{kind}`) | ' + ' | '.join(cells) + ' |')

    for profile, keep in (('strict', lambda rid: True), ('lenient', lambda rid: rid.startswith('L-') or rid == 'T-07')):
        lines += ['', f'## Per requirement ({profile})', '',
                  'Each requirement or decision id the judged vectors test (public + generated); a vector counts for every id it tests.'
                  if profile == 'strict' else 'The lenient-mode decisions only (the other ids are judged as in the strict table).', '']
        lines += requirement_table([(name, runs[profile][0]) for name, _, runs in ran if profile in runs], keep)
    strict = [(name, runs['strict'][0]) for name, _, runs in ran if 'strict' in runs]

    lines += ['', '## Telling vectors (strict)', '',
              'Inputs on which implementations are known to split (digest §7). ✓ = the expected answer; otherwise the answer given. '
              'Only the fields the protocol judges count: `extensions` are judged only when an adapter reports them, and '
              'neither of these does; `mx` is compared ASCII case-insensitively.', '',
              '| vector | input | expected | ' + ' | '.join(name for name, _ in strict) + ' |', '|---|---|---|' + '---|' * len(strict)]
    by_id = {x['id']: x for x in vectors['strict']}
    for vid in TELLING:
        vector = by_id.get(vid)
        if vector is None:
            continue
        cells = []
        for name, report in strict:
            about = next(a for n, a, _ in ran if n == name)
            failure = next((f for f in report['failures'] if f['id'] == vid), None)
            if vector['kind'] not in about.get('kinds', KINDS):
                cells.append('not supported')
            elif failure is None:
                cells.append('✓')
            else:
                cells.append(f"{failure['outcome']}: {code(shorten(strip_seq(failure['actual']), 120))}")
        expect = json.dumps(vector['expect'], ensure_ascii=True, separators=(',', ':'))
        lines.append(f"| {vid} — {vector['reason'] or ', '.join(vector['tests'])} | {code(request_text(vector['request']))} | {code(shorten(expect, 120))} | "
                     + ' | '.join(cells) + ' |')

    lines += ['', '## Reproduce', '', '```bash',
              '(cd conformance/adapters/mailauth && npm ci)            # mailauth, from the lockfile',
              'apt-get install -y postfix-mta-sts-resolver            # Debian 12: 1.1.2',
              'python3 conformance/peers/report.py                    # runs both peers, both profiles; rewrites this file',
              'dotnet run --project src/MtaSts.Cli -- conformance run -- node conformance/adapters/mailauth/adapter.js   # every failure, as text',
              '```', '']
    with open(args.out, 'w', encoding='utf-8', newline='\n') as out:
        out.write('\n'.join(lines))


def requirement_table(reports, keep):
    ids = {}
    for _, report in reports:
        for r in report['requirements']:
            if keep(r['id']):
                ids.setdefault(r['id'], r['text'])
    lines = ['| id | requirement | ' + ' | '.join(name for name, _ in reports) + ' |', '|---|---|' + '---|' * len(reports)]
    for rid, text in ids.items():
        cells = []
        for _, report in reports:
            r = next((x for x in report['requirements'] if x['id'] == rid), None)
            cells.append(rate(r['passed'], r['passed'] + r['failed']) if r and r['passed'] + r['failed'] else 'not supported')
        lines.append(f'| {rid} | {shorten(text, 110).replace("|", "/")} | ' + ' | '.join(cells) + ' |')
    return lines


def strip_seq(answer):
    if answer is None:
        return '(no answer)'
    try:
        value = json.loads(answer)
    except ValueError:
        return answer
    if isinstance(value, dict):
        value.pop('seq', None)
        value.pop('error', None)
    return json.dumps(value, ensure_ascii=True, separators=(',', ':'))


if __name__ == '__main__':
    sys.exit(main())
