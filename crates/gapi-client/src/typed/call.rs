//! [`Call`]: one typed call (its media forms are in `media.rs`, with the `media` feature).

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::method_call::{MethodCall, PreparedRequest};
use crate::params::ParamValue;

use super::stream::{Items, Pages};

/// A call being put together, answered as `T`: what a generated method's builder holds and
/// delegates to. Errors found while building (an unknown method, a body that does not
/// serialize) are returned when the call is prepared or sent, so setters chain without `?`.
pub struct Call<T> {
    pub(super) call: Result<MethodCall, String>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Call {
            call: self.call.clone(),
            answer: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Call").field(&self.call).finish()
    }
}

pub(super) fn failed(e: &str) -> Error {
    Error::discovery(e.to_string())
}

impl<T> Call<T> {
    pub(crate) fn new(call: Result<MethodCall, Error>) -> Self {
        Call {
            call: call.map_err(|e| e.to_string()),
            answer: PhantomData,
        }
    }

    fn map(mut self, f: impl FnOnce(MethodCall) -> MethodCall) -> Self {
        self.call = self.call.map(f);
        self
    }

    /// Sets a parameter by its Discovery name (`pageSize`); cast and checked when the call is
    /// prepared, as [`MethodCall::param`] does. A repeated parameter given again adds a value.
    pub fn param(self, name: &str, value: impl Into<ParamValue>) -> Self {
        let value = value.into();
        self.map(|c| c.param(name, value))
    }

    /// Sets the request body (serialized now; a failure is reported when the call is sent).
    pub fn body<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.map(|c| c.json(body))
    }

    /// Adds a request header.
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        self.map(|c| c.header(name, value))
    }

    /// The untyped call, for anything the typed one does not offer.
    pub fn into_method_call(self) -> Result<MethodCall, Error> {
        self.call.map_err(|e| failed(&e))
    }

    /// The request this call would send, built without any I/O (a dry run).
    pub fn prepare(&self) -> Result<PreparedRequest, Error> {
        self.call.as_ref().map_err(|e| failed(e))?.prepare()
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// Sends the call and decodes the answer; a field that does not fit `T` is named in the
    /// error (`files[3].size: ...`).
    pub async fn execute(self) -> Result<T, Error> {
        self.call.map_err(|e| failed(&e))?.execute_as().await
    }

    /// Every page of a list method's answer, following `nextPageToken`. The stream is `Unpin`
    /// (use `.next().await` without pinning).
    pub fn pages(self) -> Pages<T> {
        Pages::new(self.call.map_err(|e| failed(&e)))
    }

    /// The elements of the array `field` (`files`) of every page, one by one, decoded as `I`.
    pub fn items<I: DeserializeOwned + Send + 'static>(self, field: &str) -> Items<I> {
        Items::new(self.call.map_err(|e| failed(&e)), field.to_string())
    }
}

/// The answer of a method that returns nothing: any JSON (or none) is accepted and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Empty;

impl<'de> serde::Deserialize<'de> for Empty {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Empty)
    }
}
