#!/usr/bin/python3
"""Adapter between the mta-sts conformance kit (docs/conformance-protocol.md, protocol 1) and the Debian
package postfix-mta-sts-resolver (module postfix_mta_sts_resolver, run with Debian's /usr/bin/python3).

Every answer comes from the package's own STSResolver.resolve(domain): its TXT filter, record check, URL,
policy parsing and policy checks, with only its two network calls replaced. DNS returns the request's
RRset the way pycares 4.3 (the package's DNS library) hands it over: each RR's strings joined, each string
cut at a NUL, ASCII-decoded when it can be; HTTPS answers 200, "text/plain; charset=utf-8", the body.
MX matching is left to Postfix by this package, certificate names to Postfix/OpenSSL, and it has no
TLSRPT code: those kinds are unsupported. The package has no strict/lax mode; the profile changes nothing.
"""
import asyncio
import json
import subprocess
import sys
import types

from pycares.utils import maybe_str
from postfix_mta_sts_resolver import resolver

RECORD = 'v=STSv1; id=adapter'  # a valid record, for requests about the policy file
POLICY = b'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n'  # and a valid policy


class BadRequest(Exception):
    pass


class Network:
    """The two calls resolve() makes, answered from the request; remembers the URL it fetched."""

    def __init__(self, rrs, body):
        self.rrs, self.body, self.url = rrs, body, None

    async def query(self, _name, _qtype):
        return [types.SimpleNamespace(text=maybe_str(b''.join(s.encode('utf-8').split(b'\0')[0] for s in rr)))
                for rr in self.rrs]

    def session(self, *_args, **_kwargs):
        return Context(self)

    def get(self, url, **_kwargs):
        self.url = url
        body = self.body

        async def read(size):
            nonlocal body
            chunk, body = body[:size], body[size:]
            return chunk
        return Context(types.SimpleNamespace(status=200, headers={'Content-Type': 'text/plain; charset=utf-8'},
                                             charset='utf-8', content=types.SimpleNamespace(read=read)))


class Context:
    def __init__(self, value):
        self.value = value

    async def __aenter__(self):
        return self.value

    async def __aexit__(self, *_exc):
        return False


async def resolve(sts, domain, rrs, body):
    network = Network(rrs, body)
    sts._resolver = network  # pylint: disable=protected-access
    resolver.aiohttp = types.SimpleNamespace(ClientSession=network.session)
    try:
        status, value = await sts.resolve(domain)
    except Exception:  # pylint: disable=broad-except
        # The daemon logs an exception from resolve() and answers no policy: so not accepted.
        return False, None, network.url
    return status == resolver.STSFetchResult.VALID, value, network.url


def text(value):
    if not isinstance(value, str):
        raise BadRequest('expected a string')
    return value


def strings(value, item):
    if not isinstance(value, list):
        raise BadRequest('expected an array')
    return [item(v) for v in value]


async def answer(sts, request):
    kind = request.get('kind')
    if kind in ('record', 'recordset'):
        rrs = [[text(request.get('input'))]] if kind == 'record' else strings(request.get('records'), lambda rr: strings(rr, text))
        valid, value, _ = await resolve(sts, 'example.com', rrs, POLICY)
        return {'accepted': True, 'id': value[0]} if valid else {'accepted': False}
    if kind == 'policy':
        body = bytes.fromhex(text(request['input_hex'])) if 'input_hex' in request else text(request.get('input')).encode('utf-8')
        valid, value, _ = await resolve(sts, 'example.com', [[RECORD]], body)
        if not valid:
            return {'accepted': False}
        policy = value[1]
        return {'accepted': True, 'version': policy['version'], 'mode': policy['mode'], 'mx': policy['mx'], 'max_age': policy['max_age']}
    if kind == 'policy-url':
        _, _, url = await resolve(sts, text(request.get('domain')), [[RECORD]], POLICY)
        return {'accepted': False} if url is None else {'accepted': True, 'url': url}
    return {'unsupported': True}


def version():
    try:
        return subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'postfix-mta-sts-resolver'],
                              capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return 'unknown'


async def main():
    sts = resolver.STSResolver(loop=asyncio.get_running_loop())
    for raw in sys.stdin.buffer:
        try:
            request = json.loads(raw)
        except ValueError as error:  # also a line that is not UTF-8
            reply = {'seq': None, 'error': f'bad request line: {error}'}
        else:
            if not isinstance(request, dict):
                reply = {'seq': None, 'error': 'bad request line: not a JSON object'}
            elif request.get('kind') == 'hello':
                reply = {'protocol': 1, 'name': 'postfix-mta-sts-resolver', 'version': version(),
                         'kinds': ['record', 'recordset', 'policy', 'policy-url']}
            else:
                try:
                    reply = await answer(sts, request)
                except (BadRequest, KeyError, ValueError) as error:  # the request's own fields
                    reply = {'error': f'bad request: {error!r}'}
            seq = request.get('seq') if isinstance(request, dict) else None
            reply = {'seq': seq if isinstance(seq, int) else None, **reply}
        sys.stdout.write(json.dumps(reply) + '\n')
        sys.stdout.flush()


asyncio.run(main())
