//! HTML of the consent page and of the out-of-band result pages. The page only carries a
//! server-side request id; codes appear only on the OOB success page, where they must.

use axum::http::StatusCode;
use axum::response::Response;

use crate::framework::html::{escape, page};
use crate::world::users::{TestUser, test_users};

use super::model::AuthRequest;
use super::scopes;

/// The consent page: pick a test user, read the scopes, Allow or Deny.
pub(crate) fn consent(
    request: &AuthRequest,
    request_id: &str,
    hinted: Option<&TestUser>,
) -> Response {
    let selected = hinted.map(|u| u.email).unwrap_or(test_users()[0].email);
    let mut users = String::new();
    for u in test_users() {
        users.push_str(&format!(
            "<label><input type=\"radio\" name=\"user\" value=\"{email}\"{checked}> {name} &lt;{email}&gt;</label>\n",
            email = escape(u.email),
            name = escape(u.name),
            checked = if u.email == selected { " checked" } else { "" },
        ));
    }
    let mut scope_items = String::new();
    for s in &request.scopes {
        scope_items.push_str(&format!(
            "<li><span class=\"scope-text\">{}</span> <small>(<code>{}</code>)</small></li>\n",
            escape(&scopes::describe(s)),
            escape(s)
        ));
    }
    let body = format!(
        "<h1>Sign in with the gapi emulator</h1>\n\
         <p><b>{client}</b> wants to access your Google Account.</p>\n\
         <form method=\"post\" action=\"/o/oauth2/approve\">\n\
         <input type=\"hidden\" name=\"request\" value=\"{id}\">\n\
         <fieldset><legend>Choose an account</legend>\n{users}</fieldset>\n\
         <p>This will allow the app to:</p>\n<ul id=\"scopes\">\n{scope_items}</ul>\n\
         {offline}\
         <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Allow</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\n\
         </form>",
        client = escape(&request.client_id),
        id = escape(request_id),
        offline = if request.offline {
            "<p>The app will keep this access when you are not using it (offline access).</p>\n"
        } else {
            ""
        },
    );
    page(StatusCode::OK, "Sign in - gapi emulator", &body)
}

/// The OOB success page; its title carries the code.
pub(crate) fn oob_success(code: &str, auto: bool) -> Response {
    let body = if auto {
        "<h1>Success</h1>\n<p>The app has received your authorization. \
         Please close this window and return to the app.</p>"
            .to_owned()
    } else {
        format!(
            "<h1>Success</h1>\n<p>Please copy this code, switch to your application and paste it there:</p>\n\
             <input id=\"code\" readonly size=\"80\" value=\"{}\" onclick=\"this.select()\">",
            escape(code)
        )
    };
    page(StatusCode::OK, &format!("Success code={code}"), &body)
}

/// The OOB page after the user denied (or the request failed).
pub(crate) fn oob_denied(error: &str, description: &str) -> Response {
    let body = format!(
        "<h1>Access denied</h1>\n<p id=\"error\">{}</p>\n<p>{}</p>\n\
         <p>You can close this window and return to the app.</p>",
        escape(error),
        escape(description)
    );
    page(StatusCode::OK, &format!("Denied error={error}"), &body)
}
