/* Material's palette restore (templates/partials/javascripts/palette.html of 9.8.1), moved out of
   the page for the Content-Security-Policy. Loaded right after the palette form, as Material's
   inline script was, so the saved colour scheme applies before the page is painted. */
/* eslint-disable */
(function () {
  var palette = __md_get("__palette");
  if (palette && palette.color) {
    if ("(prefers-color-scheme)" === palette.color.media) {
      var media = matchMedia("(prefers-color-scheme: light)"),
        input = document.querySelector(media.matches ? "[data-md-color-media='(prefers-color-scheme: light)']" : "[data-md-color-media='(prefers-color-scheme: dark)']");
      palette.color.media = input.getAttribute("data-md-color-media");
      palette.color.scheme = input.getAttribute("data-md-color-scheme");
      palette.color.primary = input.getAttribute("data-md-color-primary");
      palette.color.accent = input.getAttribute("data-md-color-accent");
    }
    for (var [key, value] of Object.entries(palette.color)) document.body.setAttribute("data-md-color-" + key, value);
  }
})();
