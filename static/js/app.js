// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear the problems first.
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
  }
  addSelectAll(document.getElementById("bulk-milestones"));
  document.querySelectorAll("[data-module='picker']").forEach(enhancePicker);
});

// The people picker (enrolment, walk-ins): the text box filters the ticks as you type, each team
// gets "Select the whole team" (its shown people), and a live count says how many places are
// left. Without this script the search box is submitted and each team has a submit button.
function enhancePicker(picker) {
  var filter = picker.querySelector("[data-picker-filter]");
  var seats = picker.querySelector("[data-picker-seats]");
  var left = parseInt(picker.getAttribute("data-seats-left"), 10);
  var boxes = function () {
    return picker.querySelectorAll("[data-picker-person] input[type='checkbox']");
  };
  var count = function () {
    var chosen = 0;
    boxes().forEach(function (box) {
      if (box.checked) {
        chosen += 1;
      }
    });
    var remaining = left - chosen;
    var places = function (n) {
      return n + (n === 1 ? " place" : " places");
    };
    seats.textContent =
      "You have chosen " + chosen + "; " +
      (remaining >= 0 ? places(remaining) + " left" : -remaining + " over capacity") + ".";
  };
  var applyFilter = function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    picker.querySelectorAll("[data-picker-team]").forEach(function (team) {
      var anyShown = false;
      team.querySelectorAll("[data-picker-person]").forEach(function (person) {
        var text = person.getAttribute("data-text") + " " + team.querySelector("legend").textContent.toLowerCase();
        var shown = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        person.hidden = !shown;
        anyShown = anyShown || shown;
      });
      team.hidden = !anyShown;
    });
  };
  picker.querySelectorAll("[data-picker-team]").forEach(function (team) {
    var submit = team.querySelector("[data-picker-team-submit]");
    if (submit) {
      submit.remove();
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "app-button app-button--secondary app-picker__team-button";
    button.textContent = "Select the whole team";
    button.setAttribute(
      "aria-label",
      "Select the whole team: " + team.querySelector("legend").textContent.trim()
    );
    button.addEventListener("click", function () {
      team.querySelectorAll("[data-picker-person]").forEach(function (person) {
        if (!person.hidden) {
          person.querySelector("input").checked = true;
        }
      });
      count();
    });
    var legend = team.querySelector("legend");
    legend.parentNode.insertBefore(button, legend.nextSibling);
  });
  picker.addEventListener("change", function (event) {
    if (event.target.matches("[data-picker-person] input")) {
      count();
    }
  });
  if (filter) {
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // filtering happens as you type: Enter must not reload the page
      }
    });
    var search = picker.querySelector("[data-picker-search]");
    if (search) {
      search.hidden = true;
    }
    applyFilter();
  }
  count();
}

// Milestone lists: "Select all shown" for the bulk change form (without this script each row is
// ticked on its own, so the control only exists when it works).
function addSelectAll(bulkForm) {
  if (!bulkForm) {
    return;
  }
  var boxes = function () {
    return document.querySelectorAll("input[name='milestone'][form='bulk-milestones']");
  };
  var wrapper = document.createElement("div");
  wrapper.className = "app-checkbox app-bulk__select-all";
  wrapper.innerHTML =
    '<input class="app-checkbox__input" type="checkbox" id="select-all-milestones">' +
    '<label class="app-label app-checkbox__label" for="select-all-milestones">Select all shown milestones</label>';
  var legend = bulkForm.querySelector("legend");
  legend.parentNode.insertBefore(wrapper, legend.nextSibling);
  wrapper.querySelector("input").addEventListener("change", function (event) {
    boxes().forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
}

// A row's status form: saved without leaving the page. The same endpoint answers JSON with the
// row as it now is (or, refused, with the reason shown on the row); anything unexpected falls
// back to an ordinary form submission.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-module='row-status']") || !window.fetch || !window.FormData) {
    return;
  }
  event.preventDefault();
  var row = form.closest("tr");
  var button = form.querySelector("button");
  button.disabled = true;
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
  })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!body.row_html) {
          throw new Error("no row in the answer");
        }
        return { ok: response.ok, body: body };
      });
    })
    .then(function (answer) {
      var holder = document.createElement("tbody");
      holder.innerHTML = answer.body.row_html.trim();
      var updated = holder.firstElementChild;
      var oldBox = row.querySelector("input[name='milestone']");
      var newBox = updated.querySelector("input[name='milestone']");
      if (oldBox && newBox) {
        newBox.checked = oldBox.checked;
      }
      row.replaceWith(updated);
      var message = updated.querySelector(".app-row-status__message");
      if (answer.ok && message) {
        message.textContent = answer.body.message;
        message.classList.remove("app-error-message");
        message.classList.add("app-row-status__saved");
        message.hidden = false;
        updated.classList.add("app-row--saved");
      }
      var select = updated.querySelector("select[name='status']");
      if (select) {
        select.focus();
      }
    })
    .catch(function () {
      button.disabled = false;
      HTMLFormElement.prototype.submit.call(form);
    });
});

// --- Sign-in sheet and register (SHEETS) ----------------------------------------------------
// The sign-in sheet's Print button exists only where it works; without this script the page
// says to use the browser's own Print command.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-module='print-page']").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  document.querySelectorAll("[data-module='print-hint']").forEach(function (hint) {
    hint.textContent = "The sheet fits A4 paper.";
  });
});

// The register's "Mark everyone present": without this script it is a second submit button that
// shows the register again with everyone unmarked set to present (nothing saved); with it, the
// same happens here, on the page, and a message says so.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[name='action'][value='mark_all']");
  if (!button || !button.form) {
    return;
  }
  event.preventDefault();
  var form = button.form;
  var marked = 0;
  form.querySelectorAll("fieldset[data-register-row]").forEach(function (row) {
    if (!row.querySelector("input[type='radio']:checked")) {
      var present = row.querySelector("input[type='radio'][value='present']");
      if (present) {
        present.checked = true;
        marked += 1;
      }
    }
  });
  var status = form.querySelector("[data-module='register-status']");
  if (status) {
    status.textContent =
      (marked === 1 ? "1 person" : marked + " people") +
      " marked present. Nothing is saved until you save the register.";
  }
});
// --- end of SHEETS ----------------------------------------------------------------------------
