// The teacher's live view: the board arrives as server-sent events and is drawn as text.
// Without JavaScript the page works as it is, with its Refresh link. Nothing here builds HTML
// from strings: every name and answer is set with textContent.
"use strict";

(function () {
  if (!window.EventSource) {
    return;
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function drawStudents(board) {
    var rows = document.getElementById("student-rows");
    clear(rows);
    if (board.students.length === 0) {
      var empty = element("tr");
      var cell = element("td", "Nobody has joined yet.");
      cell.colSpan = board.check ? 6 : 5;
      empty.appendChild(cell);
      rows.appendChild(empty);
      return;
    }
    board.students.forEach(function (student) {
      var row = element("tr");
      var who = element("th", student.name);
      who.scope = "row";
      if (student.id) {  // two students may type the same name: their ids tell them apart
        var id = element("span", student.id);
        id.className = "meta";
        who.appendChild(document.createTextNode(" "));
        who.appendChild(id);
      }
      row.appendChild(who);
      row.appendChild(element("td", student.scenario ? student.scenario + " (" + student.role + ")" : "picking a story"));
      row.appendChild(element("td", student.place));
      var step = element("td", student.step);
      step.className = "num";
      row.appendChild(step);
      row.appendChild(element("td", student.ending ? student.ending + " (" + student.tone + ")" : ""));
      if (board.check) {  // progress only: how many answered, never whether right
        row.appendChild(element("td", student.check));
      }
      rows.appendChild(row);
    });
  }

  function drawAnswers(board) {
    var list = document.getElementById("answer-list");
    clear(list);
    var any = false;
    board.students.forEach(function (student) {
      if (student.answers.length === 0) {
        return;
      }
      any = true;
      var article = element("article");
      article.className = "answers-of";
      var who = student.id ? student.name + " (" + student.id + ")" : student.name;
      article.appendChild(element("h3", who + ": " + student.ending));
      var lines = element("dl");
      student.answers.forEach(function (line) {
        lines.appendChild(element("dt", line.question));
        lines.appendChild(element("dd", line.answer));
      });
      article.appendChild(lines);
      list.appendChild(article);
    });
    if (!any) {
      list.appendChild(element("p", "No answers yet."));
    }
  }

  function draw(board) {
    var health = document.getElementById("health");
    var said = "Results file: " + board.health.text;
    if (health.textContent !== said) {  // a status region is read out when it changes: only then
      health.textContent = said;
      health.className = "health health-" + board.health.state;
    }
    document.getElementById("counts").textContent =
      board.joined + " joined, " + board.playing + " playing, " + board.finished + " reached an ending.";
    var checkCounts = document.getElementById("check-counts");
    if (board.check && checkCounts) {
      checkCounts.textContent = board.check_counts;
    }
    drawStudents(board);
    drawAnswers(board);
    if (board.ended && document.getElementById("end-form")) {
      window.location.reload();
    }
  }

  var live = document.getElementById("live");
  var source = new EventSource(live.getAttribute("data-events"));
  source.addEventListener("board", function (event) {
    live.hidden = false;
    draw(JSON.parse(event.data));
  });
  source.addEventListener("error", function () {
    live.hidden = true;
  });
})();
