/* The API documentation page (/api/v1/docs/): Swagger UI from our own static files, settings from the
   page's json_script. "Try it out" uses the page's session; writes carry the CSRF token. */
(function () {
  "use strict";
  var element = document.getElementById("api-docs-config");
  if (!element || typeof window.SwaggerUIBundle !== "function") { return; }
  var config = JSON.parse(element.textContent);
  window.SwaggerUIBundle({
    url: config.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (request.method && request.method !== "GET" && request.method !== "HEAD") {
        request.headers[config.csrfHeader] = config.csrfToken;
      }
      return request;
    }
  });
})();
