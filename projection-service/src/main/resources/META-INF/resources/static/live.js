// The deviations board: MAJOR deviations arrive over Server-Sent Events (the API's stream, signed in
// by the same cookie); the rows reload at once and the news is read out to screen readers.
(function () {
  var rows = document.getElementById('deviation-rows');
  var news = document.getElementById('live-news');
  if (!rows || !news || !window.EventSource) {
    return;
  }
  var source = new EventSource('/api/v1/deviations/stream');
  source.onmessage = function (event) {
    var deviation = JSON.parse(event.data);
    news.textContent = news.getAttribute('data-template')
      .replace('%site%', deviation.siteId || '')
      .replace('%rule%', deviation.rule || '');
    if (window.htmx) {
      window.htmx.trigger(rows, 'major');
    }
  };
  source.onopen = function () {
    news.setAttribute('data-connected', 'true');
  };
})();
