// Text-only DOM helpers shared by the dashboard's scripts (dashboard.js, rooms.js). Data from the cluster is
// written as text nodes only, never parsed as HTML: a nickname or a meta value is shown, never run.
(function () {
  'use strict';

  function $(id) { return document.getElementById(id); }

  /** A table cell holding text (null and undefined show as empty). */
  function cell(text, className) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) td.className = className;
    return td;
  }

  /** A cell showing an id's first 8 characters, the whole id as its tooltip. */
  function idCell(id) {
    var td = cell(id ? String(id).slice(0, 8) : '', 'id');
    if (id) td.title = String(id);
    return td;
  }

  /** A table row of the given cells. */
  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (td) { tr.appendChild(td); });
    return tr;
  }

  window.PresenceDom = { $: $, cell: cell, idCell: idCell, row: row };
}());
