// Unit tests of addin/web/rolefit.js (the ribbon command and task pane) with office-addin-mock.
// Run: node --test tests/js/   (pytest runs them too, see tests/test_service.py)
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { OfficeMockObject } = require("office-addin-mock");

const Rolefit = require(path.join(__dirname, "..", "..", "addin", "web", "rolefit.js"));

// ------------------------------------------------------------------ a fake workbook

function recorderSheet(name, log) {
  const sheet = { name, ranges: [], columns: {}, freeze: null, activated: false };
  function range(where) {
    const r = {
      where,
      format: {
        font: {},
        fill: {},
        borders: { items: {}, getItem(edge) { return this.items[edge] || (this.items[edge] = {}); } },
      },
    };
    sheet.ranges.push(r);
    return r;
  }
  sheet.getRange = (address) => range(address);
  sheet.getRangeByIndexes = (row, col, rows, cols) => {
    const r = range([row, col, rows, cols]);
    r.getEntireColumn = () => (sheet.columns[col] = { format: {} });
    return r;
  };
  sheet.freezePanes = {
    freezeRows(n) { sheet.freeze = { rows: n }; },
    freezeColumns(n) { sheet.freeze = { columns: n }; },
    freezeAt(r) { sheet.freeze = { at: r.where }; },
  };
  sheet.activate = () => { sheet.activated = true; log.push("activate " + name); };
  return sheet;
}

/** An Excel object model over mock objects: sheets given as {name: values or null}. */
function fakeExcel(bookName, sheets) {
  const tracked = [];
  const log = [];
  const added = {};
  const deleted = [];
  const items = Object.entries(sheets).map(([name, used]) => ({
    name,
    getUsedRangeOrNullObject(valuesOnly) {
      assert.equal(valuesOnly, true);
      const r = new OfficeMockObject({
        values: used ? used.values : [[""]],
        rowIndex: used ? used.row : 0,
        columnIndex: used ? used.col : 0,
      }, "excel");
      r.isNullObject = used === null; // set directly: Office reports it without a load
      tracked.push(r);
      return r;
    },
    delete() { deleted.push(name); log.push("delete " + name); },
  }));
  const context = new OfficeMockObject({
    workbook: {
      name: bookName,
      worksheets: {
        items,
        add(name) {
          log.push("add " + name);
          added[name] = recorderSheet(name, log);
          return added[name];
        },
        getItem(name) { return added[name]; },
      },
    },
  }, "excel");
  const ownSync = context.sync.bind(context);
  context.sync = async () => {
    await ownSync();
    for (const r of tracked) await r.sync();
    await new Promise((resolve) => setImmediate(resolve));
    log.push("sync");
  };
  const Excel = { run: async (callback) => callback(context) };
  return { Excel, context, added, deleted, log };
}

function fakeSettings(initial) {
  const data = { ...initial };
  return {
    data,
    saved: 0,
    get(key) { return key in data ? data[key] : null; },
    set(key, value) { data[key] = value; },
    saveAsync(callback) { this.saved += 1; callback({ status: "succeeded" }); },
  };
}

function fakeStorage(initial) {
  const data = { ...initial };
  return { data, getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); } };
}

function fakeFetch(status, body) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init, body: JSON.parse(init.body) });
    return { ok: status >= 200 && status < 300, status, json: async () => body };
  };
  fn.calls = calls;
  return fn;
}

const ANSWER = {
  report: { plan: "plan.xlsx", summary: { counts: { gap: 2, overlap: 0 }, coverage: { CTO: 0.5 } } },
  summary: ["plan.xlsx: 2 executives, 3 duties", "Findings: 2 gaps"],
  sheets: [
    {
      name: "Summary",
      values: [["Report", ""], ["=SUM(A1)", 0.5]],
      numberFormat: [["@", "General"], ["@", "0%"]],
      formats: [{ address: "A1", style: { bold: true, size: 16, color: "#1F3864", valign: "Top" } },
        { address: "A2:B2", style: { fill: "#FFC7CE", wrap: true, border: true } }],
      columnWidths: [24.75, 50.25],
      freeze: { rows: 0, columns: 0 },
      links: [{ address: "A2", sheet: "Duties", cell: "A2", plan: false, text: "=SUM(A1)" }],
    },
    {
      name: "Duties",
      values: [["Cell"], ["D5"]],
      numberFormat: [["@"], ["@"]],
      formats: [],
      columnWidths: [10],
      freeze: { rows: 1, columns: 1 },
      links: [{ address: "A2", sheet: "Plan", cell: "D5", plan: true, text: "D5" }],
    },
  ],
};

