//! Sheets v4: `spreadsheets.create/get` and `spreadsheets.values` get, update, append (with
//! Google's table detection and `insertDataOption`), clear, batchGet and batchUpdate, on
//! grid sheets addressed in A1 notation; `USER_ENTERED` parses numbers, booleans and simple
//! formulas as the UI does. Spreadsheets belong to the user who created them.

pub(crate) mod a1;
pub(crate) mod formula;
pub(crate) mod input;
pub(crate) mod model;
pub(crate) mod spreadsheets;
pub(crate) mod values;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::framework::Ctx;
use crate::framework::api_error::ApiError;
use crate::framework::caller::Caller;
use crate::framework::method_scopes::require_method;
use crate::framework::service::Service;
use crate::framework::store::Store;

use model::{SheetsData, Spreadsheet};

/// What Sheets' handlers reach.
pub(crate) struct SheetsSvc {
    pub data: Arc<Store<SheetsData>>,
}

/// Handle passed to Sheets' handlers.
pub(crate) type Shared = Arc<SheetsSvc>;

/// `sheets.googleapis.com`.
pub(crate) const SERVICE: &str = "sheets.googleapis.com";

/// The Sheets service (no seeded spreadsheets: tests create their own).
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(SheetsSvc {
        data: core.persistent("sheets", SheetsData::default),
    });
    Service::new(
        "sheets",
        routes()
            .route_layer(axum::middleware::from_fn(
                crate::framework::fields::partial_response,
            ))
            .route_layer(axum::middleware::from_fn(crate::framework::body::buffered))
            .with_state(state),
    )
}

fn routes() -> Router<Shared> {
    Router::new()
        .route("/v4/spreadsheets", post(spreadsheets::create))
        .route(
            "/v4/spreadsheets/{id}",
            get(spreadsheets::get).post(spreadsheets::custom),
        )
        .route(
            "/v4/spreadsheets/{id}/{action}",
            get(values::batch_get).post(values::batch_post),
        )
        .route(
            "/v4/spreadsheets/{id}/values/{range}",
            get(values::get).put(values::update).post(values::post),
        )
}

/// Google's 403 unless the token has a scope the Discovery document lists for
/// `sheets.<method>`.
pub(crate) fn require(caller: &Caller, method: &str) -> Result<(), ApiError> {
    require_method(caller, "sheets", "v4", &format!("sheets.{method}"), SERVICE)
}

/// The spreadsheet `id` as its owner may use it: 404 when it does not exist, 403 when it is
/// someone else's.
pub(crate) fn book_mut<'a>(
    data: &'a mut SheetsData,
    caller: &Caller,
    id: &str,
) -> Result<&'a mut Spreadsheet, ApiError> {
    let book = data.spreadsheets.get_mut(id).ok_or_else(|| {
        ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            "Requested entity was not found.",
        )
    })?;
    if book.owner != caller.email.to_ascii_lowercase() {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            "The caller does not have permission",
        ));
    }
    Ok(book)
}

/// 501 for a Sheets method the emulator does not implement.
pub(crate) fn not_implemented(method: &str) -> ApiError {
    ApiError::new(
        501,
        "UNIMPLEMENTED",
        "notImplemented",
        format!("The emulator's sheets service does not implement sheets.{method}."),
    )
}
