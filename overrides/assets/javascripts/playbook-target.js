/* Material's tab-target script (templates/partials/javascripts/content.html of 9.8.1), moved out of
   the page for the Content-Security-Policy: a link to a tab's anchor opens that tab. */
(function () {
  var target = document.getElementById(location.hash.slice(1));
  target && target.name && (target.checked = target.name.startsWith("__tabbed_"));
})();
