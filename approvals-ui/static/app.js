// okuri approvals UI: small progressive enhancements. The server checks
// everything again; nothing here is a security control.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Self-check: "send" stays disabled until every box is ticked.
  document.querySelectorAll("form.checklist").forEach(function (form) {
    var boxes = form.querySelectorAll("input.must");
    var send = form.querySelector("button[type=submit]");
    function update() {
      var all = true;
      boxes.forEach(function (b) { if (!b.checked) { all = false; } });
      send.disabled = !all;
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
  // Bulk selection in the quarantine list.
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input.pick").forEach(function (b) { b.checked = all.checked; });
    });
  }
  // Ask before destructive buttons.
  document.querySelectorAll("button.confirm").forEach(function (b) {
    b.addEventListener("click", function (e) {
      var lang = document.documentElement.lang;
      if (!window.confirm(lang === "en" ? "Are you sure?" : "よろしいですか？")) { e.preventDefault(); }
    });
  });
});
