/* The brief builder (toolkit/brief-builder/): a form whose preview is the brief `playbook brief`
   prints for the same profile. Every piece of the brief was rendered at build time by the
   command's own code (src/playbook/brief/builder_data.py, brief-data.json); this script only
   picks the pieces for the chosen role, support level, industry and focus, and writes what the
   reader typed into them as text (never as HTML). Nothing is sent anywhere; nothing is stored
   unless "Remember on this device" is ticked. No library, no eval, no inline style.
   Loaded on every page (Material's instant navigation), it does nothing where there is no form. */
(function () {
  "use strict";

  var STORE = "playbook-brief-builder";
  // The site root: this file sits at <site>/assets/javascripts/. data-src is relative to the
  // root, not to location, which instant navigation may already have moved to the next page.
  var siteRoot = new URL("../../", document.currentScript.src);
  var data = null;
  var dataPromise = null;
  var pageSheet = null;
  var active = null; // the builder on the page now (instant navigation swaps pages)
  var savedTitle = "";

  // Printing the builder prints the brief, titled as the command titles its PDF.
  window.addEventListener("beforeprint", function () {
    if (!active || !document.body.contains(active.root)) return;
    savedTitle = document.title;
    document.title = active.title;
  });
  window.addEventListener("afterprint", function () {
    if (savedTitle) document.title = savedTitle;
    savedTitle = "";
  });

  function loadData(url) {
    if (!dataPromise) {
      dataPromise = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("brief-data.json answered " + response.status);
        return response.json();
      }).then(function (json) { data = json; return json; });
    }
    return dataPromise;
  }

  function detach() {
    if (pageSheet && document.adoptedStyleSheets) {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter(function (s) { return s !== pageSheet; });
    }
  }

  /* ---- reading and writing the form ---- */

  function fieldNames() {
    // The profile's fields, then any choice field the profile model does not list yet (once each).
    return data.fields.concat(Object.keys(data.choices).filter(function (name) {
      return data.fields.indexOf(name) < 0;
    }));
  }

  function read(form) {
    var profile = {};
    fieldNames().forEach(function (name) {
      if (name === "focus") {
        profile.focus = Array.prototype.filter.call(form.querySelectorAll('input[name="focus"]'),
          function (box) { return box.checked; }).map(function (box) { return box.value; });
        return;
      }
      var el = form.elements[name];
      profile[name] = el ? el.value.trim() : "";
    });
    return profile;
  }

  function write(form, profile) {
    fieldNames().forEach(function (name) {
      if (!(name in profile)) return;
      if (name === "focus") {
        var wanted = profile.focus || [];
        form.querySelectorAll('input[name="focus"]').forEach(function (box) {
          box.checked = wanted.indexOf(box.value) >= 0;
        });
        return;
      }
      var el = form.elements[name];
      if (!el) return;
      var value = profile[name] == null ? "" : String(profile[name]);
      if (el.tagName === "SELECT" && value && !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = name === "industry" ? industryLabel(value) : value;
        el.appendChild(option);
      }
      el.value = value;
    });
  }

  /* ---- what the brief shows ---- */

  function industryLabel(industry) {
    var text = industry.replace(/-/g, " ").split(/\s+/).filter(Boolean).join(" ");
    return data.industries[industry] || text.charAt(0).toUpperCase() + text.slice(1);
  }

  function industryTag(industry) {
    return "industry:" + (industry.toLowerCase().match(/[a-z0-9]+/g) || []).join("-");
  }

  function validDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return null;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
  }

  function longDate(text) {
    var d = validDate(text);
    return d ? d.getUTCDate() + " " + data.months[d.getUTCMonth()] + " " + d.getUTCFullYear() : "";
  }

  function values(profile) {
    var level = data.levels[profile.support_level];
    return {
      name: profile.name,
      title: profile.title,
      organisation: profile.organisation,
      presenter: profile.presenter,
      industry: industryLabel(profile.industry),
      ask: profile.ask || (level ? level.defaultAsk : ""),
      focus: profile.focus.map(function (tag) { return data.topics[tag] || tag; }).join(", "),
      date: longDate(profile.meeting_date)
    };
  }

  function tokenPattern() {
    var date = data.dateToken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(data.prefix + "[a-z]+|" + date, "gi");
  }

  // A token typed lower case stands for the text as is (or lower-cased, for the industry, which
  // the template lower-cases); capitalised, for the text with a capital first letter.
  function filler(vals, escapeText) {
    var prefix = data.prefix.length;
    return function (match) {
      if (match === data.dateToken) return escapeText(vals.date);
      var field = match.slice(prefix).toLowerCase();
      var text = vals[field] == null ? "" : String(vals[field]);
      var capital = match.charAt(0) !== match.charAt(0).toLowerCase();
      if (field === "industry") text = capital ? text : text.toLowerCase();
      else if (capital) text = text.charAt(0).toUpperCase() + text.slice(1);
      return escapeText(text);
    };
  }

  function cssText(text) {
    return text.split(/\s+/).filter(Boolean).join(" ").replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/</g, "\\3c ");
  }

  function briefKey(profile) {
    var role = data.roles[profile.role];
    if (!role) return "";
    var n = role.topics.length;
    var industry = role.industries.indexOf(industryTag(profile.industry)) + 1;
    var mask = 0;
    role.topics.forEach(function (tag, i) { if (profile.focus.indexOf(tag) >= 0) mask |= 1 << i; });
    var parts = [profile.role, profile.support_level, String(role.variants[industry * (1 << n) + mask]),
      profile.focus.length ? "1" : "0"];
    Object.keys(data.choices).sort().forEach(function (name) { parts.push(profile[name] || ""); });
    return parts.join("|");
  }

  function render(state) {
    var started = performance.now();
    var profile = read(state.form);
    var ids = data.briefs[briefKey(profile)];
    if (!ids) return;
    var html = ids.map(function (s) {
      return data.sections[s].map(function (c) { return data.chunks[c]; }).join("");
    }).join("");
    var vals = values(profile);
    var pattern = tokenPattern();
    var fill = filler(vals, function (t) { return t; });
    state.paper.innerHTML = html; // our own build's HTML, escaped at build time
    var walker = document.createTreeWalker(state.paper, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      pattern.lastIndex = 0;
      if (pattern.test(node.data)) node.data = node.data.replace(pattern, fill); // text, never HTML
    }
    var paper = state.form.elements.paper.value === "letter" ? "letter" : "a4";
    pageSheet.replaceSync(data.pageCss[paper].replace(pattern, filler(vals, cssText)));
    state.title = data.title.replace(pattern, fill);
    remember(state, profile);
    state.root.dataset.renderMs = (performance.now() - started).toFixed(2);
    state.root.dataset.renders = String(+(state.root.dataset.renders || 0) + 1);
  }

  /* ---- checks, as `playbook brief` makes them ---- */

  var REQUIRED = ["name", "title", "organisation", "meeting_date", "presenter"];
  var LABELS = { meeting_date: "Meeting date" };

  function check(state, name, show) {
    var el = state.form.elements[name];
    var error = document.getElementById("pb-e-" + name);
    if (!el || !error) return true;
    var value = el.value.trim();
    var message = "";
    if (REQUIRED.indexOf(name) >= 0 && !value) message = "Required: " + el.dataset.expected + ".";
    else if (name === "meeting_date" && value && !validDate(value)) message = "Not a date: " + el.dataset.expected + ".";
    if (show || !message) {
      error.textContent = message;
      if (message) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
    }
    return !message;
  }

  function checkAll(state) {
    var bad = REQUIRED.filter(function (name) { return !check(state, name, true); });
    if (bad.length) {
      status(state, "Fill in " + bad.map(function (n) {
        var label = document.querySelector('label[for="pb-f-' + n + '"]');
        return label ? label.textContent : (LABELS[n] || n);
      }).join(", ") + " first.");
      state.form.elements[bad[0]].focus();
    }
    return !bad.length;
  }

  function status(state, text) {
    state.status.textContent = text;
  }

  /* ---- profile files ---- */

  function toYaml(profile) {
    var lines = ["# An executive's profile, saved by the playbook's brief builder. Keep it private:",
      "# playbook brief THIS-FILE -o brief.pdf"];
    fieldNames().forEach(function (name) {
      var value = profile[name];
      if (name === "focus") {
        if (value.length) lines.push("focus:");
        value.forEach(function (tag) { lines.push("  - " + JSON.stringify(tag)); });
      } else if (name === "meeting_date") {
        lines.push(name + ": " + value);
      } else if (value) {
        lines.push(name + ": " + JSON.stringify(value)); // a JSON string is a YAML double-quoted one
      }
    });
    return lines.join("\n") + "\n";
  }

  function scalar(text, line) {
    text = text.trim();
    var m;
    if (text.charAt(0) === '"') {
      m = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(text);
      if (!m) throw new Error("line " + line + ": a quoted value is not closed");
      try { return JSON.parse('"' + m[1] + '"'); } catch (e) { throw new Error("line " + line + ": an escape in the quoted value is not known"); }
    }
    if (text.charAt(0) === "'") {
      m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(text);
      if (!m) throw new Error("line " + line + ": a quoted value is not closed");
      return m[1].replace(/''/g, "'");
    }
    return text.replace(/\s+#.*$/, "");
  }

  // The flat profile format: `field: value` lines, and `focus` as a list. Enough for the files
  // the builder writes and the examples in data/profiles/; anything else is reported by line.
  function parseYaml(text) {
    var out = {};
    var list = null;
    text.split(/\r?\n/).forEach(function (raw, i) {
      var line = i + 1;
      if (/^\s*(#.*)?$/.test(raw)) return;
      var item = /^\s*-\s+(.*)$/.exec(raw);
      if (item) {
        if (!list) throw new Error("line " + line + ": a list item outside 'focus'");
        list.push(scalar(item[1], line));
        return;
      }
      var m = /^([a-z_]+):(?:\s+(.*))?$/.exec(raw);
      if (!m) throw new Error("line " + line + ": expected 'field: value'");
      if (fieldNames().indexOf(m[1]) < 0) {
        throw new Error("line " + line + ": '" + m[1] + "' is not a profile field; expected only these fields: " + fieldNames().join(", "));
      }
      var value = (m[2] || "").trim();
      list = null;
      if (!value) { list = out[m[1]] = []; return; }
      if (value.charAt(0) === "[") {
        out[m[1]] = value.replace(/^\[|\]\s*(#.*)?$/g, "").split(",").map(function (v) { return scalar(v, line); }).filter(Boolean);
        return;
      }
      out[m[1]] = scalar(value, line);
    });
    if (typeof out.focus === "string") out.focus = [out.focus];
    return out;
  }

  function download(state) {
    if (!checkAll(state)) return;
    var profile = read(state.form);
    var blob = new Blob([toYaml(profile)], { type: "text/yaml" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (profile.name.toLowerCase().match(/[a-z0-9]+/g) || ["executive"]).join("-") + ".profile.yml";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
    status(state, "Saved " + link.download + ". Run: playbook brief " + link.download + " -o brief.pdf");
  }

  function open(state, file) {
    var reader = new FileReader(); // read here, never uploaded
    reader.onload = function () {
      try {
        var profile = parseYaml(String(reader.result));
        [["role", data.roles], ["support_level", data.levels]].forEach(function (pair) {
          if (profile[pair[0]] && !pair[1][profile[pair[0]]]) {
            throw new Error("'" + pair[0] + "' is '" + profile[pair[0]] + "', which is not valid; expected one of: " + Object.keys(pair[1]).join(", "));
          }
        });
        write(state.form, profile);
        render(state);
        REQUIRED.forEach(function (name) { check(state, name, true); });
        status(state, "Opened " + file.name + ".");
      } catch (e) {
        status(state, "Could not read " + file.name + ", " + e.message + ".");
      }
    };
    reader.readAsText(file);
  }

  /* ---- remembering, only when asked ---- */

  function remember(state, profile) {
    try {
      if (state.form.elements.remember.checked) localStorage.setItem(STORE, JSON.stringify(profile));
    } catch (e) { /* storage may be off: the builder works without it */ }
  }

  function forget(state) {
    try { localStorage.removeItem(STORE); } catch (e) { /* nothing stored */ }
    state.form.elements.remember.checked = false;
    state.form.reset();
    render(state);
    status(state, "Forgotten: nothing about this executive is stored on this device.");
  }

  function stored() {
    try { return JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }

  /* ---- start ---- */

  function start(root) {
    var host = document.getElementById("pb-brief-preview");
    var shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
    var briefSheet = new CSSStyleSheet();
    briefSheet.replaceSync(data.briefCss);
    shadow.adoptedStyleSheets = [briefSheet];
    var paper = document.createElement("div");
    paper.className = "pb-brief";
    shadow.replaceChildren(paper);
    if (!pageSheet) pageSheet = new CSSStyleSheet();
    detach();
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([pageSheet]);
    var state = {
      root: root, form: root.querySelector("form"), paper: paper,
      status: document.getElementById("pb-builder-status"), title: ""
    };
    var saved = stored();
    if (saved) { write(state.form, saved); state.form.elements.remember.checked = true; }
    var role = new URLSearchParams(location.search).get("role");
    if (role && data.roles[role]) state.form.elements.role.value = role;

    state.form.addEventListener("input", function (event) {
      if (event.target.name === "remember") return;
      render(state);
      if (event.target.name) check(state, event.target.name, false);
    });
    state.form.addEventListener("change", function (event) {
      if (event.target.id === "pb-f-open") { if (event.target.files[0]) open(state, event.target.files[0]); event.target.value = ""; return; }
      if (event.target.name === "remember") {
        if (event.target.checked) { remember(state, read(state.form)); status(state, "Remembered on this device until you press Forget."); }
        else forget(state);
        return;
      }
      render(state);
    });
    state.form.addEventListener("focusout", function (event) {
      if (event.target.name) check(state, event.target.name, true);
    });
    state.form.addEventListener("submit", function (event) { event.preventDefault(); });
    root.addEventListener("click", function (event) {
      var action = event.target.closest("[data-action]");
      if (!action) return;
      if (action.dataset.action === "print" && checkAll(state)) window.print();
      if (action.dataset.action === "download") download(state);
      if (action.dataset.action === "forget") forget(state);
    });
    active = state;
    render(state);
    var loading = document.getElementById("pb-preview-loading");
    if (loading) loading.hidden = true;
    root.dataset.ready = "true";
    if (performance.mark) performance.mark("pb-brief-builder-ready");
  }

  function init() {
    var root = document.getElementById("pb-brief-builder");
    if (!root) { active = null; detach(); return; }
    if (root.dataset.started) return;
    root.dataset.started = "true";
    loadData(new URL(root.dataset.src, siteRoot).href).then(function () { start(root); }, function (e) {
      var loading = document.getElementById("pb-preview-loading");
      if (loading) loading.textContent = "The preview could not load (" + e.message + "). Reload the page.";
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else init();
})();
