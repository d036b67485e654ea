#!/usr/bin/env node
// Adapter between the mta-sts conformance kit (docs/conformance-protocol.md, protocol 1) and mailauth's
// MTA-STS functions (mailauth/lib/mta-sts: resolvePolicy, parsePolicy, validateMx, fetchPolicy).
// mailauth has no strict or lax MTA-STS mode, so the hello's profile changes nothing here.
'use strict';

const readline = require('node:readline');
const sts = require('mailauth/lib/mta-sts');
const { version } = require('mailauth/package.json');

// RFC 8461 §3.1 discovery as mailauth does it: resolvePolicy with a resolver that returns the RRset
// (node:dns's TXT shape: one array of character-strings per RR). An RRset with several STS records
// throws (code multi_sts_records): mailauth's getPolicy then has no policy, so that is "not accepted".
const discover = async records => {
    const id = await sts.resolvePolicy('example.com', { resolver: async () => records });
    return id === false ? { accepted: false } : { accepted: true, id };
};

// §3.2: the URL is the host fetchPolicy asks DNS for (and sends as SNI and Host) plus its fixed path.
// The resolver answers "no address", so nothing is fetched; fetchPolicy never refuses a domain.
const policyUrl = async domain => {
    let host = null;
    await sts.fetchPolicy(domain, { resolver: async name => { host = host ?? name; return []; } });
    return host === null ? { accepted: false } : { accepted: true, url: `https://${host}/.well-known/mta-sts.txt` };
};

const policy = request => {
    const body = request.input_hex !== undefined ? Buffer.from(text(request.input_hex), 'hex') : Buffer.from(text(request.input), 'utf8');
    const p = sts.parsePolicy(body); // throws with a code (invalid_sts_version, …) on an invalid policy
    return { accepted: true, version: p.version, mode: p.mode, mx: p.mx ?? [], max_age: p.maxAge };
};

// §4.1: validateMx with an enforce policy holding the patterns (mode none would allow every host).
const match = request => ({ matches: sts.validateMx(request.host, { mode: 'enforce', mx: request.patterns }).valid });

const kinds = {
    record: r => discover([[text(r.input)]]),
    recordset: r => discover(list(r.records, rr => list(rr, text))),
    policy,
    match: r => match({ host: text(r.host), patterns: list(r.patterns, text) }),
    'policy-url': r => policyUrl(text(r.domain))
};

const text = value => {
    if (typeof value !== 'string') {
        throw new BadRequest('expected a string');
    }
    return value;
};

const list = (value, item) => {
    if (!Array.isArray(value)) {
        throw new BadRequest('expected an array');
    }
    return value.map(item);
};

class BadRequest extends Error {}

const answer = async line => {
    let request;
    try {
        request = JSON.parse(line);
    } catch (err) {
        return { seq: null, error: `bad request line: ${err.message}` };
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
        return { seq: null, error: 'bad request line: not a JSON object' };
    }
    const seq = Number.isInteger(request.seq) ? request.seq : null;
    if (request.kind === 'hello') {
        return { seq, protocol: 1, name: 'mailauth', version, kinds: Object.keys(kinds) };
    }
    const handler = Object.hasOwn(kinds, request.kind) ? kinds[request.kind] : null;
    if (handler === null) {
        return { seq, unsupported: true };
    }
    try {
        return { seq, ...(await handler(request)) };
    } catch (err) {
        if (err instanceof BadRequest) {
            return { seq, error: `bad request: ${err.message}` };
        }
        // mailauth signals an invalid input by throwing (parsePolicy, resolvePolicy): not accepted.
        return { seq, accepted: false, error: `${err.code ?? err.name}: ${err.message}` };
    }
};

// Lock-step: one answer line per request line, in order, written before the next line is read.
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
let queue = Promise.resolve();
lines.on('line', line => {
    queue = queue.then(async () => process.stdout.write(JSON.stringify(await answer(line)) + '\n'));
});
