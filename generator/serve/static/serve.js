// The review page: filters and keys on the index; live word counts, save, review,
// redraft and previews on a paper page. No inline script: this file is all there is.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
const typing = (event) => event.target.closest("input, textarea, select, [contenteditable]");

function words(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

// --- the index ---------------------------------------------------------------------------

function setupIndex() {
  const rows = $$(".paper-row");
  const search = $("#search"), status = $("#filter-status"), topic = $("#filter-topic");
  const warned = $("#filter-warnings");
  let current = -1;
  const visible = () => rows.filter((row) => !row.hidden);

  function select(index) {
    const shown = visible();
    if (!shown.length) return;
    current = Math.max(0, Math.min(index, shown.length - 1));
    rows.forEach((row) => row.classList.remove("selected"));
    shown[current].classList.add("selected");
    shown[current].scrollIntoView({block: "nearest"});
    sessionStorage.setItem("confgen-selected", shown[current].dataset.id);
  }

  function filter() {
    const query = search.value.trim().toLowerCase();
    rows.forEach((row) => {
      row.hidden = (query && !row.dataset.title.includes(query))
        || (status.value && row.dataset.status !== status.value)
        || (topic.value && row.dataset.topic !== topic.value)
        || (warned.checked && row.dataset.warnings === "0");
    });
    $("#empty").hidden = visible().length > 0;
    select(0);
  }

  for (const input of [search, status, topic, warned]) {
    input.addEventListener("input", filter);
    input.addEventListener("change", filter);
  }
  $("#filters").addEventListener("submit", (event) => event.preventDefault());
  rows.forEach((row) => row.addEventListener("click", (event) => {
    if (!event.target.closest("a")) location.href = $("a", row).href;
  }));
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && !typing(event)) { event.preventDefault(); search.focus(); return; }
    if (typing(event) && event.key !== "Escape") return;
    if (event.key === "Escape") { event.target.blur?.(); return; }
    if (event.key === "j" || event.key === "ArrowDown") { event.preventDefault(); select(current + 1); }
    if (event.key === "k" || event.key === "ArrowUp") { event.preventDefault(); select(current - 1); }
    if (event.key === "Enter" || event.key === "o") {
      const row = visible()[current];
      if (row) location.href = $("a", row).href;
    }
  });
  const remembered = visible().findIndex((row) => row.dataset.id === sessionStorage.getItem("confgen-selected"));
  select(remembered >= 0 ? remembered : 0);
}

// --- a paper -----------------------------------------------------------------------------

// Textareas grow with their text (CSS field-sizing where the browser has it).
function fit(area) {
  if (area.tagName !== "TEXTAREA" || CSS.supports("field-sizing", "content")) return;
  area.style.height = "auto";
  area.style.height = `${area.scrollHeight + 2}px`;
}

function counter(field) {
  let count = field.nextElementSibling;
  if (!count || !count.classList.contains("count")) {
    count = document.createElement("div");
    count.className = "count";
    field.after(count);
  }
  const limit = Number(field.dataset.limit), n = words(field.value);
  count.textContent = n > limit ? `${n} / ${limit} words: ${n - limit} over the limit` : `${n} / ${limit} words`;
  count.classList.toggle("over", n > limit);
  field.classList.toggle("over", n > limit);
}

// Read the form into the summary's JSON shape, naming each input by its location
// ("key_points.1", "comic.0.lines.1.text") so the server's field errors find it.
function collect() {
  const named = (element, loc) => { element.dataset.loc = loc; return element.value; };
  const summary = {};
  for (const key of ["tldr", "what_was_done", "why_it_matters"]) summary[key] = named($(`[data-k=${key}]`), key);
  summary.key_points = $$("#key-points .item textarea").map((area, i) => named(area, `key_points.${i}`));
  summary.key_numbers = $$("#key-numbers .item").map((item, i) => Object.fromEntries(
    ["value", "label", "source"].map((k) => [k, named($(`[data-k=${k}]`, item), `key_numbers.${i}.${k}`)])));
  summary.comic = $$("#comic .frame").map((frame, i) => ({
    caption: named($("[data-k=caption]", frame), `comic.${i}.caption`),
    lines: $$(".line", frame).map((line, j) => ({
      speaker: named($("[data-k=speaker]", line), `comic.${i}.lines.${j}.speaker`),
      text: named($("[data-k=text]", line), `comic.${i}.lines.${j}.text`),
    })),
  }));
  return summary;
}