function deps(fx, overrides) {
  return {
    Excel: fx.Excel,
    settings: fakeSettings({ [Rolefit.SHEETS_SETTING]: ["Old report"] }),
    storage: fakeStorage({ [Rolefit.TOKEN_KEY]: "s3cret" }),
    fetch: fakeFetch(200, ANSWER),
    apiUrl: "https://rolefit.example.com/api/v1/report",
    ...overrides,
  };
}

const PLAN = { values: [["Executive", "Duty"], ["An", "Run IT"]], row: 2, col: 1 };

// ------------------------------------------------------------------ tests

test("reads every used range except our earlier report sheets and empty sheets", async () => {
  const fx = fakeExcel("plan.xlsx", { Plan: PLAN, Empty: null, "Old report": { values: [["x"]], row: 0, col: 0 } });
  const book = await Rolefit.readWorkbook(fx.context, ["old REPORT"]);
  assert.deepEqual(book, {
    name: "plan.xlsx",
    sheets: [{ name: "Plan", origin: [3, 2], values: PLAN.values }],
  });
});

test("posts the workbook with the token and writes the report sheets", async () => {
  const fx = fakeExcel("plan.xlsx", { Plan: PLAN, Summary: { values: [["mine"]], row: 0, col: 0 },
    "Old report": { values: [["x"]], row: 0, col: 0 } });
  const d = deps(fx);
  const result = await Rolefit.runCheck(d);

  assert.equal(d.fetch.calls.length, 1);
  const call = d.fetch.calls[0];
  assert.equal(call.url, d.apiUrl);
  assert.equal(call.init.method, "POST");
  assert.equal(call.init.headers.Authorization, "Bearer s3cret");
  assert.deepEqual(call.body.workbook.sheets.map((s) => s.name), ["Plan", "Summary"]);

  // only our earlier sheet goes; the user's own "Summary" stays and ours gets another name
  assert.deepEqual(fx.deleted, ["Old report"]);
  assert.deepEqual(result.sheets, ["Summary (2)", "Duties"]);
  const summary = fx.added["Summary (2)"];
  const all = summary.ranges[0];
  assert.deepEqual(all.where, [0, 0, 2, 2]);
  assert.deepEqual(all.values, ANSWER.sheets[0].values);
  assert.deepEqual(all.numberFormat, ANSWER.sheets[0].numberFormat); // "=SUM(A1)" stays text
  const title = summary.ranges.find((r) => r.where === "A1" && r.format.font.bold);
  assert.equal(title.format.font.size, 16);
  assert.equal(title.format.font.color, "#1F3864");
  assert.equal(title.format.verticalAlignment, "Top");
  const filled = summary.ranges.find((r) => r.where === "A2:B2" && r.format.fill.color);
  assert.equal(filled.format.fill.color, "#FFC7CE");
  assert.equal(filled.format.wrapText, true);
  assert.equal(filled.format.borders.items.EdgeTop.style, "Continuous");
  assert.equal(summary.columns[1].format.columnWidth, 50.25);
  const link = summary.ranges.find((r) => r.hyperlink);
  assert.deepEqual(link.hyperlink, { documentReference: "'Duties'!A2", textToDisplay: "=SUM(A1)" });
  assert.equal(summary.activated, true);

  const duties = fx.added.Duties;
  assert.deepEqual(duties.freeze, { at: [0, 0, 1, 1] });
  assert.equal(duties.ranges.find((r) => r.hyperlink).hyperlink.documentReference, "'Plan'!D5");

  // the names are remembered in the workbook and the summary on this computer
  assert.deepEqual(d.settings.data[Rolefit.SHEETS_SETTING], ["Summary (2)", "Duties"]);
  assert.equal(d.settings.saved, 1);
  const last = JSON.parse(d.storage.data[Rolefit.LAST_KEY]);
  assert.deepEqual(last.summary, ANSWER.summary);
  assert.equal(last.counts.gap, 2);
  // delete and add happen in one batch, before the final sync
  assert.ok(fx.log.indexOf("delete Old report") < fx.log.indexOf("add Summary (2)"));
});

