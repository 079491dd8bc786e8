// A report page's hovers, built on load from what each value cell carries
// (see src/tools/review/page.rs): its blank or absent mark, the flags
// naming it (data-f) and the narrative figures checked against it (data-n),
// both indices into the page's tips, and where it was read: data-line, which
// a value cell without one takes over from the last cell that named it ("":
// no known place), and data-src when the source text is not the value shown.
(function () {
  "use strict";
  var el = document.getElementById("tips");
  var tips = el ? JSON.parse(el.textContent) : { f: [], n: [] };
  var cells = document.querySelectorAll("td[data-key]");
  function each(list, from, prefix, tip) {
    if (!list) return;
    list.split(" ").forEach(function (i) {
      tip.push(prefix + from[+i]);
    });
  }
  var line = "";
  for (var i = 0; i < cells.length; i++) {
    var td = cells[i];
    var d = td.dataset;
    var tip = [];
    if (td.className === "absent") tip.push("row not found in the report");
    else if (td.className === "null") tip.push("blank: null");
    each(d.f, tips.f, "", tip);
    each(d.n, tips.n, "narrative: ", tip);
    var here = "";
    if (d.line !== undefined) here = line = d.line;
    else if (!td.className) here = line;
    if (here) {
      var src = d.src !== undefined ? d.src : td.textContent;
      tip.push("source, line " + here + ": " + src);
    }
    var text = tip.join("\n").replace(/\s+$/, "");
    if (text) td.title = text;
  }
})();
