// The pipeline board: drag a card onto a column that accepts it, or use the card's
// "move to" form. A drop only fills in and submits that same form, so both paths
// take one route through the server. The answer is the card as it now stands; this
// script puts it in the column its state names (back where it came from when the
// move was refused).
(function () {
  "use strict";

  // Where each dragged card was picked up, by card id: to put it back if refused.
  var origins = {};

  function listFor(stage) {
    return document.querySelector('.cards[data-stage="' + stage + '"]');
  }

  function accepts(card, stage) {
    return (card.dataset.moves || "").split(" ").indexOf(stage) !== -1;
  }

  function submitMove(card, stage) {
    var form = card.querySelector(".move-to form");
    var select = form && form.querySelector("select[name=event]");
    var option = select && select.querySelector('option[data-dest="' + stage + '"]');
    if (!option) {
      return false;
    }
    select.value = option.value;
    card.classList.add("is-moving");
    htmx.trigger(form, "submit");
    return true;
  }

  function putBack(card) {
    var origin = origins[card.id];
    delete origins[card.id];
    var list = listFor(card.dataset.state);
    if (!list) {
      return;
    }
    if (origin && origin.list === list && origin.next && origin.next.parentElement === list) {
      list.insertBefore(card, origin.next);
    } else if (card.parentElement !== list) {
      // A card that has just entered its stage is the newest there: last, before "load more".
      list.insertBefore(card, list.querySelector(":scope > .more"));
    }
  }

  function makeSortable(list) {
    if (list.dataset.sortable) {
      return;
    }
    list.dataset.sortable = "on";
    Sortable.create(list, {
      group: {
        name: "board",
        pull: true,
        put: function (to, from, dragged) {
          return accepts(dragged, to.el.dataset.stage);
        },
      },
      sort: false,
      handle: ".handle",
      draggable: ".card",
      // Pointer events rather than native drag and drop: the same in every browser.
      forceFallback: true,
      fallbackOnBody: true,
      onStart: function (evt) {
        origins[evt.item.id] = { list: evt.from, next: evt.item.nextElementSibling };
        document.body.classList.add("is-dragging");
        evt.item.closest(".board").querySelectorAll(".cards").forEach(function (other) {
          if (accepts(evt.item, other.dataset.stage)) {
            other.classList.add("drop-ok");
          }
        });
      },
      onEnd: function () {
        document.body.classList.remove("is-dragging");
        document.querySelectorAll(".drop-ok").forEach(function (other) {
          other.classList.remove("drop-ok");
        });
      },
      onAdd: function (evt) {
        if (!submitMove(evt.item, evt.to.dataset.stage)) {
          putBack(evt.item);
        }
      },
    });
  }

  htmx.onLoad(function (root) {
    if (root.matches && root.matches(".card")) {
      putBack(root);
    }
    if (typeof Sortable !== "undefined" && root.querySelectorAll) {
      root.querySelectorAll(".cards").forEach(makeSortable);
    }
  });

  // A move that never reached the server: the card goes back.
  document.addEventListener("htmx:sendError", function (evt) {
    var card = evt.detail.elt.closest(".card");
    if (card) {
      card.classList.remove("is-moving");
      putBack(card);
    }
  });

  document.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-close-panel]")) {
      var panel = document.getElementById("move-panel");
      if (panel) {
        panel.innerHTML = "";
      }
    }
  });
})();
