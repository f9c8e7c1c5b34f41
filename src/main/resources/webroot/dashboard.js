// The live dashboard: everything it shows comes over the SockJS event-bus bridge at /eventbus
// (docs/dashboard.md): presence.events (registered) and presence.query (request/reply); the Rooms panel
// (rooms.js) also watches the chosen room over /ws.
// Data from the cluster is only ever written as text nodes (textContent), never as markup: users and
// nicknames are chosen by clients, and the page must not run what they smuggle in.
(function () {
  'use strict';

  var TOKEN_KEY = 'presence.dashboard.token';
  // The bridge closes a socket that sends no {"type":"ping"} for 10 s; the client pings on its own every
  // vertxbus_ping_interval ms (5000 by default), set explicitly so a change of default cannot break it.
  var PING_INTERVAL_MS = 5000;
  var QUERY_TIMEOUT_MS = 5000;
  var MEMBERS_REFRESH_MS = 5000;
  var MEMBERS_DEBOUNCE_MS = 250;
  var PAGE_LIMIT = 1000;
  var MAX_EVENTS = 200;
  // Rows drawn in the session and nickname tables: a browser table of 50,000 rows redrawn on every event
  // would freeze the tab; the count above the table stays exact.
  var MAX_ROWS = 500;
  // Under churn, redraw the tables at most this often instead of once per event.
  var RENDER_EVERY_MS = 100;
  // Upper bounds (ms) of the ghost-window buckets; the last one is open.
  var GHOST_BUCKETS = [
    { below: 250, label: '< 250 ms' },
    { below: 1000, label: '< 1 s' },
    { below: 5000, label: '< 5 s' },
    { below: 15000, label: '< 15 s' },
    { below: 30000, label: '< 30 s' },
    { below: 60000, label: '< 60 s' },
    { below: Infinity, label: '≥ 60 s' }
  ];

  // State; this page has one thread, so no guarding is needed.
  var eb = null;
  var sessions = new Map();      // session id -> {session, user, nick, node, since}
  var leftWhileLoading = null;   // Set of session ids that left while the snapshot was being read
  var members = [];              // [{node, sessions}] from the last members answer
  var ghostCounts = GHOST_BUCKETS.map(function () { return 0; });
  var ghostMax = null;
  var ghostUnknown = 0;
  var membersTimer = null;
  var renderTimer = null;
  var rooms = null;              // the Rooms panel (rooms.js), made at start

  var $ = window.PresenceDom.$;
  var cell = window.PresenceDom.cell;
  var idCell = window.PresenceDom.idCell;
  var row = window.PresenceDom.row;

  // ---- token: URL fragment (never sent to the server, so never in its logs), else the password field;
  // kept in sessionStorage only (this tab, gone when it closes).
  function tokenFromFragment() {
    var fragment = window.location.hash.replace(/^#/, '');
    var params = new URLSearchParams(fragment);
    var token = params.get('token');
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      // Drop it from the address bar and history, so it is not copied along with the URL.
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function authHeaders() {
    var t = token();
    return t ? { authorization: 'Bearer ' + t } : {};
  }

  // ---- connection
  function setStatus(state, text) {
    var status = $('status');
    status.dataset.state = state;
    status.textContent = text;
  }

  function connect() {
    if (eb) {
      eb.onclose = null;
      eb.close();
    }
    setStatus('connecting', 'connecting to /eventbus…');
    // WebSocket only: the node offers no other SockJS transport (docs/event-bus.md), so the client must not
    // fall back to polling or iframe transports when a socket closes (e.g. one without a token, after the
    // hello timeout).
    eb = new EventBus('/eventbus', { vertxbus_ping_interval: PING_INTERVAL_MS, transports: ['websocket'] });
    eb.enableReconnect(true);
    eb.onopen = onOpen;
    eb.onreconnect = function () { /* onopen runs again and re-registers */ };
    eb.onclose = function () {
      $('status').dataset.registered = 'false';
      setStatus('closed', 'disconnected from /eventbus; reconnecting…');
    };
    // Errors the bridge sends without an address (e.g. access_denied for a refused send) land here.
    // The socket stays open after one, so the connection state is left as it is.
    eb.onerror = function (err) {
      var what = describe(err);
      // "rejected" is the bridge's answer to a frame without a valid token (docs/event-bus.md).
      $('bridge-error').textContent = 'bridge error: ' + what
        + (what === 'rejected' ? ' (token missing, invalid or expired: enter a token)' : '');
    };
  }

  function onOpen() {
    setStatus('open', 'connected' + (token() ? ' with a token' : ' without a token'));
    $('bridge-error').textContent = '';
    eb.registerHandler('presence.events', authHeaders(), function (err, message) {
      if (err) {
        $('status').dataset.registered = 'false';
        setStatus('error', 'presence.events refused: ' + describe(err));
        return;
      }
      onEvent(message.body, Date.now());
    });
    // A registration spreads through the cluster asynchronously (docs/protocol.md §9); the snapshot read
    // next may already contain sessions whose join this page will never see, which is why it is read.
    $('status').dataset.registered = 'true';
    loadSessions();
    refreshMembers();
    rooms.connected();
    if (membersTimer === null) {
      membersTimer = setInterval(refreshMembers, MEMBERS_REFRESH_MS);
    }
  }

  function describe(err) {
    if (!err) return 'unknown error';
    if (typeof err === 'string') return err;
    return err.message || err.body || err.failureType || JSON.stringify(err);
  }

  // presence.query with a bounded wait: a bridge that drops the request must not leave a panel hanging.
  function query(body, callback) {
    var done = false;
    var timer = setTimeout(function () {
      if (!done) { done = true; callback('no answer within ' + QUERY_TIMEOUT_MS + ' ms'); }
    }, QUERY_TIMEOUT_MS);
    try {
      eb.send('presence.query', body, authHeaders(), function (err, reply) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        // Failures come back as "<code>: <text>".
        callback(err ? describe(err) : null, reply && reply.body);
      });
    } catch (e) {
      done = true;
      clearTimeout(timer);
      callback(String(e));
    }
  }

  // ---- members
  function refreshMembers() {
    if (!eb || eb.state !== EventBus.OPEN) return;
    query({ by: 'members' }, function (err, body) {
      $('members-error').textContent = err ? 'members: ' + err : '';
      if (!err && body && Array.isArray(body.members)) {
        members = body.members;
        renderMembers();
      }
    });
  }

  function scheduleMembersRefresh() {
    clearTimeout(scheduleMembersRefresh.timer);
    scheduleMembersRefresh.timer = setTimeout(refreshMembers, MEMBERS_DEBOUNCE_MS);
  }

  function renderMembers() {
    var rows = members.slice().sort(function (a, b) { return a.node < b.node ? -1 : a.node > b.node ? 1 : 0; })
      .map(function (m) {
        var tr = row([idCell(m.node), cell(String(m.sessions))]);
        tr.dataset.node = m.node;
        tr.dataset.sessions = String(m.sessions);
        return tr;
      });
    $('members').replaceChildren.apply($('members'), rows);
  }

  // ---- sessions: a paged snapshot, then kept live by events
  function loadSessions() {
    // After a reconnect the old table may hold sessions whose leave this page never received: start over.
    sessions = new Map();
    leftWhileLoading = new Set();
    $('sessions-error').textContent = '';
    readPage(null);
  }

  function readPage(after) {
    var body = { by: 'all', limit: PAGE_LIMIT };
    if (after) body.after = after;
    query(body, function (err, page) {
      if (err || !page || !Array.isArray(page.sessions)) {
        $('sessions-error').textContent = 'sessions: ' + (err || 'unexpected answer');
        leftWhileLoading = null;
        return;
      }
      page.sessions.forEach(function (entry) {
        // An event seen since the read began is newer than the snapshot: it wins.
        if (!sessions.has(entry.session) && !leftWhileLoading.has(entry.session)) {
          sessions.set(entry.session, entry);
        }
      });
      scheduleRender();
      if (page.next) {
        readPage(page.next);
      } else {
        leftWhileLoading = null;
      }
    });
  }

  function scheduleRender() {
    if (renderTimer === null) {
      renderTimer = setTimeout(function () {
        renderTimer = null;
        renderSessions();
      }, RENDER_EVERY_MS);
    }
  }

  /** online / away / dnd, plus idle; "suspect" while a resumable session's connection is lost. */
  function stateOf(s) {
    if (s.suspect) return 'suspect';
    return (s.status || 'online') + (s.idle ? ', idle' : '');
  }

  function renderSessions() {
    var list = Array.from(sessions.values()).sort(function (a, b) { return a.since - b.since; });
    $('session-count').textContent = '(' + list.length + (list.length > MAX_ROWS ? ', first ' + MAX_ROWS
      + ' shown' : '') + ')';
    $('sessions').replaceChildren.apply($('sessions'), list.slice(0, MAX_ROWS).map(function (s) {
      var tr = row([idCell(s.session), cell(s.user), cell(s.nick || ''), idCell(s.node), cell(time(s.since)),
        cell(stateOf(s) + (s.session === rooms.ownSession() ? ' (this page, watching a room)' : ''))]);
      tr.dataset.session = s.session;
      return tr;
    }));
    var holders = list.filter(function (s) { return s.nick; })
      .sort(function (a, b) { return a.nick < b.nick ? -1 : a.nick > b.nick ? 1 : 0; });
    $('nicks').replaceChildren.apply($('nicks'), holders.slice(0, MAX_ROWS).map(function (s) {
      var tr = row([cell(s.nick), cell(s.user), idCell(s.node)]);
      tr.dataset.nick = s.nick;
      return tr;
    }));
  }

  // ---- events
  function onEvent(event, receivedAt) {
    if (!event || typeof event !== 'object') return;
    // Room changes (room.join, room.leave, room.occupied, room.vacated) carry a room and go to the Rooms panel;
    // they are not changes of the global view.
    if (event.room !== undefined && event.room !== null) {
      rooms.roomEvent(event, receivedAt);
      return;
    }
    var entry = sessions.get(event.session);
    if (event.event === 'join') {
      sessions.set(event.session, {
        session: event.session, user: event.user, nick: event.nick, node: event.node, since: event.at,
        status: event.status, idle: event.idle, suspect: false
      });
    } else if (event.event === 'nick') {
      if (entry) entry.nick = event.nick;
    } else if (event.event === 'status') {
      if (entry) { entry.status = event.status; entry.idle = event.idle; }
    } else if (event.event === 'suspect') {
      // A resumable session lost its connection: held for the grace period, not gone (yet).
      if (entry) entry.suspect = true;
    } else if (event.event === 'resumed') {
      if (entry) { entry.suspect = false; entry.node = event.node; }
    } else if (event.event === 'leave') {
      sessions.delete(event.session);
      if (leftWhileLoading) leftWhileLoading.add(event.session);
      countGhost(event, receivedAt);
    }
    appendEvent(event, receivedAt);
    scheduleRender();
    scheduleMembersRefresh();
  }

  function appendEvent(event, receivedAt) {
    var tr = row([cell(time(receivedAt)), cell(event.event, 'kind'), cell(event.user), cell(event.nick || ''),
      idCell(event.node), cell(event.reason || ''), idCell(event.session)]);
    tr.dataset.event = String(event.event);
    tr.dataset.session = String(event.session);
    if (event.reason) tr.dataset.reason = String(event.reason);
    var list = $('events');
    list.insertBefore(tr, list.firstChild);
    while (list.children.length > MAX_EVENTS) list.removeChild(list.lastChild);
  }

  // ---- ghost window: receivedAt - lastHeartbeat, an upper bound of how long a maybe-dead session showed
  function countGhost(event, receivedAt) {
    if (typeof event.lastHeartbeat !== 'number') {
      ghostUnknown++;
    } else {
      var ms = Math.max(0, receivedAt - event.lastHeartbeat); // below 0 only by clock skew
      for (var i = 0; i < GHOST_BUCKETS.length; i++) {
        if (ms < GHOST_BUCKETS[i].below) { ghostCounts[i]++; break; }
      }
      ghostMax = ghostMax === null ? ms : Math.max(ghostMax, ms);
    }
    renderGhost();
  }

  function renderGhost() {
    var most = Math.max.apply(null, ghostCounts.concat([1]));
    $('ghost').replaceChildren.apply($('ghost'), GHOST_BUCKETS.map(function (bucket, i) {
      var bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = (8 * ghostCounts[i] / most) + 'rem'; // CSSOM: allowed by the CSP, unlike style=""
      var barCell = document.createElement('td');
      barCell.appendChild(bar);
      var tr = row([cell(bucket.label), cell(String(ghostCounts[i])), barCell]);
      tr.dataset.bucket = bucket.label;
      tr.dataset.count = String(ghostCounts[i]);
      return tr;
    }));
    var total = ghostCounts.reduce(function (a, b) { return a + b; }, 0);
    $('ghost').dataset.total = String(total);
    $('ghost-summary').textContent = total + (total === 1 ? ' leave' : ' leaves') + ' measured'
      + (ghostMax === null ? '' : ', longest ' + ghostMax + ' ms')
      + (ghostUnknown ? '; ' + ghostUnknown + ' without lastHeartbeat' : '');
  }

  // ---- DOM helpers (text only): cell, idCell and row come from dom.js
  function time(epochMs) {
    return typeof epochMs === 'number' ? new Date(epochMs).toLocaleTimeString() : '';
  }

  // ---- start
  function start() {
    tokenFromFragment();
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var value = $('token').value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      $('token').value = '';
      connect();
      rooms.tokenChanged();
    });
    $('forget-token').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      connect();
      rooms.tokenChanged();
    });
    rooms = PresenceRoomsPanel.create({
      query: query,
      token: token,
      bridgeOpen: function () { return eb !== null && eb.state === EventBus.OPEN; }
    });
    renderGhost();
    connect();
  }

  start();
}());
