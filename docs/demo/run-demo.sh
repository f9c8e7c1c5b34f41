#!/usr/bin/env bash
# A real run for the closing note: two JWT nodes, tokens from TokenMint, clients on both nodes, one killed with kill -9,
# the dashboard in headless Chromium. Bounded (every wait has a limit; clients end by themselves after 40 s); stops
# what it starts, by PID.
# Usage (after `mvn -B package -DskipTests`): docs/demo/run-demo.sh   (needs chromium and `npm ci` in src/test/e2e)
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/presence-demo.XXXXXX)"
cp "$REPO/target/presence-node.jar" "$REPO/docs/demo/DemoClient.java" "$WORK/"
cd "$WORK"
export PRESENCE_JWT_SECRET="$(openssl rand -base64 48)"
# Mode jwt requires the issuer and audience every token must carry; TokenMint writes the same ones below.
export PRESENCE_JWT_ISSUER=https://demo.presence.invalid PRESENCE_JWT_AUDIENCE=presence
# The read API (admin ports 18090/18091) needs this key; health needs none.
export PRESENCE_API_KEYS="$(openssl rand -hex 32)"
KEY=(-H "Authorization: Bearer $PRESENCE_API_KEYS")
NAME="demo-$(date +%s)"
common=(PRESENCE_CLUSTER_NAME=$NAME PRESENCE_CLUSTER_SIZE=2 PRESENCE_HZ_MEMBERS=127.0.0.1:15701,127.0.0.1:15702)
env "${common[@]}" PRESENCE_HTTP_PORT=18080 PRESENCE_ADMIN_PORT=18090 PRESENCE_HZ_PORT=15701 java -jar presence-node.jar > nodeA.log 2>&1 & A=$!
env "${common[@]}" PRESENCE_HTTP_PORT=18081 PRESENCE_ADMIN_PORT=18091 PRESENCE_HZ_PORT=15702 java -jar presence-node.jar > nodeB.log 2>&1 & B=$!
trap 'kill $A $B 2>/dev/null; kill ${ALICE:-} ${BOB:-} ${CAROL:-} ${DRV:-} 2>/dev/null' EXIT
for i in $(seq 1 60); do
  curl -sf 127.0.0.1:18091/health | grep -q '"clusterSize":2' && break; sleep 1
done
curl -s 127.0.0.1:18090/health; echo
mint() {
  java -cp presence-node.jar dev.presence.auth.TokenMint --iss "$PRESENCE_JWT_ISSUER" --aud "$PRESENCE_JWT_AUDIENCE" "$@"
}
OPS=$(mint --sub ops --role presence-admin --ttl-s 600)
ALICE_T=$(mint --sub alice --ttl-s 600); BOB_T=$(mint --sub bob --ttl-s 600); CAROL_T=$(mint --sub carol --ttl-s 600)
echo "minted: ops ${#OPS} chars, alice ${#ALICE_T}, bob ${#BOB_T}, carol ${#CAROL_T}"
echo "== a forged token is refused"
java DemoClient.java ws://127.0.0.1:18080/ws "${ALICE_T%?}x" Mallory 1 2>&1 | head -3
# The dashboard, driven over stdin/stdout.
mkfifo drv.in 2>/dev/null || true
(cd "$REPO/src/test/e2e" && node dashboard-driver.mjs < "$WORK/drv.in" > "$WORK/drv.out" 2>&1) & DRV=$!
exec 3>drv.in
echo '{"cmd":"open","url":"http://127.0.0.1:18080/#token='"$OPS"'","timeoutMs":20000}' >&3
echo '{"cmd":"waitFor","selector":"#members tr","timeoutMs":20000}' >&3
java DemoClient.java ws://127.0.0.1:18080/ws "$ALICE_T" Alice 40 > alice.log 2>&1 & ALICE=$!
java DemoClient.java ws://127.0.0.1:18081/ws "$BOB_T" Bob 40 > bob.log 2>&1 & BOB=$!
java DemoClient.java ws://127.0.0.1:18081/ws "$CAROL_T" Carol 40 > carol.log 2>&1 & CAROL=$!
for i in $(seq 1 60); do [ "$(curl -s "${KEY[@]}" 127.0.0.1:18090/presence | grep -o '"session"' | wc -l)" -ge 3 ] && break; sleep 0.5; done
echo "== presence with three clients"; curl -s "${KEY[@]}" 127.0.0.1:18091/presence; echo
kill -9 $CAROL; CAROL=
echo "== carol's client killed with kill -9 at $(date +%T.%N)"
echo '{"cmd":"waitFor","selector":"#events tr[data-event=\"leave\"][data-reason=\"reset\"]","timeoutMs":20000}' >&3
sleep 2
echo '{"cmd":"screenshot","path":"'"$WORK/dashboard-demo.png"'"}' >&3
echo '{"cmd":"texts","selector":"#members tr"}' >&3
echo '{"cmd":"problems"}' >&3
echo '{"cmd":"close"}' >&3
exec 3>&-
wait $DRV; DRV=
cat drv.out
echo "== presence after the kill"; curl -s "${KEY[@]}" 127.0.0.1:18090/presence; echo
echo "== nickname Carol"; curl -s "${KEY[@]}" 127.0.0.1:18090/nicknames/Carol; echo
echo "== alice's client"; head -3 alice.log
echo "screenshot: $WORK/dashboard-demo.png"
