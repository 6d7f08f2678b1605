/*
 * rolefit Excel add-in: the ribbon command and the task pane (Office.js).
 *
 * The ribbon button reads the used range of every sheet, sends the values to the rolefit
 * service, and writes the report sheets it gets back. Only sheets this add-in wrote before
 * (remembered in the workbook's add-in settings) are ever replaced; plan sheets are only read.
 * Everything Office needs is passed in (Excel, settings, fetch, storage), so the same code
 * runs in Excel and under `node --test` with office-addin-mock.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.Rolefit = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const TOKEN_KEY = "rolefit.token"; // browser storage: the access code, never in the workbook
  const LAST_KEY = "rolefit.lastCheck"; // browser storage: the summary of the last check
  const SHEETS_SETTING = "rolefit.sheets"; // workbook add-in settings: the sheets we wrote
  const EDGES = ["EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight", "InsideHorizontal", "InsideVertical"];

  function ourSheets(settings) {
    const names = settings ? settings.get(SHEETS_SETTING) : null;
    return Array.isArray(names) ? names.filter((n) => typeof n === "string") : [];
  }

  function lower(names) {
    return new Set(names.map((n) => n.toLowerCase()));
  }

  /** The values of every sheet's used range, except the report sheets we wrote earlier. */
  async function readWorkbook(context, skip) {
    const workbook = context.workbook;
    workbook.load("name");
    const worksheets = workbook.worksheets;
    worksheets.load("items");
    await context.sync();
    const skipped = lower(skip);
    const used = [];
    for (const ws of worksheets.items) {
      if (skipped.has(ws.name.toLowerCase())) continue;
      const range = ws.getUsedRangeOrNullObject(true);
      range.load("values, rowIndex, columnIndex");
      used.push({ name: ws.name, range: range });
    }
    await context.sync();
    const sheets = [];
    for (const item of used) {
      if (item.range.isNullObject) continue; // an empty sheet
      sheets.push({
        name: item.name,
        origin: [item.range.rowIndex + 1, item.range.columnIndex + 1],
        values: item.range.values,
      });
    }
    return { name: workbook.name || "Workbook", sheets: sheets };
  }

  /** POST the workbook to the service; the answer, or an Error with the service's one line. */
  async function postReport(fetchFn, url, token, body) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    let response;
    try {
      response = await fetchFn(url, { method: "POST", headers: headers, body: JSON.stringify(body) });
    } catch (err) {
      throw new Error("Cannot reach the rolefit service (" + (err && err.message ? err.message : err) +
        "). Check your connection or ask your IT team.");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error(data && typeof data.error === "string" ? data.error :
        "The rolefit service answered with status " + response.status + ".");
      error.status = response.status;
      throw error;
    }
    if (!data || !Array.isArray(data.sheets) || !data.report) {
      throw new Error("The rolefit service sent an answer this add-in does not understand.");
    }
    return data;
  }

  /** A sheet name not taken by the user's own sheets (Excel allows 31 characters). */
  function freeName(name, taken) {
    let candidate = name.slice(0, 31);
    for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
      const suffix = " (" + i + ")";
      candidate = name.slice(0, 31 - suffix.length) + suffix;
    }
    return candidate;
  }

  function quoteSheet(name) {
    return "'" + name.replace(/'/g, "''") + "'";
  }

  function applyStyle(range, style) {
    const format = range.format;
    if (style.bold) format.font.bold = true;
    if (style.italic) format.font.italic = true;
    if (style.underline) format.font.underline = "Single";
    if (style.size) format.font.size = style.size;
    if (style.color) format.font.color = style.color;
    if (style.fill) format.fill.color = style.fill;
    if (style.wrap) format.wrapText = true;
    if (style.valign) format.verticalAlignment = style.valign;
    if (style.align) format.horizontalAlignment = style.align;
    if (style.border) {
      for (const edge of EDGES) {
        const border = format.borders.getItem(edge);
        border.style = "Continuous";
        border.color = "#BFBFBF";
      }
    }
  }

  function freeze(ws, panes) {
    if (!panes) return;
    const rows = panes.rows || 0;
    const columns = panes.columns || 0;
    if (rows && columns) ws.freezePanes.freezeAt(ws.getRangeByIndexes(0, 0, rows, columns));
    else if (rows) ws.freezePanes.freezeRows(rows);
    else if (columns) ws.freezePanes.freezeColumns(columns);
  }

  function writeSheet(ws, sheet, names) {
    const rows = sheet.values.length;
    const columns = rows ? sheet.values[0].length : 0;
    if (rows && columns) {
      const all = ws.getRangeByIndexes(0, 0, rows, columns);
      // number formats first: text cells get "@", so no text is ever read as a formula
      all.numberFormat = sheet.numberFormat;
      all.values = sheet.values;
    }
    for (const f of sheet.formats) applyStyle(ws.getRange(f.address), f.style);
    sheet.columnWidths.forEach(function (points, i) {
      ws.getRangeByIndexes(0, i, 1, 1).getEntireColumn().format.columnWidth = points;
    });
    for (const link of sheet.links) {
      // a link into the plan points at the user's own sheet; others at our renamed sheets
      const target = link.plan ? link.sheet : (names[link.sheet] || link.sheet);
      ws.getRange(link.address).hyperlink = {
        documentReference: quoteSheet(target) + "!" + link.cell,
        textToDisplay: link.text,
      };
    }
    freeze(ws, sheet.freeze);
  }

  /** Replace our earlier report sheets with the new ones; returns the names written. */
  async function writeReport(context, sheets, previous) {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items");
    await context.sync();
    const ours = lower(previous);
    const taken = new Set();
    for (const ws of worksheets.items) {
      if (ours.has(ws.name.toLowerCase())) ws.delete();
      else taken.add(ws.name.toLowerCase());
    }
    const names = {};
    for (const sheet of sheets) {
      names[sheet.name] = freeName(sheet.name, taken);
      taken.add(names[sheet.name].toLowerCase());
    }
    const written = [];
    let first = null;
    for (const sheet of sheets) {
      const ws = worksheets.add(names[sheet.name]);
      writeSheet(ws, sheet, names);
      written.push(names[sheet.name]);
      if (first === null) first = ws;
    }
    if (first) first.activate();
    await context.sync();
    return written;
  }

  function saveSettings(settings) {
    return new Promise(function (resolve) {
      if (!settings || typeof settings.saveAsync !== "function") return resolve();
      settings.saveAsync(function () { resolve(); });
    });
  }

  function lastCheck(answer, written) {
    return {
      plan: answer.report.plan,
      summary: answer.summary || [],
      counts: answer.report.summary ? answer.report.summary.counts : {},
      coverage: answer.report.summary ? answer.report.summary.coverage : {},
      sheets: written,
      when: new Date().toISOString(),
    };
  }

  /** The whole job of the ribbon button: read, send, write, remember. */
  async function runCheck(deps) {
    const previous = ourSheets(deps.settings);
    const token = deps.storage ? deps.storage.getItem(TOKEN_KEY) : null;
    return deps.Excel.run(async function (context) {
      const workbook = await readWorkbook(context, previous);
      if (!workbook.sheets.length) {
        throw new Error("There is nothing to check: every sheet of this workbook is empty.");
      }
      const answer = await postReport(deps.fetch, deps.apiUrl, token, { workbook: workbook });
      const written = await writeReport(context, answer.sheets, previous);
      if (deps.settings) {
        deps.settings.set(SHEETS_SETTING, written);
        await saveSettings(deps.settings);
      }
      const result = lastCheck(answer, written);
      if (deps.storage) deps.storage.setItem(LAST_KEY, JSON.stringify(result));
      return result;
    });
  }

  function messageOf(err) {
    return err && err.message ? err.message : String(err);
  }

  /** The ExecuteFunction handler: always ends with event.completed(), even on an error. */
  function commandHandler(deps) {
    return async function (event) {
      try {
        await runCheck(deps);
      } catch (err) {
        if (deps.notify) {
          try {
            await deps.notify(messageOf(err));
          } catch (ignored) {
            // nothing more can be shown; completing the command matters more
          }
        }
      } finally {
        event.completed();
      }
    };
  }

  // ------------------------------------------------------------ in the browser

  function browserDeps(win) {
    const body = win.document.body;
    const office = win.Office;
    return {
      Excel: win.Excel,
      settings: office && office.context && office.context.document ? office.context.document.settings : null,
      fetch: win.fetch.bind(win),
      storage: win.localStorage,
      apiUrl: body.dataset.api,
      notify: function (message) { return showDialog(win, body.dataset.base, message); },
    };
  }

  /** Show a message from the ribbon command in a small dialog; resolves when it is closed. */
  function showDialog(win, base, message) {
    return new Promise(function (resolve) {
      const office = win.Office;
      const url = base + "/taskpane.html?message=" + encodeURIComponent(message);
      office.context.ui.displayDialogAsync(url, { height: 30, width: 35, displayInIframe: true },
        function (result) {
          if (result.status !== office.AsyncResultStatus.Succeeded) return resolve();
          const dialog = result.value;
          const done = function () {
            try { dialog.close(); } catch (ignored) { /* already closed */ }
            resolve();
          };
          dialog.addEventHandler(office.EventType.DialogMessageReceived, done);
          dialog.addEventHandler(office.EventType.DialogEventReceived, done);
        });
    });
  }

  function startCommands(win) {
    const office = win.Office;
    if (!office) return;
    office.onReady(function () {
      const handler = commandHandler(browserDeps(win));
      win.checkDuties = handler;
      if (office.actions && office.actions.associate) office.actions.associate("checkDuties", handler);
    });
  }

  function el(doc, tag, text, cls) {
    const node = doc.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  /** Show a check's summary in the task pane; sheet buttons jump when Excel is there. */
  function renderSummary(doc, result, jump) {
    const box = doc.getElementById("summary");
    box.replaceChildren();
    box.appendChild(el(doc, "h2", result.plan));
    const lines = el(doc, "ul", null, "lines");
    for (const line of result.summary) lines.appendChild(el(doc, "li", line));
    box.appendChild(lines);
    const counts = Object.entries(result.counts || {}).filter(function (kv) { return kv[1]; });
    if (counts.length) {
      const table = el(doc, "table", null, "counts");
      for (const kv of counts) {
        const row = el(doc, "tr");
        row.appendChild(el(doc, "td", kv[0].replace(/_/g, " ")));
        row.appendChild(el(doc, "td", kv[1], "n"));
        table.appendChild(row);
      }
      box.appendChild(table);
    }
    if (result.sheets && result.sheets.length) {
      box.appendChild(el(doc, "h3", "Report sheets"));
      const nav = el(doc, "div", null, "sheets");
      for (const name of result.sheets) {
        const button = el(doc, "button", name);
        button.type = "button";
        button.disabled = !jump;
        if (jump) button.addEventListener("click", function () { jump(name); });
        nav.appendChild(button);
      }
      box.appendChild(nav);
    }
    if (result.when) box.appendChild(el(doc, "p", "Checked " + new Date(result.when).toLocaleString(), "when"));
  }

  function startTaskpane(win, host) {
    const doc = win.document;
    const body = doc.body;
    const params = new URLSearchParams(win.location.search);
    const status = doc.getElementById("status");
    const say = function (text, cls) { status.textContent = text; status.className = cls || ""; };

    if (params.get("message") !== null) { // opened as the ribbon command's message dialog
      body.classList.add("dialog");
      doc.getElementById("message").textContent = params.get("message");
      doc.getElementById("ok").addEventListener("click", function () {
        const office = win.Office;
        if (office && office.context && office.context.ui && office.context.ui.messageParent) {
          office.context.ui.messageParent("close");
        }
      });
      return;
    }

    const storage = win.localStorage;
    const tokenForm = doc.getElementById("token-form");
    const tokenInput = doc.getElementById("token");
    if (body.dataset.tokenRequired === "true") {
      tokenForm.hidden = false;
      if (storage.getItem(TOKEN_KEY)) tokenInput.placeholder = "saved (enter a new code to change it)";
      tokenForm.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (tokenInput.value.trim()) {
          storage.setItem(TOKEN_KEY, tokenInput.value.trim());
          tokenInput.value = "";
          tokenInput.placeholder = "saved (enter a new code to change it)";
          say("Access code saved on this computer.", "ok");
        }
      });
    }

    const stored = storage.getItem(LAST_KEY);
    const inExcel = Boolean(host && win.Excel);
    let jump = null;
    if (inExcel) {
      jump = function (name) {
        win.Excel.run(async function (context) {
          context.workbook.worksheets.getItem(name).activate();
          await context.sync();
        }).catch(function (err) { say("Cannot open sheet " + name + ": " + messageOf(err), "error"); });
      };
    }
    if (stored) {
      try { renderSummary(doc, JSON.parse(stored), jump); } catch (ignored) { /* an old entry */ }
    }

    const check = doc.getElementById("check");
    if (!inExcel) {
      check.disabled = true;
      say("Open this page from Excel (Org Design > Role report) to check a workbook.");
    }
    check.addEventListener("click", function () {
      check.disabled = true;
      say("Checking every duty of this workbook...");
      runCheck(browserDeps(win)).then(function (result) {
        renderSummary(doc, result, jump);
        say("Done: the report sheets are written.", "ok");
      }, function (err) {
        say(messageOf(err), "error");
      }).finally(function () { check.disabled = false; });
    });

    if (params.get("example") !== null) { // try the service with the built-in example plan
      const headers = {};
      if (storage.getItem(TOKEN_KEY)) headers.Authorization = "Bearer " + storage.getItem(TOKEN_KEY);
      win.fetch(body.dataset.example, { headers: headers }).then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) throw new Error(data.error || "status " + r.status);
          return data;
        });
      }).then(function (answer) {
        renderSummary(doc, lastCheck(answer, answer.sheets.map(function (s) { return s.name; })), jump);
        say("The example plan, checked by the service.", "ok");
      }, function (err) { say(messageOf(err), "error"); });
    }
  }

  /** Start the task pane once Office is ready, or at once when the page is opened outside Office. */
  function bootTaskpane(win) {
    if (win.Office && typeof win.Office.onReady === "function") {
      win.Office.onReady(function (info) { startTaskpane(win, info && info.host); });
    } else {
      startTaskpane(win, null);
    }
  }

  return {
    TOKEN_KEY: TOKEN_KEY,
    LAST_KEY: LAST_KEY,
    SHEETS_SETTING: SHEETS_SETTING,
    readWorkbook: readWorkbook,
    postReport: postReport,
    writeReport: writeReport,
    runCheck: runCheck,
    commandHandler: commandHandler,
    freeName: freeName,
    renderSummary: renderSummary,
    startCommands: startCommands,
    bootTaskpane: bootTaskpane,
  };
});