test("the ribbon command completes the event on success", async () => {
  const fx = fakeExcel("plan.xlsx", { Plan: PLAN });
  const notes = [];
  const event = new OfficeMockObject({ completed() { this.done = (this.done || 0) + 1; } });
  await Rolefit.commandHandler(deps(fx, { notify: async (m) => notes.push(m) }))(event);
  assert.equal(event.done, 1);
  assert.deepEqual(notes, []);
  assert.deepEqual(Object.keys(fx.added), ["Summary", "Duties"]);
});

test("a refusal by the service is shown, nothing is written, the event completes", async () => {
  const fx = fakeExcel("plan.xlsx", { Plan: PLAN });
  const notes = [];
  const event = new OfficeMockObject({ completed() { this.done = (this.done || 0) + 1; } });
  const message = "sheet 'Plan': no duty column found";
  await Rolefit.commandHandler(deps(fx, {
    fetch: fakeFetch(422, { error: message }),
    notify: async (m) => notes.push(m),
  }))(event);
  assert.equal(event.done, 1);
  assert.deepEqual(notes, [message]);
  assert.deepEqual(fx.added, {});
  assert.deepEqual(fx.deleted, []);
});

test("an unreachable service and an empty workbook are explained, and the event completes", async () => {
  const notes = [];
  const offline = async () => { throw new TypeError("Failed to fetch"); };
  let fx = fakeExcel("plan.xlsx", { Plan: PLAN });
  let event = new OfficeMockObject({ completed() { this.done = (this.done || 0) + 1; } });
  await Rolefit.commandHandler(deps(fx, { fetch: offline, notify: async (m) => notes.push(m) }))(event);
  assert.equal(event.done, 1);
  assert.match(notes[0], /Cannot reach the rolefit service \(Failed to fetch\)/);

  fx = fakeExcel("plan.xlsx", { Empty: null });
  event = new OfficeMockObject({ completed() { this.done = (this.done || 0) + 1; } });
  const fetch = fakeFetch(200, ANSWER);
  await Rolefit.commandHandler(deps(fx, { fetch, notify: async (m) => notes.push(m) }))(event);
  assert.equal(event.done, 1);
  assert.equal(fetch.calls.length, 0);
  assert.match(notes[1], /nothing to check/);
});

test("a failing message dialog still completes the event", async () => {
  const fx = fakeExcel("plan.xlsx", { Plan: PLAN });
  const event = new OfficeMockObject({ completed() { this.done = (this.done || 0) + 1; } });
  await Rolefit.commandHandler(deps(fx, {
    fetch: fakeFetch(401, { error: "the access code is missing or wrong" }),
    notify: async () => { throw new Error("dialog blocked"); },
  }))(event);
  assert.equal(event.done, 1);
});

test("postReport: an answer it cannot use is an error, not a crash", async () => {
  await assert.rejects(Rolefit.postReport(fakeFetch(200, { nope: 1 }), "u", null, {}),
    /does not understand/);
  const broken = async () => ({ ok: false, status: 502, json: async () => { throw new SyntaxError("x"); } });
  await assert.rejects(Rolefit.postReport(broken, "u", null, {}), /status 502/);
  const f = fakeFetch(200, ANSWER);
  await Rolefit.postReport(f, "u", "", {});
  assert.equal(f.calls[0].init.headers.Authorization, undefined);
});

test("freeName keeps within Excel's 31 characters", () => {
  const taken = new Set(["summary", "summary (2)", "x".repeat(31)]);
  assert.equal(Rolefit.freeName("Summary", taken), "Summary (3)");
  assert.equal(Rolefit.freeName("x".repeat(40), taken), "x".repeat(27) + " (2)");
  assert.equal(Rolefit.freeName("Findings", taken), "Findings");
});
