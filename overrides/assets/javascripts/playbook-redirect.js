/* The redirect stubs of mkdocs-redirects without their inline script (Content-Security-Policy):
   go to the page the stub's canonical link names, keeping the reader's #anchor. Without
   JavaScript the stub's meta refresh still redirects (without the anchor). */
(function () {
  var link = document.querySelector("link[rel=canonical]");
  if (!link) return;
  var href = link.href;
  var anchor = window.location.hash.substring(1);
  if (anchor && href.indexOf("#") < 0) href += "#" + anchor;
  location.replace(href);
})();
