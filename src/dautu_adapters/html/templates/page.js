(function () {
  "use strict";
  var root = document.documentElement;
  var langButton = document.getElementById("lang-switch");
  if (langButton) {
    langButton.addEventListener("click", function () {
      root.lang = root.lang === "vi" ? "en" : "vi";
    });
  }

  // Sorting: a click on a column header sorts its table's rows (again: the other way).
  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }
  function sortTable(table, index, numeric, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a, index), y = cellKey(b, index);
      var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0)
        : x.localeCompare(y, root.lang);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      th.setAttribute("tabindex", "0");
      function sort() {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, th.classList.contains("num"), descending);
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  });

  // Filtering: rows whose text holds the words typed (accents ignored), in the chosen track.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }
  var search = document.getElementById("filter-text");
  var track = document.getElementById("filter-track");
  var shown = document.getElementById("filter-count");
  function applyFilter() {
    var words = search ? fold(search.value).split(/\s+/).filter(Boolean) : [];
    var wanted = track ? track.value : "";
    var visible = 0;
    Array.prototype.forEach.call(document.querySelectorAll("section.track"), function (section) {
      var inTrack = !wanted || section.getAttribute("data-track") === wanted;
      var left = 0;
      Array.prototype.forEach.call(section.querySelectorAll("tbody tr"), function (row) {
        var text = fold(row.textContent);
        var keep = inTrack && words.every(function (w) { return text.indexOf(w) >= 0; });
        row.classList.toggle("filtered-out", !keep);
        if (keep) { left += 1; }
      });
      section.classList.toggle("filtered-out", left === 0);
      visible += left;
    });
    if (shown) { shown.textContent = String(visible); }
  }
  if (search) { search.addEventListener("input", applyFilter); }
  if (track) { track.addEventListener("change", applyFilter); }
})();
