// The dashboard's Rooms panel (docs/dashboard.md, "Rooms"): three parts with two sources.
//   - Room list: presence.query {by: "rooms"} over the page's SockJS bridge (the same inbound address the other
//     panels use), re-read shortly after each room event and every 5 s.
//   - Room events: room.join, room.leave, room.occupied, room.vacated from presence.events, handed over by
//     dashboard.js.
//   - Members of the chosen room: a room watch over this node's /ws (docs/protocol.md §12.1), the only place that
//     numbers a room's changes and sends its digest. The page opens that WebSocket session when a room is chosen
//     and ends it (bye) on "Stop watching"; while it is open it is a session of the token's user (or of user
//     "dashboard" in development mode), visible like any other. The view itself is PresenceRoomView (room-view.js).
// Data from the cluster is written as text nodes only, as in dashboard.js.
(function () {
  'use strict';

  var RoomView = window.PresenceRoomView.RoomView;
  var RESYNC = window.PresenceRoomView.RESYNC;

  var ROOMS_LIMIT = 500;          // rooms read (and drawn) per refresh; narrow with a prefix beyond that
  var ROOMS_REFRESH_MS = 5000;
  var ROOMS_AFTER_EVENT_MS = 250; // a burst of room events costs one re-read
  var MAX_ROOM_EVENTS = 200;
  var MAX_MEMBER_ROWS = 500;
  var RECONNECT_MS = 2000;
  var RATE_LIMITED_RETRY_MS = 1000; // subscribe spends the session's query budget (1/s by default, §11.2)
  var DEV_MODE_USER = 'dashboard';

  var $ = window.PresenceDom.$;
  var cell = window.PresenceDom.cell;
  var idCell = window.PresenceDom.idCell;
  var row = window.PresenceDom.row;

  /**
   * @param deps {query(body, callback(err, reply)): presence.query over the bridge, bridgeOpen(): boolean,
   *     token(): the access token or null}
   */
  function create(deps) {
    var rooms = [];            // [{room, sessions, users}] from the last answer, by name
    var moreRooms = false;     // the last answer had a next page
    var refreshTimer = null;
    var refreshing = false;
    var refreshAgain = false;

    var view = null;           // RoomView of the chosen room, or null
    var socket = null;         // the /ws watch session, or null
    var welcomed = false;
    var refused = false;       // the node answered this socket's hello with an error
    var ownSession = null;
    var liveness = null;       // interval: ping the node, give up on a silent socket
    var lastHeard = 0;
    var reconnectTimer = null;
    var resyncs = 0;
    var digestState = 'none';  // none | ok | mismatch | unavailable (no SubtleCrypto)

    // ---- room list
    function refreshRooms() {
      if (!deps.bridgeOpen()) return;
      if (refreshing) { refreshAgain = true; return; }
      refreshing = true;
      var body = { by: 'rooms', limit: ROOMS_LIMIT };
      var prefix = $('room-prefix').value.trim();
      if (prefix) body.prefix = prefix;
      deps.query(body, function (err, reply) {
        refreshing = false;
        $('rooms-error').textContent = err ? 'rooms: ' + err : '';
        if (!err && reply && Array.isArray(reply.rooms)) {
          rooms = reply.rooms;
          moreRooms = !!reply.next;
          renderRooms();
        }
        if (refreshAgain) { refreshAgain = false; refreshRooms(); }
      });
    }

    function scheduleRoomsRefresh() {
      if (refreshTimer !== null) return;
      refreshTimer = setTimeout(function () { refreshTimer = null; refreshRooms(); }, ROOMS_AFTER_EVENT_MS);
    }

    function renderRooms() {
      $('room-count').textContent = '(' + rooms.length + (moreRooms ? '+, first ' + ROOMS_LIMIT + ' shown' : '') + ')';
      $('rooms').replaceChildren.apply($('rooms'), rooms.map(function (r) {
        var pick = document.createElement('button');
        pick.type = 'button';
        pick.className = 'room-pick';
        pick.textContent = r.room;
        pick.addEventListener('click', function () { select(r.room); });
        var name = document.createElement('td');
        name.appendChild(pick);
        var tr = row([name, cell(r.sessions), cell(r.users)]);
        tr.dataset.room = r.room;
        tr.dataset.sessions = String(r.sessions);
        tr.dataset.users = String(r.users);
        if (view && view.room === r.room) tr.className = 'selected';
        return tr;
      }));
    }

    // ---- room events
    function roomEvent(event, receivedAt) {
      var tr = row([cell(new Date(receivedAt).toLocaleTimeString()), cell(event.event, 'kind'), cell(event.room),
        cell(event.user || ''), cell(event.nick || ''), cell(event.reason || ''), idCell(event.session)]);
      tr.dataset.event = String(event.event);
      tr.dataset.room = String(event.room);
      if (event.session) tr.dataset.session = String(event.session);
      if (event.reason) tr.dataset.reason = String(event.reason);
      var list = $('room-events');
      list.insertBefore(tr, list.firstChild);
      while (list.children.length > MAX_ROOM_EVENTS) list.removeChild(list.lastChild);
      scheduleRoomsRefresh();
    }

    // ---- the watch session (/ws)
    function select(room) {
      if (view && view.room === room) return;
      var previous = view;
      view = new RoomView(room);
      digestState = 'none';
      $('room-error').textContent = '';
      renderRooms();
      renderWatch();
      if (socket && welcomed) {
        if (previous) send({ type: 'unsubscribe', room: previous.room });
        send({ type: 'subscribe', rooms: [room] });
      } else if (!socket) {
        openSocket();
      } // else: the welcome subscribes to the room chosen by then
    }

    function stopWatching() {
      view = null;
      clearTimeout(reconnectTimer);
      if (socket) {
        send({ type: 'bye' });  // the node closes the socket once the session is ended
        forget(socket);
      }
      renderRooms();
      renderWatch();
    }

    function openSocket() {
      clearTimeout(reconnectTimer);
      var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
      socket = ws;
      welcomed = false;
      refused = false;
      ws.onopen = function () { ws.send(JSON.stringify(hello())); };
      ws.onmessage = function (e) {
        if (ws !== socket) return;
        lastHeard = Date.now();
        var message;
        try { message = JSON.parse(e.data); } catch (err) { return; }
        onMessage(message);
      };
      ws.onclose = function (e) {
        if (ws === socket) lost(ws, e.code + (e.reason ? ' ' + e.reason : ''));
        // else: one this page let go of on purpose
      };
      renderWatch();
    }

    /**
     * The watch session ended without this page asking: start a new one (a fresh state) while a room is chosen. A
     * hello the node refused (no or a bad token, a limit) would only be refused again: the room is let go and the
     * error stays shown; choosing the room again retries.
     */
    function lost(ws, why) {
      var helloRefused = refused;
      forget(ws);
      digestState = 'none';
      var error = $('room-error').textContent;
      if (helloRefused) {
        $('room-error').textContent = (error ? error + '; ' : '') + 'watch connection refused (' + why + ')';
        view = null;
        renderRooms();
      } else {
        $('room-error').textContent = 'watch connection closed (' + why + ')' + (view ? '; reconnecting…' : '');
        if (view) {
          view = new RoomView(view.room);
          reconnectTimer = setTimeout(openSocket, RECONNECT_MS);
        }
      }
      renderWatch();
    }

    /** Drops the socket from this page's state; it closes on its own (bye) or is closed here. */
    function forget(ws) {
      clearInterval(liveness);
      liveness = null;
      if (ws === socket) { socket = null; welcomed = false; ownSession = null; }
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) {
        // Give a bye sent just before a moment to reach the node; the close frame ends the session anyway.
        setTimeout(function () { ws.close(1000, 'dashboard stopped watching'); }, 1000);
      }
    }

    /** Development mode needs hello.user; with a token, the user is the token's sub (the node checks they match). */
    function hello() {
      var token = deps.token();
      var message = { type: 'hello' };
      if (token) message.token = token;
      message.user = (token && tokenSubject(token)) || DEV_MODE_USER;
      return message;
    }

    function send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    }

    function onWelcome(message) {
      welcomed = true;
      ownSession = message.session;
      lastHeard = Date.now();
      // Client rule of protocol §2: a browser cannot see the node's pings, so it sends ping messages and treats
      // a socket from which nothing came for timeoutMs as lost.
      liveness = setInterval(function () {
        if (Date.now() - lastHeard > message.timeoutMs) {
          lost(socket, 'nothing from the node for ' + message.timeoutMs + ' ms');
          return;
        }
        send({ type: 'ping' });
      }, message.heartbeatMs);
      if (view) send({ type: 'subscribe', rooms: [view.room] });
    }

    function onMessage(message) {
      if (message.type === 'welcome') { onWelcome(message); return; }
      if (message.type === 'error') { onError(message); return; }
      if (!view || message.room !== view.room) return; // a room this page watched before
      var action;
      switch (message.type) {
        case 'presence.state': action = view.onState(message); digestState = 'none'; break;
        case 'presence.diff': action = view.onDiff(message); break;
        case 'presence.counts': action = view.onCounts(message); break;
        case 'presence.resync': action = view.onResync(message); break;
        case 'presence.digest': checkDigest(view, message); return;
        default: return;
      }
      act(view, action);
    }

    function act(roomView, action) {
      if (action === RESYNC && roomView === view) {
        resyncs++;
        send({ type: 'subscribe', rooms: [roomView.room] });
      }
      renderWatch();
    }

    function checkDigest(roomView, message) {
      var input = roomView.digestInput(message);
      if (input === null) return;
      if (input === RESYNC) { digestState = 'mismatch'; act(roomView, RESYNC); return; }
      var hashing = window.PresenceRoomView.sha256Hex(input);
      if (hashing === null) { digestState = 'unavailable'; renderWatch(); return; }
      hashing.then(function (hex) {
        if (roomView !== view) return;
        digestState = hex === message.digest ? 'ok' : 'mismatch';
        act(roomView, roomView.digestChecked(message.seq, hex === message.digest));
      });
    }

    function onError(message) {
      if (!welcomed) refused = true;
      if (message.code === 'rate_limited' && view && (view.mode === 'waiting' || view.awaitingState)) {
        var room = view.room;
        setTimeout(function () {
          if (view && view.room === room) send({ type: 'subscribe', rooms: [room] });
        }, RATE_LIMITED_RETRY_MS);
        return;
      }
      if (message.room && view && message.room !== view.room) return;
      $('room-error').textContent = message.code + ': ' + message.message
        + (message.code === 'room_forbidden' ? ' (the token needs a rooms claim such as "watch:*")' : '');
    }

    // ---- members panel
    function renderWatch() {
      var box = $('room-watch');
      $('stop-watching').hidden = view === null;
      if (view === null) {
        box.dataset.room = '';
        box.dataset.mode = 'none';
        $('room-summary').textContent = 'Choose a room to see its members.';
        $('room-members').replaceChildren();
        return;
      }
      box.dataset.room = view.room;
      box.dataset.mode = view.mode;
      box.dataset.seq = view.seq === null ? '' : String(view.seq);
      box.dataset.digest = digestState;
      box.dataset.resyncs = String(resyncs);
      $('room-summary').textContent = summary();
      var members = view.sortedMembers();
      $('room-members').replaceChildren.apply($('room-members'), members.slice(0, MAX_MEMBER_ROWS).map(function (m) {
        var tr = row([idCell(m.session), cell(m.user), cell(m.nick || ''), idCell(m.node),
          cell(m.suspect ? 'suspect' : (m.status || 'online') + (m.idle ? ', idle' : ''))]);
        tr.dataset.session = m.session;
        tr.dataset.user = String(m.user);
        if (m.session === ownSession) tr.className = 'own';
        return tr;
      }));
    }

    function summary() {
      var counts = view.sessionCount() + ' sessions, ' + view.userCount() + ' users';
      if (view.mode === 'waiting') return view.room + ': ' + (socket && welcomed ? 'reading…' : 'connecting…');
      if (view.mode === 'counts') return view.room + ': ' + counts + ' (a large room: the node sends counts, not members)';
      var digest = {
        none: 'no digest yet',
        ok: 'digest matches at seq ' + (view.digest && view.digest.seq),
        mismatch: 'digest differed: resynced',
        unavailable: 'digest not checked (SubtleCrypto needs https or localhost)'
      }[digestState];
      return view.room + ': ' + counts + (view.members.size > MAX_MEMBER_ROWS ? ', first ' + MAX_MEMBER_ROWS
        + ' shown' : '') + '; seq ' + view.seq + '; ' + digest + (view.awaitingState ? '; resyncing…' : '')
        + (resyncs ? '; ' + resyncs + (resyncs === 1 ? ' resync' : ' resyncs') : '');
    }

    // ---- helpers
    /** The token's sub, read (not verified: the node verifies) so that hello.user matches it. */
    function tokenSubject(token) {
      try {
        var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        var bytes = Uint8Array.from(atob(payload), function (c) { return c.charCodeAt(0); });
        var sub = JSON.parse(new TextDecoder().decode(bytes)).sub;
        return typeof sub === 'string' ? sub : null;
      } catch (e) {
        return null;
      }
    }

    // ---- wiring
    $('room-prefix-form').addEventListener('submit', function (e) { e.preventDefault(); refreshRooms(); });
    $('stop-watching').addEventListener('click', stopWatching);
    setInterval(refreshRooms, ROOMS_REFRESH_MS);
    renderWatch();

    return {
      /** The bridge (re)opened: read the room list. */
      connected: refreshRooms,
      /** A room.* event from presence.events. */
      roomEvent: roomEvent,
      /** The token changed: a watch session runs on the old one, so start it again. */
      tokenChanged: function () {
        if (!socket) return;
        var room = view && view.room;
        send({ type: 'bye' });
        forget(socket);
        view = null;
        if (room) select(room);
      },
      /** @return the session id of this page's own watch session, or null */
      ownSession: function () { return ownSession; }
    };
  }

  window.PresenceRoomsPanel = { create: create };
}());
