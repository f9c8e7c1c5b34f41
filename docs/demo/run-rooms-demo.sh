#!/usr/bin/env bash
# A real run of rooms for the closing note: two JWT nodes, clients in one shared room on both nodes (each with a room
# nickname, each watching the room), one client killed with kill -9: the room's watchers on both nodes are told with
# its reason, and its room nickname stays in grace for its user. Bounded (every wait has a limit; clients end by
# themselves); stops what it starts, by PID.
# Usage (after `mvn -B package -DskipTests`): docs/demo/run-rooms-demo.sh
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/presence-rooms-demo.XXXXXX)"
cp "$REPO/target/presence-node.jar" "$REPO/docs/demo/DemoClient.java" "$WORK/"
cd "$WORK"
export PRESENCE_JWT_SECRET="$(openssl rand -base64 48)"
export PRESENCE_JWT_ISSUER=https://demo.presence.invalid PRESENCE_JWT_AUDIENCE=presence
export PRESENCE_API_KEYS="$(openssl rand -hex 32)"
KEY=(-H "Authorization: Bearer $PRESENCE_API_KEYS")
NAME="rooms-demo-$(date +%s)"
common=(PRESENCE_CLUSTER_NAME=$NAME PRESENCE_CLUSTER_SIZE=2 PRESENCE_HZ_MEMBERS=127.0.0.1:15711,127.0.0.1:15712)
env "${common[@]}" PRESENCE_HTTP_PORT=18180 PRESENCE_ADMIN_PORT=18190 PRESENCE_HZ_PORT=15711 java -jar presence-node.jar > nodeA.log 2>&1 & A=$!
env "${common[@]}" PRESENCE_HTTP_PORT=18181 PRESENCE_ADMIN_PORT=18191 PRESENCE_HZ_PORT=15712 java -jar presence-node.jar > nodeB.log 2>&1 & B=$!
trap 'kill $A $B 2>/dev/null; kill ${ALICE:-} ${BOB:-} ${CAROL:-} 2>/dev/null' EXIT
for i in $(seq 1 60); do
  curl -sf 127.0.0.1:18191/health | grep -q '"clusterSize":2' && break; sleep 1
done
mint() {
  java -cp presence-node.jar dev.presence.auth.TokenMint --iss "$PRESENCE_JWT_ISSUER" --aud "$PRESENCE_JWT_AUDIENCE" "$@"
}
T_ALICE=$(mint --sub alice --room '#lobby' --ttl-s 600); T_BOB=$(mint --sub bob --room '#lobby' --ttl-s 600)
T_CAROL=$(mint --sub carol --room '#lobby' --ttl-s 600); T_DAVE=$(mint --sub dave --room '#lobby' --ttl-s 600)
java DemoClient.java ws://127.0.0.1:18180/ws "$T_ALICE" Alice 45 '#lobby' > alice.log 2>&1 & ALICE=$!
java DemoClient.java ws://127.0.0.1:18181/ws "$T_BOB" Bob 45 '#lobby' > bob.log 2>&1 & BOB=$!
java DemoClient.java ws://127.0.0.1:18181/ws "$T_CAROL" Carol 45 '#lobby' > carol.log 2>&1 & CAROL=$!
for i in $(seq 1 60); do
  [ "$(curl -s "${KEY[@]}" 127.0.0.1:18190/rooms/%23lobby | grep -o '"session"' | wc -l)" -ge 3 ] && break; sleep 0.5
done
echo "== #lobby with three members (alice on node A; bob and carol on node B)"
curl -s "${KEY[@]}" 127.0.0.1:18190/rooms/%23lobby; echo
CAROL_SESSION=$(grep -o '"type":"welcome","session":"[^"]*"' carol.log | head -1 | sed 's/.*"session":"//; s/"//')
kill -9 $CAROL; CAROL=
echo "== carol's client (session $CAROL_SESSION) killed with kill -9 at $(date +%T.%N)"
for i in $(seq 1 40); do grep -q "\"leaves\":\[{\"session\":\"$CAROL_SESSION\"" alice.log && break; sleep 0.25; done
echo "== what alice (node A) was told about #lobby"; grep '"room":"#lobby"' alice.log | grep -v '"type":"joined"'
echo "== what bob (node B) was told about #lobby"; grep '"room":"#lobby"' bob.log | grep -v '"type":"joined"'
echo "== #lobby after the kill"; curl -s "${KEY[@]}" 127.0.0.1:18191/rooms/%23lobby; echo
echo "== dave asks for the room nickname Carol while it is in grace"
java DemoClient.java ws://127.0.0.1:18180/ws "$T_DAVE" Carol 1 '#lobby' 2>&1 | grep -E 'joined|error'
echo "== carol comes back within the grace period and gets it"
java DemoClient.java ws://127.0.0.1:18181/ws "$T_CAROL" Carol 1 '#lobby' 2>&1 | grep -E '"type":"joined"|error'
echo "logs: $WORK"
