// Live handoff inbox: the waiting count in the navigation, the inbox list and a conversation, kept up
// to date from the server (server-sent events); every page still works without this file.
// Visitor text is only ever set with textContent: it is never parsed as HTML.
(function () {
  "use strict";

  var link = document.querySelector("[data-inbox-link]");
  function refreshCount() {
    fetch("/console/inbox/summary", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (summary) {
        if (summary && link) {
          link.textContent = "Inbox (" + summary.waiting + " waiting)";
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }
  // Once per page: polling would count as activity and keep an idle session from expiring.
  // The inbox page itself is kept up to date by its stream.
  if (link) {
    refreshCount();
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (text instanceof Node) { td.appendChild(text); } else { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function waitingInWords(seconds) {
    if (seconds < 60) { return "under a minute"; }
    var minutes = Math.floor(seconds / 60);
    return minutes < 60 ? minutes + " min" : Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  // The gateway pushes the inbox or one conversation as "inbox" events; an error payload has neither list.
  function onInboxEvent(url, list, render) {
    var source = new EventSource(url);
    source.addEventListener("inbox", function (event) {
      var data = JSON.parse(event.data);
      if (data[list]) { render(data, source); }
    });
  }

  var table = document.querySelector("[data-inbox-live]");
  if (table && window.EventSource) {
    var rows = document.getElementById("inbox-rows");
    var empty = document.getElementById("inbox-empty");
    var count = document.getElementById("inbox-count");
    onInboxEvent(table.getAttribute("data-inbox-live"), "items", function (data) {
      var items = data.items;
      rows.textContent = "";
      var waiting = 0;
      items.forEach(function (item) {
        if (item.state === "waiting") { waiting += 1; }
        var row = document.createElement("tr");
        row.setAttribute("data-handoff", item.id);
        var anchor = document.createElement("a");
        anchor.href = "/console/inbox/" + item.id;
        anchor.textContent = "Chat " + item.id;
        cell(row, anchor);
        var tag = document.createElement("span");
        tag.className = "tag handoff-" + item.state;
        tag.textContent = item.state;
        var state = cell(row, tag);
        if (item.accepted_by) { state.appendChild(document.createTextNode(" " + item.accepted_by)); }
        cell(row, item.state === "waiting" ? waitingInWords(item.waiting_seconds) : "");
        var unread = document.createElement("span");
        if (item.unread) { unread.className = "unread"; unread.textContent = String(item.unread); }
        cell(row, unread);
        cell(row, item.last_text, "last-text");
        rows.appendChild(row);
      });
      empty.hidden = items.length > 0;
      if (count) { count.textContent = "(" + waiting + " waiting)"; }
      if (link) { link.textContent = "Inbox (" + waiting + " waiting)"; }
    });
  }

  var transcript = document.querySelector("[data-handoff-live]");
  if (transcript && window.EventSource) {
    var stateTag = document.getElementById("handoff-state");
    onInboxEvent(transcript.getAttribute("data-handoff-live"), "turns", function (data, conversation) {
      transcript.textContent = "";
      data.turns.forEach(function (turn) {
        var item = document.createElement("li");
        item.className = "turn turn-" + (turn.sender === "visitor" ? "visitor" : "bot") +
          (turn.sender === "staff" ? " turn-staff" : "");
        item.setAttribute("data-event", turn.id);
        var speaker = document.createElement("span");
        speaker.className = "speaker";
        speaker.textContent = turn.sender === "visitor" ? "Visitor" :
          turn.sender === "staff" ? turn.staff_name + " (staff)" : "Assistant";
        var text = document.createElement("div");
        text.className = "pre";
        text.textContent = turn.text;
        item.appendChild(speaker);
        item.appendChild(text);
        transcript.appendChild(item);
      });
      if (stateTag && data.state) {
        stateTag.textContent = data.state;
        stateTag.className = "tag handoff-" + data.state;
      }
      if (data.state === "closed" || data.state === "gone") { conversation.close(); }
    });
  }
})();
