//! [`Pages`] and [`Items`]: typed streams over a list method's pages, `Unpin` so they need
//! no `pin!` (boxed inside), with an inherent `next()` so they need no `StreamExt` either.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::method_call::MethodCall;

type Boxed<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// Every page of a list method's answer, decoded as `T`, following `nextPageToken`.
pub struct Pages<T> {
    inner: Boxed<T>,
}

/// The elements of one array field of every page, decoded as `I`. A decoding error names the
/// element by its place in its page (`files[3].size`) and the stream goes on.
pub struct Items<I> {
    inner: Boxed<I>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pages")
    }
}

impl<I> std::fmt::Debug for Items<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Items")
    }
}

fn failing<T: Send + 'static>(e: Error) -> Boxed<T> {
    Box::pin(futures_util::stream::once(async move { Err(e) }))
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(call: Result<MethodCall, Error>) -> Self {
        let inner = match call {
            Err(e) => failing(e),
            Ok(call) => {
                let what = call.method().id.clone();
                Box::pin(
                    crate::pagination::pages(call)
                        .map(move |page| crate::decode::from_value(&what, "", &page?)),
                )
            }
        };
        Pages { inner }
    }
}

impl<I: DeserializeOwned + Send + 'static> Items<I> {
    pub(crate) fn new(call: Result<MethodCall, Error>, field: String) -> Self {
        let inner = match call {
            Err(e) => failing(e),
            Ok(call) => {
                let what = call.method().id.clone();
                Box::pin(crate::pagination::pages(call).flat_map(move |page| {
                    futures_util::stream::iter(elements(&what, &field, page))
                }))
            }
        };
        Items { inner }
    }
}

fn elements<I: DeserializeOwned>(
    what: &str,
    field: &str,
    page: Result<Value, Error>,
) -> Vec<Result<I, Error>> {
    let mut page = match page {
        Ok(p) => p,
        Err(e) => return vec![Err(e)],
    };
    match page.get_mut(field).map(Value::take) {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| crate::decode::from_value(what, &format!("{field}[{i}]"), v))
            .collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => vec![Err(Error::invalid_argument(format!(
            "{what}: the field '{field}' of the response is not a list"
        )))],
    }
}

macro_rules! stream_impl {
    ($ty:ident) => {
        impl<T> $ty<T> {
            /// The next element, `None` after the last (no `StreamExt` or pinning needed).
            pub async fn next(&mut self) -> Option<Result<T, Error>> {
                futures_util::StreamExt::next(&mut self.inner).await
            }
        }

        impl<T> Stream for $ty<T> {
            type Item = Result<T, Error>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                self.inner.as_mut().poll_next(cx)
            }
        }
    };
}

stream_impl!(Pages);
stream_impl!(Items);
