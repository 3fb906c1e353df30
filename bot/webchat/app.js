/*
 * app.js -- the faqbot web chat client.
 *
 * Talks to the daemon over a websocket at /ws with small JSON messages:
 *   page -> daemon  {"type":"ask","text":"..."}
 *   daemon -> page  {"type":"hello","title":..,"greeting":..}
 *                   {"type":"reply","kind":"answer|no_match|crisis",
 *                    "contacts":[{label,tel,sms,sms_body,text}],
 *                    "body":..,"sources":[{title,publisher,date,url}],
 *                    "footer":..,"suggest_title":..,"suggest":[..],
 *                    "note":..,"disclaimer":..}
 *                   {"type":"error","code":..,"message":..}
 * Every string from the network is inserted with textContent, never as
 * HTML.  Reconnects with exponential backoff.  Nothing is stored.
 */
"use strict";

(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const status = document.getElementById("status");
  let ws = null;
  let backoff = 500;
  let pending = [];

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function scroll(item) {
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function safeUrl(url) {
    try {
      const u = new URL(url);
      return (u.protocol === "https:" || u.protocol === "http:") ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function sourceItem(s) {
    const li = el("li");
    const parts = [s.publisher, s.date].filter(function (x) {
      return x && x !== "not stated";
    });
    const href = s.url ? safeUrl(s.url) : null;
    if (href) {
      const a = el("a", null, s.title || href);
      a.href = href;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      li.appendChild(a);
    } else {
      li.appendChild(document.createTextNode(s.title || "source"));
    }
    if (parts.length) li.appendChild(document.createTextNode(" (" + parts.join(", ") + ")"));
    return li;
  }

  function contactList(contacts) {
    const ul = el("ul", "contacts");
    contacts.forEach(function (c) {
      const li = el("li");
      if (c.tel) {
        const a = el("a", null, (c.label ? c.label + ": " : "") + "call " + c.tel);
        a.href = "tel:" + c.tel.replace(/[^0-9+]/g, "");
        li.appendChild(a);
      }
      if (c.sms) {
        if (c.tel) li.appendChild(document.createTextNode(" "));
        const a = el("a", null, (c.tel ? "" : (c.label ? c.label + ": " : "")) + "text " +
          (c.sms_body ? c.sms_body + " to " : "") + c.sms);
        a.href = "sms:" + c.sms.replace(/[^0-9+]/g, "") +
          (c.sms_body ? "?body=" + encodeURIComponent(c.sms_body) : "");
        li.appendChild(a);
      }
      if (!c.tel && !c.sms && c.text)
        li.textContent = (c.label ? c.label + ": " : "") + c.text;
      ul.appendChild(li);
    });
    return ul;
  }

  function showReply(m) {
    const crisis = m.kind === "crisis";
    const item = el("li", "msg bot" + (crisis ? " crisis" : ""));
    item.setAttribute("aria-label", crisis ? "Crisis support from the bot" : "Bot");
    if (crisis && Array.isArray(m.contacts) && m.contacts.length)
      item.appendChild(contactList(m.contacts));
    item.appendChild(el("div", "body", m.body || ""));
    if (Array.isArray(m.sources) && m.sources.length) {
      const ul = el("ul", "sources");
      ul.setAttribute("aria-label", "Sources");
      m.sources.forEach(function (s) { ul.appendChild(sourceItem(s)); });
      item.appendChild(ul);
    }
    if (m.footer) item.appendChild(el("p", "footer", m.footer));
    if (Array.isArray(m.suggest) && m.suggest.length) {
      if (m.suggest_title) item.appendChild(el("p", "suggest-title", m.suggest_title));
      const div = el("div", "suggest");
      div.setAttribute("role", "group");
      div.setAttribute("aria-label", m.suggest_title || "Did you mean");
      m.suggest.forEach(function (q) {
        const b = el("button", null, q);
        b.type = "button";
        b.addEventListener("click", function () { ask(q); });
        div.appendChild(b);
      });
      item.appendChild(div);
    }
    if (m.note) item.appendChild(el("p", "note", m.note));
    if (m.disclaimer) item.appendChild(el("p", "disclaimer", m.disclaimer));
    scroll(item);
  }

  function send(obj) {
    const s = JSON.stringify(obj);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(s);
    else pending.push(s);
  }

  function ask(text) {
    text = text.trim();
    if (!text) return;
    scroll(el("li", "msg user", text));
    send({ type: "ask", text: text });
  }

  function connect() {
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
    status.textContent = "Connecting\u2026";
    ws = new WebSocket(url, "faqbot-chat");
    ws.addEventListener("open", function () {
      backoff = 500;
      status.textContent = "Connected";
      document.body.dataset.connected = "1";
      const q = pending;
      pending = [];
      q.forEach(function (s) { ws.send(s); });
    });
    ws.addEventListener("message", function (ev) {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === "hello") {
        if (m.title) {
          document.title = m.title;
          document.getElementById("chat-title").textContent = m.title;
        }
        if (m.greeting && !log.dataset.greeted) {
          log.dataset.greeted = "1";
          scroll(el("li", "msg bot greeting", m.greeting));
        }
      } else if (m.type === "reply") {
        showReply(m);
      } else if (m.type === "error") {
        scroll(el("li", "msg bot", m.message || "Something went wrong."));
      }
    });
    ws.addEventListener("close", function () {
      document.body.dataset.connected = "0";
      status.textContent = "Disconnected, retrying\u2026";
      const wait = backoff + Math.floor(Math.random() * backoff / 2);
      backoff = Math.min(backoff * 2, 15000);
      setTimeout(connect, wait);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    ask(input.value);
    input.value = "";
    input.focus();
  });
  connect();
})();
