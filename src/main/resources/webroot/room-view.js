// One watched room as the dashboard sees it, kept from the /ws room watch messages (docs/protocol.md §12.1):
// presence.state, presence.diff, presence.digest, presence.counts, presence.resync. Pure: no DOM, no socket, no
// clock; each method says what the caller must do next. The rules it applies come from §12.1:
//   - a diff's seq must be the previous one plus one, else something was missed: resync;
//   - a digest names the seq it describes; at that seq the hex SHA-256 of the sorted member session ids joined
//     by "\n" must match, else the view diverged: resync; a digest for a later seq means a diff was missed;
//   - after presence.resync the view is kept (nothing discarded yet) until the fresh presence.state replaces it;
//   - above PRESENCE_ROOM_LARGE the node sends counts instead of members (no diffs, no digests).
(function () {
  'use strict';

  /** What a message asks of the caller. */
  var OK = 'ok';           // applied (or harmless to ignore)
  var RESYNC = 'resync';   // send subscribe {rooms: [room]} again; the next presence.state replaces the view

  function RoomView(room) {
    this.room = room;
    this.mode = 'waiting';        // 'waiting' (no state yet) | 'members' | 'counts'
    this.seq = null;              // seq of the last diff applied (members mode)
    this.members = new Map();     // session id -> entry (members mode)
    this.counts = null;           // {sessions, users} (counts mode)
    this.awaitingState = false;   // a resync was asked for or announced: diffs are ignored until the next state
    this.digest = null;           // {seq, ok} of the last digest checked
  }

  RoomView.prototype.onState = function (message) {
    this.members = new Map();
    var members = this.members;
    (message.sessions || []).forEach(function (entry) { members.set(entry.session, entry); });
    this.seq = message.seq;
    this.mode = 'members';
    this.counts = null;
    this.awaitingState = false;
    this.digest = null;
    return OK;
  };

  RoomView.prototype.onDiff = function (message) {
    if (this.mode !== 'members' || this.awaitingState) return OK; // the coming state supersedes it
    if (message.seq !== this.seq + 1) return this.resync();
    var members = this.members;
    // Order of §4.1: joins (upsert), then updates (to known sessions), then leaves.
    (message.joins || []).forEach(function (entry) { members.set(entry.session, entry); });
    (message.updates || []).forEach(function (update) {
      var entry = members.get(update.session);
      if (!entry) return;
      Object.keys(update).forEach(function (key) {
        if (key !== 'change') entry[key] = update[key];
      });
    });
    (message.leaves || []).forEach(function (leave) { members.delete(leave.session); });
    this.seq = message.seq;
    return OK;
  };

  RoomView.prototype.onCounts = function (message) {
    this.mode = 'counts';
    this.members = new Map();
    this.seq = null;
    this.counts = { sessions: message.sessions, users: message.users };
    this.awaitingState = false;
    this.digest = null;
    return OK;
  };

  /** presence.resync {room}: the node dropped changes and sends a fresh state once this page has read its backlog. */
  RoomView.prototype.onResync = function () {
    this.awaitingState = true;
    return OK;
  };

  /** The caller is about to subscribe again: ignore diffs until the state that answers it. */
  RoomView.prototype.resync = function () {
    this.awaitingState = true;
    return RESYNC;
  };

  /**
   * @return RESYNC when the digest shows a missed diff or a different member count; null when there is nothing to
   *     check (no members view, waiting for a state, or a digest older than the view); else the text whose SHA-256
   *     must equal message.digest, taken now, so later diffs cannot change it while it is being hashed
   */
  RoomView.prototype.digestInput = function (message) {
    if (this.mode !== 'members' || this.awaitingState || message.seq < this.seq) return null;
    if (message.seq > this.seq || message.sessions !== this.members.size) return this.resync();
    // Default sort compares UTF-16 code units, the order §12.1 names.
    return Array.from(this.members.keys()).sort().join('\n');
  };

  /** Records the outcome of a digest check; a mismatch asks for a resync. */
  RoomView.prototype.digestChecked = function (seq, matches) {
    this.digest = { seq: seq, ok: matches };
    return matches ? OK : this.resync();
  };

  RoomView.prototype.sessionCount = function () {
    return this.mode === 'counts' ? this.counts.sessions : this.members.size;
  };

  RoomView.prototype.userCount = function () {
    if (this.mode === 'counts') return this.counts.users;
    var users = new Set();
    this.members.forEach(function (entry) { users.add(entry.user); });
    return users.size;
  };

  /** @return the members ordered by user, then session id */
  RoomView.prototype.sortedMembers = function () {
    return Array.from(this.members.values()).sort(function (a, b) {
      var byUser = String(a.user).localeCompare(String(b.user));
      return byUser !== 0 ? byUser : (a.session < b.session ? -1 : a.session > b.session ? 1 : 0);
    });
  };

  /**
   * @return a Promise of the lower-case hex SHA-256 of text's UTF-8 bytes, or null where the browser offers no
   *     SubtleCrypto (it does only in secure contexts: https, or http to localhost / 127.0.0.1)
   */
  function sha256Hex(text) {
    if (!window.crypto || !window.crypto.subtle) return null;
    return window.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buffer) {
      return Array.from(new Uint8Array(buffer)).map(function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    });
  }

  window.PresenceRoomView = { RoomView: RoomView, sha256Hex: sha256Hex, OK: OK, RESYNC: RESYNC };
}());
