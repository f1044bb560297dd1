/* Accessibility fixes for markup that Material and pymdownx build at run time or in content,
   where no template reaches. Runs on every page, also after instant navigation (document$).
   - Wide tables: Material wraps them in a scrolling .md-typeset__scrollwrap; a region that
     scrolls must be reachable by keyboard and named (axe: scrollable-region-focusable).
   - Task lists: pymdownx.tasklist's checkbox has no label of its own; name it after its item
     (axe: label). */
(function () {
  "use strict";

  function fixScrollRegions(root) {
    root.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) return;
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table, scrolls sideways");
    });
  }

  function labelTaskCheckboxes(root) {
    root.querySelectorAll(".task-list-item > .task-list-control > input[type=checkbox]").forEach(function (box) {
      if (box.hasAttribute("aria-label")) return;
      var item = box.closest(".task-list-item").cloneNode(true);
      item.querySelectorAll(".task-list-control, ul, ol").forEach(function (n) { n.remove(); });
      box.setAttribute("aria-label", item.textContent.trim() || "Checklist item");
    });
  }

  function run() {
    labelTaskCheckboxes(document);
    fixScrollRegions(document);
  }

  if (typeof document$ !== "undefined") {
    // After Material's own subscribers (which wrap the tables) have run.
    document$.subscribe(function () { setTimeout(run, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
  window.addEventListener("resize", function () { fixScrollRegions(document); });
})();
