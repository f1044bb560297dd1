/* Material's linked content tabs (templates/partials/javascripts/content.html of 9.8.1, feature
   content.tabs.link), moved out of the page for the Content-Security-Policy: re-select the tabs
   the reader chose before. Instant navigation runs it again for each new page. */
/* eslint-disable */
(function () {
  var tabs = __md_get("__tabs");
  if (Array.isArray(tabs))
    e: for (var set of document.querySelectorAll(".tabbed-set")) {
      var labels = set.querySelector(".tabbed-labels");
      for (var tab of tabs)
        for (var label of labels.getElementsByTagName("label"))
          if (label.innerText.trim() === tab) {
            var input = document.getElementById(label.htmlFor);
            input.checked = !0;
            continue e;
          }
    }
})();
