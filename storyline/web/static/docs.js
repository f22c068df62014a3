// The API docs page: Swagger UI from the locally served bundle, over this server's schema.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
