/* The officer's phone, with a weak signal.
   - Drafts: every answer is kept in localStorage as it is typed (cc:draft:<user>:<instruction>).
   - Submitting puts the answers in a queue on the phone (cc:queue:<user>) with an Idempotency-Key made
     at that moment; the queue is sent now if possible, else when the signal returns (the `online`
     event, every 20 s, the next page load). The key makes a resend, a double tap or a lost answer store
     the feedback once. Photos wait in IndexedDB under ids chosen here, and are uploaded before the answers.
   - The inbox polls its list (X-Poll: 1 keeps it from holding the session open) and announces new items.
   - A service worker (/m/sw.js) keeps the app shell and the pages last seen, for loading without signal. */
(function () {
  "use strict";
  var body = document.body;
  var USER = body.getAttribute("data-user") || "";
  var T = JSON.parse(document.getElementById("m-strings").textContent);
  var QUEUE = "cc:queue:" + USER;
  var EVERY_MS = 20000;
  var MAX_PHOTOS = 6;
  var PHOTO_SIDE = 1600;

  // --- storage on the phone ------------------------------------------------------------------------
  function load(key, fallback) {
    try {
      var raw = localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* full or forbidden: the page still works online */
    }
  }
  function draftKey(pk) {
    return "cc:draft:" + USER + ":" + pk;
  }
  function queue() {
    return load(QUEUE, []);
  }
  function queued(pk) {
    return queue().filter(function (e) { return e.pk === pk; })[0];
  }
  function unqueue(entry) {
    var rest = queue().filter(function (e) { return e.key !== entry.key; });
    store(QUEUE, rest.length ? rest : null);
    showQueue();
  }

  var dbOpen = null;
  function photos(mode, work) {
    if (!window.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    dbOpen = dbOpen || new Promise(function (ok, ko) {
      var req = indexedDB.open("cc-mobile", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("photos", { keyPath: "id" }); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { ko(req.error); };
    });
    return dbOpen.then(function (db) {
      return new Promise(function (ok, ko) {
        var tx = db.transaction("photos", mode);
        var req = work(tx.objectStore("photos"));
        tx.oncomplete = function () { ok(req.result); };
        tx.onerror = tx.onabort = function () { ko(tx.error); };
      });
    });
  }

  function uuid() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function clock(ms) {
    return new Date(ms).toTimeString().slice(0, 5);
  }

  // --- the bar: signal, and what waits on this phone ----------------------------------------------
  var net = document.querySelector("[data-net]");
  var bar = document.querySelector("[data-queue-bar]");
  function showNet() {
    if (net) net.hidden = navigator.onLine;
  }
  function showQueue(note) {
    var q = queue();
    if (bar) {
      bar.textContent = note || (q.length ? q.length + " " + T.waiting : "");
      bar.hidden = !bar.textContent;
    }
    var pks = q.map(function (e) { return String(e.pk); });
    document.querySelectorAll("[data-testid=inbox-item]").forEach(function (card) {
      var mark = card.querySelector("[data-local]");
      if (mark) mark.hidden = pks.indexOf(card.getAttribute("data-id")) < 0;
    });
  }
  // --- the session's end: nothing kept on this phone outlives it ------------------------------------
  // The pages kept for no signal hold personal data: forgotten at the first 401 (the worker forgets them
  // itself when a phone page is redirected to the login page, and after their maximum age).
  var PAGES = "cc-pages";
  var KEPT_AT = "X-CC-Kept-At";
  function forgetPages() {
    body.removeAttribute("data-kept");
    if (!window.caches) return Promise.resolve();
    return caches.delete(PAGES).catch(function () {});
  }
  // The API answers 403 to a request without a session (and to a refused CSRF token): the inbox's poll says
  // which (401 when the session has ended).
  function checkSession() {
    return fetch(body.getAttribute("data-session"), {
      credentials: "same-origin",
      headers: { "X-Poll": "1" },
    }).then(function (res) {
      if (res.status === 401) sessionEnded();
    }).catch(function () {});
  }
  function sessionEnded() {
    forgetPages();
    loginNote();
  }
  // Drafts are kept per user: those of anyone else who used this phone are not this user's to keep.
  (function () {
    var mine = "cc:draft:" + USER + ":";
    var others = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf("cc:draft:") === 0 && key.indexOf(mine) !== 0) others.push(key);
    }
    others.forEach(function (key) { localStorage.removeItem(key); });
  })();

  function loginNote() {
    if (!bar) return;
    bar.textContent = "";
    var a = document.createElement("a");
    a.href = body.getAttribute("data-login");
    a.textContent = T.login;
    bar.appendChild(a);
    bar.hidden = false;
  }

  // --- the answer sheet ---------------------------------------------------------------------------
  var form = document.querySelector("[data-sheet]");
  var PK = form ? Number(form.getAttribute("data-sheet")) : null;
  var stateEl = form && form.querySelector("[data-state]");
  var submitButton = form && form.querySelector("button[type=submit]");

  function setState(kind, text) {
    if (!stateEl) return;
    stateEl.setAttribute("data-kind", kind);
    stateEl.className = "state" + (kind === "delivered" ? " ok" : kind === "queued" || kind === "sending" ? "" : " bad");
    stateEl.textContent = text || T[kind] || "";
    stateEl.hidden = false;
  }

  function answersOf() {
    var out = {};
    form.querySelectorAll("[data-q]").forEach(function (q) {
      var name = q.getAttribute("data-q");
      var type = q.getAttribute("data-type");
      var checked = q.querySelector("input:checked");
      var value;
      if (type === "multi") {
        value = Array.prototype.map.call(q.querySelectorAll("input:checked"), function (i) { return i.value; });
      } else if (type === "choice") {
        value = checked ? checked.value : "";
      } else if (type === "bool") {
        value = checked ? checked.value === "yes" : "";
      } else if (type === "photo") {
        value = Array.prototype.map.call(q.querySelectorAll("[data-photo-id]"), function (f) {
          return f.getAttribute("data-photo-id");
        });
      } else {
        value = q.querySelector("input, textarea").value;
        if (type === "number" && value !== "" && !isNaN(Number(value))) value = Number(value);
      }
      if (value === "" || (Array.isArray(value) && !value.length)) return;
      out[name] = value;
    });
    return out;
  }

  function fill(answers) {
    form.querySelectorAll("[data-q]").forEach(function (q) {
      var name = q.getAttribute("data-q");
      var type = q.getAttribute("data-type");
      var value = answers[name];
      if (value === undefined) return;
      if (type === "photo") {
        value.forEach(function (id) { showPhoto(q, id); });
      } else if (type === "choice" || type === "multi" || type === "bool") {
        var wanted = type === "bool" ? [value ? "yes" : "no"] : [].concat(value).map(String);
        q.querySelectorAll("input").forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
      } else {
        q.querySelector("input, textarea").value = value;
      }
    });
  }

  function clearErrors() {
    form.querySelectorAll("[data-err]").forEach(function (el) {
      el.hidden = true;
      el.textContent = "";
    });
    form.querySelectorAll(".has-err").forEach(function (q) { q.classList.remove("has-err"); });
  }
  function showError(name, messages) {
    var el = form.querySelector('[data-err="' + name + '"]') || form.querySelector('[data-err="answers"]');
    el.textContent = [].concat(messages).join(" ");
    el.hidden = false;
    var q = el.closest("[data-q]");
    if (q) q.classList.add("has-err");
    return el;
  }
  // Every item the errors name is marked at once (not only the first), and the first of them on the sheet
  // is scrolled to: one round trip shows every gap.
  function showErrors(errors) {
    var shown = [];
    Object.keys(errors || {}).forEach(function (name) {
      var messages = errors[name];
      if (messages && typeof messages === "object" && !Array.isArray(messages)) {
        Object.keys(messages).forEach(function (inner) { shown.push(showError(inner, messages[inner])); });
      } else {
        shown.push(showError(name, messages));
      }
    });
    var first = null;
    form.querySelectorAll("[data-err]").forEach(function (el) {
      if (!first && shown.indexOf(el) >= 0) first = el;
    });
    var target = first && (first.closest("[data-q]") || first);
    if (target) target.scrollIntoView({ block: "start" });
    return shown.length;
  }
  // The required items left empty, checked on the phone before anything is sent.
  function missingOf(answers) {
    var missing = {};
    form.querySelectorAll("[data-q][data-required]").forEach(function (q) {
      var name = q.getAttribute("data-q");
      if (!(name in answers)) missing[name] = [T.required];
    });
    return missing;
  }

  function saveDraft() {
    var existing = load(draftKey(PK), {});
    store(draftKey(PK), { answers: answersOf(), at: Date.now(), errors: existing.errors || null });
    var note = form.querySelector("[data-draft]");
    if (note) note.textContent = T.draft + " " + clock(Date.now());
  }

  function lock(done) {
    form.querySelectorAll("input, textarea, button").forEach(function (el) { el.disabled = done; });
  }

  // Photos: shrunk here (a weak signal carries less), kept in IndexedDB until they reach the server.
  function shrink(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (img) {
      var scale = Math.min(1, PHOTO_SIDE / Math.max(img.width, img.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      return new Promise(function (ok) {
        canvas.toBlob(function (blob) { ok(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }
  function showPhoto(q, id) {
    var list = q.querySelector("[data-photo-list]");
    var fig = document.createElement("figure");
    fig.setAttribute("data-photo-id", id);
    var img = document.createElement("img");
    img.alt = "";
    var cap = document.createElement("figcaption");
    var remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "×";
    remove.title = T.remove;
    remove.addEventListener("click", function () {
      fig.remove();
      photos("readwrite", function (s) { return s.delete(id); }).catch(function () {});
      saveDraft();
    });
    fig.appendChild(img);
    fig.appendChild(cap);
    fig.appendChild(remove);
    list.appendChild(fig);
    function onServer() {
      img.src = form.getAttribute("data-photo-base") + id + "/";
      cap.textContent = T.photoSent;
    }
    photos("readonly", function (s) { return s.get(id); }).then(function (rec) {
      if (!rec) return onServer(); // sent with an earlier answer
      img.src = URL.createObjectURL(rec.blob);
      cap.textContent = rec.uploaded ? T.photoSent : T.photoLocal;
    }, onServer);
  }
  function uploadPhoto(url, id) {
    return photos("readonly", function (s) { return s.get(id); }).catch(function () { return null; }).then(function (rec) {
      if (!rec || rec.uploaded) return null;
      var data = new FormData();
      data.append("id", id);
      data.append("photo", rec.blob, id + ".jpg");
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
        body: data,
      }).then(function (res) {
        if (res.ok) {
          rec.uploaded = true;
          var cap = document.querySelector('[data-photo-id="' + id + '"] figcaption');
          if (cap) cap.textContent = T.photoSent;
          return photos("readwrite", function (s) { return s.put(rec); });
        }
        return res.json().catch(function () { return {}; }).then(function (data) {
          throw { status: res.status, data: data };
        });
      });
    });
  }

  // --- sending the queue --------------------------------------------------------------------------
  var sending = null;
  function flush() {
    if (sending) return sending;
    var q = queue();
    if (!q.length) return Promise.resolve();
    sending = q.reduce(function (chain, entry) {
      return chain.then(function () { return send(entry); });
    }, Promise.resolve()).then(function () {
      sending = null;
    }, function () {
      sending = null;
    });
    return sending;
  }

  function send(entry) {
    var here = entry.pk === PK;
    if (here) setState("sending");
    return entry.photoIds.reduce(function (chain, id) {
      return chain.then(function () { return uploadPhoto(entry.photoUrl, id); });
    }, Promise.resolve()).then(function () {
      return fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrf(),
          "Idempotency-Key": entry.key,
        },
        body: JSON.stringify({ answers: entry.answers }),
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          answered(entry, res.status, data);
        });
      });
    }).catch(function (problem) {
      if (problem && problem.status) return answered(entry, problem.status, problem.data, true);
      if (here) setState("queued"); // no signal: it stays on the phone
    });
  }

  function answered(entry, status, data, photo) {
    var here = entry.pk === PK;
    if (status === 200) {
      unqueue(entry);
      store(draftKey(entry.pk), null);
      entry.photoIds.forEach(function (id) {
        photos("readwrite", function (s) { return s.delete(id); }).catch(function () {});
      });
      if (here) {
        setState("delivered", T.delivered + " " + clock(Date.now()));
        lock(true);
        form.setAttribute("data-delivered", entry.key);
      }
    } else if (status === 400 || status === 404 || status === 409) {
      // Never going to be taken as it is: back to a draft, with the server's word on it.
      unqueue(entry);
      var errors = status === 400 ? data : { answers: [data.detail || T.conflict] };
      store(draftKey(entry.pk), { answers: entry.answers, at: Date.now(), errors: errors });
      if (here) {
        lock(status !== 400);
        showErrors(photo ? { photos: data.photo || data.id || [T.photoType] } : errors);
        setState(status === 400 ? "rejected" : "conflict", status === 400 ? null : data.detail);
      }
    } else if (status === 401 || status === 403) {
      if (status === 401) sessionEnded();
      else checkSession();
      loginNote(); // kept on the phone; sent after the next login
      if (here) setState("queued", T.login);
    } else if (here) {
      setState("queued");
    }
  }

  if (form) {
    var waiting = queued(PK);
    var draft = load(draftKey(PK), null);
    if (waiting) {
      fill(waiting.answers);
      setState("queued");
    } else if (draft) {
      fill(draft.answers);
      if (draft.errors) showErrors(draft.errors);
    } else if (document.getElementById("m-previous")) {
      fill(JSON.parse(document.getElementById("m-previous").textContent)); // returned: start from what was sent
    }
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", function (e) {
      var q = e.target.closest("[data-q]");
      if (q && q.classList.contains("has-err")) {
        q.classList.remove("has-err");
        q.querySelector("[data-err]").hidden = true;
      }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (sending || form.hasAttribute("data-delivered")) return; // a double tap
      if (queued(PK)) {
        flush();
        return;
      }
      clearErrors();
      var answers = answersOf();
      // What is missing is said here, all of it at once, rather than after a round trip (or a queued refusal).
      var missing = missingOf(answers);
      if (Object.keys(missing).length) {
        showErrors(missing);
        setState("rejected", T.missing);
        return;
      }
      var photoIds = Array.prototype.map.call(form.querySelectorAll("[data-photo-id]"), function (f) {
        return f.getAttribute("data-photo-id");
      });
      var entry = {
        pk: PK,
        key: uuid(),
        url: form.getAttribute("data-api"),
        photoUrl: form.getAttribute("data-photos"),
        answers: answers,
        photoIds: photoIds,
        at: Date.now(),
      };
      store(QUEUE, queue().concat([entry]));
      store(draftKey(PK), { answers: answers, at: Date.now() });
      showQueue();
      setState("queued");
      submitButton.disabled = true;
      flush().then(function () {
        if (!form.hasAttribute("data-delivered")) submitButton.disabled = false;
      });
    });
    form.querySelectorAll("[data-photo-input]").forEach(function (input) {
      var q = input.closest("[data-q]");
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files);
        input.value = "";
        files.forEach(function (file) {
          if (!/^image\/(jpeg|png)$/.test(file.type)) return showError(q.getAttribute("data-q"), T.photoType);
          if (q.querySelectorAll("[data-photo-id]").length >= MAX_PHOTOS) {
            return showError(q.getAttribute("data-q"), T.photoMax);
          }
          var id = uuid();
          var placeholder = document.createElement("figure");
          placeholder.setAttribute("data-photo-id", id); // counted at once; drawn when stored
          q.querySelector("[data-photo-list]").appendChild(placeholder);
          shrink(file).then(function (blob) {
            return photos("readwrite", function (s) { return s.put({ id: id, pk: PK, blob: blob, uploaded: false }); });
          }).then(function () {
            placeholder.remove();
            showPhoto(q, id);
            saveDraft();
            if (navigator.onLine) uploadPhoto(form.getAttribute("data-photos"), id).catch(function () {});
          }).catch(function () {
            placeholder.remove();
            showError(q.getAttribute("data-q"), T.photoType);
          });
        });
      });
    });
  }

  // --- a combined sheet (one visit; standard tasks of one target): a plain form posted to the server -------
  // The required items left empty are all marked here, and the first scrolled to, before anything is sent;
  // the server's errors come back marked on every item, and the page opens on the first of them.
  document.querySelectorAll("form[data-combined]").forEach(function (sheet) {
    function filled(q) {
      var type = q.getAttribute("data-type");
      if (type === "choice" || type === "multi" || type === "bool") return !!q.querySelector("input:checked");
      if (type === "photo") return true;
      var input = q.querySelector("input, textarea");
      return !!(input && input.value.trim());
    }
    sheet.addEventListener("submit", function (e) {
      var gaps = [];
      sheet.querySelectorAll("[data-q][data-required]").forEach(function (q) {
        if (filled(q)) return;
        var err = q.querySelector("[data-err]");
        q.classList.add("has-err");
        if (err) {
          err.textContent = T.required;
          err.hidden = false;
        }
        gaps.push(q);
      });
      if (!gaps.length) return;
      e.preventDefault();
      gaps[0].scrollIntoView({ block: "start" });
    });
    sheet.addEventListener("change", function (e) {
      var q = e.target.closest("[data-q]");
      if (q && q.classList.contains("has-err") && filled(q)) {
        q.classList.remove("has-err");
        q.querySelector("[data-err]").hidden = true;
      }
    });
    var first = sheet.querySelector(".q.has-err");
    if (first) first.scrollIntoView({ block: "start" });
  });

  // --- the inbox: poll, and announce what is new --------------------------------------------------
  var inbox = document.querySelector("[data-inbox]");
  var audio = null;
  document.addEventListener("pointerdown", function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
    if (audio && audio.state === "suspended") audio.resume();
  }, { passive: true });

  function ids() {
    return Array.prototype.map.call(document.querySelectorAll("[data-testid=inbox-item]"), function (a) {
      return a.getAttribute("data-id");
    });
  }
  var known = ids();

  function announce(id) {
    var card = document.querySelector('[data-testid=inbox-item][data-id="' + id + '"]');
    var toast = document.querySelector("[data-toast]");
    if (!card || !toast) return;
    toast.textContent = "";
    var a = document.createElement("a");
    a.href = card.getAttribute("href");
    a.setAttribute("data-testid", "toast-link");
    a.textContent = T.newItem.replace("{what}", card.querySelector(".kind").textContent + " · " +
      card.querySelector(".sum").textContent.trim());
    toast.appendChild(a);
    toast.hidden = false;
    setTimeout(function () { toast.hidden = true; }, 15000);
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    if (audio && audio.state === "running") {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.3);
    }
  }

  function poll() {
    if (!inbox) return Promise.resolve();
    return fetch(inbox.getAttribute("data-poll-url"), {
      credentials: "same-origin",
      headers: { "X-Poll": "1" },
    }).then(function (res) {
      if (res.status === 401) return sessionEnded();
      if (!res.ok || res.redirected) return;
      return res.text().then(function (html) {
        var tpl = document.createElement("template");
        tpl.innerHTML = html;
        var fresh = tpl.content.querySelector("[data-items]");
        if (!fresh) return;
        inbox.querySelector("[data-items]").replaceWith(fresh);
        var unread = document.querySelector("[data-unread]");
        unread.textContent = fresh.getAttribute("data-unread");
        unread.classList.toggle("on", fresh.getAttribute("data-unread") !== "0");
        var now = ids();
        var added = now.filter(function (id) { return known.indexOf(id) < 0; });
        known = now;
        if (added.length) announce(added[0]);
        showQueue();
      });
    }).catch(function () {});
  }

  function tick() {
    return flush().then(poll);
  }

  window.addEventListener("online", function () {
    showNet();
    tick();
  });
  window.addEventListener("offline", showNet);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) tick();
  });
  setInterval(tick, Number(inbox && inbox.getAttribute("data-poll")) * 1000 || EVERY_MS);
  showNet();
  showQueue();
  flush();

  var bell = document.querySelector("[data-read-all]");
  if (bell) {
    bell.addEventListener("click", function () {
      fetch(bell.getAttribute("data-read-all"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      }).then(function (res) {
        if (!res.ok) return;
        bell.textContent = "0";
        bell.classList.remove("on");
      }).catch(function () {});
    });
  }

  // --- the service worker and logging out ---------------------------------------------------------
  // Once this page is kept for loading without signal, <body data-kept> says so (whoever kept it: the worker
  // when it served the page, else this script, for a page that came before the worker ran).
  if ("serviceWorker" in navigator && body.getAttribute("data-sw") && window.caches) {
    navigator.serviceWorker.register(body.getAttribute("data-sw")).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      return caches.open("cc-pages");
    }).then(function (cache) {
      return cache.match(location.pathname, { ignoreVary: true }).then(function (hit) {
        if (hit && hit.headers.get(KEPT_AT)) return undefined;
        // Kept as the server sends it (masked), stamped with the moment it was kept: never the page as shown.
        return fetch(location.pathname, { credentials: "same-origin" }).then(function (res) {
          if (!res.ok || res.redirected) throw new Error("not kept");
          var headers = new Headers(res.headers);
          headers.set(KEPT_AT, String(Date.now()));
          return res.blob().then(function (blob) {
            return cache.put(location.pathname, new Response(blob, { status: res.status, headers: headers }));
          });
        });
      });
    }).then(function () {
      body.setAttribute("data-kept", "");
    }).catch(function () {});
  }
  var logout = document.querySelector("[data-logout]");
  if (logout) {
    logout.addEventListener("submit", function (e) {
      if (!window.caches) return;
      e.preventDefault();
      forgetPages().then(function () { logout.submit(); });
    });
  }

  window.ccMobile = { flush: flush, poll: poll, queue: queue };
})();
