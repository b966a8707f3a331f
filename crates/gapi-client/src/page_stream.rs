//! The streams [`crate::MethodCall::pages`] and [`crate::MethodCall::items`] return, as named
//! types that are `Unpin`: `while let Some(file) = files.next().await` works as written, with
//! no `pin!`, no `Box::pin` and no `StreamExt` import (the inherent [`Pages::next`] /
//! [`Items::next`]); they are also [`Stream`]s for every combinator.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use serde_json::Value;

use crate::error::Error;

type Inner = Pin<Box<dyn Stream<Item = Result<Value, Error>> + Send + 'static>>;

macro_rules! value_stream {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[must_use = "a stream does nothing until polled: call `.next().await` in a loop"]
        pub struct $name {
            inner: Inner,
        }

        impl $name {
            pub(crate) fn new(
                stream: impl Stream<Item = Result<Value, Error>> + Send + 'static,
            ) -> Self {
                $name {
                    inner: Box::pin(stream),
                }
            }

            #[doc = concat!("The next ", $what, ", `None` after the last; an error ends the stream.")]
            pub async fn next(&mut self) -> Option<Result<Value, Error>> {
                std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
            }

            #[doc = concat!("Every remaining ", $what, " in a `Vec`, or the first error.")]
            pub async fn collect_all(mut self) -> Result<Vec<Value>, Error> {
                let mut out = Vec::new();
                while let Some(v) = self.next().await {
                    out.push(v?);
                }
                Ok(out)
            }
        }

        impl Stream for $name {
            type Item = Result<Value, Error>;

            fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                self.inner.as_mut().poll_next(cx)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

value_stream!(
    /// The pages of a list method, following `nextPageToken` (see [`crate::pagination`]).
    Pages,
    "page"
);

value_stream!(
    /// The items of every page of a list method, one by one.
    Items,
    "item"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_unpin_send<T: Unpin + Send + 'static>() {}

    #[test]
    fn streams_are_unpin_and_send() {
        assert_unpin_send::<Pages>();
        assert_unpin_send::<Items>();
    }

    #[tokio::test]
    async fn next_and_collect_all_yield_in_order_and_stop_at_an_error() {
        let ok = |n: i64| Ok::<Value, Error>(Value::from(n));
        let mut items = Items::new(futures_util::stream::iter(vec![ok(1), ok(2)]));
        assert_eq!(items.next().await.unwrap().unwrap(), Value::from(1));
        assert_eq!(items.collect_all().await.unwrap(), vec![Value::from(2)]);
        let failing = Pages::new(futures_util::stream::iter(vec![
            ok(1),
            Err(Error::invalid_argument("page two broke")),
            ok(3),
        ]));
        let err = failing.collect_all().await.unwrap_err();
        assert!(err.to_string().contains("page two broke"));
    }
}
