/*
 * The British Academy chat widget.
 *
 * Plain JavaScript served as a file: no build step, no framework, and no
 * request to any host other than the gateway that served this script.
 * Embed it with one tag (see docs/widget.md):
 *
 *   <script src="https://chat.example.org/widget.js" defer
 *           data-title="British Academy assistant"
 *           data-primary-color="#0b3d6b"
 *           data-greeting="Hello! How can I help?"
 *           data-privacy-url="https://www.example.org/privacy"></script>
 *
 * Visitor and bot text is only ever put in the page as text (textContent /
 * text nodes), never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.britishAcademyChatLoaded) {
    return;
  }
  window.britishAcademyChatLoaded = true;

  var MAX_CHARS = 2000;
  var MAX_HISTORY = 200;
  var REQUEST_TIMEOUT_MS = 30000;
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  var DEFAULT_IDLE_MINUTES = 30;
  var DEFAULT_GREETING =
    "Hello! I'm the British Academy's assistant. How can I help you today?";
  // Offered with the greeting: the payloads of the bot's own help menu (data/responses.yml, utter_help).
  var STARTERS = [
    { title: "What is the difference?", payload: "/ask_difference" },
    { title: "Careers", payload: "/ask_careers" },
    { title: "Find a course", payload: "/recommend_course" },
    { title: "Make an enquiry", payload: "/enquire" },
    { title: "Talk to a person", payload: "/request_human" },
  ];
  var HANDOFF_STATUS = "You're chatting with our admissions team";
  var UNAVAILABLE_TEXT = "Chat unavailable. Please use the contact details on this website instead.";
  var MAX_SEEN_EVENTS = 200;
  var STREAM_RETRY_MS = 5000;

  // --- configuration from the script tag's data attributes ----------------

  function readConfig(tag) {
    var data = tag.dataset;
    var scriptOrigin = new URL(tag.src, window.location.href).origin;
    var gateway = (data.gateway || scriptOrigin).replace(/\/+$/, "");
    var privacy = safeUrl(data.privacyUrl || "/privacy", gateway + "/", false);
    var color = data.primaryColor || "";
    var idle = parseInt(data.idleMinutes || "", 10);
    return {
      gateway: gateway,
      title: data.title || "Chat with us",
      greeting: data.greeting || DEFAULT_GREETING,
      privacyUrl: privacy ? privacy.href : gateway + "/privacy",
      primaryColor: window.CSS && CSS.supports && CSS.supports("color", color) ? color : "",
      idleMs: (idle > 0 ? Math.min(idle, 24 * 60) : DEFAULT_IDLE_MINUTES) * 60000,
    };
  }

  function safeUrl(raw, base, allowMailto) {
    var url;
    try {
      url = new URL(raw, base);
    } catch (error) {
      return null;
    }
    if (url.protocol === "https:" || url.protocol === "http:") {
      return url;
    }
    return allowMailto && url.protocol === "mailto:" ? url : null;
  }

  var config = readConfig(script);
  var STORAGE_KEY = "british-academy-chat:v1:" + config.gateway;

  // --- the conversation, kept in sessionStorage --------------------------------
  // It may hold a name, an email or a phone number: it lives in this tab only, is
  // forgotten when the tab closes, expires after the idle time, and "Clear" removes it.

  var memoryState = null; // the conversation while storage is blocked (it then lasts for this page only)
  var memoryOnly = false;

  function freshState() {
    return { conversationId: "", greeted: false, messages: [], unread: 0, handoff: null };
  }

  function copyOf(state) {
    return JSON.parse(JSON.stringify(state));
  }

  function expired(state) {
    return typeof state.savedAt !== "number" || Date.now() - state.savedAt > config.idleMs;
  }

  function loadState() {
    if (memoryOnly) {
      return memoryState && !expired(memoryState) ? copyOf(memoryState) : freshState();
    }
    var raw;
    try {
      raw = window.sessionStorage.getItem(STORAGE_KEY);
    } catch (error) {
      memoryOnly = true; // storage blocked by the browser's settings
      return memoryState && !expired(memoryState) ? copyOf(memoryState) : freshState();
    }
    try {
      var parsed = JSON.parse(raw || "null");
      if (parsed && Array.isArray(parsed.messages) && !expired(parsed)) {
        return parsed;
      }
    } catch (error) {
      // damaged: start again rather than fail
    }
    if (raw) {
      forgetStored(); // idle too long (or damaged): the old transcript goes, not just out of sight
    }
    return freshState();
  }

  /** Remove the stored conversation from this browser (and any copy an older widget kept in localStorage). */
  function forgetStored() {
    memoryState = null;
    [window.sessionStorage, window.localStorage].forEach(function (area) {
      try {
        area.removeItem(STORAGE_KEY);
      } catch (error) {
        // storage blocked: nothing was kept there
      }
    });
  }

  function saveState(state) {
    if (state.messages.length > MAX_HISTORY) {
      state.messages = state.messages.slice(-MAX_HISTORY);
    }
    state.savedAt = Date.now(); // activity: the idle time counts from here
    memoryState = copyOf(state);
    if (memoryOnly) {
      return;
    }
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      memoryOnly = true; // private browsing or quota: keep going in memory
    }
  }

  /** Read, change and write the stored state in one step, then redraw. */
  function update(change) {
    var state = loadState();
    change(state);
    saveState(state);
    render(state);
    return state;
  }

  function findMessage(state, id) {
    for (var i = 0; i < state.messages.length; i++) {
      if (state.messages[i].id === id) {
        return state.messages[i];
      }
    }
    return null;
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // --- DOM helpers: elements and text nodes only ----------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === false || value === null || value === undefined) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
    );
    svg.appendChild(path);
    return svg;
  }

  function safeLink(rawUrl, label, allowMailto) {
    var url = safeUrl(rawUrl, undefined, allowMailto);
    if (!url) {
      return null;
    }
    var link = el("a", { href: url.href, rel: "noopener noreferrer", text: label });
    if (url.protocol !== "mailto:") {
      link.target = "_blank";
    }
    return link;
  }

  // Markdown links, bare web addresses and email addresses in bot text.
  var LINK_PATTERN =
    /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"']+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/gi;

  /** Bot text as text nodes, with http(s) addresses and emails turned into safe links. */
  function appendBotText(parent, text) {
    var last = 0;
    var match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text))) {
      var whole = match[0];
      var trailing = "";
      var link;
      if (match[1]) {
        link = safeLink(match[2], match[1], false);
      } else if (match[3]) {
        var url = match[3];
        var punctuation = /[.,;:!?)\]'"]+$/.exec(url);
        if (punctuation) {
          trailing = punctuation[0];
          url = url.slice(0, -trailing.length);
        }
        link = safeLink(url, url, false);
      } else {
        link = safeLink("mailto:" + match[4], match[4], true);
      }
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(link || document.createTextNode(whole.slice(0, whole.length - trailing.length)));
      if (trailing) {
        parent.appendChild(document.createTextNode(trailing));
      }
      last = match.index + whole.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // --- the widget's elements (in a shadow root: the host page's CSS stays out) --

  var host = el("div", { id: "british-academy-chat" });
  host.style.display = "none"; // until our stylesheet has loaded
  if (config.primaryColor) {
    host.style.setProperty("--ba-primary", config.primaryColor);
  }
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var stylesheet = el("link", { rel: "stylesheet", href: config.gateway + "/widget.css" });
  stylesheet.addEventListener("load", function () {
    host.style.display = "";
  });
  stylesheet.addEventListener("error", function () {
    host.style.display = ""; // unstyled, but usable
  });

  var ui = {};
  ui.launcher = el(
    "button",
    {
      type: "button",
      className: "ba-launcher",
      "aria-expanded": "false",
      "aria-controls": "ba-panel",
      "aria-label": "Open chat: " + config.title,
    },
    [chatIcon(), el("span", { className: "ba-launcher-label", text: "Chat" })]
  );
  ui.badge = el("span", { className: "ba-badge", hidden: true });
  ui.launcher.appendChild(ui.badge);
  ui.title = el("h2", { id: "ba-title", className: "ba-title", text: config.title });
  ui.restart = el("button", {
    type: "button",
    className: "ba-restart",
    text: "Clear",
    "aria-label": "Clear conversation: remove it from this browser and start a new one",
  });
  ui.close = el("button", { type: "button", className: "ba-close", "aria-label": "Close chat" }, ["\u00d7"]);
  ui.log = el("div", {
    className: "ba-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions text",
    "aria-label": "Conversation",
    tabindex: "0",
  });
  ui.typing = el("div", { className: "ba-typing", role: "status", hidden: true }, [
    el("span", { className: "ba-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    el("span", { className: "ba-sr", text: "The assistant is typing\u2026" }),
  ]);
  ui.handoffStatus = el("p", { className: "ba-handoff", role: "status", hidden: true, text: HANDOFF_STATUS });
  ui.unavailable = el("p", { className: "ba-unavailable", role: "alert", hidden: true, text: UNAVAILABLE_TEXT });
  ui.quickReplies = el("div", { className: "ba-quick-replies", role: "group", "aria-label": "Suggested replies" });
  ui.input = el("textarea", {
    id: "ba-input",
    className: "ba-input",
    rows: "1",
    maxlength: String(MAX_CHARS),
    placeholder: "Type your question\u2026",
    autocomplete: "off",
  });
  ui.send = el("button", { type: "submit", className: "ba-send", text: "Send" });
  ui.form = el("form", { className: "ba-form", novalidate: true }, [
    el("label", { for: "ba-input", className: "ba-sr", text: "Your message" }),
    ui.input,
    ui.send,
  ]);
  ui.privacy = safeLink(config.privacyUrl, "Privacy notice", false);
  ui.panel = el(
    "section",
    { id: "ba-panel", className: "ba-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "ba-title", hidden: true },
    [
      el("header", { className: "ba-header" }, [ui.title, ui.restart, ui.close]),
      ui.handoffStatus,
      ui.unavailable,
      ui.log,
      ui.typing,
      ui.quickReplies,
      ui.form,
      el("footer", { className: "ba-footer" }, [
        "Answers come from an automated assistant. ",
        ui.privacy || "",
      ]),
    ]
  );
  ui.frame = el("div", { className: "ba-frame" }, [ui.launcher, ui.panel]);
  root.appendChild(stylesheet);
  root.appendChild(ui.frame);

  // --- drawing the conversation ---------------------------------------------

  var nodes = {}; // message id -> element, so redraws only add what is new

  var STATUS_TEXT = {
    sending: "",
    retrying: "Not sent \u2013 retrying\u2026",
    sent: "",
  };

  function buildMessage(message) {
    if (message.from === "notice") {
      return el("p", { className: "ba-notice", "data-id": message.id, text: message.text || "" });
    }
    var fromStaff = message.from === "staff";
    var fromBot = message.from === "bot" || fromStaff;
    var body = el("div", { className: "ba-text" });
    if (fromBot) {
      appendBotText(body, message.text || "");
    } else {
      body.textContent = message.text || "";
    }
    var label = fromStaff
      ? el("span", { className: "ba-sender", text: (message.staffName || "Admissions team") + ":" })
      : el("span", { className: "ba-sr", text: fromBot ? "Assistant: " : "You: " });
    var node = el(
      "div",
      {
        className: "ba-msg " + (fromBot ? "ba-msg-bot" : "ba-msg-visitor") + (fromStaff ? " ba-msg-staff" : ""),
        "data-id": message.id,
      },
      [label, body]
    );
    if (fromBot && message.links && message.links.length) {
      var list = el("ul", { className: "ba-links" });
      message.links.forEach(function (item) {
        var link = safeLink(item.url, item.title, true);
        if (link) {
          list.appendChild(el("li", {}, [link]));
        }
      });
      node.appendChild(list);
    }
    node.appendChild(el("p", { className: "ba-status" }));
    return node;
  }

  function drawStatus(node, message) {
    var status = node.querySelector(".ba-status");
    if (!status) {
      return; // a notice
    }
    var text = message.status === "failed" ? "Not sent: " + (message.error || "please try again.") : STATUS_TEXT[message.status] || "";
    if (status.textContent !== text) {
      status.textContent = text;
    }
    node.classList.toggle("ba-pending", message.status === "retrying" || message.status === "failed");
  }

  var quickRepliesFor = null; // the message whose buttons are on show

  function drawQuickReplies(state) {
    var last = state.messages[state.messages.length - 1];
    var owner = last && last.from === "bot" && last.buttons && last.buttons.length ? last : null;
    if ((owner && owner.id) === quickRepliesFor) {
      return; // unchanged: keep the buttons (and keyboard focus on them)
    }
    quickRepliesFor = owner && owner.id;
    while (ui.quickReplies.firstChild) {
      ui.quickReplies.removeChild(ui.quickReplies.firstChild);
    }
    (owner ? owner.buttons : []).forEach(function (button) {
      var choice = el("button", { type: "button", className: "ba-quick-reply", text: button.title });
      choice.addEventListener("click", function () {
        send(button.title, button.payload);
        ui.input.focus(); // the buttons go away; keep the keyboard user in the conversation
      });
      ui.quickReplies.appendChild(choice);
    });
  }

  function render(state) {
    var seen = {};
    var added = false;
    var replyStart = null; // the first message of the newest run of incoming messages just drawn
    state.messages.forEach(function (message, index) {
      seen[message.id] = true;
      var node = nodes[message.id];
      if (!node) {
        node = nodes[message.id] = buildMessage(message);
        added = true;
        if (message.from === "visitor") {
          replyStart = null;
        } else if (!replyStart) {
          replyStart = node;
        }
      } else if (message.from === "visitor") {
        replyStart = null;
      }
      drawStatus(node, message);
      if (ui.log.children[index] !== node) {
        ui.log.insertBefore(node, ui.log.children[index] || null);
      }
    });
    Object.keys(nodes).forEach(function (id) {
      if (!seen[id]) {
        nodes[id].remove();
        delete nodes[id];
      }
    });
    drawQuickReplies(state);
    drawBadge(state);
    ui.handoffStatus.hidden = !state.handoff;
    if (added) {
      scrollToNewest(replyStart);
    }
  }

  /** A new reply is read from its start (a long answer would otherwise show only its end). */
  function scrollToNewest(replyStart) {
    if (replyStart) {
      ui.log.scrollTop = replyStart.offsetTop - 8; // .ba-log is the offsetParent (position: relative)
    } else {
      ui.log.scrollTop = ui.log.scrollHeight;
    }
  }

  function lastReplyStart(state) {
    var start = null;
    for (var i = state.messages.length - 1; i >= 0 && state.messages[i].from !== "visitor"; i--) {
      start = nodes[state.messages[i].id] || start;
    }
    return start;
  }

  function drawBadge(state) {
    var unread = isOpen() ? 0 : state.unread || 0;
    ui.badge.hidden = unread === 0;
    ui.badge.textContent = unread > 9 ? "9+" : String(unread);
    ui.launcher.setAttribute(
      "aria-label",
      (isOpen() ? "Close chat: " : "Open chat: ") + config.title + (unread ? " (" + unread + " unread)" : "")
    );
  }

  function showTyping(visible) {
    ui.typing.hidden = !visible;
    if (visible) {
      ui.log.scrollTop = ui.log.scrollHeight;
    }
  }

  // --- sending, once, with retries ------------------------------------------

  var busy = false;
  var generation = 0; // bumped by Clear: replies to a cleared conversation are dropped
  var attempt = 0;
  var retryTimer = null;

  function send(text, payload) {
    var trimmed = (text || "").trim();
    if (!trimmed) {
      return;
    }
    update(function (state) {
      state.messages.push({
        id: newId(),
        from: "visitor",
        text: trimmed.slice(0, MAX_CHARS),
        payload: payload || undefined,
        status: "sending",
      });
    });
    pump();
  }

  function nextUnsent(state) {
    for (var i = 0; i < state.messages.length; i++) {
      var message = state.messages[i];
      if (message.from === "visitor" && (message.status === "sending" || message.status === "retrying")) {
        return message;
      }
    }
    return null;
  }

  /** What the visitor reads when the gateway refuses a message: never the API's own error text. */
  function friendlyError(status) {
    if (status === 413) {
      return "that message is too long. Please shorten it and send it again.";
    }
    if (status === 403) {
      return "the chat is unavailable on this website.";
    }
    return "this message could not be sent. Please rephrase it and try again.";
  }

  function retryAfterSeconds(response) {
    var value = parseInt(response.headers.get("Retry-After") || "", 10);
    return isNaN(value) ? 0 : Math.min(value, 120);
  }

  /** One attempt. The same client_message_id every time: the gateway answers a retry from its cache. */
  function deliver(message) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
    }, REQUEST_TIMEOUT_MS);
    return fetch(config.gateway + "/api/chat", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        message: message.payload || message.text,
        conversation_id: message.conversationId || undefined,
        client_message_id: message.id,
      }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            var hasMessages = body && Array.isArray(body.messages);
            if (response.ok && hasMessages) {
              return { kind: "delivered", body: body };
            }
            if (response.status === 503 && hasMessages) {
              return { kind: "delivered", body: body }; // the gateway's apology is an answer
            }
            if (response.status === 429 || response.status >= 500 || response.ok) {
              return { kind: "retry", after: retryAfterSeconds(response) };
            }
            if (response.status === 403) {
              reportUnavailable(body && body.error);
            }
            return { kind: "rejected", error: friendlyError(response.status) };
          });
      })
      .catch(function () {
        // Offline, connection dropped or timed out, or a refused preflight (which looks the same
        // from here): ask the gateway whether this site may use it at all.
        return checkOrigin().then(function (allowed) {
          return allowed === false ? { kind: "rejected", error: friendlyError(403) } : { kind: "retry", after: 0 };
        });
      })
      .then(function (outcome) {
        clearTimeout(timer);
        return outcome;
      });
  }

  function applyAnswer(messageId, body) {
    var state = update(function (state) {
      var message = findMessage(state, messageId);
      if (!message || message.status === "sent") {
        return; // restarted meanwhile, or another tab already showed this answer
      }
      message.status = "sent";
      delete message.error;
      if (typeof body.conversation_id === "string" && body.conversation_id) {
        state.conversationId = body.conversation_id;
      }
      var at = state.messages.indexOf(message) + 1;
      var answers = body.messages
        .filter(function (item) {
          return item && (item.text || (item.buttons && item.buttons.length) || (item.links && item.links.length));
        })
        .map(function (item, index) {
          return {
            id: messageId + "-" + index,
            from: "bot",
            text: typeof item.text === "string" ? item.text : "",
            buttons: Array.isArray(item.buttons)
              ? item.buttons.filter(function (b) {
                  return b && typeof b.title === "string" && typeof b.payload === "string";
                })
              : undefined,
            links: Array.isArray(item.links) ? item.links : undefined,
          };
        });
      state.messages.splice.apply(state.messages, [at, 0].concat(answers));
      if (!isOpen()) {
        state.unread = (state.unread || 0) + answers.length;
      }
      var handoff = body.handoff;
      if (handoff && typeof handoff.events_url === "string" && handoff.events_url.charAt(0) === "/") {
        var same = state.handoff && state.handoff.eventsUrl === handoff.events_url;
        state.handoff = {
          state: handoff.state === "live" ? "live" : "waiting",
          eventsUrl: handoff.events_url,
          seen: same ? state.handoff.seen : [],
        };
      }
    });
    syncStream(state);
  }

  // --- live handoff: staff messages over server-sent events --------------------

  var stream = null; // the open EventSource, for stream.url
  var streamRetry = null;

  function closeStream() {
    clearTimeout(streamRetry);
    streamRetry = null;
    if (stream) {
      stream.close();
      stream = null;
    }
  }

  /** Open, keep or close the stream so that it matches the stored handoff. */
  function syncStream(state) {
    var wanted = state.handoff ? config.gateway + state.handoff.eventsUrl : null;
    if (stream && stream.url === wanted) {
      return;
    }
    closeStream();
    if (!wanted || !window.EventSource) {
      return;
    }
    var source = new EventSource(wanted);
    stream = source;
    source.addEventListener("message", function (event) {
      staffMessage(event);
    });
    source.addEventListener("state", function (event) {
      handoffState(event);
    });
    source.addEventListener("error", function () {
      // The browser reconnects by itself unless the server refused the stream; then try again later.
      if (source.readyState === 2 && stream === source) {
        stream = null;
        streamRetry = setTimeout(function () {
          streamRetry = null;
          syncStream(loadState());
        }, STREAM_RETRY_MS);
      }
    });
  }

  function parseEvent(event) {
    try {
      var data = JSON.parse(event.data);
      return data && typeof data === "object" ? data : null;
    } catch (error) {
      return null;
    }
  }

  function staffMessage(event) {
    var data = parseEvent(event);
    if (!data || typeof data.text !== "string" || !data.text) {
      return;
    }
    var eventId = event.lastEventId || "";
    update(function (state) {
      if (!state.handoff) {
        return;
      }
      if (eventId) {
        if (state.handoff.seen.indexOf(eventId) !== -1) {
          return; // a replay after a reconnect or a reload
        }
        state.handoff.seen.push(eventId);
        state.handoff.seen = state.handoff.seen.slice(-MAX_SEEN_EVENTS);
      }
      state.messages.push({
        id: "staff-" + (eventId || newId()),
        from: "staff",
        staffName: typeof data.staff_name === "string" ? data.staff_name.slice(0, 80) : "",
        text: data.text,
      });
      if (!isOpen()) {
        state.unread = (state.unread || 0) + 1;
      }
    });
  }

  function handoffState(event) {
    var data = parseEvent(event);
    if (!data) {
      return;
    }
    var state = update(function (current) {
      if (!current.handoff) {
        return;
      }
      if (typeof data.text === "string" && data.text) {
        current.messages.push({ id: "notice-" + (event.lastEventId || newId()), from: "notice", text: data.text });
      }
      if (data.state === "bot") {
        current.handoff = null;
      } else if (data.state === "waiting" || data.state === "live") {
        current.handoff.state = data.state;
      }
    });
    syncStream(state);
  }

  // --- is this site allowed to use the gateway? ---------------------------------

  var originVerdict = null; // a promise of true, false or null (could not tell)

  function checkOrigin() {
    if (!originVerdict) {
      originVerdict = fetch(config.gateway + "/api/origin", { mode: "cors", credentials: "omit" })
        .then(function (response) {
          return response.json();
        })
        .then(function (body) {
          if (body && body.allowed === false) {
            reportUnavailable(body.error);
            return false;
          }
          return body && body.allowed === true ? true : null;
        })
        .catch(function () {
          originVerdict = null; // offline: ask again next time
          return null;
        });
    }
    return originVerdict;
  }

  function reportUnavailable(reason) {
    if (!ui.unavailable.hidden) {
      return;
    }
    ui.unavailable.hidden = false;
    ui.quickReplies.hidden = true; // nothing here can be sent
    ui.input.disabled = true;
    ui.send.disabled = true;
    if (window.console && console.error) {
      console.error(
        "British Academy chat unavailable: " +
          (reason || "the gateway " + config.gateway + " refused this website (" + window.location.origin + ").")
      );
    }
  }

  function scheduleRetry(seconds) {
    var delay = Math.max(RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)], seconds * 1000);
    attempt += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () {
      retryTimer = null;
      pump();
    }, delay);
  }

  /** Send the oldest unsent message; then the next. One request at a time, in order. */
  function pump() {
    if (busy || retryTimer) {
      return;
    }
    var pending = nextUnsent(loadState());
    if (!pending) {
      attempt = 0;
      showTyping(false);
      return;
    }
    // Fix the conversation the message belongs to at its first attempt, so every retry
    // presents the gateway with the same (conversation, client_message_id) pair.
    var state = update(function (current) {
      var message = findMessage(current, pending.id);
      if (message && message.conversationId === undefined) {
        message.conversationId = current.conversationId || "";
      }
    });
    var message = findMessage(state, pending.id);
    var started = generation;
    busy = true;
    showTyping(!state.handoff); // a person answers in their own time, through the stream
    deliver(message).then(function (outcome) {
      if (started !== generation) {
        return; // Clear pressed while waiting
      }
      busy = false;
      if (outcome.kind === "delivered") {
        attempt = 0;
        applyAnswer(message.id, outcome.body);
        pump();
      } else if (outcome.kind === "rejected") {
        update(function (current) {
          var failed = findMessage(current, message.id);
          if (failed && failed.status !== "sent") {
            failed.status = "failed";
            failed.error = outcome.error;
          }
        });
        pump();
      } else {
        showTyping(false);
        update(function (current) {
          // This one and any queued behind it wait for the network together.
          current.messages.forEach(function (waiting) {
            if (waiting.from === "visitor" && waiting.status === "sending") {
              waiting.status = "retrying";
            }
          });
        });
        scheduleRetry(outcome.after);
      }
    });
  }

  // --- opening, closing, restarting -----------------------------------------

  function isOpen() {
    return !ui.panel.hidden;
  }

  function greetOnce() {
    if (loadState().greeted) {
      return;
    }
    update(function (state) {
      if (!state.greeted) {
        state.greeted = true;
        state.messages.unshift({ id: "greeting-" + newId(), from: "bot", text: config.greeting, buttons: STARTERS });
      }
    });
  }

  function open() {
    ui.panel.hidden = false;
    ui.frame.classList.add("ba-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    greetOnce();
    var state = update(function (current) {
      current.unread = 0;
    });
    scrollToNewest(lastReplyStart(state)); // laid out only now that the panel shows
    if (!isSameOrigin()) {
      checkOrigin();
    }
    ui.input.focus();
  }

  function isSameOrigin() {
    return new URL(config.gateway).origin === window.location.origin;
  }

  function close() {
    ui.panel.hidden = true;
    ui.frame.classList.remove("ba-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    render(loadState());
    ui.launcher.focus();
  }

  function restart() {
    generation += 1;
    busy = false;
    attempt = 0;
    clearTimeout(retryTimer);
    retryTimer = null;
    showTyping(false);
    closeStream();
    forgetStored();
    render(freshState());
    greetOnce();
    ui.input.value = "";
    ui.input.focus();
  }

  ui.launcher.addEventListener("click", function () {
    if (isOpen()) {
      close();
    } else {
      open();
    }
  });
  ui.close.addEventListener("click", close);
  ui.restart.addEventListener("click", restart);
  ui.panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  ui.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = ui.input.value;
    if (!text.trim()) {
      ui.input.focus();
      return;
    }
    ui.input.value = "";
    send(text);
    ui.input.focus();
  });
  ui.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit ? ui.form.requestSubmit() : ui.send.click();
    }
  });

  window.addEventListener("online", function () {
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
      pump();
    }
  });

  function mount() {
    try {
      window.localStorage.removeItem(STORAGE_KEY); // a transcript an older widget kept with no expiry
    } catch (error) {
      // storage blocked: nothing was kept there
    }
    document.body.appendChild(host);
    var state = loadState();
    render(state);
    syncStream(state); // a handoff in progress on an earlier page goes on
    pump(); // messages left unsent by an earlier page
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
