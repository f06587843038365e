// The code boxes of the reference lists (core/forms.py: occupations, nationalities) as the
// ARIA 1.2 combobox pattern: a person types words in Arabic or English (or a code), the
// server's search (/api/v1/reference/...?q=) lists the matches, the arrow keys move through
// them, Enter or a click chooses one and its code fills the box (a select's option is chosen).
// A live region says how many matches there are. Without this script the boxes stay plain code
// boxes and selects, which the server checks.
(function () {
  "use strict";
  var WAIT_MS = 250;
  var MIN_LENGTH = 2;
  var english = document.documentElement.lang === "en";

  function nameOf(row) {
    return english ? row.name_en || row.name_ar : row.name_ar || row.name_en;
  }

  function fill(template, key, value) {
    return template.replace("%(" + key + ")s", value);
  }

  function addId(element, attribute, id) {
    var ids = (element.getAttribute(attribute) || "").split(" ").filter(Boolean);
    ids.push(id);
    element.setAttribute(attribute, ids.join(" "));
  }

  function setUp(field) {
    var texts = field.dataset;
    var id = field.id;
    var select = field.tagName === "SELECT" ? field : null;
    var input = select ? document.createElement("input") : field;
    var label = document.querySelector('label[for="' + id + '"]');
    var box = document.createElement("div");
    var listbox = document.createElement("ul");
    var status = document.createElement("div");
    var choice = document.createElement("p");
    var rows = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    box.className = "autocomplete";
    field.parentNode.insertBefore(box, field);
    if (select) {
      input.type = "text";
      input.id = id + "_search";
      input.spellcheck = false;
      ["aria-describedby", "aria-invalid"].forEach(function (name) {
        if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
      });
      input.value = select.value ? select.options[select.selectedIndex].text : "";
      if (label) label.htmlFor = input.id;
      // The error summary's link goes to the box that now stands for the select.
      Array.prototype.forEach.call(document.querySelectorAll('a[href="#' + id + '"]'), function (a) {
        a.setAttribute("href", "#" + input.id);
      });
      select.hidden = true;
      select.tabIndex = -1;
    } else {
      input.removeAttribute("maxlength"); // words are longer than a code
    }
    input.dir = "auto"; // Arabic words right to left, a code left to right
    box.appendChild(input);
    box.appendChild(listbox);
    box.parentNode.insertBefore(status, box.nextSibling);
    status.parentNode.insertBefore(choice, status.nextSibling);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "_listbox");
    input.setAttribute("autocomplete", "off");
    listbox.id = id + "_listbox";
    listbox.className = "autocomplete-list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", label ? label.textContent.trim() : texts.autocompleteList);
    listbox.hidden = true;
    status.id = id + "_status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    choice.id = id + "_choice";
    choice.className = "autocomplete-choice";
    choice.hidden = true;
    if (!select) addId(input, "aria-describedby", choice.id);

    function showChoice(text) {
      choice.textContent = text;
      choice.hidden = !text;
    }

    function setOpen(open) {
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
    }

    function move(index) {
      var options = listbox.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      options[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function hasOption(code) {
      return Array.prototype.some.call(select.options, function (option) {
        return option.value === code;
      });
    }

    function show(found, quiet) {
      var typed = input.value.trim().toUpperCase();
      rows = select ? found.filter(function (row) { return hasOption(row.code); }) : found;
      if (!select) {
        var same = rows.filter(function (row) { return row.code === typed; })[0];
        showChoice(same ? nameOf(same) : "");
      }
      if (quiet || document.activeElement !== input) return; // an answer after the person left
      listbox.textContent = "";
      rows.forEach(function (row, index) {
        var option = document.createElement("li");
        var code = document.createElement("bdi");
        option.id = id + "_option_" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        code.className = "code";
        code.dir = "ltr";
        code.textContent = row.code;
        option.appendChild(code);
        option.appendChild(document.createTextNode(" " + nameOf(row)));
        listbox.appendChild(option);
      });
      setOpen(false); // a new list: no option is active yet
      setOpen(rows.length > 0);
      status.textContent = rows.length
        ? fill(texts.autocompleteResults, "count", rows.length)
        : texts.autocompleteNone;
    }

    function search(quiet) {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        setOpen(false);
        return;
      }
      var url = new URL(texts.autocomplete, window.location.href);
      url.searchParams.set("q", text);
      var ticket = ++asked;
      fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : []; })
        .then(function (found) { if (ticket === asked) show(found, quiet); })
        .catch(function () { if (ticket === asked) setOpen(false); });
    }

    function pick(index) {
      var row = rows[index];
      if (select) {
        select.value = row.code;
        input.value = nameOf(row);
      } else {
        input.value = row.code;
        showChoice(nameOf(row));
      }
      asked++; // an answer still on its way is for the words, not for the choice
      setOpen(false);
      status.textContent = fill(texts.autocompleteChosen, "choice", row.code + " " + nameOf(row));
    }

    // A select's box left with words that name an option exactly chooses it; other words
    // choose nothing, so that the server says the nationality is missing.
    function matchOption() {
      var typed = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        if (typed && (option.text.trim().toLowerCase() === typed || option.value.toLowerCase() === typed)) {
          select.value = option.value;
        }
      });
    }

    input.addEventListener("input", function () {
      if (select) select.value = "";
      else showChoice("");
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        search();
      }, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && rows.length) setOpen(true);
        else if (!open) return search();
        move(active + 1 < rows.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        move(active > 0 ? active - 1 : rows.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // choose, do not send the form yet
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        setOpen(false);
      }
    });
    input.addEventListener("blur", function () {
      if (timer) search(true); // the words typed last still name their code below the box
      clearTimeout(timer);
      timer = null;
      setOpen(false);
      if (select && !select.value) matchOption();
    });
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the box
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) pick(Array.prototype.indexOf.call(listbox.children, option));
    });
    if (!select && input.value.trim()) search(true); // name the code the page came back with
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-autocomplete]"), setUp);
})();
