/* reviewbook's reference table: one search box that filters the rows, headings that sort them.

   A classic script of our own (no module, nothing fetched), so the table works when the site is
   opened from disk (file://) as well as from a server. It only moves, hides and shows the rows
   the page already holds and writes counts with textContent: no text of a record ever becomes
   markup here.

   The markup it expects (written by site/build.py):
     <input type="search" data-filters="TABLE_ID">     the search box
     <p data-counts="TABLE_ID">                         "N of M references"
     <table id="TABLE_ID" class="reviewbook-sortable" data-fold="{character: spelling}">
       <th data-kind="number|text"><button type="button">Heading</button></th> ...
       <tr data-search="the row's text, folded">
*/
(function () {
  "use strict";

  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

  /* A function folding text as the search compares it, as reviewbook.text.fold does: each
     character the table's data-fold spells (its letters that are not plain ASCII, typeset
     punctuation, look-alike letters) spelled so, the others in lower case, runs of spaces made
     one. Each row carries its own text folded by Python (data-search); this folds what the
     reader types. */
  function folder(table) {
    var spellings = JSON.parse(table.dataset.fold || "{}");
    return function (text) {
      return Array.from(text.normalize("NFC"), function (character) {
        return Object.prototype.hasOwnProperty.call(spellings, character)
          ? spellings[character]
          : character.toLowerCase();
      })
        .join("")
        .replace(/\s+/g, " ")
        .trim();
    };
  }

  /* Empty cells sort last whichever the direction; numbers by value, text by the collator. */
  function compareCells(kind, left, right) {
    if (left === "" || right === "") {
      return (left === "") - (right === "");
    }
    if (kind === "number") {
      return Number(left) - Number(right);
    }
    return collator.compare(left, right);
  }

  function setUp(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var folded = folder(table);
    var texts = rows.map(function (row) {
      return row.dataset.search || "";
    });
    rows.forEach(function (row, position) {
      row.dataset.position = String(position);
    });
    var counts = document.querySelector('[data-counts="' + table.id + '"]');
    var search = document.querySelector('input[data-filters="' + table.id + '"]');
    var empty = document.querySelector('[data-empty="' + table.id + '"]');
    var noun = table.dataset.noun || "rows";

    function filter() {
      var words = search ? folded(search.value).split(" ").filter(Boolean) : [];
      var shown = 0;
      rows.forEach(function (row, position) {
        var keep = words.every(function (word) {
          return texts[position].indexOf(word) !== -1;
        });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      if (counts) {
        counts.textContent =
          shown === rows.length
            ? rows.length + " " + noun
            : shown + " of " + rows.length + " " + noun;
      }
      if (empty) {
        empty.hidden = shown !== 0;
      }
    }

    function sortBy(heading) {
      var column = heading.cellIndex;
      var kind = heading.dataset.kind || "text";
      var ascending = heading.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
        cell.removeAttribute("aria-sort");
      });
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var sorted = rows.slice().sort(function (one, other) {
        var left = one.cells[column].textContent.trim();
        var right = other.cells[column].textContent.trim();
        var order = compareCells(kind, left, right);
        if (order !== 0 && left !== "" && right !== "") {
          order = ascending ? order : -order;
        }
        return order || one.dataset.position - other.dataset.position;
      });
      sorted.forEach(function (row) {
        body.appendChild(row);
      });
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading) {
      /* The whole heading sorts: a click anywhere in it, or Enter/Space on its button. */
      heading.addEventListener("click", function () {
        sortBy(heading);
      });
    });
    if (search) {
      search.addEventListener("input", filter);
      search.disabled = false;
    }
    filter();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.reviewbook-sortable"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
