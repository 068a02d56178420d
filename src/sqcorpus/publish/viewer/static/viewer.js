// sqcorpus viewer: filters and text search over window.SQCORPUS (search-data.js).
// Text is only ever set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var data = window.SQCORPUS;
  var form = document.getElementById("filters");
  if (!data || !form) { return; }
  var SHOWN = 300; // results listed at most; the count covers all
  // Columns of a sentence row (render.search_data); categorical columns are indexes
  // into data.values[name], entity labels a bit set over data.labels.
  var DOC = 0, ID = 1, LABELS = 7, TEXT = 8, TEXT_EN = 9;
  var fields = { split: 2, stance: 3, uncertain: 4, license: 5, outlet: 6 };
  var lowered = data.sentences.map(function (s) {
    return (s[TEXT] + "\n" + s[TEXT_EN]).toLowerCase();
  });

  function value(name) {
    var element = document.getElementById("filter-" + name);
    return element ? element.value : "";
  }

  function matches(row, index, wanted) {
    for (var name in fields) {
      if (wanted[name] && data.values[name][row[fields[name]]] !== wanted[name]) {
        return false;
      }
    }
    if (wanted.label) {
      var bit = data.labels.indexOf(wanted.label);
      if (bit < 0 || !(row[LABELS] & (1 << bit))) { return false; }
    }
    if (wanted.text && lowered[index].indexOf(wanted.text) < 0) { return false; }
    return true;
  }

  function update() {
    var wanted = { split: value("split"), stance: value("stance"), uncertain: value("uncertain"),
                   license: value("license"), outlet: value("outlet"), label: value("label"),
                   text: value("text").trim().toLowerCase() };
    var active = Object.keys(wanted).some(function (k) { return wanted[k]; });
    var perDoc = data.docs.map(function () { return 0; });
    var results = document.getElementById("results");
    results.textContent = "";
    var total = 0;
    data.sentences.forEach(function (row, index) {
      if (!matches(row, index, wanted)) { return; }
      total += 1;
      perDoc[row[DOC]] += 1;
      if (active && total <= SHOWN) {
        var item = document.createElement("li");
        item.setAttribute("data-sid", row[ID]);
        var link = document.createElement("a");
        link.href = "doc/" + encodeURIComponent(data.docs[row[DOC]]) + ".html#" +
          encodeURIComponent(row[ID]);
        link.textContent = row[ID];
        item.appendChild(link);
        item.appendChild(document.createTextNode(" " + row[TEXT]));
        results.appendChild(item);
      }
    });
    data.docs.forEach(function (doc, n) {
      var tr = document.querySelector('tr[data-doc="' + CSS.escape(doc) + '"]');
      if (!tr) { return; }
      tr.classList.toggle("hidden", perDoc[n] === 0);
      tr.querySelector("td.matching").textContent = String(perDoc[n]);
    });
    var count = document.getElementById("result-count");
    count.textContent = active
      ? total + " of " + data.sentences.length + " sentences match" +
        (total > SHOWN ? " (the first " + SHOWN + " are listed)" : "")
      : data.sentences.length + " sentences; choose a filter or type to search.";
    document.body.setAttribute("data-filtered", active ? "yes" : "no");
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
  document.body.setAttribute("data-ready", "yes");
}());
