#!/bin/sh
# The Postfix socketmap server's load matrix with the C generator (issue #15; benchmarks/README.md):
# warm queries over 1, 16 and 64 connections, loopback TCP and the unix socket, server and generator at
# nice -10. About 2-3 minutes on an idle 2-core machine (build included).
#   benchmarks/socketmap-load/matrix.sh [SECONDS_PER_PHASE] [INLINE 0|1] [EVENT_LOOPS]
# EVENT_LOOPS: the server's epoll loops (default 1, the server's default); 0 = .NET's socket engine, where
# INLINE chooses how its completions run.
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-5}
inline=${2:-0}
loops=${3:-1}
make -s -C benchmarks/socketmap-load
dotnet build -c Release -v quiet -nologo benchmarks/MtaSts.Postfix.Load >/dev/null
load=benchmarks/MtaSts.Postfix.Load/bin/Release/net10.0/MtaSts.Postfix.Load.dll
for transport in tcp unix; do
    echo "== $transport, event loops $loops, inline completions $inline, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    extra=""
    [ "$transport" = unix ] && extra=--unix
    LOAD_LOOPS=$loops LOAD_INLINE=$inline nice -n -10 dotnet "$load" --domains 1000 --seconds "$seconds" --connections 1,16,64 \
        --generator benchmarks/socketmap-load/socketmap-load $extra | grep '^|'
done
echo "== done $(date -u '+%H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