function banner(message, kind = "error") {
  const box = $("#banner");
  box.textContent = message;
  box.className = `banner ${kind}`;
  box.hidden = !message;
}

function showErrors(errors) {
  $$(".field-error").forEach((element) => element.remove());
  $$(".invalid").forEach((element) => element.classList.remove("invalid"));
  for (const error of errors) {
    let target = $(`[data-loc="${CSS.escape(error.loc)}"]`);
    let place = target;
    if (!target) {  // a whole list, e.g. "key_points": too few items
      target = $(`[data-list="${CSS.escape(error.loc.split(".")[0])}"]`) || $("#summary-form");
      place = $("legend", target) || target;
    }
    target.classList.add("invalid");
    const message = document.createElement("div");
    message.className = "field-error";
    message.textContent = error.message;
    const count = place.nextElementSibling;
    (count && count.classList.contains("count") ? count : place).after(message);
  }
  const first = $(".invalid");
  if (first) first.scrollIntoView({block: "center"});
}

async function call(method, url, body, headers = {}) {
  const options = {method, headers: {"Accept": "application/json", ...headers}, credentials: "same-origin"};
  if (body !== undefined) {
    options.body = JSON.stringify(body);
    options.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(url, options);
  let data = {};
  try { data = await response.json(); } catch { /* an empty or non-JSON answer */ }
  return {ok: response.ok, status: response.status, data};
}

function reloadWith(message) {
  sessionStorage.setItem("confgen-flash", message);
  location.reload();
}

function setupPaper() {
  const body = document.body, id = body.dataset.paper;
  const api = `/api/papers/${encodeURIComponent(id)}`;
  const flash = sessionStorage.getItem("confgen-flash");
  if (flash) { sessionStorage.removeItem("confgen-flash"); banner(flash, "ok"); }

  const form = $("#summary-form");
  if (form) {
    form.addEventListener("input", (event) => {
      fit(event.target);
      if (event.target.dataset.limit) counter(event.target);
    });
    $$("[data-limit]", form).forEach(counter);
    $$("textarea", form).forEach(fit);
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.classList.contains("remove")) button.closest(".item").remove();
      if (button.dataset.add) {
        const item = $(`#${button.dataset.add}-template`).content.firstElementChild.cloneNode(true);
        button.before(item);
        $$("[data-limit]", item).forEach(counter);
        $("textarea, input", item).focus();
      }
    });
  }

  async function save() {
    const result = await call("PUT", `${api}/summary`, collect(), {"If-Match": body.dataset.version});
    if (result.ok) return reloadWith("Saved. The file on disk is a valid summary.");
    showErrors(result.data.errors || []);
    banner(result.data.error || `saving failed (HTTP ${result.status})`);
  }

  async function act(path, done) {
    let result = await call("POST", `${api}/${path}`);
    if (result.status === 409 && path === "redraft"
        && confirm(`${result.data.error.split(":")[0]}. Replace it with a new draft?`)) {
      result = await call("POST", `${api}/${path}?force=1`);
    }
    if (result.ok) return reloadWith(done);
    banner(result.data.error || `failed (HTTP ${result.status})`);
  }

  $("#save")?.addEventListener("click", save);
  $("#review")?.addEventListener("click", () => act("review", "Marked reviewed."));
  $("#redraft").addEventListener("click", () => act("redraft", "Drafted with the configured backend."));
  $("#layout").addEventListener("change", (event) => {
    $("#panel").src = `${api}/panel.png?layout=${encodeURIComponent(event.target.value)}&v=${body.dataset.version}`;
  });

  // A number or quote in the list shows where the source has it.
  $$(".term").forEach((term) => term.addEventListener("click", () => {
    const marks = $$(`mark[data-term="${term.dataset.term}"]`);
    $$(".flash").forEach((mark) => mark.classList.remove("flash"));
    marks.forEach((mark) => mark.classList.add("flash"));
    if (marks.length) marks[0].scrollIntoView({block: "center", behavior: "smooth"});
  }));

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s" && form) { event.preventDefault(); save(); return; }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    const go = (where) => { if (body.dataset[where]) location.href = `/papers/${encodeURIComponent(body.dataset[where])}`; };
    if (event.key === "j" || event.key === "ArrowRight") go("next");
    if (event.key === "k" || event.key === "ArrowLeft") go("previous");
    if (event.key === "u" || event.key === "Escape") location.href = "/";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page === "index") setupIndex();
  if (document.body.dataset.page === "paper") setupPaper();
});
