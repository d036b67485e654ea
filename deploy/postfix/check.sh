#!/bin/sh
# Check a deployment: what Postfix itself would get, and what the server says.
set -x
# an enforce domain: prints "secure match=... servername=hostname" (exit 0)
postmap -q gmail.com socketmap:inet:127.0.0.1:8461:postfix
# a domain without MTA-STS (or testing/none): prints nothing, exit 1 (NOTFOUND)
postmap -q example.com socketmap:inet:127.0.0.1:8461:postfix
# a parent-domain retry and a transport-table route: NOTFOUND without any lookup
postmap -q .gmail.com socketmap:inet:127.0.0.1:8461:postfix
postmap -q '[smtp.example.com]:587' socketmap:inet:127.0.0.1:8461:postfix
# the same through the tool (prints the raw reply; exit 0 OK, 1 NOTFOUND, 3 TEMP/PERM)
mta-sts query gmail.com --server 127.0.0.1:8461
mta-sts query gmail.com --server unix:/run/mta-sts/mta-sts.sock --name postfix-tlsrpt
# metrics
curl -s http://127.0.0.1:9461/metrics | grep mtasts_postfix_queries_total
