//! Streams of pages and of items, following `nextPageToken`: the token goes back as the
//! `pageToken` query parameter, or as the body's `pageToken` when the method takes it there
//! (some APIs page through POST search methods).
//!
//! Paging knows a call only through [`PageCall`] (implemented by [`crate::MethodCall`]), so
//! it sits below method calls: a call pages, paging does not build calls.

use std::future::Future;

use futures_util::Stream;
use serde_json::Value;

use crate::error::Error;

/// Where the method takes its page token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPlace {
    /// The `pageToken` query parameter.
    Query,
    /// A `pageToken` field of the JSON body.
    Body,
    /// The method does not page.
    None,
}

/// What a page stream needs of a call: send it, say which method it is, where its method
/// takes the page token, and the same call asking for the page after a token.
pub trait PageCall: Clone + Send + Sync + 'static {
    /// Sends the call and returns the page.
    fn fetch(&self) -> impl Future<Output = Result<Value, Error>> + Send;
    /// The method id (`drive.files.list`), for errors.
    fn method_id(&self) -> &str;
    /// Where the method takes its page token.
    fn token_place(&self) -> TokenPlace;
    /// The same call asking for the page after `token` (at [`PageCall::token_place`]).
    fn with_page_token(self, token: String) -> Self;
}

enum State<C> {
    Next(Box<C>, Vec<String>),
    Fail(Error),
}

/// A stream of whole response pages.
pub fn pages<C: PageCall>(call: C) -> impl Stream<Item = Result<Value, Error>> + Send + 'static {
    let place = call.token_place();
    futures_util::stream::unfold(
        Some(State::Next(Box::new(call), Vec::new())),
        move |state| async move {
            let (call, mut seen) = match state? {
                State::Fail(e) => return Some((Err(e), None)),
                State::Next(c, s) => (*c, s),
            };
            let page = match call.fetch().await {
                Ok(p) => p,
                Err(e) => return Some((Err(e), None)),
            };
            let token = page
                .get("nextPageToken")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            let next = match (token, place) {
                (Some(t), TokenPlace::Query | TokenPlace::Body) if seen.contains(&t) => {
                    Some(State::Fail(Error::discovery(format!(
                        "{}: the server returned the same nextPageToken twice; stopped to avoid an endless loop",
                        call.method_id()
                    ))))
                }
                (Some(t), TokenPlace::Query | TokenPlace::Body) => {
                    seen.push(t.clone());
                    if seen.len() > 64 {
                        seen.remove(0);
                    }
                    Some(State::Next(Box::new(call.with_page_token(t)), seen))
                }
                _ => None,
            };
            Some((Ok(page), next))
        },
    )
}

/// A stream of the elements of the array `field` of every page.
pub fn items<C: PageCall>(
    call: C,
    field: String,
) -> impl Stream<Item = Result<Value, Error>> + Send + 'static {
    use futures_util::StreamExt;
    pages(call).flat_map(move |page| {
        let out: Vec<Result<Value, Error>> = match page {
            Err(e) => vec![Err(e)],
            Ok(mut p) => match p.get_mut(&field).map(Value::take) {
                Some(Value::Array(items)) => items.into_iter().map(Ok).collect(),
                Some(Value::Null) | None => Vec::new(),
                Some(_) => vec![Err(Error::invalid_argument(format!(
                    "the field '{field}' of the response is not a list"
                )))],
            },
        };
        futures_util::stream::iter(out)
    })
}

/// The list field of a page, by the one rule of [`crate::listing`]: the first top-level array
/// whose elements are all objects.
pub fn guess_items_field(page: &Value) -> Option<String> {
    crate::listing::list_items(page).map(|(field, _)| field.to_string())
}
